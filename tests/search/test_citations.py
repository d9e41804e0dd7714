"""Citation queries and paragraph slugs."""
import pytest

from indexer.search.citations import CitationQuery, document_matches, paragraph_slug, parse_citation


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("UNEP(DTIE)/Hg/INC.1/10 para 8", CitationQuery("UNEP(DTIE)/Hg/INC.1/10", "8"), id="full-symbol"),
        pytest.param("UNEP(DTIE)/Hg/INC.1/10, para. 14 (a)", CitationQuery("UNEP(DTIE)/Hg/INC.1/10", "14(a)"), id="as-copied"),
        pytest.param("INC.1/10 para. 14(a)", CitationQuery("INC.1/10", "14(a)"), id="partial-symbol"),
        pytest.param("INC.1/10 paragraph 14 (A)", CitationQuery("INC.1/10", "14(a)"), id="upper-letter"),
        pytest.param("A/RES/77/321 preambular para 3", CitationQuery("A/RES/77/321", "pp3"), id="preambular"),
        pytest.param("Basel art. 14", CitationQuery("Basel", article="14"), id="article"),
        pytest.param("Basel Convention article 14, paragraph 1", CitationQuery("Basel Convention", article="14", article_paragraph="1"), id="article-paragraph"),
        pytest.param("art. 14(1) Basel Convention", CitationQuery("Basel Convention", article="14", article_paragraph="1"), id="article-first"),
        pytest.param("article 14 of the Basel Convention", CitationQuery("Basel Convention", article="14"), id="article-of"),
        pytest.param("regional centres", None, id="plain-words"),
        # Too many words before "para" to be a document name.
        pytest.param("the regional centres of the basel para 8", None, id="sentence-not-citation"),
    ],
)
def test_parse_citation(text, expected):
    assert parse_citation(text) == expected


@pytest.mark.parametrize(
    "citation, ids",
    [
        (CitationQuery("x", "14(a)"), ["14(a)"]),
        (CitationQuery("x", article="14", article_paragraph="1"), ["art14.1"]),
        (CitationQuery("x", article="14"), ["art14", "art14.1"]),
    ],
)
def test_unit_ids(citation, ids):
    assert citation.unit_ids() == ids


@pytest.mark.parametrize(
    "paragraph, slug",
    [("8", "para-8"), ("14(a)", "para-14a"), ("14(a)(ii)", "para-14a-ii"), ("pp3", "para-pp3"), ("art14.1", "para-art14-1")],
)
def test_paragraph_slug(paragraph, slug):
    assert paragraph_slug(paragraph) == slug


@pytest.mark.parametrize(
    "hint, symbol, title, score",
    [
        ("UNEP(DTIE)/Hg/INC.1/10", "UNEP(DTIE)/Hg/INC.1/10", "", 3),
        ("inc.1/10", "UNEP(DTIE)/Hg/INC.1/10", "", 2),
        # INC.1/1 must not pick INC.1/10.
        ("INC.1/1", "UNEP(DTIE)/Hg/INC.1/10", "", 0),
        ("Basel", "Basel Convention", "Basel Convention on the Control ...", 1),
        ("Stockholm", "Basel Convention", "Basel Convention on the Control ...", 0),
    ],
)
def test_document_matches(hint, symbol, title, score):
    assert document_matches(hint, symbol, title) == score
