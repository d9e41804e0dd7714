"""How good the ranking is, measured on graded queries: nDCG@10, grade-3 recall@10, top-3 hits.

Run by hand from the repository root::

    .venv/bin/python -m bench.ranking_eval            # build (or bring up to date) and measure
    .venv/bin/python -m bench.ranking_eval --reuse    # measure on the index already built
    .venv/bin/python -m bench.ranking_eval --verbose  # and the top 10 of every query
    .venv/bin/python -m bench.ranking_eval --reuse --set indexer.search.planner.TITLE_BOOST=2,4,8
                                                      # one line per value of a tunable

The queries are three sets, each unit graded 3 (the provision itself), 2 (about
it) or 1 (mentions it); every unit not listed counts 0:

- ``tests/data/ranking/queries.json``: keywords, phrases and questions judged by
  reading the units;
- ``../shared/eval/questions.tsv``: questions in plain words; the unit holding
  the snippet is graded 3;
- ``../shared/eval/queries.tsv``: paragraphs of the seed document a drafter
  expects in the top 10, graded 3.

The index holds the documents listed in ``tests/data/ranking/corpus.txt`` (the
tests build the same one) and lives in ``bench/out/ranking-index``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ranking"
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
INDEX_DIR = ROOT / "bench" / "out" / "ranking-index"
SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
# The cut-off of every measure: the first page of results.
DEPTH = 10
# "Top 3": the first screen of a phone.
TOP = 3


@dataclass(frozen=True)
class Judged:
    """One query and the grade of every unit judged for it."""

    query: str
    kind: str  # keywords, phrase, question
    source: str  # which set it comes from
    grades: dict[str, int]


def corpus_files(corpus: Path = SHARED_CORPUS) -> list[Path]:
    """The documents of the ranking index, as listed in corpus.txt."""
    lines = (DATA / "corpus.txt").read_text(encoding="utf-8").splitlines()
    return [corpus / line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def snippet_uid(path: Path, snippet: str) -> str | None:
    """uid of the unit of ``path`` whose text holds ``snippet`` (spaces collapsed)."""
    from indexer.units.extract import extract_document

    wanted = _collapse(snippet)
    for unit in extract_document(path).units:
        if wanted in _collapse(unit.text):
            return unit.uid
    return None


def load_judged(shared: Path = SHARED) -> list[Judged]:
    """Every graded query of the three sets."""
    judged = [
        Judged(row["query"], row["kind"], "queries.json", dict(row["grades"]))
        for row in json.loads((DATA / "queries.json").read_text(encoding="utf-8"))
    ]
    judged += load_questions(shared)
    for line in (shared / "eval" / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        query, expected, *_ = line.split("\t") + [""]
        kind = "phrase" if query.startswith('"') else "keywords"
        judged.append(Judged(query, kind, "queries.tsv",
                             {f"{SEED_SYMBOL}#{p}": 3 for p in expected.split()}))
    return judged


def load_questions(shared: Path = SHARED) -> list[Judged]:
    """questions.tsv, each with the uid of the unit that answers it."""
    rows = []
    lines = (shared / "eval" / "questions.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        question, file, snippet, *_ = line.split("\t")
        uid = snippet_uid(shared / "corpus" / file, snippet)
        if uid is None:
            raise SystemExit(f"questions.tsv: no unit of {file} holds {snippet!r}")
        rows.append(Judged(question, "question", "questions.tsv", {uid: 3}))
    return rows


def dcg(grades: list[int]) -> float:
    """Discounted cumulative gain of grades in rank order."""
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of a ranked uid list against judged grades (unjudged: 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    return dcg([grades.get(u, 0) for u in ranked[:depth]]) / ideal if ideal else 0.0


def recall3(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """Share of the grade-3 units in the first ``depth`` (of at most ``depth`` wanted)."""
    wanted = {u for u, g in grades.items() if g == 3}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:depth])) / min(len(wanted), depth)


def top_hit(ranked: list[str], grades: dict[str, int], top: int = TOP) -> bool:
    """Whether a grade-3 unit is among the first ``top``."""
    return any(grades.get(u, 0) == 3 for u in ranked[:top])


def measure(service, judged: list[Judged]) -> list[dict]:
    """Per query: the measures and the ranked uids."""
    rows = []
    for item in judged:
        result = service.search(item.query, per_page=DEPTH)
        ranked = [h.uid for h in result.hits]
        rows.append({
            "query": item.query, "kind": item.kind, "source": item.source,
            "ndcg": ndcg(ranked, item.grades), "recall3": recall3(ranked, item.grades),
            "top3": top_hit(ranked, item.grades), "top5": top_hit(ranked, item.grades, 5),
            "total": result.total, "ranked": ranked,
            "grades": [item.grades.get(u, 0) for u in ranked],
        })
    return rows


def summary(rows: list[dict]) -> dict:
    """Mean nDCG@10, mean grade-3 recall@10 and top-3 count of a set of rows."""
    n = len(rows) or 1
    return {
        "queries": len(rows),
        "ndcg": sum(r["ndcg"] for r in rows) / n,
        "recall3": sum(r["recall3"] for r in rows) / n,
        "top3": sum(r["top3"] for r in rows),
        "top5": sum(r["top5"] for r in rows),
    }


def _line(label: str, s: dict) -> str:
    return (f"{label:<28} {s['queries']:>3} queries  nDCG@10 {s['ndcg']:.3f}  "
            f"grade-3 recall@10 {s['recall3']:.3f}  grade 3 in top 3: {s['top3']}/{s['queries']}, "
            f"top 5: {s['top5']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", default=str(INDEX_DIR))
    parser.add_argument("--reuse", action="store_true", help="measure the index as it is, do not update it")
    parser.add_argument("--verbose", action="store_true", help="print the grades of every query's top 10")
    parser.add_argument("--json", metavar="FILE", help="write every row as JSON")
    parser.add_argument("--set", metavar="MODULE.NAME=V1,V2", help="measure each value of a tunable in turn "
                        "(a number set on the module before each measure), one summary line each")
    args = parser.parse_args(argv)

    from indexer.index.build import build_index
    from indexer.search.service import SearchService

    if not SHARED_CORPUS.is_dir():
        print(f"reference corpus missing: expected {SHARED_CORPUS}", file=sys.stderr)
        return 2
    if not args.reuse:
        report = build_index(corpus_files(), args.index_dir)
        for path, reason in report.failed:
            print(f"not indexed: {path}: {reason}", file=sys.stderr)
    if args.set:
        return _sweep(args.set, args.index_dir, load_judged())
    rows = measure(SearchService(args.index_dir), load_judged())
    for row in rows:
        mark = "+" if row["top3"] else "-"
        print(f"{mark} nDCG {row['ndcg']:.2f} R3 {row['recall3']:.2f} {row['total']:>5}  "
              f"[{row['source']}] {row['query']}")
        if args.verbose:
            print("      grades", " ".join(str(g) for g in row["grades"]))
    print()
    for source in ("queries.json", "questions.tsv", "queries.tsv"):
        print(_line(source, summary([r for r in rows if r["source"] == source])))
    for kind in ("keywords", "phrase", "question"):
        print(_line(f"  {kind}", summary([r for r in rows if r["kind"] == kind])))
    print(_line("all", summary(rows)))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def _sweep(setting: str, index_dir: str, judged: list[Judged]) -> int:
    """One summary line per value of ``module.NAME=v1,v2``: the measure as the tunable changes."""
    import importlib

    from indexer.search.service import SearchService

    target, _, values = setting.partition("=")
    module_name, _, name = target.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        print(f"--set: no module {module_name!r} (write module.NAME=values)", file=sys.stderr)
        return 2
    if not hasattr(module, name) or not values:
        print(f"--set: {module_name} has no tunable {name!r}, or no values given", file=sys.stderr)
        return 2
    original = getattr(module, name)
    try:
        for value in values.split(","):
            setattr(module, name, type(original)(float(value)) if isinstance(original, int) else float(value))
            rows = measure(SearchService(index_dir), judged)  # a new service: nothing cached from the last value
            print(_line(f"{name}={value}", summary(rows)), "|",
                  " | ".join(f"{source} top 5 {summary([r for r in rows if r['source'] == source])['top5']}"
                             for source in ("queries.json", "questions.tsv")), flush=True)
    finally:
        setattr(module, name, original)
    return 0


if __name__ == "__main__":
    sys.exit(main())
