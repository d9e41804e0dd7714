"""References resolved against the real index, and "cited by" as their exact reverse."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from tests.conftest import SEED_SYMBOL

BASEL_14_1 = "Basel Convention#art14.1"

SEED_REFERENCES = [
    # (paragraph, reference as written, status, uid or symbol it leads to, target named)
    pytest.param("1", "UNEP(DTIE)/Hg/OEWG.2/10", "missing", None, "UNEP(DTIE)/Hg/OEWG.2/10", id="p1-missing-report"),
    pytest.param("3", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p3-missing-note"),
    pytest.param("7", "Paragraph 1 of article 14 of the Basel Convention on the Control of Transboundary "
                 "Movements of Hazardous Wastes and their Disposal", "unit", BASEL_14_1, "Basel Convention",
                 id="p7-named-treaty-paragraph"),
    # The section is about the Basel Convention: a bare article is its article (first paragraph).
    pytest.param("8", "article 14", "unit", BASEL_14_1, "Basel Convention", id="p8-bare-article-of-section"),
    pytest.param("9", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p9-missing-note"),
    # "the Protocol" under a Multilateral Fund heading is the fund's parent, the Montreal Protocol.
    pytest.param("13", "paragraph 1 of article 5 of the Protocol", "unit", "Montreal Protocol#art5.1",
                 "Montreal Protocol", id="p13-the-protocol"),
    pytest.param("15", "decision II/8", "missing", None, "decision II/8", id="p15-decision-missing"),
    pytest.param("15", "article 10 of the Protocol", "unit", "Montreal Protocol#art10.1", "Montreal Protocol",
                 id="p15-article-of-the-protocol"),
    pytest.param("19", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p19-missing-note"),
    pytest.param("21", "Article 16", "unit", "Rotterdam Convention#art16", "Rotterdam Convention",
                 id="p21-article-of-section"),
    pytest.param("21", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p21-missing-note"),
    pytest.param("22", "Paragraph 4 of article 12 of the Stockholm Convention on Persistent Organic Pollutants",
                 "unit", "Stockholm Convention#art12.4", "Stockholm Convention", id="p22-named-treaty-paragraph"),
    # No instrument named: the instrument of the surrounding text.
    pytest.param("23", "paragraph 4 of article 12", "unit", "Stockholm Convention#art12.4", "Stockholm Convention",
                 id="p23-paragraph-of-article-in-context"),
    pytest.param("23", "decisions SC-1/15 and SC-2/9", "missing", None, "decision SC-1/15", id="p23-decision-list-1"),
    pytest.param("23", "decisions SC-1/15 and SC-2/9", "missing", None, "decision SC-2/9", id="p23-decision-list-2"),
    pytest.param("23", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p23-missing-note"),
    # "the Convention" in a section about climate technology is the UNFCCC.
    pytest.param("29", "paragraph 5 of article 4 of the Convention", "unit", "UNFCCC#art4.5",
                 "United Nations Framework Convention on Climate Change", id="p29-the-convention"),
    pytest.param("35", "UNEP(DTIE)/Hg/INC.1/9", "missing", None, "UNEP(DTIE)/Hg/INC.1/9", id="p35-missing-note"),
    pytest.param("fn-star", "UNEP(DTIE)/Hg/INC.1/1", "missing", None, "UNEP(DTIE)/Hg/INC.1/1", id="footnote-missing"),
]


@pytest.mark.parametrize("paragraph, text, status, where, target", SEED_REFERENCES)
def test_seed_reference_resolves(service, paragraph, text, status, where, target):
    view = service.paragraph(SEED_SYMBOL, paragraph)
    found = [r for r in view.references if r.text == text and r.target == target]
    assert len(found) == 1, [(r.text, r.target) for r in view.references]
    ref = found[0]
    assert ref.status == status
    if status == "unit":
        assert ref.uid == where
    elif status == "document":
        assert ref.symbol == where and ref.uid is None
    else:
        assert ref.uid is None and ref.symbol is None


def test_seed_has_every_reference_in_the_table(service):
    listed = Counter((p.values[0], p.values[1], p.values[4]) for p in SEED_REFERENCES)
    found = Counter()
    for unit in service.document(SEED_SYMBOL).units:
        for ref in service.paragraph(SEED_SYMBOL, unit.paragraph).references:
            found[(unit.paragraph, ref.text, ref.target)] += 1
    assert found == listed


def _all_units(service):
    for symbol, _title, _units in service.documents():
        yield from service.document(symbol).units


def _all_resolutions(service):
    for unit in _all_units(service):
        yield unit.uid, service.references(unit.symbol, unit.paragraph)


def test_reference_counts_over_the_corpus(service):
    statuses = Counter(r.status for _uid, refs in _all_resolutions(service) for r in refs)
    print(f"\nreferences found {sum(statuses.values())}: to a unit {statuses['unit']},"
          f" to a document only {statuses['document']}, to nothing {statuses['missing']}")
    assert statuses["unit"] and statuses["missing"]


def test_cited_by_equals_brute_force_count(service):
    citing = defaultdict(set)
    for uid, refs in _all_resolutions(service):
        for ref in refs:
            if ref.uid and ref.uid != uid:
                citing[ref.uid].add(uid)
    assert citing, "no reference of the corpus resolves to a unit"
    uncited = [unit.uid for unit in list(_all_units(service))[::97]]
    for target in sorted(citing) + [u for u in uncited if u not in citing]:
        symbol, _, paragraph = target.rpartition("#")
        view = service.paragraph(symbol, paragraph, cited_per_page=100)
        assert view.cited_by_total == len(citing[target]), target
        assert {h.uid for h in view.cited_by} == citing[target], target


def test_cited_by_is_paged(service):
    whole = service.paragraph("Basel Convention", "art14.1", cited_per_page=100)
    assert whole.cited_by_total >= 2
    pages = [service.paragraph("Basel Convention", "art14.1", cited_page=n, cited_per_page=1)
             for n in range(1, whole.cited_by_total + 1)]
    assert [p.cited_by[0].uid for p in pages] == [h.uid for h in whole.cited_by]
    assert all(p.cited_by_total == whole.cited_by_total for p in pages)
    assert f"{SEED_SYMBOL}#7" in {h.uid for h in whole.cited_by}
