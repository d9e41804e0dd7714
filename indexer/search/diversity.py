"""One document does not fill the first page: a ranked list spread over its sources (pure).

A 1,000-paragraph negotiating text says "loss and damage" a hundred times; ranked
by score alone its paragraphs fill the first page and the decision and the treaty
article a drafter wants sink. The first page takes at most a few units of any one
source (a document, or one decision of a report holding several); the others
follow, in their order, on the next page. A user who wants them all filters to
the document ("more from this document"). Nor does the same text twice: twin
decisions of two bodies (decision 1/CP.27 and 1/CMA.4 share paragraphs word for
word) show it once on the first page, the twin after it.
"""
from __future__ import annotations

from typing import Hashable, Sequence


def spread(sources: Sequence[Hashable], texts: Sequence[Hashable], page_size: int,
           per_source: int) -> tuple[list[int], bool]:
    """The positions of a ranked list in their new order, and whether the first page
    is full: the first ``page_size`` take at most ``per_source`` of each source and
    each text once, best first; every position is kept, the ones held back in their
    own order after the first page (too few others: the first page is short of them)."""
    first, held = [], []
    taken: dict[Hashable, int] = {}
    shown: set[Hashable] = set()
    for position, (source, text) in enumerate(zip(sources, texts, strict=True)):
        if len(first) < page_size and taken.get(source, 0) < per_source and text not in shown:
            first.append(position)
            taken[source] = taken.get(source, 0) + 1
            shown.add(text)
        else:
            held.append(position)
    # Past the first page the order is the ranking's again.
    return first + sorted(held), len(first) == page_size
