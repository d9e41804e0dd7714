"""Command line: ``python -m indexer extract|index|search|status``.

A thin layer: parse arguments, call one library function, print. User errors
become one line naming the file or parameter and what to do, with a non-zero
exit code.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from indexer.facets import FACETS
from indexer.index.budget import DEFAULT_FILE_MEMORY_MB, DEFAULT_FILE_SECONDS
from indexer.search.excerpts import PLAIN_MARK, TERMINAL_MARK, excerpt_for_terminal
from indexer.search.serialize import result_json, unit_json

DEFAULT_INDEX_DIR = "instance/index"
# Skipped files named on the one line that lists them (the --report has all).
SKIPPED_SHOWN = 20


def default_index_dir() -> str:
    """INDEX_DIR from the environment, else instance/index."""
    return os.environ.get("INDEX_DIR") or DEFAULT_INDEX_DIR


def cmd_extract(args) -> int:
    from indexer.index.budget import OverBudget, caused_by_memory, memory_reason, time_reason, within
    from indexer.units.extract import ExtractionError, extract_document

    budget = _budget(args)
    if budget is None:
        return 1
    try:
        # This process reads one file and ends: its own memory may be capped.
        with within(budget, limit_memory=True):
            document = extract_document(Path(args.file))
    except ExtractionError as error:
        if caused_by_memory(error):
            print(f"error: {_shown_path(args.file)}: {memory_reason(budget)}", file=sys.stderr)
        else:
            print(f"error: {_shown_path(str(error))}", file=sys.stderr)
        return 1
    except OverBudget:
        print(f"error: {_shown_path(args.file)}: {time_reason(budget)}", file=sys.stderr)
        return 1
    except MemoryError:
        print(f"error: {_shown_path(args.file)}: {memory_reason(budget)}", file=sys.stderr)
        return 1
    for warning in document.warnings:
        print(f"warning: {args.file}: {warning}", file=sys.stderr)
    if args.json:
        json.dump([unit_json(u) for u in document.units], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(f"{document.symbol} - {document.title} ({len(document.units)} units)")
        for unit in document.units:
            print(f"[{unit.citation}] p.{unit.page} {unit.section_label or ''}")
            print(f"    {unit.text[:160]}")
    return 0


def cmd_index(args) -> int:
    from indexer.index.build import build_index
    from indexer.storage.locking import IndexBusy
    from indexer.index.progress import LineProgress, TerminalProgress
    from indexer.tagging.vocabulary import VocabularyError

    budget = _budget(args)
    if budget is None:
        return 1
    shown = TerminalProgress if sys.stderr.isatty() else LineProgress
    progress = shown(sys.stderr, display=_shown_path)
    try:
        # Always in worker processes, even with --jobs 1: the memory budget is
        # enforced there, never in this process.
        report = build_index(
            args.paths or ["corpus"], args.index_dir, progress, rebuild=args.rebuild, jobs=args.jobs,
            budget=budget, isolate=True,
        )
    except (IndexBusy, VocabularyError, OSError) as error:
        print(f"error: {_shown_path(str(error))}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    if args.report:
        Path(args.report).write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n")
    for path, warning in report.warnings:
        print(f"warning: {_shown_path(path)}: {warning}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"failed: {_shown_path(path)}: {_shown_path(reason)}", file=sys.stderr)
    for path, reason in report.duplicates:
        print(f"duplicate: {_shown_path(path)}: {_shown_path(reason)}", file=sys.stderr)
    if report.skipped:
        names = ", ".join(_shown_path(path) for path, _ in report.skipped[:SKIPPED_SHOWN])
        more = f" and {len(report.skipped) - SKIPPED_SHOWN} more" if len(report.skipped) > SKIPPED_SHOWN else ""
        print(f"skipped {len(report.skipped)} file(s) that are not documents (other types, hidden): "
              f"{names}{more}", file=sys.stderr)
    where = report.generation or "nothing"
    extra = "".join(
        f", {len(items)} {label}" for label, items in (("duplicate", report.duplicates), ("skipped", report.skipped))
        if items
    )
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed{extra}; "
        f"index {where} in {args.index_dir}: {report.documents} documents, {report.units} units "
        f"({report.extracted} files read, {report.from_cache} from cache, {report.seconds:.1f}s)"
    )
    if report.failed and report.exit_code == 2:
        print(f"{len(report.failed)} file(s) failed; the others are indexed.", file=sys.stderr)
    elif report.exit_code == 1:
        print("error: nothing could be indexed; see the reasons above.", file=sys.stderr)
    return report.exit_code


def cmd_status(args) -> int:
    import time

    from indexer.index.build import index_status

    status = index_status(args.paths, args.index_dir)
    if args.json:
        json.dump(status.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if status.generation is None:
        print(f"no index in {args.index_dir}: run `python -m indexer index` to build one")
    else:
        built = time.strftime("%Y-%m-%d %H:%M", time.localtime(status.built)) if status.built else "unknown"
        print(f"index {status.generation} in {args.index_dir}: {status.documents} documents, "
              f"{status.units} units, updated {built}")
        print("built with " + ", ".join(f"{k} {v}" for k, v in status.stamp.items()))
        if status.outdated:
            print(f"outdated: {', '.join(status.outdated)} changed since; the next `index` rebuilds")
    if status.updating:
        pid, since = status.updating
        when = time.strftime("%H:%M", time.localtime(since)) if since else "?"
        print(f"being updated by process {pid} since {when}")
    for label, paths in (("added", status.added), ("changed", status.changed), ("removed", status.removed)):
        for path in paths:
            print(f"{label}: {_shown_path(path)}")
    for path, reason in status.failed:
        print(f"failed: {_shown_path(path)}: {_shown_path(reason)}")
    for path, reason in status.problems:
        print(f"error: {_shown_path(path)}: {reason}")
    print(f"{status.pending} pending change(s)" if status.pending else "up to date")
    return 0


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _shown_path(text: str) -> str:
    """A path (or a message naming paths) with paths under the working directory made
    relative, on one line: a newline or other control character in a file name is
    shown as an escape (``\\n``), so one file is always one line of output."""
    text = text.replace(str(Path.cwd()) + os.sep, "")
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cmd_search(args) -> int:
    from indexer.search import QueryError, SearchService
    from indexer.search import IndexMissing
    from indexer.search.syntax import MAX_QUERY_LENGTH

    if len(args.query) > MAX_QUERY_LENGTH:  # the web app's default limit
        print(f"error: query is too long ({len(args.query)} characters): at most {MAX_QUERY_LENGTH}",
              file=sys.stderr)
        return 1
    filters = {facet.name: getattr(args, facet.name) for facet in FACETS if getattr(args, facet.name)}
    try:
        result = SearchService(args.index_dir).search(
            args.query, filters, page=1, per_page=args.limit, sort=args.sort
        )
    except IndexMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except QueryError as error:
        where = "query" if error.parameter == "q" else f"--{error.parameter.replace('_', '-')}"
        print(f"error: {where}: {error.message}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(result_json(result), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if result.message:
        print(result.message)
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    print(f"{result.total} paragraphs")
    marks = TERMINAL_MARK if sys.stdout.isatty() else PLAIN_MARK
    for hit in result.hits:
        # A cited unit is placed first, not scored: it shows no score.
        print(hit.citation if hit.score is None else f"{hit.citation}  [{hit.score}]")
        print(f"    {excerpt_for_terminal(hit.excerpt_html, marks)}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _budget(args):
    """The file budget of the flags, else of the environment; None (said why) when a setting is bad."""
    from indexer.index.budget import BudgetError, FileBudget

    try:
        defaults = FileBudget.from_env()
    except BudgetError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    return FileBudget(
        memory_mb=defaults.memory_mb if args.file_memory_mb is None else int(args.file_memory_mb),
        seconds=defaults.seconds if args.file_seconds is None else args.file_seconds,
    )


def _budget_flags(command) -> None:
    command.add_argument("--file-memory-mb", type=_not_negative, default=None,
                         help="memory one file may take while read, in MiB; 0: no limit "
                              f"(default: INDEXER_FILE_MEMORY_MB or {DEFAULT_FILE_MEMORY_MB})")
    command.add_argument("--file-seconds", type=_not_negative, default=None,
                         help="time one file may take while read; 0: no limit "
                              f"(default: INDEXER_FILE_SECONDS or {DEFAULT_FILE_SECONDS:g})")


def _not_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError("must be a number, 0 or more (0: no limit)")
    return int(value) if value == int(value) else value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the citable units of one file")
    extract.add_argument("file")
    extract.add_argument("--json", action="store_true", help="a JSON array of units")
    _budget_flags(extract)
    extract.set_defaults(run=cmd_extract)

    index = commands.add_parser("index", help="index files and folders (default: corpus/)")
    index.add_argument("paths", nargs="*")
    index.add_argument("--index-dir", default=default_index_dir())
    index.add_argument("--rebuild", action="store_true", help="read every file again and build from scratch")
    index.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                       help="worker processes reading files (default: one per CPU)")
    index.add_argument("--report", metavar="FILE", help="write what was done as JSON")
    _budget_flags(index)
    index.set_defaults(run=cmd_index)

    status = commands.add_parser("status", help="what the index holds and what changed on disk")
    status.add_argument("paths", nargs="*", help="files and folders to compare (default: those the index was built from)")
    status.add_argument("--index-dir", default=default_index_dir())
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=cmd_status)

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("--index-dir", default=default_index_dir())
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--sort", default="relevance", help="relevance or document")
    for facet in FACETS:
        search.add_argument(f"--{facet.name}", action="append", default=[],
                            help=f"filter by {facet.label.lower()} (repeatable)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=cmd_search)
    return parser


def main(argv=None) -> int:
    """Entry point of ``python -m indexer`` and the ``mea-index`` script."""
    args = build_parser().parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (`... --json | head`): nothing is
        # wrong with the work, so leave quietly. stdout is pointed at devnull so
        # the interpreter's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code
