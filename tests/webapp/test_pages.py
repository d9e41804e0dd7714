"""The HTML pages over a real index: search, paragraph, document, compare, exports."""
from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from flask import url_for

from indexer.search.citations import paragraph_slug
from webapp_fixtures import MARKUP_SYMBOL, SEED_SYMBOL

FACET_INPUT = re.compile(
    r'<input type="checkbox" name="(?P<facet>\w+)" value="(?P<value>[^"]*)" form="search-form"'
    r' data-autosubmit(?P<checked> checked)?>\s*<span class="facet-label">(?P<label>.*?)</span>'
    r' <span class="count">(?P<count>\d+)<'
)


def service(app):
    return app.extensions["search_service"]


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


def facets_on(text: str) -> dict[str, dict[str, tuple[int, bool]]]:
    found: dict[str, dict[str, tuple[int, bool]]] = {}
    for m in FACET_INPUT.finditer(text):
        found.setdefault(m["facet"], {})[html.unescape(m["value"])] = (int(m["count"]), bool(m["checked"]))
    return found


def result_count(text: str) -> int:
    return int(re.search(r'<span id="result-count">(\d+)</span>', text).group(1))


def hrefs(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', text)]


def query_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


# -- search ----------------------------------------------------------------------


def test_landing_page_lists_documents_and_the_syntax_hint(client, app):
    text = page(client, "/")
    assert 'role="search"' in text and 'method="get"' in text
    assert 'words are ANDed · "exact phrase" · OR · -exclude · cite: INC.1/10 para 14(a)' in text
    for symbol, _title, _units in service(app).documents():
        assert html.escape(symbol) in text


def test_search_shows_each_hit_with_citation_copy_button_and_permalink(client, app):
    text = page(client, "/?q=regional+centres")
    result = service(app).search("regional centres")
    assert result_count(text) == result.total > 0
    with app.test_request_context():
        for hit in result.hits:
            citation = html.escape(hit.citation)
            assert f'data-copy="{citation}"' in text
            assert f">{citation}</a>" in text
            assert html.escape(url_for("views.paragraph", symbol=hit.symbol, paragraph=hit.paragraph)) in text
            assert hit.excerpt_html in text  # the highlighter's markup, unescaped
            for part in hit.section:
                assert html.escape(part) in text
    assert "<mark>" in text
    # The seed note's citation line reads as drafters write it.
    assert re.search(r">UNEP\(DTIE\)/Hg/INC\.1/10, para\. \d+", text)


def test_facet_counts_are_the_services_and_ticking_one_narrows(client, app):
    text = page(client, "/?q=regional+centres")
    shown = facets_on(text)
    result = service(app).search("regional centres")
    for facet in ("instrument", "theme", "document", "year"):
        expected = {v.value: (v.count, False) for v in result.facets[facet]}
        assert shown.get(facet, {}) == expected, facet
    assert "basel" in shown["instrument"]

    ticked = page(client, "/?q=regional+centres&instrument=basel")
    narrowed = service(app).search("regional centres", {"instrument": ["basel"]})
    assert result_count(ticked) == narrowed.total == shown["instrument"]["basel"][0]
    assert result_count(ticked) < result_count(text)
    after = facets_on(ticked)
    assert after["instrument"]["basel"][1] is True  # checked
    assert after["theme"] == {v.value: (v.count, False) for v in narrowed.facets["theme"]}
    assert after["theme"] != shown["theme"]
    # The chip removes exactly that value and keeps the query.
    chip = re.search(r'<a class="chip" href="([^"]*)" aria-label="Remove filter Instrument: Basel Convention"', ticked)
    assert chip and query_of(html.unescape(chip.group(1))) == [("q", "regional centres")]


def test_two_values_of_one_facet_are_ored(client, app):
    both = service(app).search("regional centres", {"instrument": ["basel", "stockholm"]})
    text = page(client, "/?q=regional+centres&instrument=basel&instrument=stockholm")
    assert result_count(text) == both.total
    assert "Clear all" in text


def test_works_without_javascript(client):
    text = page(client, "/?q=mercury")
    # Every control belongs to the one GET form, and the form has submit buttons.
    assert '<form id="search-form" class="searchbar" role="search" method="get" action="/">' in text
    assert re.search(r'<input type="checkbox" name="instrument" value="[^"]+" form="search-form"', text)
    assert '<select id="sort" name="sort" form="search-form"' in text
    assert '<button type="submit" form="search-form" class="apply">Apply filters</button>' in text
    # Copy buttons are hidden until the script shows them.
    assert re.search(r'<button type="button" class="copy" data-copy="[^"]+" aria-label="[^"]+" hidden>', text)


def test_did_you_mean_links_to_the_corrected_search(client, app):
    result = service(app).search("mercurry")
    assert result.suggestion
    text = page(client, "/?q=mercurry")
    assert "Did you mean" in text
    assert html.escape(f"/?q={result.suggestion}".replace(" ", "+"), quote=True) in text


def test_a_query_that_cannot_be_parsed_shows_the_services_message(client, app):
    result = service(app).search("mercury OR")
    assert result.message
    text = page(client, "/?q=mercury+OR")
    assert html.escape(result.message) in text
    assert result_count(text) == 0


def test_a_question_shows_its_closest_paragraphs_and_says_so(client, app):
    question = "Which Parties requested regional centres for mercury?"
    result = service(app).search(question)
    assert result.hits and result.message
    text = page(client, "/?q=" + question.replace(" ", "+").replace("?", "%3F"))
    assert html.escape(result.message) in text
    assert result_count(text) == result.total


def test_pagination_keeps_the_state_in_the_url(client, app):
    result = service(app).search("mercury", {"instrument": ["minamata"]}, per_page=5)
    assert result.pages > 2
    text = page(client, "/?q=mercury&instrument=minamata&per_page=5&sort=document&page=2")
    assert 'aria-label="Result pages"' in text
    assert 'aria-current="page" aria-label="Page 2"' in text
    next_link = re.search(r'<a rel="next" href="([^"]*)"', text).group(1)
    assert sorted(query_of(html.unescape(next_link))) == sorted([
        ("q", "mercury"), ("instrument", "minamata"), ("per_page", "5"), ("sort", "document"), ("page", "3"),
    ])
    assert '<ol class="hits" start="6">' in text


def test_document_order_sort(client, app):
    result = service(app).search("mercury", sort="document", per_page=20)
    text = page(client, "/?q=mercury&sort=document&per_page=20")
    positions = [text.index(f'data-copy="{html.escape(h.citation)}"') for h in result.hits]
    assert positions == sorted(positions)
    assert '<option value="document" selected>' in text


def test_grouping_by_document(client, app):
    result = service(app).search("regional centres")
    per_document = {v.value: v.count for v in result.facets["document"]}
    text = page(client, "/?q=regional+centres&group=1")
    assert '<input type="checkbox" name="group" value="1" form="search-form" data-autosubmit checked>' in text
    count = per_document[SEED_SYMBOL]
    assert f"{count} paragraph{'s' if count != 1 else ''} in this document" in text


def test_a_citation_query_puts_the_cited_paragraph_first(client, app):
    text = page(client, "/?q=INC.1/10+para+14(a)")
    first = re.search(r'data-copy="([^"]*)"', text).group(1)
    assert html.unescape(first).startswith(SEED_SYMBOL + ", para. 14")
    assert "The paragraph you cited" in text


# -- paragraph and document pages ------------------------------------------------------


def test_paragraph_page(client, app):
    view = service(app).paragraph(SEED_SYMBOL, "14(a)")
    assert view is not None
    text = page(client, "/doc/UNEP(DTIE)/Hg/INC.1/10/para/14(a)")
    assert f'<h1 id="unit-citation" class="citation">{html.escape(view.hit.citation)}</h1>' in text
    assert f'data-copy="{html.escape(view.hit.citation)}"' in text
    assert html.escape(view.hit.text) in text
    with app.test_request_context():
        for neighbour in (view.previous, view.next):
            assert neighbour is not None
            assert html.escape(url_for("views.paragraph", symbol=neighbour.symbol, paragraph=neighbour.paragraph)) in text
        for entry in view.outline:
            assert html.escape(entry.heading) in text
        for other in view.similar:
            assert html.escape(url_for("views.paragraph", symbol=other.symbol, paragraph=other.paragraph)) in text
    for heading in ("References in this paragraph", "Cited by", "Similar paragraphs in other instruments"):
        assert heading in text
    assert 'aria-label="Document outline"' in text


def test_resolved_references_are_links_and_others_plain_text(client, app):
    svc = service(app)
    view = svc.paragraph(MARKUP_SYMBOL, "3")
    resolved = [r for r in view.references if r.uid or r.symbol]
    assert resolved, view.references
    text = page(client, f"/doc/{MARKUP_SYMBOL}/para/3")
    with app.test_request_context():
        for ref in resolved:
            symbol, _, paragraph = (ref.uid or "").rpartition("#")
            target = (url_for("views.paragraph", symbol=symbol, paragraph=paragraph) if ref.uid
                      else url_for("views.document", symbol=ref.symbol))
            assert f'<a href="{html.escape(target)}">{html.escape(ref.text)}</a>' in text

    # The seed note cites INC.1/9, which is not indexed: plain text.
    unresolved = [
        (unit, ref)
        for unit in svc.document(SEED_SYMBOL).units if "UNEP(DTIE)/Hg/INC.1/9" in unit.references
        for ref in svc.paragraph(SEED_SYMBOL, unit.paragraph).references
        if ref.text == "UNEP(DTIE)/Hg/INC.1/9"
    ]
    assert unresolved
    unit, ref = unresolved[0]
    assert not (ref.uid or ref.symbol)
    text = page(client, f"/doc/{SEED_SYMBOL}/para/{unit.paragraph}")
    assert f'<li>{html.escape(ref.text)} <span class="muted">(not in the index)</span></li>' in text


def test_cited_by_lists_the_citing_paragraphs(client, app):
    view = service(app).paragraph(SEED_SYMBOL, "8")
    assert f"{MARKUP_SYMBOL}#3" in [h.uid for h in view.cited_by]
    text = page(client, f"/doc/{SEED_SYMBOL}/para/8")
    cited_by = text[text.index('id="cited-by-heading"'):text.index('id="similar-heading"')]
    with app.test_request_context():
        for other in view.cited_by:
            link = url_for("views.paragraph", symbol=other.symbol, paragraph=other.paragraph)
            assert f'<a href="{html.escape(link)}">{html.escape(other.citation)}</a>' in cited_by


def test_paragraph_urls_round_trip_for_every_kind_of_id(client, app):
    svc = service(app)
    checked = 0
    with app.test_request_context():
        for symbol, _title, _units in svc.documents():
            units = svc.document(symbol).units
            odd = [u for u in units if re.search(r"[^0-9]", u.paragraph)]
            for unit in {units[0], units[-1], *odd[:3]}:
                url = url_for("views.paragraph", symbol=symbol, paragraph=unit.paragraph)
                text = page(client, url)
                assert f'data-copy="{html.escape(unit.citation)}"' in text
                api = client.get(url_for("api.paragraph", symbol=symbol, paragraph=unit.paragraph))
                assert api.get_json()["paragraph"]["uid"] == unit.uid
                checked += 1
    assert checked > 10


def test_document_page_has_an_anchor_per_paragraph(client, app):
    view = service(app).document(SEED_SYMBOL)
    text = page(client, "/doc/UNEP(DTIE)/Hg/INC.1/10")
    assert 'id="para-14a"' in text
    for unit in view.units:
        assert f'id="{paragraph_slug(unit.paragraph)}"' in text
    for entry in view.outline:
        assert f'href="#{paragraph_slug(entry.first_paragraph)}">{html.escape(entry.heading)}</a>' in text
    assert html.escape(view.title) in text


def test_documents_page(client, app):
    text = page(client, "/documents")
    with app.test_request_context():
        for symbol, title, units in service(app).documents():
            assert html.escape(url_for("views.document", symbol=symbol)) in text


# -- compare ------------------------------------------------------------------------------


def test_compare_shows_a_column_per_instrument_and_a_linked_matrix(client, app):
    view = service(app).compare("regional centres")
    text = page(client, "/compare?q=regional+centres")
    assert len(view.columns) >= 2
    for column in view.columns:
        assert f">{html.escape(column.label)}</h3>" in text
        for hit in column.hits:
            assert f">{html.escape(hit.citation)}</a>" in text
    cells = re.findall(r'<td class="num"><a href="([^"]*)" aria-label="(\d+) paragraphs', text)
    assert cells
    for href, count in cells[:6]:
        # Each cell opens the search filtered by its instrument and theme, with the same total.
        target = page(client, html.unescape(href))
        assert result_count(target) == int(count)


def test_compare_without_words_explains_itself(client):
    assert "to see how each instrument treats them" in page(client, "/compare")


# -- exports ---------------------------------------------------------------------------------


def test_csv_export_of_the_whole_result_set(client, app):
    result = service(app).search("regional centres", {"instrument": ["basel"]}, sort="document", per_page=100)
    response = client.get("/export.csv?q=regional+centres&instrument=basel&sort=document")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mea-search-regional-centres.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["citation", "section", "text"]
    assert len(rows) - 1 == result.total
    assert [r[0] for r in rows[1:len(result.hits) + 1]] == [h.citation for h in result.hits]
    first = result.hits[0]
    assert rows[1] == [first.citation, " > ".join(first.section), first.text]


def test_export_pages_through_the_service_up_to_the_cap(webapp_index):
    from webapp import create_app

    capped = create_app({"INDEX_DIR": str(webapp_index), "EXPORT_LIMIT": 150, "TESTING": True})
    client = capped.test_client()
    total = capped.extensions["search_service"].search("").total
    assert total > 150
    response = client.get("/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) - 1 == 150
    assert len({r[0] for r in rows[1:]}) == 150  # pages do not overlap
    assert response.headers["X-Total-Count"] == str(total)
    assert response.headers["Content-Disposition"] == 'attachment; filename="mea-search-all.csv"'
    markdown = client.get("/export.md").get_data(as_text=True)
    assert f"150 of {total} paragraphs." in markdown


def test_markdown_export(client, app):
    result = service(app).search("regional centres", {"instrument": ["basel"]}, per_page=100)
    response = client.get("/export.md?q=regional+centres&instrument=basel")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mea-search-regional-centres.md"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "# Search: regional centres"
    items = [line for line in lines if line.startswith("- **")]
    assert len(items) == result.total
    assert "- Instrument: Basel Convention" in "\n".join(lines)


def test_healthz_names_the_generation(client, app):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok"
    assert data["generation"] == service(app).generation()
    assert data["units"] > 0


def test_every_permalink_routes_back_to_its_unit(app):
    # Symbols carry slashes, parentheses and spaces; ids carry parentheses, dots and stars.
    svc = service(app)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for symbol, _title, _units in svc.documents():
            for unit in svc.document(symbol).units:
                for endpoint, prefix in (("views.paragraph", "/doc/"), ("api.paragraph", "/api/documents/")):
                    url = url_for(endpoint, symbol=symbol, paragraph=unit.paragraph)
                    assert url.startswith(prefix)
                    assert adapter.match(unquote(url)) == (endpoint, {"symbol": symbol, "paragraph": unit.paragraph})
            url = url_for("views.document", symbol=symbol)
            assert adapter.match(unquote(url)) == ("views.document", {"symbol": symbol})


def test_a_page_past_the_end_offers_the_first(client, app):
    pages = service(app).search("regional centres").pages
    text = page(client, f"/?q=regional+centres&page={pages + 3}")
    assert f"There are only {pages} page" in text
    assert 'href="/?q=regional+centres">Go to the first page</a>' in text


COLUMN = re.compile(r'<section class="column"[^>]*data-instrument="(?P<instrument>[^"]*)">(?P<body>.*?)</section>', re.S)
COLUMN_CHOICE = re.compile(r'<input type="checkbox" name="column" value="(?P<value>[^"]*)"(?P<checked> checked)?>')


def columns_on(text: str) -> dict[str, list[str]]:
    """Instrument of each compare column -> the uids of its paragraphs, in order."""
    return {
        m["instrument"]: [html.unescape(uid) for uid in re.findall(r'<li data-uid="([^"]*)">', m["body"])]
        for m in COLUMN.finditer(text)
    }


def test_compare_shows_five_paragraphs_per_instrument_by_default(client, app):
    text = page(client, "/compare?q=parties")
    view = service(app).compare("parties", per_instrument=5)
    assert columns_on(text) == {c.instrument: [h.uid for h in c.hits] for c in view.columns}
    assert any(c.total > 5 for c in view.columns)
    assert all(len(c.hits) == min(5, c.total) for c in view.columns)
    assert 'name="per_instrument" type="number" inputmode="numeric" min="1" max="20" value="5"' in text


def test_compare_shows_the_chosen_number_per_instrument(client):
    text = page(client, "/compare?q=parties&per_instrument=2")
    shown = columns_on(text)
    assert shown and all(len(uids) == 2 for uids in shown.values())
    assert 'max="20" value="2"' in text
    # A new query from the search box keeps the number (and picks its own columns).
    assert '<input type="hidden" name="per_instrument" value="2">' in text


def test_compare_columns_are_the_instruments_ticked_in_the_form(client, app):
    every = service(app).compare("technology transfer").instruments
    text = page(client, "/compare?q=technology+transfer&column=unfccc&column=paris")
    assert set(columns_on(text)) == {"paris", "unfccc"}
    choices = {m["value"]: bool(m["checked"]) for m in COLUMN_CHOICE.finditer(text)}
    # Every instrument with matching paragraphs can be ticked; the shown ones are.
    assert choices == {v.value: v.value in ("paris", "unfccc") for v in every}
    form = re.search(r'<form id="columns-form"[^>]*method="get"[^>]*>(.*?)</form>', text, re.S).group(1)
    assert '<input type="hidden" name="q" value="technology transfer">' in form


def test_compare_counts_a_unit_in_one_column_only(client, app):
    instruments = [v.value for v in service(app).compare("parties").instruments]
    assert {"paris", "unfccc"} <= set(instruments)
    text = page(client, "/compare?q=parties&per_instrument=20&" + "&".join(f"column={i}" for i in instruments))
    seen = [uid for uids in columns_on(text).values() for uid in uids]
    assert len(seen) > 20 and len(seen) == len(set(seen))


def test_compare_hits_have_a_copy_button_with_their_citation(client, app):
    text = page(client, "/compare?q=regional+centres")
    view = service(app).compare("regional centres")
    for column in view.columns:
        for hit in column.hits:
            assert f'data-copy="{html.escape(hit.citation)}"' in text
    assert text.count('<button type="button" class="copy"') == sum(len(c.hits) for c in view.columns)


@pytest.mark.parametrize("query, parameter", [
    pytest.param("per_instrument=0", "per_instrument", id="zero"),
    pytest.param("per_instrument=21", "per_instrument", id="too-many"),
    pytest.param("per_instrument=five", "per_instrument", id="not-a-number"),
    pytest.param("column=no-such-instrument", "column", id="unknown-instrument"),
])
@pytest.mark.parametrize("path", ["/compare", "/api/compare"])
def test_compare_bad_choice_is_a_400_naming_the_parameter(client, path, query, parameter):
    response = client.get(f"{path}?q=mercury&{query}")
    assert response.status_code == 400
    if path.startswith("/api/"):
        message = response.get_json()["error"]["message"]
    else:
        message = html.unescape(re.search(r'<p class="message">(.*?)</p>', response.get_data(as_text=True)).group(1))
    assert message.startswith(parameter)


# -- keyboards and phones ------------------------------------------------------------------

PAGE_KINDS = [
    pytest.param("/", id="search-empty"),
    pytest.param("/?q=mercury", id="search"),
    pytest.param(f"/doc/{SEED_SYMBOL}/para/8", id="paragraph"),
    pytest.param(f"/doc/{SEED_SYMBOL}", id="document"),
    pytest.param("/documents", id="documents"),
    pytest.param("/compare?q=mercury", id="compare"),
    pytest.param("/compare", id="compare-empty"),
    pytest.param("/nowhere", id="not-found"),
]


@pytest.mark.parametrize("url", PAGE_KINDS)
def test_every_page_has_one_search_box_for_the_slash_key(client, url):
    text = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'<input id="q" name="q" type="search"', text)) == 1
    assert text.count('id="q"') == 1


@pytest.mark.parametrize("url, target", [
    pytest.param("/?q=mercury", "results", id="search"),
    pytest.param("/", "results", id="search-empty"),
    pytest.param("/compare?q=mercury", "results", id="compare"),
    pytest.param(f"/doc/{SEED_SYMBOL}", "main", id="document"),
])
def test_the_skip_link_is_the_first_control_and_its_target_takes_focus(client, url, target):
    text = page(client, url)
    body = text[text.index("<body"):]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert first == f'<a class="skip-link" href="#{target}">'
    assert re.search(rf'<(section|main) id="{target}"[^>]*tabindex="-1"', text)
    label = "Skip to results" if target == "results" else "Skip to content"
    assert f'href="#{target}">{label}</a>' in text


def test_the_filters_panel_folds_on_phones_only_while_no_filter_is_ticked(client):
    panel = re.compile(r'<details class="filters-panel"[^>]*>')
    assert panel.search(page(client, "/?q=mercury")).group(0) == '<details class="filters-panel" open data-collapse-narrow>'
    # Ticked: rendered open and left open, so ticking more keeps it open.
    assert panel.search(page(client, "/?q=mercury&instrument=basel")).group(0) == '<details class="filters-panel" open>'


def test_the_document_page_links_its_outline_from_the_top(client):
    text = page(client, f"/doc/{SEED_SYMBOL}")
    first_unit = text.index('class="doc-unit"')
    assert text.index('<a class="jump-outline" href="#outline">') < first_unit
    assert '<nav class="outline" id="outline"' in text[first_unit:]


def test_each_hit_links_to_more_from_its_document(client, app):
    text = page(client, "/?q=mercury")
    links = re.findall(r'<a class="more-from" href="([^"]+)">More from this document</a>', text)
    hits = service(app).search("mercury").hits
    assert len(links) == len(hits) > 0
    first = dict(parse_qsl(urlsplit(html.unescape(links[0])).query))
    assert first == {"q": "mercury", "document": hits[0].symbol}
    # Filtered to the document, the page shows all of it: no such links.
    filtered = page(client, html.unescape(links[0]))
    assert 'class="more-from"' not in filtered
    assert result_count(filtered) == service(app).search("mercury", {"document": [hits[0].symbol]}).total
