"""Tokens and stems for matching vocabulary terms against paragraph text.

text -> words -> lowercase -> British/US folding -> hyphen split -> Snowball stem.
Vocabulary names and terms go through the same steps as the text, so a term
written "regional centres" matches "Regional Centers" and "regional centre".
Nothing here reads files; the stemmer needs no NLTK data.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from nltk.stem.snowball import SnowballStemmer

from indexer.text.spelling import fold_spelling

__all__ = ["Token", "tokenize", "stem_tokens", "stem_word", "stem_phrase"]

# A word: letters/digits, possibly joined by hyphens or apostrophes
# ("capacity-building", "Party's", "ozone-depleting-substance").
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-‐‑][^\W_]+)*")
_HYPHENS_RE = re.compile(r"[\-‐‑]")
_POSSESSIVE_RE = re.compile(r"['’][sS]$")
_APOSTROPHES_RE = re.compile(r"['’]")

_STEMMER = SnowballStemmer("english")


class Token(NamedTuple):
    """One word of a text: as written (for acronyms), stemmed, and where it sits.

    A named tuple: tagging makes one per word of every unit indexed."""

    raw: str  # as written, possessive and apostrophes removed: "UNEP", "Parties"
    stem: str  # lowercase, spelling-folded, stemmed: "unep", "parti"
    start: int  # character offsets of the whole written word in the text
    end: int


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Stem one lowercase, spelling-folded word (cached: the same words recur)."""
    return _STEMMER.stem(word)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens carrying both the written form and the stem."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _WORD_RE.finditer(text):
        parts = _word_parts(match.group())
        if parts:
            start, end = match.span()
            for raw, stem in parts:
                append(Token(raw, stem, start, end))
    return tokens


@lru_cache(maxsize=200_000)
def _word_parts(word: str) -> tuple[tuple[str, str], ...]:
    """(written part, stem) for each part of one word as written; cached, as words recur."""
    written = _APOSTROPHES_RE.sub("", _POSSESSIVE_RE.sub("", word))
    if not written:
        return ()
    stems = _word_stems(written.lower())
    raw_parts = [p for p in _HYPHENS_RE.split(written) if p]
    if len(raw_parts) != len(stems):
        # A prefix was joined ("co-operation"): the written parts no longer line up.
        raw_parts = list(stems)
    return tuple(zip(raw_parts, stems))


@lru_cache(maxsize=200_000)
def _word_stems(word: str) -> tuple[str, ...]:
    """Stems of one lowercase written word: folded, split at hyphens, stemmed."""
    folded = fold_spelling(_HYPHENS_RE.sub("-", word))
    return tuple(stem_word(part) for part in folded.split("-") if part)


def stem_tokens(text: str) -> list[str]:
    """The stems of a text's words, in order: what vocabulary matching compares."""
    return [token.stem for token in tokenize(text)]


def stem_phrase(phrase: str) -> tuple[str, ...]:
    """The stems of a vocabulary name or term, as a tuple usable as a key."""
    return tuple(stem_tokens(phrase))
