"""Choosing a spelling correction among the candidates an index offers (pure).

An engine's spelling candidates come ranked by how often they occur, whatever
their distance: "basle" gets "based" before "basel", "minamta" "minima" before
"minamata". The correction is the closest candidate, counting a swap of two
neighbouring letters as one edit (the commonest typing slip); among equally
close ones, the engine's order (the more frequent) decides.

The index is not the only source: an instrument's own text seldom prints its
name ("Minamata" may be in no unit), so the words of the vocabulary's names are
candidates too, those within a few edits of the typed word.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from nltk.metrics.distance import edit_distance


# A vocabulary word is a candidate at most this many edits (swaps once) from the typed one.
VOCABULARY_MAX_EDITS = 2


def _distance(word: str, other: str) -> int:
    return edit_distance(word, other, transpositions=True)


def vocabulary_candidates(word: str, vocabulary: Iterable[str]) -> list[str]:
    """The vocabulary's words close to ``word`` (not itself), closest first."""
    # The length check first: most words are too long or short to be close.
    near = [(d, v) for v in vocabulary
            if v != word and abs(len(v) - len(word)) <= VOCABULARY_MAX_EDITS
            and (d := _distance(word, v)) <= VOCABULARY_MAX_EDITS]
    return [v for _d, v in sorted(near)]


def closest_spelling(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate fewest edits from ``word`` (swaps count once), the first of equals."""
    if not candidates:
        return None
    return min(enumerate(candidates), key=lambda pair: (_distance(word, pair[1]), pair[0]))[1]
