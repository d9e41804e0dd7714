"""Command line: ``python -m indexer extract|index|search|status``.

A thin layer: parse arguments, call one library function, print. User errors
become one line naming the file or parameter and what to do, with a non-zero
exit code.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from indexer.serialize import hit_json, result_json  # noqa: F401 - the JSON shapes live there

DEFAULT_INDEX_DIR = "instance/index"


def default_index_dir() -> str:
    """INDEX_DIR from the environment, else instance/index."""
    return os.environ.get("INDEX_DIR") or DEFAULT_INDEX_DIR


def unit_json(unit) -> dict:
    """The JSON shape of one extracted unit."""
    return {
        "symbol": unit.symbol,
        "paragraph": unit.paragraph,
        "kind": unit.kind,
        "section": unit.section_label,
        "section_path": list(unit.section),
        "page": unit.page,
        "citation": unit.citation,
        "text": unit.text,
    }


def cmd_extract(args) -> int:
    from indexer.extract import ExtractionError, extract_document

    try:
        document = extract_document(Path(args.file))
    except ExtractionError as error:
        print(f"error: {error}", file=sys.stderr)
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
    from indexer.build import build_index

    report = build_index(args.paths or ["corpus"], args.index_dir)
    print(
        f"indexed {report.documents} documents, {report.units} units "
        f"in {report.seconds:.1f}s into {args.index_dir}"
    )
    for path, reason in report.failed:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    if report.failed:
        print(f"{len(report.failed)} file(s) failed; the others were indexed.", file=sys.stderr)
    return report.exit_code


def cmd_search(args) -> int:
    from indexer.search import QueryError, SearchService
    from indexer.store import IndexMissing

    filters = {
        name: values
        for name, values in (
            ("instrument", args.instrument), ("theme", args.theme),
            ("document", args.document), ("year", args.year),
        )
        if values
    }
    try:
        result = SearchService(args.index_dir).search(
            args.query, filters, page=1, per_page=args.limit, sort=args.sort
        )
    except IndexMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except QueryError as error:
        print(f"error: --{error.parameter.replace('_', '-')}: {error.message}", file=sys.stderr)
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
    for hit in result.hits:
        print(f"{hit.citation}  [{hit.score}]")
        print(f"    {hit.excerpt_html}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the citable units of one file")
    extract.add_argument("file")
    extract.add_argument("--json", action="store_true", help="a JSON array of units")
    extract.set_defaults(run=cmd_extract)

    index = commands.add_parser("index", help="index files and folders (default: corpus/)")
    index.add_argument("paths", nargs="*")
    index.add_argument("--index-dir", default=default_index_dir())
    index.set_defaults(run=cmd_index)

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("--index-dir", default=default_index_dir())
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--sort", default="relevance", help="relevance or document")
    for facet in ("instrument", "theme", "document", "year"):
        search.add_argument(f"--{facet}", action="append", default=[], help=f"filter by {facet} (repeatable)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=cmd_search)
    return parser


def main(argv=None) -> int:
    """Entry point of ``python -m indexer`` and the ``mea-index`` script."""
    args = build_parser().parse_args(argv)
    return args.run(args)
