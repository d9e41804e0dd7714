"""Choosing a spelling correction among the candidates an index offers (pure).

An engine's spelling candidates come ranked by how often they occur, whatever
their distance: "basle" gets "based" before "basel", "minamta" "minima" before
"minamata". The correction is the closest candidate, counting a swap of two
neighbouring letters as one edit (the commonest typing slip); among equally
close ones, the engine's order (the more frequent) decides.
"""
from __future__ import annotations

from typing import Sequence

from nltk.metrics.distance import edit_distance


def closest_spelling(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate fewest edits from ``word`` (swaps count once), the first of equals."""
    if not candidates:
        return None
    return min(enumerate(candidates), key=lambda pair: (edit_distance(word, pair[1], transpositions=True), pair[0]))[1]
