"""Tokenising and stemming for the index: one definition, used at index and query time.

Two term functions feed the index (see ``indexer.index.records``):
- ``stemmed_terms``: English words, lowercased, British/US spellings folded,
  stop words dropped, NLTK Snowball stems. Ranks ordinary keyword queries.
- ``exact_terms``: every token kept (one-character ones, numbers, the pieces of
  a symbol such as ``INC.1/9`` -> ``inc 1 9``), lowercased and spelling-folded
  but not stemmed. Symbols, paragraph numbers and quoted phrases are matched
  here as phrases, so ``INC.1/9`` does not match ``INC.1/10``.

Records carry these terms already analysed, so every engine indexes the same
terms and the query planner asks for them in the same form. Plain Python: no
engine is imported here. Their version is ``storage.stamp.ANALYZER_VERSION``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from indexer.text.spelling import fold_spelling
from indexer.text.tokens import stem_word as stem_folded

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


def stemmed_terms(text: str) -> list[str]:
    """The terms the ranked fields hold for ``text``, in order (stop words dropped)."""
    words = (m.group().lower() for m in WORD_PATTERN.finditer(text))
    return [stem_word(w) for w in words if w not in STOP_WORDS]


def exact_terms(text: str) -> list[str]:
    """The terms the exact field holds for ``text``, in order."""
    return [fold_word(m.group().lower()) for m in WORD_PATTERN.finditer(text)]


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
