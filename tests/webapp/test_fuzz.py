"""Generated queries and parameters against the API: never a 500, never slow.

Each request is timed; a request over a second fails the test. The time is
the CPU time of the thread serving it (the test client answers in this
thread), so other processes loading the machine cannot fail the test while
real work of a second or more still does. Hypothesis
mixes the query language (operators, quotes, parentheses), document symbols,
unicode, control characters and very long strings with good and bad paging,
sorting and facet parameters.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SLOW = 1.0  # seconds

VOCABULARY = [
    "mercury", "regional", "centres", "centers", "waste", "Basel", "Stockholm", "technology",
    "transfer", "capacity-building", "financial", "mechanism", "ODS", "POPs", "the", "of", "shall",
    "UNEP(DTIE)/Hg/INC.1/9", "UNEP(DTIE)/Hg/INC.1/10", "INC.1/10", "para", "para.", "14(a)", "art.",
    "article", "14", "Basel art. 14", "OR", "AND", "NOT", "or", "-waste", "-", "(", ")", '"', "'",
    "*", "?", "~", "^", "\\", "/", ":", "text:mercury", "[", "]", "{", "}", "<", ">", "&", "%",
    "régional", "Übereinkommen", "水銀", "ртуть", "زئبق", "🧪", "\u200b", "\ufeff", "\u202e",
]
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
TOKEN = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(max_size=12),
    st.text(alphabet=CONTROL, min_size=1, max_size=3),
    st.sampled_from(VOCABULARY).map(lambda w: f'"{w}'),
    st.sampled_from(VOCABULARY).map(lambda w: f"({w}"),
)
QUERY = st.one_of(
    st.lists(TOKEN, max_size=14).map(" ".join),
    st.lists(TOKEN, max_size=14).map("".join),
    st.text(max_size=120),
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(VOCABULARY), st.integers(40, 260)),
    st.text(min_size=900, max_size=1100),
    st.just(""),
    # nested parentheses: 244 levels raised RecursionError (a 500) on every endpoint
    st.integers(0, 500).map(lambda n: "(" * n + "x" + ")" * n),
    st.integers(0, 330).map(lambda n: "( " * n + "mercury" + " )" * n),
    st.integers(0, 330).map(lambda n: "(" * n + "mercury"),
    # long misspelt queries: every word sent to the spelling corrector
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(["merkury", "emisions", "centers"]),
              st.integers(20, 140)),
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=40), min_size=20,
             max_size=120).map(" ".join),
    st.text(alphabet="merkuy", min_size=200, max_size=1000),
)
# Every endpoint that takes q.
Q_ENDPOINTS = ["/", "/api/search", "/compare", "/api/compare", "/export.csv", "/export.md"]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")
NUMBER = st.one_of(
    st.none(),
    st.integers(-3, 12).map(str),
    st.integers(90, 120).map(str),
    st.integers(9_990, 10_010).map(str),
    st.sampled_from(["", " ", "1.5", "abc", "1e3", "٣", "0x10", "99999999999999999999"]),
)
SORT = st.one_of(st.none(), st.sampled_from(["relevance", "document", "", "date", "RELEVANCE", "score"]))
FACET_NAME = st.sampled_from(["instrument", "theme", "document", "year", "colour", "q", "page", "group"])
FACET_VALUE = st.one_of(
    st.sampled_from(["basel", "stockholm", "minamata", "rotterdam", "montreal", "paris", "regional-centres",
                     "technology-transfer", "UNEP(DTIE)/Hg/INC.1/10", "2010", "1989", "", "nope"]),
    st.text(max_size=30),
)


@pytest.fixture(scope="module", autouse=True)
def warm(app):
    """Load the index generation once, so the first timed request is not the one paying for it."""
    app.test_client().get("/api/search?q=mercury")


def request_pairs(draw_query, page, per_page, sort, facets, group):
    pairs = [("q", draw_query)]
    for name, value in (("page", page), ("per_page", per_page), ("sort", sort), ("group", group)):
        if value is not None:
            pairs.append((name, value))
    pairs.extend(facets)
    return pairs


def check(client, path, pairs):
    started = time.thread_time()
    response = client.get(path, query_string=pairs)
    elapsed = time.thread_time() - started
    assert response.status_code in (200, 400), (response.status_code, pairs, response.data[:300])
    assert all(name in response.headers for name in SECURITY_HEADERS), dict(response.headers)
    if path.startswith("/api/"):
        body = response.get_json()
        if response.status_code == 400:
            assert set(body) == {"error"} and body["error"]["status"] == 400 and body["error"]["message"]
        else:
            assert "error" not in body
    assert elapsed < SLOW, (elapsed, pairs)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    query=QUERY,
    page=NUMBER,
    per_page=NUMBER,
    sort=SORT,
    facets=st.lists(st.tuples(FACET_NAME, FACET_VALUE), max_size=4),
    group=st.one_of(st.none(), st.sampled_from(["1", "0", "x"])),
)
def test_api_search_never_fails_and_answers_within_a_second(app, query, page, per_page, sort, facets, group):
    check(app.test_client(), "/api/search", request_pairs(query, page, per_page, sort, facets, group))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(Q_ENDPOINTS),
    query=QUERY,
    facets=st.lists(st.tuples(FACET_NAME, FACET_VALUE), max_size=3),
)
def test_pages_never_fail_and_answer_within_a_second(app, path, query, facets):
    check(app.test_client(), path, [("q", query), *facets])


@pytest.mark.parametrize("path", Q_ENDPOINTS)
@pytest.mark.parametrize(
    "query",
    [
        pytest.param("(" * 244 + "x" + ")" * 244, id="244-nested-parentheses"),
        pytest.param(" ".join(["merkury"] * 101), id="too-many-terms"),
    ],
)
def test_too_complex_queries_are_a_400_naming_the_limit(client, path, query):
    response = client.get(path, query_string={"q": query})
    assert response.status_code == 400
    text = response.get_json()["error"]["message"] if path.startswith("/api/") else response.get_data(as_text=True)
    assert "at most 20 levels" in text or "at most 100 are allowed" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("path", Q_ENDPOINTS)
def test_a_long_misspelt_query_is_answered(client, path):
    started = time.thread_time()
    # 90 misspelt words in 800 characters, under the term and length limits
    response = client.get(path, query_string={"q": " ".join(["merkurie", "emisions"] * 45)})
    assert response.status_code == 200
    assert time.thread_time() - started < SLOW
