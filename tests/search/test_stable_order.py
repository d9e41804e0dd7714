"""Results and pages do not depend on the order a build wrote the units in.

Docnums follow the order files finish reading; equal scores are ordered by
document order (symbol, then position), so two builds of the same corpus in
different orders answer every query, page by page, the same.
"""
from __future__ import annotations

from build_helpers import MINAMATA_MD, MONTREAL_MD, PARIS_TXT, copy_files
from indexer.index.build import build_index
from indexer.search.service import SearchService

# Queries whose hits include equal scores (the same short sentence in several places).
TIED_QUERIES = ("shall", "Convention", "Article", "ozone", "Each Party shall", "")


def pages(index_dir, query, sort):
    service = SearchService(index_dir)
    found, page = [], 1
    while True:
        result = service.search(query, page=page, per_page=7, sort=sort, excerpts=False)
        found.append([(hit.uid, hit.score) for hit in result.hits])
        if page >= min(result.pages, 6):
            return result.total, found
        page += 1


def test_ties_and_pages_are_the_same_whatever_order_units_were_written(tmp_path):
    files = [MINAMATA_MD, MONTREAL_MD, PARIS_TXT]
    together = tmp_path / "together"
    copy_files(tmp_path / "all", files)
    build_index([tmp_path / "all"], together, jobs=1)
    # The same corpus written in another order: one file first, the others added later.
    apart = tmp_path / "apart"
    corpus = tmp_path / "grown"
    copy_files(corpus, [PARIS_TXT])
    build_index([corpus], apart, jobs=1)
    copy_files(corpus, [MINAMATA_MD, MONTREAL_MD])
    build_index([corpus], apart, jobs=1)

    tied = 0
    for query in TIED_QUERIES:
        for sort in ("relevance", "document"):
            first, second = pages(together, query, sort), pages(apart, query, sort)
            assert first == second, (query, sort)
            scores = [score for page in first[1] for _, score in page if score is not None]
            tied += len(scores) - len(set(scores))
    assert tied > 10, "the queries must hold ties for the test to mean anything"
