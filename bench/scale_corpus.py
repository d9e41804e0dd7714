"""Scale corpora for the search benchmark: N units derived from the real documents.

The real corpus (``../shared/corpus`` beside the repository unless ``--corpus`` says otherwise) is
extracted and tagged once with the indexer's own code and cached in
``bench/out/real-corpus.json``. From it, N index records are made:

- every real document once, as it is (so citations such as
  ``UNEP(DTIE)/Hg/INC.1/10 para 8`` resolve at every size);
- then derived documents until N units: a window of a real document's units
  (same paragraph ids, kinds, sections), under a new symbol (the real symbol
  with its session and number parts rewritten, or a symbol of the instrument's
  own series: ``UNEP/CHW.12/5``, ``FCCC/CP/2019/4``...), a date spread over
  1990-2026, and each paragraph's text recombined from real sentences of the
  same instrument (about a third of them kept in place), so paragraph lengths
  and term statistics stay those of real documents rather than copies.

Tags of a derived unit are those of its sentences (each sentence of the real
corpus is tagged once, with the real unit's instrument) plus those its
section headings give, which is what tagging the new text would give, at a
fraction of the cost.

Records are written once per N to ``bench/out/records-N.jsonl`` (the same
records feed every engine) and each engine's index is built by
``python -m bench.scale_corpus build --units N --engine whoosh|tantivy|sqlite``
in its own process, so its peak RSS is its own. Whoosh indexes go into a
generation of ``bench/out/index-N/whoosh`` through ``indexer.storage.generations`` exactly
as ``indexer.index.build`` lays them out, so ``SearchService`` and the web app open
them unchanged.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
# The reference corpus sits beside the repository (../shared/corpus).
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REAL_CACHE = OUT / "real-corpus.json"
CACHE_FORMAT = 1
SEED = 20240611
YEARS = range(1990, 2027)
# Share of a derived paragraph's sentences kept from the real paragraph it derives from.
KEEP_SENTENCE = 0.35
# Share of a derived paragraph's sentences spliced with another sentence of the
# same instrument at a word both share ("... the Parties shall" + "shall report on ...").
SPLICE = 0.8
# Derived documents: a window of this many units of a longer real document.
WINDOW = (25, 220)

# Symbol series of each instrument's bodies, for derived documents whose real
# symbol has nothing to rewrite (treaty texts) and for variety. {s} session,
# {n} number, {y} year.
SERIES = {
    "basel": ["UNEP/CHW.{s}/{n}", "UNEP/CHW/OEWG.{s}/{n}"],
    "rotterdam": ["UNEP/FAO/RC/COP.{s}/{n}", "UNEP/FAO/RC/CRC.{s}/{n}"],
    "stockholm": ["UNEP/POPS/COP.{s}/{n}", "UNEP/POPS/POPRC.{s}/{n}"],
    "minamata": ["UNEP(DTIE)/Hg/INC.{s}/{n}", "UNEP/MC/COP.{s}/{n}"],
    "montreal": ["UNEP/OzL.Pro.{s}/{n}", "UNEP/OzL.Pro.WG.1/{s}/{n}"],
    "multilateral-fund": ["UNEP/OzL.Pro/ExCom/{s}/{n}"],
    "vienna": ["UNEP/OzL.Conv.{s}/{n}"],
    "unfccc": ["FCCC/CP/{y}/{n}", "FCCC/SBI/{y}/{n}", "FCCC/SBSTA/{y}/{n}"],
    "paris": ["FCCC/PA/CMA/{y}/{n}", "FCCC/ADP/{y}/{n}"],
    "kyoto": ["FCCC/KP/CMP/{y}/{n}"],
    "bbnj": ["A/AC.296/{y}/{n}", "A/CONF.232/{y}/{n}"],
    "cbd": ["UNEP/CBD/COP/{s}/{n}", "CBD/SBSTTA/{s}/{n}"],
}
DEFAULT_SERIES = ["UNEP/EA.{s}/{n}", "UNEP/GC.{s}/{n}"]
_NUMBER = re.compile(r"\d+")
_SPLICE_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def out_dir() -> Path:
    """Where caches, indexes and results go (git-ignored)."""
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


def cpu_seconds() -> float:
    """CPU time used by this process and its finished children, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class DescendantSampler:
    """Peak resident memory and CPU time of this process's descendants (the
    writing processes of a parallel build, which are children of a fork
    server, so ``RUSAGE_CHILDREN`` never counts them), sampled from /proc."""

    INTERVAL_SECONDS = 0.5

    def __init__(self):
        import threading

        self.peak_each_mb = 0.0  # the largest descendant at any sample
        self.peak_sum_mb = 0.0  # all descendants together at any sample
        self._cpu: dict[int, float] = {}  # pid -> CPU seconds at its last sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _descendants() -> dict[int, list[str]]:
        """pid -> the fields of /proc/<pid>/stat after the command name, of every descendant."""
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # ended meanwhile
        children: dict[int, list[int]] = {}
        for pid, fields in stats.items():
            children.setdefault(int(fields[1]), []).append(pid)
        found, frontier = {}, [os.getpid()]
        while frontier:
            for child in children.get(frontier.pop(), ()):
                found[child] = stats[child]
                frontier.append(child)
        return found

    def _sample(self) -> None:
        ticks, page_mb = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE") / 2**20
        total = 0.0
        for pid, fields in self._descendants().items():
            rss = int(fields[21]) * page_mb
            self._cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
            self.peak_each_mb = max(self.peak_each_mb, rss)
            total += rss
        self.peak_sum_mb = max(self.peak_sum_mb, total)

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL_SECONDS):
            self._sample()

    def __enter__(self) -> "DescendantSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the descendants up to their last sample (a process that
        ended is counted until then)."""
        return sum(self._cpu.values())


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the real corpus, extracted and tagged once --------------------------------


def _corpus_fingerprint(files: list[Path]) -> str:
    from indexer.index.build import extractor_version
    from indexer.tagging.vocabulary import load_vocabulary

    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT} {extractor_version()} {load_vocabulary().fingerprint}".encode())
    for path in files:
        info = path.stat()
        digest.update(f"{path} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_real_corpus(corpus: Path = DEFAULT_CORPUS, progress=print) -> dict:
    """The real documents with tagged units and a tagged sentence pool (cached)."""
    from indexer.index.build import collect_files

    files, problems = collect_files([corpus])
    fingerprint = _corpus_fingerprint(files)
    if REAL_CACHE.exists():
        cached = json.loads(REAL_CACHE.read_text(encoding="utf-8"))
        if cached.get("fingerprint") == fingerprint:
            return cached
    progress(f"extracting and tagging {len(files)} files of {corpus} (once; cached in {REAL_CACHE})")
    started = time.monotonic()
    corpus_data = _extract_and_tag(files)
    corpus_data["failed"] += [list(p) for p in problems]
    corpus_data["fingerprint"] = fingerprint
    corpus_data["seconds"] = round(time.monotonic() - started, 1)
    out_dir()
    REAL_CACHE.write_text(json.dumps(corpus_data, ensure_ascii=False), encoding="utf-8")
    units = sum(len(d["units"]) for d in corpus_data["documents"])
    progress(f"  {len(corpus_data['documents'])} documents, {units} units, "
             f"{len(corpus_data['sentences'])} sentences in {corpus_data['seconds']} s")
    for path, reason in corpus_data["failed"]:
        progress(f"  failed: {path}: {reason}")
    return corpus_data


def _extract_and_tag(files: list[Path]) -> dict:
    from indexer.units.extract import extract_document
    from indexer.models import Unit
    from indexer.text.sentences import sentence_spans, train_splitter
    from indexer.tagging.tagger import document_instrument, reference_keys, tag_document, tag_unit, unit_references
    from indexer.tagging.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    documents, failed, owners = [], [], {}
    for path in files:
        try:
            document = extract_document(path)
        except Exception as error:  # noqa: BLE001 - a bad file is reported, the rest used
            failed.append([str(path), f"{type(error).__name__}: {error}"])
            continue
        # As the build does: a symbol belongs to the first file in sort order.
        if document.symbol in owners:
            failed.append([str(path), f"duplicate of {owners[document.symbol]}"])
            continue
        owners[document.symbol] = str(path)
        documents.append(document)
    splitter = train_splitter(u.text for d in documents for u in d.units)

    out_documents, sentences = [], []
    sentence_keys: dict[tuple[str, str], int] = {}
    for document in documents:
        if not document.units:
            failed.append([document.path, "no units"])
            continue
        own = document_instrument(document.symbol, document.title, vocabulary)
        tags = tag_document(document, vocabulary)
        units = []
        for unit, unit_tags in zip(document.units, tags, strict=True):
            primary = unit_tags.primary_instrument or own or ""
            # What the headings alone give: the same unit with no text.
            heading = tag_unit(
                Unit(unit.symbol, unit.title, unit.paragraph, unit.kind, unit.section, unit.page, "",
                     unit.citation, unit.order, unit.date),
                vocabulary, own,
            )
            sentence_ids = []
            for start, end in sentence_spans(unit.text, splitter) or [(0, len(unit.text))]:
                text = unit.text[start:end].strip()
                if not text:
                    continue
                key = (primary, text)
                if key not in sentence_keys:
                    piece = Unit(unit.symbol, unit.title, unit.paragraph, unit.kind, (), unit.page, text,
                                 unit.citation, unit.order, unit.date)
                    piece_tags = tag_unit(piece, vocabulary, primary or None)
                    refs = unit_references(piece, vocabulary, primary or None)
                    sentence_keys[key] = len(sentences)
                    sentences.append({
                        "text": text,
                        "instrument": primary,
                        "instruments": list(piece_tags.instruments),
                        "themes": list(piece_tags.themes),
                        "references": list(piece_tags.references),
                        "refkeys": reference_keys(refs),
                    })
                sentence_ids.append(sentence_keys[key])
            units.append({
                "unit": asdict(unit),
                "primary": primary,
                "instruments": list(unit_tags.instruments),
                "themes": list(unit_tags.themes),
                "references": list(unit_tags.references),
                "refkeys": reference_keys(unit_references(unit, vocabulary, unit_tags.primary_instrument),
                                          document.symbol),
                "heading_instruments": list(heading.instruments),
                "heading_themes": list(heading.themes),
                "sentences": sentence_ids,
            })
        out_documents.append({
            "path": document.path,
            "symbol": document.symbol,
            "title": document.title,
            "date": document.date,
            "format": document.format,
            "page_count": document.page_count,
            "instrument": own or Counter(u["primary"] for u in units).most_common(1)[0][0],
            "units": units,
        })
    return {
        "format": CACHE_FORMAT,
        "documents": out_documents,
        "sentences": sentences,
        "theme_order": [t.id for t in vocabulary.themes],
        "failed": failed,
    }


# -- derived records -----------------------------------------------------------


class Deriver:
    """Makes index records of real and derived documents, deterministically."""

    def __init__(self, real: dict, seed: int = SEED):
        self.real = real
        self.rng = random.Random(seed)
        self.sentences = real["sentences"]
        self.theme_rank = {t: i for i, t in enumerate(real["theme_order"])}
        self.pool: dict[str, list[int]] = {}
        for number, sentence in enumerate(self.sentences):
            self.pool.setdefault(sentence["instrument"], []).append(number)
        self.templates = [d for d in real["documents"] if d["units"]]
        # Longer documents are picked more often, as they hold more of the text.
        self.weights = [len(d["units"]) ** 0.5 for d in self.templates]
        self.used_symbols = {d["symbol"] for d in self.templates}
        self.years = list(YEARS)
        # More documents in recent years, as in InforMEA.
        self.year_weights = [1.0 + (y - YEARS.start) / 10 for y in self.years]
        from indexer.models import Document

        self._document_type = Document

    def records(self, count: int) -> Iterator[dict]:
        """Exactly ``count`` records: the real documents first, then derived ones."""
        produced = 0
        for template in self.templates:
            for record in self._real_records(template):
                if produced == count:
                    return
                yield record
                produced += 1
        while produced < count:
            template = self.rng.choices(self.templates, self.weights)[0]
            for record in self._derived_records(template):
                if produced == count:
                    return
                yield record
                produced += 1

    def _real_records(self, template: dict) -> Iterator[dict]:
        from indexer.models import Unit

        document = self._document(template, template["symbol"], template["title"], template["date"])
        for entry in template["units"]:
            unit = Unit(**{**entry["unit"], "section": tuple(entry["unit"]["section"])})
            tags = self._tags(entry["primary"], entry["instruments"], entry["themes"], entry["references"])
            yield _record(document, unit, tags, entry["refkeys"])

    def _derived_records(self, template: dict) -> Iterator[dict]:
        from indexer.models import Unit

        rng = self.rng
        year = rng.choices(self.years, self.year_weights)[0]
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        symbol = self._new_symbol(template, year)
        units = template["units"]
        if len(units) > WINDOW[1]:
            size = rng.randint(*WINDOW)
            start = rng.randint(0, len(units) - size)
            units = units[start:start + size]
        title = _NUMBER.sub(lambda m: str(rng.randint(1, 30)) if len(m.group()) < 4 else str(year),
                            template["title"] or "")
        document = self._document(template, symbol, title, date)
        pool = self.pool.get(template["instrument"]) or self.pool.get(units[0]["primary"]) or [0]
        for order, entry in enumerate(units):
            real = entry["unit"]
            chosen = [
                own if rng.random() < KEEP_SENTENCE else self._pick(entry["primary"], pool)
                for own in entry["sentences"]
            ] or [self._pick(entry["primary"], pool)]
            pieces = [self._splice(self.sentences[n], entry["primary"], pool) for n in chosen]
            text = " ".join(p["text"] for p in pieces)
            instruments = [entry["primary"]] if entry["primary"] else []
            instruments += entry["heading_instruments"]
            themes = set(entry["heading_themes"])
            references, refkeys = [], []
            for piece in pieces:
                instruments += piece["instruments"]
                themes.update(piece["themes"])
                references += piece["references"]
                refkeys += piece["refkeys"]
            citation = real["citation"].replace(template["symbol"], symbol) if template["symbol"] else real["citation"]
            if symbol not in citation:
                citation = f"{symbol}, {real['paragraph']}"
            unit = Unit(
                symbol=symbol, title=title, paragraph=real["paragraph"], kind=real["kind"],
                section=tuple(real["section"]), page=real["page"], text=text, citation=citation,
                order=order, date=date,
            )
            tags = self._tags(entry["primary"], instruments,
                              sorted(themes, key=lambda t: self.theme_rank.get(t, 99)), references)
            yield _record(document, unit, tags, list(dict.fromkeys(refkeys)))

    def _splice(self, sentence: dict, instrument: str, pool: list[int]) -> dict:
        """Most of the time, the sentence up to a word it shares with another sentence
        of the instrument, and the other sentence from that word on. Its tags are
        those of the part that carries most of the text (chosen in proportion), which
        keeps the share of tagged units about what tagging the new text would give."""
        rng = self.rng
        if rng.random() >= SPLICE:
            return sentence
        first = {}
        for match in _SPLICE_WORD.finditer(sentence["text"]):
            first.setdefault(match.group().lower(), []).append(match.start())
        for _ in range(4):
            other = self.sentences[self._pick(instrument, pool)]
            shared = [m for m in _SPLICE_WORD.finditer(other["text"]) if m.group().lower() in first]
            if shared:
                break
        else:
            return sentence
        cut_other = rng.choice(shared)
        cut = rng.choice(first[cut_other.group().lower()])
        head, tail = sentence["text"][:cut], other["text"][cut_other.start():]
        carrier = sentence if rng.random() * (len(head) + len(tail)) < len(head) else other
        return {**carrier, "text": head + tail}

    def _pick(self, instrument: str, pool: list[int]) -> int:
        candidates = self.pool.get(instrument) or pool
        return candidates[self.rng.randrange(len(candidates))]

    def _new_symbol(self, template: dict, year: int) -> str:
        rng = self.rng
        real = template["symbol"] or ""
        for attempt in range(50):
            if "/" in real and _NUMBER.search(real) and rng.random() < 0.5:
                symbol = _NUMBER.sub(
                    lambda m: str(year) if len(m.group()) == 4 else str(rng.randint(1, max(30, int(m.group()) * 2))),
                    real,
                )
            else:
                pattern = rng.choice(SERIES.get(template["instrument"], DEFAULT_SERIES))
                symbol = pattern.format(s=rng.randint(1, 30), n=rng.randint(1, 60), y=year)
            if "/Add." not in symbol and (attempt > 10 or rng.random() < 0.1):
                symbol += f"/Add.{rng.randint(1, 9)}"
            if symbol not in self.used_symbols:
                self.used_symbols.add(symbol)
                return symbol
        symbol = f"{symbol}/Rev.{len(self.used_symbols)}"
        self.used_symbols.add(symbol)
        return symbol

    def _document(self, template, symbol, title, date):
        return self._document_type(
            path=f"bench:{symbol}", symbol=symbol, title=title or "", date=date,
            format=template["format"], page_count=template["page_count"], units=(),
        )

    @staticmethod
    def _tags(primary, instruments, themes, references):
        from indexer.models import Tags

        return Tags(
            primary_instrument=primary or None,
            instruments=tuple(dict.fromkeys(i for i in instruments if i)),
            themes=tuple(dict.fromkeys(themes)),
            references=tuple(dict.fromkeys(references)),
        )


def _record(document, unit, tags, refkeys) -> dict:
    """The product's index record of a unit (indexer.index.records), as JSON values."""
    from indexer.index.records import SourceInfo, record_to_json, unit_record

    return record_to_json(unit_record(document, unit, dataclasses.replace(tags, reference_keys=tuple(refkeys)),
                                      SourceInfo(path=document.path, sha256="")))


def schema_key() -> str:
    """What the records and indexes depend on in the indexer: schema and analyzer
    versions and the record's fields; a change means making them again."""
    import dataclasses as dc

    from indexer.engine.base import IndexRecord
    from indexer.storage.stamp import ANALYZER_VERSION, SCHEMA_VERSION

    fields = ",".join(sorted(f.name for f in dc.fields(IndexRecord)))
    return f"schema {SCHEMA_VERSION}, analyzer {ANALYZER_VERSION}, record fields {fields}"


def records_path(units: int) -> Path:
    return out_dir() / f"records-{units}.jsonl"


def ensure_records(units: int, corpus: Path = DEFAULT_CORPUS, progress=print) -> Path:
    """The JSONL file of N records, made when missing; returns its path."""
    path = records_path(units)
    stats_path = path.with_suffix(".stats.json")
    if path.exists() and stats_path.exists():
        if json.loads(stats_path.read_text(encoding="utf-8")).get("schema") == schema_key():
            return path
        progress(f"the index schema changed since {path.name} was made: making it again")
    real = load_real_corpus(corpus, progress)
    progress(f"deriving {units} records -> {path}")
    started = time.monotonic()
    from indexer.facets import FACET_NAMES

    counts = {facet: Counter() for facet in FACET_NAMES}
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        for record in Deriver(real).records(units):
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            for facet in FACET_NAMES:
                counts[facet].update(v for v in record["facets"][facet] if v)
    os.replace(temporary, path)
    stats = {
        "units": units,
        "schema": schema_key(),
        "seconds": round(time.monotonic() - started, 1),
        "documents": len(counts["document"]),
        "facets": {facet: dict(c.most_common()) for facet, c in counts.items() if facet != "document"},
        "top_documents": dict(counts["document"].most_common(50)),
    }
    stats_path.write_text(json.dumps(stats, indent=1), encoding="utf-8")
    progress(f"  {units} records of {stats['documents']} documents in {stats['seconds']} s")
    return path


def read_records(path: Path) -> Iterator[dict]:
    """The records of a JSONL file, in order."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def read_stats(units: int) -> dict:
    return json.loads(records_path(units).with_suffix(".stats.json").read_text(encoding="utf-8"))


# -- building an index per engine ----------------------------------------------


def index_dir(units: int, engine: str) -> Path:
    return out_dir() / f"index-{units}" / engine


def build_info_path(units: int, engine: str) -> Path:
    return out_dir() / f"index-{units}" / f"{engine}.build.json"


def build_whoosh(records: Path, target: Path, limitmb: int = 512, procs: int = 1) -> dict:
    """The product's engine writer over every record, into a new published generation
    (through the engine seam, as ``indexer.index.build`` writes)."""
    from indexer import engine as engines
    from indexer.index.build import extractor_version, trained_splitter
    from indexer.index.records import record_from_json
    from indexer.storage import generations as store
    from indexer.storage.stamp import version_stamp
    from indexer.tagging.vocabulary import load_vocabulary

    engine = engines.get("whoosh")
    name, path = store.create_generation(target)
    engine.create(path)
    count = 0
    documents = set()
    started = time.monotonic()
    writer = engine.writer(path, memory_mb=limitmb, procs=procs)
    with writer:
        for record in read_records(records):
            writer.add(record_from_json(record))
            documents.add(record["document"])
            count += 1
        added = time.monotonic()
    finished = time.monotonic()
    store.write_splitter(path, trained_splitter(engine, path))  # as a build publishes it
    stamp = version_stamp(extractor_version(), load_vocabulary().fingerprint)
    stamp.update({"engine": engine.name, "built": time.time(), "documents": len(documents), "units": count,
                  "bench": True})
    store.write_stamp(path, stamp)
    store.publish(target, name)
    return {"units": count, "add_seconds": added - started, "commit_seconds": finished - added,
            "seconds": finished - started, "writer": {"limitmb": limitmb, "procs": procs}}


def build(units: int, engine: str, **options) -> dict:
    """Build one engine's index of N records in this process; returns and saves its numbers."""
    records = ensure_records(units)
    target = index_dir(units, engine)
    if target.exists():
        import shutil

        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    before = peak_rss_mb()
    cpu_before = cpu_seconds()
    with DescendantSampler() as descendants:
        if engine == "whoosh":
            info = build_whoosh(records, target, **options)
        else:
            from bench import engines

            info = engines.ENGINES[engine].build(records, target, **options)
    info.update({
        "engine": engine,
        "schema": schema_key(),
        "units_per_second": round(info["units"] / info["seconds"], 1),
        # CPU time includes the writer's own threads (tantivy) and the writing processes
        # (Whoosh procs > 1, sampled); units per CPU second does not depend on what else
        # the machine runs.
        "cpu_seconds": round(cpu_seconds() - cpu_before + descendants.cpu_seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # The writing processes (sampled every half second): the largest, and all at once.
        "writers_peak_rss_mb": round(descendants.peak_each_mb, 1),
        "writers_peak_rss_sum_mb": round(descendants.peak_sum_mb, 1),
        "rss_before_mb": round(before, 1),
        "index_mb": round(_size_mb(target), 1),
    })
    info["units_per_cpu_second"] = round(info["units"] / max(info["cpu_seconds"], 1e-9), 1)
    build_info_path(units, engine).write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_corpus", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    records = sub.add_parser("records", help="derive N records (bench/out/records-N.jsonl)")
    records.add_argument("--units", type=int, required=True)
    records.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    built = sub.add_parser("build", help="build one engine's index of N records")
    built.add_argument("--units", type=int, required=True)
    built.add_argument("--engine", choices=("whoosh", "tantivy", "sqlite"), default="whoosh")
    built.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    built.add_argument("--limitmb", type=int, default=512, help="Whoosh writer memory (MB)")
    built.add_argument("--procs", type=int, default=1, help="Whoosh writer processes")
    args = parser.parse_args(argv)
    if args.command == "records":
        ensure_records(args.units, args.corpus)
        return 0
    ensure_records(args.units, args.corpus)
    options = {"limitmb": args.limitmb, "procs": args.procs} if args.engine == "whoosh" else {}
    info = build(args.units, args.engine, **options)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
