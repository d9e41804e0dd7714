"""Two minimal engines over the same records, to put our search's numbers in context.

- ``tantivy`` (the ``tantivy`` package, bench extra only): ``text`` and
  ``heading`` with the ``en_stem`` tokenizer, facets as raw multi-valued fast
  fields, everything shown stored; the query parsed with ``parse_query`` (words
  ANDed), filters as boolean term queries, top 10 with ``SnippetGenerator``
  excerpts, facet counts from a terms aggregation per facet.
- ``sqlite``: stdlib ``sqlite3``, an FTS5 table (porter tokenizer) holding the
  text, bm25 ordering, ``snippet()`` excerpts, facet counts by GROUP BY over a
  side table of (facet, value, id) joined to the matched ids.

Both answer the request ``SearchService.search`` answers: total, 10 hits with
excerpts, and the counts of every value of every facet, each facet counted with
the other facets' filters but not its own. Neither knows our query language
(acronyms, citations, exact symbols): a query is reduced to its words, a run of
several tokens in one word (``INC.1/9``) or in quotes becoming a phrase.
"""
from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

from bench.scale_corpus import read_records
from indexer.facets import FACET_NAMES

FACETS = FACET_NAMES
# More than any facet has values: every count is returned, as ours does.
ALL_VALUES = 1_000_000
EXCERPT_CHARACTERS = 360
_CLAUSE = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def clauses(query: str) -> list[tuple[str, ...]]:
    """The query as clauses to AND: one token is a word, several are a phrase."""
    found = []
    for match in _CLAUSE.finditer(query or ""):
        text = match.group(1) if match.group(1) is not None else match.group(2)
        if text in ("AND",):
            continue
        tokens = tuple(t.lower() for t in _WORD.findall(text))
        if tokens:
            found.append(tokens)
    return found


def facet_values(record: dict, facet: str) -> list[str]:
    """The values a record (``indexer.index.records.record_to_json``) holds for a facet."""
    return [v for v in record["facets"][facet] if v]


def heading(record: dict) -> str:
    """The section path of a record's unit, as one text."""
    return " ".join(json.loads(record["data"])["section"])


def _stored(record: dict) -> bytes:
    data = json.loads(record["data"])
    return json.dumps({"uid": record["uid"], "citation": data["citation"]}).encode()


# -- tantivy --------------------------------------------------------------------


class Tantivy:
    name = "tantivy"

    @staticmethod
    def schema():
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("uid", stored=True, tokenizer_name="raw")
        builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("heading", stored=False, tokenizer_name="en_stem")
        for facet in FACETS:
            builder.add_text_field(facet, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
        builder.add_bytes_field("data", stored=True, indexed=False)
        return builder.build()

    @classmethod
    def build(cls, records: Path, target: Path, threads: int = 2, heap_mb: int = 512) -> dict:
        import tantivy

        target.mkdir(parents=True)
        index = tantivy.Index(cls.schema(), path=str(target))
        started = time.monotonic()
        writer = index.writer(heap_size=heap_mb * 2**20, num_threads=threads)
        count = 0
        for record in read_records(records):
            document = tantivy.Document()
            document.add_text("uid", record["uid"])
            document.add_text("text", record["text"])
            document.add_text("heading", heading(record))
            for facet in FACETS:
                for value in facet_values(record, facet):
                    document.add_text(facet, value)
            document.add_bytes("data", _stored(record))
            writer.add_document(document)
            count += 1
        added = time.monotonic()
        writer.commit()
        writer.wait_merging_threads()
        finished = time.monotonic()
        return {"units": count, "add_seconds": added - started, "commit_seconds": finished - added,
                "seconds": finished - started, "writer": {"heap_mb": heap_mb, "threads": threads}}

    def __init__(self, target: Path):
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(target))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def search(self, request) -> dict:
        """Total, top 10 with snippets, every facet's counts for a bench Request."""
        query, filters = request.query, request.filters
        t = self.tantivy
        Occur, Query = t.Occur, t.Query
        parts = []
        for tokens in clauses(query):
            parts.append(" ".join(tokens) if len(tokens) == 1 else '"' + " ".join(tokens) + '"')
        if parts:
            text_query = self.index.parse_query(" ".join(parts), ["text", "heading"], conjunction_by_default=True)
        else:
            text_query = Query.all_query()
        filter_queries = {
            facet: Query.boolean_query([(Occur.Should, Query.term_query(self.schema, facet, v)) for v in values])
            for facet, values in filters.items()
        }

        def combined(skip=None):
            musts = [(Occur.Must, text_query)]
            musts += [(Occur.Must, q) for name, q in filter_queries.items() if name != skip]
            return musts[0][1] if len(musts) == 1 else Query.boolean_query(musts)

        final = combined()
        result = self.searcher.search(final, 10, count=True)
        snippets = t.SnippetGenerator.create(self.searcher, text_query, self.schema, "text") if parts else None
        if snippets is not None:
            snippets.set_max_num_chars(EXCERPT_CHARACTERS)
        hits = []
        for score, address in result.hits:
            document = self.searcher.doc(address)
            data = json.loads(bytes(document.get_first("data")))
            excerpt = snippets.snippet_from_doc(document).to_html() if snippets else document.get_first("text")[:EXCERPT_CHARACTERS]
            hits.append({"uid": data["uid"], "citation": data["citation"], "score": score, "excerpt": excerpt})
        facets = {}
        for facet in FACETS:
            answer = self.searcher.aggregate(
                combined(skip=facet), {"values": {"terms": {"field": facet, "size": ALL_VALUES}}}
            )
            buckets = answer["values"]["buckets"]
            facets[facet] = sorted(((b["key"], b["doc_count"]) for b in buckets), key=lambda kv: (-kv[1], kv[0]))
        return {"total": result.count, "hits": hits, "facets": facets}


# -- SQLite FTS5 ------------------------------------------------------------------


class SQLite:
    name = "sqlite"

    @classmethod
    def build(cls, records: Path, target: Path) -> dict:
        target.mkdir(parents=True)
        connection = sqlite3.connect(target / "index.sqlite")
        connection.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -262144;
            CREATE TABLE units (id INTEGER PRIMARY KEY, uid TEXT, document TEXT, ord INTEGER, data BLOB);
            CREATE VIRTUAL TABLE fts USING fts5(text, heading, tokenize = 'porter unicode61');
            CREATE TABLE facets (facet TEXT, value TEXT, id INTEGER);
            """
        )
        started = time.monotonic()
        count = 0
        batch_units, batch_text, batch_facets = [], [], []

        def flush():
            connection.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?)", batch_units)
            connection.executemany("INSERT INTO fts (rowid, text, heading) VALUES (?, ?, ?)", batch_text)
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?)", batch_facets)
            batch_units.clear(), batch_text.clear(), batch_facets.clear()

        with connection:
            for record in read_records(records):
                count += 1
                batch_units.append((count, record["uid"], record["document"], record["order"], _stored(record)))
                batch_text.append((count, record["text"], heading(record)))
                for facet in FACETS:
                    batch_facets.extend((facet, value, count) for value in facet_values(record, facet))
                if len(batch_units) >= 5000:
                    flush()
            flush()
        added = time.monotonic()
        with connection:
            connection.execute("CREATE INDEX facets_by_value ON facets (facet, value, id)")
            connection.execute("CREATE INDEX facets_by_id ON facets (id, facet, value)")
            connection.execute("CREATE INDEX units_by_order ON units (document, ord)")
            connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        connection.execute("ANALYZE")
        connection.close()
        finished = time.monotonic()
        return {"units": count, "add_seconds": added - started, "commit_seconds": finished - added,
                "seconds": finished - started, "writer": {"batch": 5000}}

    def __init__(self, target: Path):
        self.connection = sqlite3.connect(target / "index.sqlite", check_same_thread=False)
        self.connection.executescript(
            """
            PRAGMA cache_size = -131072;
            PRAGMA temp_store = MEMORY;
            CREATE TEMP TABLE matched (id INTEGER PRIMARY KEY);
            """
        )

    def search(self, request) -> dict:
        """Total, top 10 with snippets, every facet's counts for a bench Request."""
        query, filters = request.query, request.filters
        db = self.connection
        match = " ".join('"' + " ".join(tokens) + '"' for tokens in clauses(query))

        def restriction(skip=None, column="m.id"):
            sql, params = [], []
            for facet, values in filters.items():
                if facet == skip:
                    continue
                marks = ", ".join("?" * len(values))
                sql.append(f"{column} IN (SELECT id FROM facets WHERE facet = ? AND value IN ({marks}))")
                params += [facet, *values]
            return sql, params

        db.execute("DELETE FROM matched")
        if match:
            db.execute("INSERT INTO matched SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
        else:
            db.execute("INSERT INTO matched SELECT id FROM units")
        where, params = restriction()
        total = db.execute(
            "SELECT count(*) FROM matched m" + (" WHERE " + " AND ".join(where) if where else ""), params
        ).fetchone()[0]

        if match:
            # "+rowid": a rowid constraint handed to FTS5 makes it look every id up
            # (seconds for a common word); as a plain expression it filters the matches.
            where, params = restriction(column="+fts.rowid")
            rows = db.execute(
                "SELECT fts.rowid, snippet(fts, 0, '<mark>', '</mark>', ' … ', 48), bm25(fts) FROM fts"
                " WHERE fts MATCH ?" + "".join(" AND " + w for w in where) + " ORDER BY bm25(fts) LIMIT 10",
                [match, *params],
            ).fetchall()
        else:
            where, params = restriction(column="u.id")
            rows = db.execute(
                "SELECT u.id, substr(fts.text, 1, ?), NULL FROM units u JOIN fts ON fts.rowid = u.id"
                + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY u.document, u.ord LIMIT 10",
                [EXCERPT_CHARACTERS, *params],
            ).fetchall()
        hits = []
        for rowid, excerpt, score in rows:
            data = json.loads(db.execute("SELECT data FROM units WHERE id = ?", (rowid,)).fetchone()[0])
            hits.append({"uid": data["uid"], "citation": data["citation"], "score": score, "excerpt": excerpt})

        facets = {}
        for facet in FACETS:
            where, params = restriction(skip=facet)
            rows = db.execute(
                "SELECT f.value, count(*) FROM matched m JOIN facets f ON f.id = m.id AND f.facet = ?"
                + "".join(" AND " + w for w in where) + " GROUP BY f.value",
                [facet, *params],
            ).fetchall()
            facets[facet] = sorted(rows, key=lambda kv: (-kv[1], kv[0]))
        return {"total": total, "hits": hits, "facets": facets}


ENGINES = {"tantivy": Tantivy, "sqlite": SQLite}
