"""HTML pages: search, paragraph, document, documents, compare, and the exports.

Each page checks its parameters (``params``), makes one call to the search
service and renders a template; the ``api`` blueprint makes the same calls and
returns JSON. Templates auto-escape everything; only a hit's ``excerpt_html``
(escaped by the highlighter around its ``<mark>`` tags) is marked safe.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for

from indexer.search.citations import paragraph_slug
from indexer.search import MAX_PER_PAGE, QueryError
from indexer.search.results import NO_INSTRUMENT
from webapp.params import (
    COMPARE_HITS_DEFAULT, COMPARE_HITS_MAX, COMPARE_PARAMETERS, FACETS, SORTS, CompareChoice, SearchParams,
    compare_choice, search_params,
)

bp = Blueprint("views", __name__)

EXPORT_PAGE_SIZE = 100


def service():
    """The app's one search service."""
    return current_app.extensions["search_service"]


def current_search_params(allowed=None) -> SearchParams:
    """Checked search parameters of the current request."""
    config = current_app.config
    kwargs = {} if allowed is None else {"allowed": allowed}
    return search_params(
        request.args, min(config["PER_PAGE"], MAX_PER_PAGE), config["MAX_QUERY_LENGTH"], **kwargs
    )


# -- URL helpers (also used by the API and the templates) ----------------------


def paragraph_url(symbol: str, paragraph: str, **kwargs) -> str:
    """Permalink of a unit."""
    return url_for("views.paragraph", symbol=symbol, paragraph=paragraph, **kwargs)


def uid_url(uid: str, **kwargs) -> str:
    """Permalink of a unit named by its uid (``symbol#paragraph``)."""
    symbol, _, paragraph = uid.rpartition("#")
    return paragraph_url(symbol, paragraph, **kwargs)


def document_url(symbol: str, **kwargs) -> str:
    """Page of a whole document."""
    return url_for("views.document", symbol=symbol, **kwargs)


def canonical_url(path: str) -> str:
    """The canonical address of a page at ``path`` (a url_for result): under BASE_URL
    when it is set, else the path itself. Never built from the request's Host
    header, which the client chooses."""
    base = current_app.config.get("BASE_URL") or ""
    if not base:
        return path
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root):]
    return base + path


def with_args(endpoint: str, pairs: list[tuple[str, str]]) -> str:
    """URL of ``endpoint`` with the given query parameters."""
    base = url_for(endpoint)
    return f"{base}?{urlencode(pairs)}" if pairs else base


def register_template_helpers(app) -> None:
    """Functions and filters the templates use."""

    def instrument_label(value: str) -> str:
        return service().lexicon.instrument_label(value)

    def theme_label(value: str) -> str:
        return service().lexicon.theme_label(value)

    app.jinja_env.globals.update(
        paragraph_url=paragraph_url,
        uid_url=uid_url,
        document_url=document_url,
        with_args=with_args,
        canonical_url=canonical_url,
        instrument_label=instrument_label,
        theme_label=theme_label,
        paragraph_slug=paragraph_slug,
        FACETS=FACETS,
        SORTS=SORTS,
    )


# -- search --------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentGroup:
    """Hits of one document on the current page, and how many the document has in all."""

    symbol: str
    title: str
    hits: tuple
    total: int


@bp.get("/")
def search():
    """The search page: query box, facets, results, pagination."""
    params = current_search_params()
    result = service().search(
        params.q, params.service_filters, params.page, params.per_page, params.sort
    )
    groups = _group_by_document(result) if params.group else None
    whole = params.args(page=1, group=False, per_page=params.default_per_page)
    links = {
        "csv": with_args("views.export_csv", whole),
        "md": with_args("views.export_markdown", whole),
        "json": with_args("api.search", params.args()),
        "compare": with_args("views.compare", [(k, v) for k, v in whole if k in COMPARE_PARAMETERS]),
    }
    # The first page shows a few units of a document at most (the service spreads
    # it over sources); each hit links to all of its document's.
    more_from = None if params.filters.get("document") else (
        lambda symbol: with_args("views.search", params.args(page=1, filters={**params.filters, "document": (symbol,)})))
    return render_template(
        "search.html", params=params, result=result, groups=groups, links=links, more_from=more_from,
        pages=_page_window(result.page, result.pages),
        documents=service().documents() if params.is_empty else None,
    )


def _group_by_document(result) -> list[DocumentGroup]:
    totals = {v.value: v.count for v in result.facets.get("document", ())}
    order: dict[str, list] = {}
    for hit in result.hits:
        order.setdefault(hit.symbol, []).append(hit)
    return [
        DocumentGroup(symbol, hits[0].title, tuple(hits), totals.get(symbol, len(hits)))
        for symbol, hits in order.items()
    ]


def _page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last, and a few around the current; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


# -- paragraphs and documents ----------------------------------------------------


CITED_BY_PER_PAGE = 10


def cited_page() -> int:
    """The checked ``cited_page`` parameter: which page of citing paragraphs to show."""
    raw = request.args.get("cited_page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise QueryError("cited_page", "cited_page must be a whole number from 1 to 10000")
    return int(raw)


def original_url(symbol: str, page: int | None = None) -> str | None:
    """Link to the original file of an indexed document, at a page for a PDF; None
    when the index has no file for it."""
    found = service().original_file(symbol)
    if found is None:
        return None
    anchor = f"page={page}" if found.is_pdf and page else None
    return url_for("views.original", symbol=symbol, _anchor=anchor)


@bp.get("/doc/<path:symbol>/para/<paragraph>")
def paragraph(symbol: str, paragraph: str):
    """A paragraph's permalink: full text, citation, neighbours, references, related."""
    view = service().paragraph(symbol, paragraph, cited_page=cited_page(), cited_per_page=CITED_BY_PER_PAGE)
    if view is None:
        abort(404, description=f"There is no paragraph {paragraph!r} in document {symbol!r}.")
    return render_template("paragraph.html", view=view, hit=view.hit,
                           original=original_url(symbol, view.hit.page))


@bp.get("/doc/<path:symbol>")
def document(symbol: str):
    """A whole document: metadata, outline, every unit with an anchor; for a symbol
    that indexed paragraphs cite but the index lacks, who cites it."""
    view = service().document(symbol)
    if view is None:
        missing = service().missing_document(symbol, cited_page(), CITED_BY_PER_PAGE)
        if missing is None:
            abort(404, description=f"There is no document {symbol!r} in the index.")
        document, citing = missing
        pages = max(1, -(-document.cited_by // CITED_BY_PER_PAGE))
        return render_template("document_missing.html", document=document, citing=citing,
                               page=cited_page(), pages=pages)
    return render_template("document.html", view=view, blocks=_document_blocks(view.units),
                           original=original_url(symbol))


@bp.get("/file/<path:symbol>")
def original(symbol: str):
    """The original file of an indexed document, found by symbol in the index manifest."""
    found = service().original_file(symbol)
    if found is None:
        abort(404, description=f"There is no original file of {symbol!r} in the index.")
    mimetype = "application/pdf" if found.is_pdf else "text/plain"
    # Text and Markdown are served as plain text: never rendered as HTML.
    return send_file(found.path, mimetype=mimetype, conditional=True, download_name=found.path.name,
                     as_attachment=False)


def _document_blocks(units) -> list[tuple[list[tuple[int, str]], object]]:
    """Each unit with the headings that open before it, as (depth, heading) pairs."""
    blocks = []
    seen: tuple[str, ...] = ()
    for unit in units:
        section = unit.section
        common = 0
        while common < min(len(section), len(seen)) and section[common] == seen[common]:
            common += 1
        headings = [(depth, section[depth]) for depth in range(common, len(section))]
        blocks.append((headings, unit))
        seen = section
    return blocks


# Cited documents missing from the index listed on the documents page.
MISSING_LISTED = 25


@bp.get("/documents")
def documents():
    """Every indexed document, and the most-cited documents the index lacks."""
    return render_template("documents.html", documents=service().documents(),
                           missing=service().missing_documents(MISSING_LISTED))


# -- compare ---------------------------------------------------------------------


def current_compare_choice() -> CompareChoice:
    """Checked compare parameters of the current request: columns name known instruments."""
    known = {*service().lexicon.instrument_labels, NO_INSTRUMENT}
    return compare_choice(request.args, known)


def compare_view(params: SearchParams, choice: CompareChoice):
    """The service's compare answer for checked parameters (the page's and the API's)."""
    return service().compare(params.q, params.service_filters, per_instrument=choice.per_instrument,
                             chosen=choice.columns)


@bp.get("/compare")
def compare():
    """One column per instrument with its best paragraphs, and instrument x theme counts."""
    params = current_search_params(COMPARE_PARAMETERS)
    choice = current_compare_choice()
    view, rows = None, []
    if not params.is_empty:
        view = compare_view(params, choice)
        rows = _matrix_rows(view)
    return render_template("compare.html", params=params, choice=choice, view=view, rows=rows,
                           COMPARE_HITS_DEFAULT=COMPARE_HITS_DEFAULT, COMPARE_HITS_MAX=COMPARE_HITS_MAX,
                           NO_INSTRUMENT=NO_INSTRUMENT)


def _matrix_rows(view) -> list[tuple[str, str]]:
    """Matrix rows: the instruments with columns first, then any other tagged ones."""
    rows = [(c.instrument, c.label) for c in view.columns if c.instrument in view.matrix]
    shown = {instrument for instrument, _ in rows}
    rows += sorted(
        ((name, service().lexicon.instrument_label(name)) for name in view.matrix if name not in shown),
        key=lambda row: -sum(view.matrix[row[0]].values()),
    )
    return rows


# -- exports ---------------------------------------------------------------------


def export_rows(params: SearchParams) -> tuple[list, int]:
    """Hits of the whole result set up to EXPORT_LIMIT, and the total matched."""
    limit = current_app.config["EXPORT_LIMIT"]
    hits, total, page = [], 0, 1
    while len(hits) < limit:
        result = service().search(
            params.q, params.service_filters, page, EXPORT_PAGE_SIZE, params.sort, excerpts=False
        )
        total = result.total
        hits.extend(result.hits)
        if not result.hits or page >= result.pages:
            break
        page += 1
    return hits[:limit], total


def _export_name(params: SearchParams, suffix: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "-", params.q).strip("-").lower()[:60].strip("-")
    return f"mea-search-{words or 'all'}.{suffix}"


def _export_headers(params, suffix, count, total) -> dict:
    return {
        "Content-Disposition": f'attachment; filename="{_export_name(params, suffix)}"',
        "X-Total-Count": str(total),
        "X-Exported-Count": str(count),
    }


# Spreadsheets run a cell that starts with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _section(hit) -> str:
    return " > ".join(hit.section)


@bp.get("/export.csv")
def export_csv():
    """The current result set as CSV: citation, section, text."""
    params = current_search_params()
    hits, total = export_rows(params)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["citation", "section", "text"])
    for hit in hits:
        writer.writerow([_cell(hit.citation), _cell(_section(hit)), _cell(hit.text)])
    # The byte order mark lets spreadsheet programs read the file as UTF-8.
    body = "\ufeff" + buffer.getvalue()
    return Response(body, mimetype="text/csv", headers=_export_headers(params, "csv", len(hits), total))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _filter_label(facet: str, value: str) -> str:
    lexicon = service().lexicon
    if facet == "instrument":
        return lexicon.instrument_label(value)
    if facet == "theme":
        return lexicon.theme_label(value)
    return value


@bp.get("/export.md")
def export_markdown():
    """The current result set as Markdown: one line per paragraph."""
    params = current_search_params()
    hits, total = export_rows(params)
    title = f"Search: {params.q}" if params.q else "Search: all paragraphs"
    lines = [f"# {_markdown(title)}", ""]
    for name, values in params.filters.items():
        labels = [_filter_label(name, value) for value in values]
        lines.append(f"- {FACETS[name][1]}: {_markdown(', '.join(labels))}")
    shown = f"{len(hits)} of {total}" if len(hits) < total else f"{total}"
    lines += [f"{shown} paragraphs.", ""]
    for hit in hits:
        section = f" — {_markdown(_section(hit))}" if hit.section else ""
        lines.append(f"- **{_markdown(hit.citation)}**{section} — {_markdown(hit.text)}")
    body = "\n".join(lines) + "\n"
    return Response(
        body, mimetype="text/markdown", headers=_export_headers(params, "md", len(hits), total)
    )


@bp.get("/healthz")
def healthz():
    """The generation the app answers from (503 when there is no index)."""
    stats = service().stats()
    return {
        "status": "ok",
        "generation": stats["generation"],
        "documents": stats["documents"],
        "units": stats["units"],
    }
