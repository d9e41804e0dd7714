"""The Whoosh analyzers of the index: records arrive with their terms already analysed.

Records carry the terms of each text field (``indexer.text.analysis``), joined
by spaces; the analyzer only splits them again, so Whoosh indexes exactly the
terms every engine indexes. Whoosh pickles analyzers into the index: this one
is built from Whoosh's own classes, nothing of ours.
"""
from __future__ import annotations

from whoosh.analysis import RegexTokenizer

# A pre-analysed term never holds white space.
TERM_PATTERN = r"\S+"


def terms_analyzer():
    """Analyzer of every text field: one token per space-separated term, kept as is."""
    return RegexTokenizer(TERM_PATTERN)


def joined(terms) -> str:
    """The field value Whoosh is given for a sequence of terms."""
    return " ".join(terms)
