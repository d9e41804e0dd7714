"""Tokenising and stemming for the index: one definition, used at index and query time.

Two analyzers feed two fields (see schema.py):
- ``stemmed``: English words, lowercased, British/US spellings folded, stop words
  dropped, NLTK Snowball stems. Ranks ordinary keyword queries.
- ``exact``: every token kept (one-character ones, numbers, the pieces of a
  symbol such as ``INC.1/9`` -> ``inc 1 9``), lowercased and spelling-folded but
  not stemmed. Symbols, paragraph numbers and quoted phrases are matched here as
  phrases, so ``INC.1/9`` does not match ``INC.1/10``.

Whoosh pickles analyzers into the index, so everything they call is a
module-level function of this installed package (never a lambda).
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)

from indexer.text.spelling import fold_spelling
from indexer.text.tokens import stem_word as stem_folded

# Bump when tokenising or stemming changes: the index must then be rebuilt.
ANALYZER_VERSION = "2"

# Letters/digits runs; apostrophes inside words ("Parties'") are split off.
WORD_PATTERN = re.compile(r"\w+", re.UNICODE)

# Whoosh's default stop list minus words that matter in this domain.
STOP_WORDS = frozenset(
    """a an and are as at be by for from has have in is it its of on or that the
    their this to was were which with will""".split()
)

@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Canonical stem of one lowercase word: spelling folded, then stemmed.

    The same stemmer as the tagger's (indexer.text.tokens), so a query and the
    vocabulary terms it is matched against agree.
    """
    return stem_folded(fold_spelling(word))


def fold_word(word: str) -> str:
    """Lowercase word with British/US spelling folded, unstemmed (for the exact field)."""
    return fold_spelling(word)


class FunctionFilter(Filter):
    """Applies a module-level str -> str function to each token's text (picklable)."""

    def __init__(self, function):
        self.function = function

    def __eq__(self, other):
        return type(self) is type(other) and self.function is other.function

    def __call__(self, tokens):
        function = self.function
        for token in tokens:
            token.text = function(token.text)
            yield token


def stemmed_analyzer():
    """Analyzer of the ranked text field."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | FunctionFilter(stem_word)
    )


def exact_analyzer():
    """Analyzer of the exact field: all tokens, no stop words, no stemming."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FunctionFilter(fold_word)


def stemmed_terms(text: str) -> list[str]:
    """The terms the ranked field holds for ``text``, in order."""
    return [t.text for t in _STEMMED(text)]


def exact_terms(text: str) -> list[str]:
    """The terms the exact field holds for ``text``, in order."""
    return [t.text for t in _EXACT(text)]


def term_spans(text: str) -> list[tuple[int, int, str, str]]:
    """Every word of ``text`` as (start, end, exact term, stemmed term or '').

    The stemmed term is empty for stop words. Used by the excerpt builder to
    find what to mark without asking the engine.
    """
    spans = []
    for match in WORD_PATTERN.finditer(text):
        word = match.group().lower()
        folded = fold_word(word)
        stem = "" if word in STOP_WORDS else stem_word(word)
        spans.append((match.start(), match.end(), folded, stem))
    return spans


_STEMMED = stemmed_analyzer()
_EXACT = exact_analyzer()
