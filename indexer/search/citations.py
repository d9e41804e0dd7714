"""Citations: reading a query that names a paragraph, and writing paragraph slugs (pure).

Drafters paste what they cite: ``UNEP(DTIE)/Hg/INC.1/10 para 8``,
``INC.1/10 para. 14(a)``, ``Basel art. 14``, ``Basel Convention article 14,
paragraph 1``. ``parse_citation`` recognises these so search can put the named
unit first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CitationQuery:
    """A query that names a unit: which document, and which paragraph or article."""

    document: str  # as typed: a full or partial symbol, or an instrument name
    paragraph: str | None = None  # unit id as the index has it: "14(a)", "pp3"
    article: str | None = None  # treaty article number
    article_paragraph: str | None = None

    def unit_ids(self) -> list[str]:
        """Unit ids this citation may name, most specific first."""
        if self.article is not None:
            if self.article_paragraph is not None:
                return [f"art{self.article}.{self.article_paragraph}"]
            return [f"art{self.article}", f"art{self.article}.1"]
        return [self.paragraph] if self.paragraph else []


_PARA_WORD = r"(?:para(?:graph)?s?\.?|§)"
_ART_WORD = r"(?:art(?:icle)?s?\.?)"

_PARAGRAPH_CITATION = re.compile(
    rf"^\s*(?P<document>.+?)\s*,?\s*(?P<pre>preambular\s+)?{_PARA_WORD}\s*"
    rf"(?P<id>\d+[a-z]?(?:\s*\(\s*[a-z0-9]{{1,5}}\s*\))*)\s*\.?\s*$",
    re.IGNORECASE,
)
_ARTICLE_CITATION = re.compile(
    rf"^\s*(?P<document>.+?)\s*,?\s*{_ART_WORD}\s*(?P<article>\d+[a-z]?)"
    rf"(?:\s*\(\s*(?P<inner>\d+)\s*\)|\s*,?\s*{_PARA_WORD}\s*(?P<para>\d+))?\s*\.?\s*$",
    re.IGNORECASE,
)
_ARTICLE_FIRST = re.compile(
    rf"^\s*{_ART_WORD}\s*(?P<article>\d+[a-z]?)"
    rf"(?:\s*\(\s*(?P<inner>\d+)\s*\)|\s*,?\s*{_PARA_WORD}\s*(?P<para>\d+))?"
    rf"\s*,?\s*(?:of\s+(?:the\s+)?)?(?P<document>[A-Za-z].+?)\s*$",
    re.IGNORECASE,
)


def normalise_paragraph_id(raw: str) -> str:
    """'14 (a)' / '14(A)' -> '14(a)'; the id form the index uses."""
    return re.sub(r"\s+", "", raw).lower()


# A citation is short: longer text is a search, and is not matched at all. With
# runs of whitespace collapsed first, the patterns above (a lazy document name
# followed by optional spaces) do work linear in the text; on raw text 250
# spaces took them 35 s.
MAX_CITATION_LENGTH = 200


def parse_citation(text: str) -> CitationQuery | None:
    """The unit a query cites, or None when the query is not a citation."""
    if len(text) > 4 * MAX_CITATION_LENGTH:  # too long even before collapsing spaces
        return None
    text = " ".join(text.split())
    if len(text) > MAX_CITATION_LENGTH:
        return None
    match = _ARTICLE_CITATION.match(text) or _ARTICLE_FIRST.match(text)
    if match and not _looks_like_words(match.group("document")):
        paragraph = match.group("inner") or match.group("para")
        return CitationQuery(
            document=match.group("document").strip(" ,"),
            article=match.group("article").lower(),
            article_paragraph=paragraph,
        )
    match = _PARAGRAPH_CITATION.match(text)
    if match and not _looks_like_words(match.group("document")):
        paragraph = normalise_paragraph_id(match.group("id"))
        if match.group("pre"):
            paragraph = f"pp{paragraph}"
        return CitationQuery(document=match.group("document").strip(" ,"), paragraph=paragraph)
    return None


def _looks_like_words(document: str) -> bool:
    # "regional centres para 8" is a search, not a citation: a document is named
    # by a symbol (has "/") or by a short name of at most four words.
    if "/" in document:
        return False
    return len(document.split()) > 4


def paragraph_slug(paragraph: str) -> str:
    """URL fragment for a unit id: '14(a)' -> 'para-14a', 'art14.1' -> 'para-art14-1'."""
    slug = re.sub(r"[^0-9A-Za-z]+", "-", paragraph).strip("-").lower()
    slug = re.sub(r"(\d)-([a-z]+)$", r"\1\2", slug)  # 14-a -> 14a
    slug = re.sub(r"(\d)-([a-z]+)-", r"\1\2-", slug)
    return f"para-{slug}"


def document_matches(hint: str, symbol: str, title: str = "") -> int:
    """How well a typed document name fits a symbol: 3 exact, 2 suffix, 1 words, 0 not.

    A hint with "/" is a symbol and fits only as the whole symbol or its tail."""
    hint_l = hint.strip().lower()
    symbol_l = symbol.lower()
    if not hint_l:
        return 0
    if hint_l == symbol_l:
        return 3
    if symbol_l.endswith("/" + hint_l) or symbol_l.endswith(hint_l) and "/" in hint_l:
        return 2
    if "/" in hint_l:
        # A symbol names one document: "…/Add.1" is never its base, nor the base its addendum.
        return 0
    words = hint_l.split()
    haystack = (symbol_l + " " + title.lower()).split()
    if all(any(w.startswith(word) for w in haystack) for word in words):
        return 1
    return 0
