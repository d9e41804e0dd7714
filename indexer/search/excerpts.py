"""Highlighted excerpts: the words of a query marked in a unit's text (pure).

The whole unit is shown when it is short; otherwise the best sentences around
the matches. Everything except the ``<mark>`` tags is HTML-escaped here, so the
result is the one string the web layer may mark safe.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from indexer.text.analysis import term_spans

# A unit up to this many characters is shown whole.
WHOLE_UNIT_CHARACTERS = 480
# Budget of an excerpt made of sentences.
EXCERPT_CHARACTERS = 360
ELLIPSIS = " … "


@dataclass(frozen=True)
class MatchTerms:
    """What to mark: stems of ranked words, exact words, and exact word sequences."""

    stems: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    sequences: tuple[tuple[str, ...], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.stems or self.exact or self.sequences)


def match_spans(text: str, terms: MatchTerms) -> list[tuple[int, int]]:
    """Character spans of ``text`` that the query matched, merged and sorted."""
    if not terms:
        return []
    words = term_spans(text)
    spans = []
    for start, end, exact, stem in words:
        if (stem and stem in terms.stems) or exact in terms.exact:
            spans.append((start, end))
    for sequence in terms.sequences:
        length = len(sequence)
        if not length:
            continue
        for index in range(len(words) - length + 1):
            if all(words[index + k][2] == sequence[k] for k in range(length)):
                start, end = words[index][0], words[index + length - 1][1]
                # "14 (a" -> "14 (a)": close a bracket the match opened.
                if text.count("(", start, end) > text.count(")", start, end) and text[end:end + 1] == ")":
                    end += 1
                spans.append((start, end))
    return _merge(text, spans)


def _merge(text, spans):
    # Overlapping spans, and spans only white space apart, become one mark.
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(s) for s in merged]


def mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    """Escape ``text`` and wrap the spans (relative to ``offset``) in <mark>."""
    out = []
    position = 0
    for start, end in spans:
        start -= offset
        end -= offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(html.escape(text[position:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def build_excerpt(text: str, terms: MatchTerms, sentence_spans) -> str:
    """HTML excerpt of ``text`` with matches marked.

    ``sentence_spans`` is a function text -> [(start, end)], so this stays pure
    and the caller chooses the sentence splitter.
    """
    spans = match_spans(text, terms)
    if len(text) <= WHOLE_UNIT_CHARACTERS:
        return mark(text, spans)
    sentences = sentence_spans(text) or [(0, len(text))]
    pieces = []
    for start, end in _choose_sentences(sentences, spans):
        if end - start > EXCERPT_CHARACTERS:
            start, end = _window(text, start, end, spans)
        pieces.append((start, end))
    out = []
    previous_end = 0
    for start, end in pieces:
        gap = text[previous_end:start]
        if gap.strip():
            out.append(ELLIPSIS if out else "… ")
        elif out:
            out.append(" ")
        inside = [s for s in spans if s[1] > start and s[0] < end]
        out.append(mark(text[start:end], inside, offset=start))
        previous_end = end
    if text[previous_end:].strip():
        out.append(" …")
    return "".join(out)


def _choose_sentences(sentences, spans):
    # Rank sentences by how many matches they hold, keep document order, stop
    # at the budget; with no match, the opening sentences.
    def hits(sentence):
        return sum(1 for s in spans if s[0] >= sentence[0] and s[1] <= sentence[1])

    ranked = sorted(range(len(sentences)), key=lambda i: (-hits(sentences[i]), i))
    if not spans:
        ranked = list(range(len(sentences)))
    chosen, used = [], 0
    for index in ranked:
        start, end = sentences[index]
        length = min(end - start, EXCERPT_CHARACTERS)
        if chosen and (used + length > EXCERPT_CHARACTERS or (spans and hits(sentences[index]) == 0)):
            break
        chosen.append(index)
        used += length
    return [sentences[i] for i in sorted(chosen)]


def _window(text, start, end, spans):
    # A long sentence: a window of the budget around its first match, moved
    # to word boundaries so no word is cut in half.
    inside = [s for s in spans if s[0] >= start and s[1] <= end]
    centre = inside[0][0] if inside else start
    left = max(start, centre - EXCERPT_CHARACTERS // 3)
    right = min(end, left + EXCERPT_CHARACTERS)
    if left > start:
        space = text.find(" ", left, centre if centre > left else right)
        left = space + 1 if space != -1 else left
    if right < end:
        space = text.rfind(" ", left, right)
        right = space if space > left else right
    return left, right


# How a terminal shows a match: bold reverse video; where the output is not a
# terminal (a pipe, a file), the match is set between these plain markers.
TERMINAL_MARK = ("\x1b[1;7m", "\x1b[0m")
PLAIN_MARK = ("*", "*")
_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def excerpt_for_terminal(excerpt_html: str, marks: tuple[str, str] = PLAIN_MARK) -> str:
    """An excerpt made by ``build_excerpt`` as plain text: matches between ``marks``, entities decoded."""
    opening, closing = marks
    marked = _MARK_RE.sub(lambda m: "\0" + m.group(1) + "\1", excerpt_html)
    return html.unescape(marked).replace("\0", opening).replace("\1", closing)
