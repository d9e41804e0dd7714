"""Theme tagging quality: precision and recall of the tagger against hand-annotated units.

The gold file `tests/data/tagging/theme_gold.json` holds units (their text,
document symbol, title and section) with the themes a drafter would file them
under, annotated by hand from the theme descriptions in the vocabulary, without
looking at the tagger's output. This script tags each unit with the shipped
vocabulary and prints per-theme and micro-averaged precision and recall.

    .venv/bin/python bench/theme_eval.py              # scores: tuning set, held-out set, all
    .venv/bin/python bench/theme_eval.py --errors     # and the misses / false alarms
    .venv/bin/python bench/theme_eval.py --draft out.json   # a fresh sample to annotate

`--draft` splits the treaty Markdown files of the shared corpus into paragraphs
crudely (one line = one unit, "### Article N" / "####Title" = section); the
real treaty reader lives elsewhere and is not needed for a theme sample.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexer.models import Unit  # noqa: E402
from indexer.tagging.tagger import tag_unit  # noqa: E402
from indexer.tagging.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

GOLD = ROOT / "tests" / "data" / "tagging" / "theme_gold.json"
SHARED = ROOT.parent / "shared"


@dataclass
class Score:
    """Counts for one theme (or all themes, micro-averaged)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Per-theme and micro scores, plus the disagreements for reading."""

    micro: Score
    per_theme: dict[str, Score]
    errors: list[tuple[str, list[str], list[str]]]  # (unit id, missed, false alarms)
    units: int


def gold_unit(entry: dict) -> Unit:
    """The Unit a gold entry describes."""
    return Unit(
        symbol=entry["symbol"],
        title=entry.get("title", ""),
        paragraph=entry["paragraph"],
        kind="paragraph",
        section=tuple(entry.get("section") or ()),
        page=None,
        text=entry["text"],
        citation=f"{entry['symbol']}, {entry['paragraph']}",
        order=0,
    )


def evaluate(gold: list[dict], vocabulary: Vocabulary) -> Report:
    """Tag every gold unit and compare its themes with the annotated ones."""
    per_theme = {theme.id: Score() for theme in vocabulary.themes}
    micro = Score()
    errors = []
    for entry in gold:
        expected = set(entry["themes"])
        unknown = expected - set(per_theme)
        if unknown:
            raise ValueError(f"gold unit {entry['id']}: unknown themes {sorted(unknown)}")
        got = set(tag_unit(gold_unit(entry), vocabulary).themes)
        for theme_id, score in per_theme.items():
            if theme_id in got and theme_id in expected:
                score.tp += 1
            elif theme_id in got:
                score.fp += 1
            elif theme_id in expected:
                score.fn += 1
        micro.tp += len(got & expected)
        micro.fp += len(got - expected)
        micro.fn += len(expected - got)
        if got != expected:
            errors.append((entry["id"], sorted(expected - got), sorted(got - expected)))
    return Report(micro, per_theme, errors, len(gold))


def load_gold(path: Path = GOLD) -> list[dict]:
    """The annotated units."""
    return json.loads(path.read_text(encoding="utf-8"))["units"]


def print_report(report: Report, show_errors: bool, gold: list[dict]) -> None:
    print(f"{report.units} units")
    print(f"{'theme':<24} {'gold':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for theme_id, s in report.per_theme.items():
        print(
            f"{theme_id:<24} {s.tp + s.fn:>4} {s.tp:>4} {s.fp:>4} {s.fn:>4} "
            f"{s.precision:>6.2f} {s.recall:>6.2f} {s.f1:>6.2f}"
        )
    m = report.micro
    print(
        f"{'micro':<24} {m.tp + m.fn:>4} {m.tp:>4} {m.fp:>4} {m.fn:>4} "
        f"{m.precision:>6.2f} {m.recall:>6.2f} {m.f1:>6.2f}"
    )
    if show_errors:
        texts = {e["id"]: e["text"] for e in gold}
        for unit_id, missed, extra in report.errors:
            print(f"\n{unit_id}: missed {missed} false {extra}\n  {texts[unit_id][:300]}")


# --- drafting a sample from the treaty Markdown files -------------------------------------

_ARTICLE_RE = re.compile(r"^###\s*Article\s+(\w+)", re.I)
_ANNEX_RE = re.compile(r"^###\s*Annex\s+(\w+)", re.I)
_TITLE_RE = re.compile(r"^####\s*:?\s*(.+)$")
_NUMBER_RE = re.compile(r"^(\d+)\.\s+")
_LETTER_RE = re.compile(r"^\(?([a-z]{1,4})\)\s+")
_MARKUP_RE = re.compile(r"<sup>.*?</sup>|\*|\\")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def split_treaty(path: Path) -> list[dict]:
    """One unit per text line of a treaty Markdown file, with its article as section."""
    units: list[dict] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    title = _TITLE_RE.match(lines[0]).group(1).strip()
    article: str | None = None
    annex: str | None = None
    heading: str | None = None
    number = "0"
    for line in lines[1:]:
        text = _MARKUP_RE.sub("", _LINK_RE.sub(r"\1", line)).strip()
        if not text:
            continue
        if m := _ARTICLE_RE.match(text):
            # Articles inside an annex (arbitration rules) restart at 1.
            article = f"{annex} Article {m.group(1)}" if annex else f"Article {m.group(1)}"
            heading, number = None, "0"
            continue
        if m := _ANNEX_RE.match(text):
            annex = article = f"Annex {m.group(1)}"
            heading, number = None, "0"
            continue
        if m := _TITLE_RE.match(text):
            heading = m.group(1).strip()
            continue
        if m := _NUMBER_RE.match(text):
            number = m.group(1)
            paragraph = f"{article or 'pp'}.{number}"
        elif m := _LETTER_RE.match(text):
            paragraph = f"{article or 'pp'}.{number}({m.group(1)})"
        else:
            paragraph = f"{article or 'preamble'}.{len(units)}"
        section = [s for s in (article, heading) if s]
        units.append(
            {"symbol": title, "title": title, "paragraph": paragraph, "section": section, "text": text}
        )
    return units


# Articles on implementation support, chosen by their headings (financial resources,
# technical assistance, information exchange, plans, reporting, compliance...): a
# second stratum so that the themes are frequent enough to measure recall. The
# first stratum samples all units at random and mostly measures false alarms.
SUPPORT_ARTICLES = {
    "Basel_Convention": {"10", "13", "14"},
    "Minamata_Convention": {"13", "14", "15", "17", "18", "19", "20", "21"},
    "Montreal_Protocol": {"5", "7", "8", "9", "10", "10a"},
    "Rotterdam_Convention": {"14", "15", "16", "17"},
    "Stockholm_Convention": {"7", "9", "10", "11", "12", "13", "15", "17"},
    "UNFCCC": {"4", "5", "6", "11", "12"},
}


_CHAPTER_RE = re.compile(r"^\t([IVXL]+)\.\t(.+)$")
_LETTER_HEADING_RE = re.compile(r"^\t\t([A-Z])\.\t(.+)$")
_NUMBERED_RE = re.compile(r"^\t+(\d+)\.\t(.+)$")
_SUBPARAGRAPH_RE = re.compile(r"^\t+\(([a-z]{1,4})\)\t(.+)$")

REPORT = ("un/FCCC_SBI_2023_10_report_SBI58.txt", "FCCC/SBI/2023/10",
          "Report of the Subsidiary Body for Implementation on its fifty-eighth session")


def split_report(path: Path, symbol: str, title: str) -> list[dict]:
    """Numbered paragraphs and subparagraphs of a tab-indented UN report (crudely)."""
    units: list[dict] = []
    headings: list[str] = []
    started = False
    number = "0"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.rstrip("\r")
        if m := _CHAPTER_RE.match(line):
            started = True
            headings = [f"{m.group(1)}. {m.group(2).strip().rstrip('*')}"]
            continue
        if not started:
            continue
        if m := _LETTER_HEADING_RE.match(line):
            headings = headings[:1] + [f"{m.group(1)}. {m.group(2).strip()}"]
        elif (m := _NUMBERED_RE.match(line)) and len(m.group(2)) < 50 and not m.group(2).endswith("."):
            headings = headings[:2] + [m.group(2).strip()]
        elif m := _NUMBERED_RE.match(line):
            number = m.group(1)
            units.append({"symbol": symbol, "title": title, "paragraph": number,
                          "section": list(headings), "text": m.group(2).strip()})
        elif m := _SUBPARAGRAPH_RE.match(line):
            units.append({"symbol": symbol, "title": title, "paragraph": f"{number}({m.group(1)})",
                          "section": list(headings), "text": m.group(2).strip()})
    return units


def draft(
    per_treaty_random: int, per_treaty_annexes: int, per_treaty_support: int, report_units: int,
    seed: int, exclude: set[str] = frozenset(),
) -> list[dict]:
    """A reproducible random sample of treaty (and report) units, with empty theme lists."""
    rng = random.Random(seed)
    sample = []
    for path in sorted((SHARED / "corpus" / "treaties").glob("*.md")):
        units = [
            u for u in split_treaty(path)
            if len(u["text"]) >= 60 and f"{path.stem}:{u['paragraph']}" not in exclude
        ]
        articles = [u for u in units if not u["section"] or not u["section"][0].startswith("Annex")]
        annexes = [u for u in units if u not in articles]
        chosen = rng.sample(articles, per_treaty_random)
        chosen += rng.sample(annexes, min(per_treaty_annexes, len(annexes)))
        support = [
            u for u in articles
            if u not in chosen and u["section"]
            and u["section"][0].split()[-1] in SUPPORT_ARTICLES.get(path.stem, ())
        ]
        for unit in chosen:
            unit["stratum"] = "random"
        for unit in rng.sample(support, per_treaty_support):
            unit["stratum"] = "support"
            chosen.append(unit)
        for unit in chosen:
            unit["id"] = f"{path.stem}:{unit['paragraph']}"
            unit["themes"] = []
            sample.append(unit)
    if report_units:
        relative, symbol, title = REPORT
        units = [u for u in split_report(SHARED / "corpus" / relative, symbol, title)
                 if len(u["text"]) >= 60 and f"{symbol}:{u['paragraph']}" not in exclude]
        for unit in rng.sample(units, report_units):
            unit["id"] = f"{symbol}:{unit['paragraph']}"
            unit["stratum"] = "report"
            unit["themes"] = []
            sample.append(unit)
    return sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--vocabulary", type=Path, default=None)
    parser.add_argument("--errors", action="store_true", help="list each unit the tagger got wrong")
    parser.add_argument("--draft", type=Path, help="write a new treaty sample to annotate, then stop")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--heldout", action="store_true",
                        help="with --draft: the held-out sample (treaties and a UN report, "
                        "excluding units already in the gold file)")
    args = parser.parse_args(argv)
    if args.draft and args.heldout:
        exclude = {e["id"] for e in load_gold(args.gold)} if args.gold.exists() else set()
        units = draft(per_treaty_random=4, per_treaty_annexes=0, per_treaty_support=2,
                      report_units=24, seed=args.seed, exclude=exclude)
        args.draft.write_text(json.dumps({"units": units}, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {len(units)} units to {args.draft}")
        return 0
    if args.draft:
        units = draft(per_treaty_random=6, per_treaty_annexes=1, per_treaty_support=4,
                      report_units=0, seed=args.seed)
        args.draft.write_text(json.dumps({"units": units}, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {len(units)} units to {args.draft}")
        return 0
    gold = load_gold(args.gold)
    vocabulary = load_vocabulary(args.vocabulary)
    for name in ("tuning", "heldout", None):
        subset = [e for e in gold if name is None or e.get("set") == name]
        print(f"== {name or 'all'}: ", end="")
        print_report(evaluate(subset, vocabulary), args.errors and name is not None, subset)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
