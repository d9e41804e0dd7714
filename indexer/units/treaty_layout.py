"""Treaty layout in a PDF or plain text: detected from its structure, rewritten as headed blocks (pure).

Between the readers and :mod:`indexer.units.treaties`: a treaty or agreement
published as a PDF or a plain text has no Markdown headings, but its own
structure says what it is — a run of headings "Article 1", "Article 2", ... (or
"Artículo 1", "Article premier") each alone on its line with its title under
it, grouped in parts ("PART II") and followed by annexes, and nothing numbered
before the first of them but a title and a preamble.

:func:`is_treaty_layout` tells such a text from a UN document that merely quotes
an article; :func:`treaty_lines` turns the physical lines into the form the
treaty splitter reads: one line per heading (``### Article 12``), one per
heading title (``#### Notification ...``) and one per paragraph block (its
printed lines joined, words broken at line ends repaired), each keeping the
page its first line is printed on.

A block is the run of lines between blank lines; a heading, or a new numbered
paragraph or lettered item that starts on a new page without a blank line
before it, also starts a block; a page number printed at a page's edge is left
out. Where the document sets its article headings in bold, only bold lines are
headings and a heading's title is what is printed in bold under it; in a plain
text, where titles share their block with the first sentence ("Use of terms For
the purposes of this Agreement:"), the title ends before the first capitalised
word that also opens other blocks of the document. A block that is an
instrument's title ("Cartagena Protocol on Biosafety to the Convention ...")
becomes a heading, so that a compilation of several instruments can be told
apart by the splitter.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Sequence

from indexer.models import Line
from indexer.text.normalize import build_vocabulary, collapse_whitespace, join_letter_spacing, join_lines, nfkc
from indexer.units.treaty_names import is_instrument_title, words

# Heading words, as printed in the official languages written in Latin or
# Cyrillic script (the Arabic and Chinese texts are not read this way yet).
ARTICLE_WORDS = ("article", "artículo", "articulo", "artigo", "articolo", "artikel", "статья")
PART_WORDS = ("part", "parte", "partie", "teil", "часть")
CHAPTER_WORDS = ("chapter", "capítulo", "capitulo", "chapitre", "section", "sección", "seccion", "глава", "раздел")
ANNEX_WORDS = ("annex", "anexo", "annexe", "appendix", "apéndice", "appendice", "anhang", "приложение")
# Ordinal words that some languages print for the first article ("Article premier").
FIRST_WORDS = ("premier", "première", "primero", "primera", "first")
# A text is laid out as a treaty when it has at least this many article
# headings numbered in sequence from 1.
MIN_ARTICLE_RUN = 3
# The title the reader found is looked for in this many blocks at the top.
TITLE_SEARCH_BLOCKS = 5
# A heading line ("Article 10 bis", "P A R T  I I") is at most this long.
MAX_HEADING_CHARACTERS = 40
# A heading title is at most this many words (longer bold text is body text).
MAX_TITLE_WORDS = 40
# A word of this many letters or fewer before a capital is an article or a
# preposition ("of the Parties"), so the capital does not open a sentence.
SHORT_WORD = 3

_NUMBER = r"(?:\d{1,3}(?:\s?[A-Z])?(?:\s(?:bis|ter|quater|quinquies|sexies))?|(?-i:[IVXLC]{1,7}))"
_ARTICLE_HEAD_RE = re.compile(rf"^(?:{'|'.join(ARTICLE_WORDS)})\s+(?P<num>{_NUMBER}|{'|'.join(FIRST_WORDS)})\.?$", re.IGNORECASE)
_PART_HEAD_RE = re.compile(rf"^(?P<word>{'|'.join(PART_WORDS + CHAPTER_WORDS)})\s+(?P<num>{_NUMBER}|{'|'.join(FIRST_WORDS)})\.?$", re.IGNORECASE)
_ANNEX_HEAD_RE = re.compile(rf"^(?P<word>{'|'.join(ANNEX_WORDS)})(?:\s+(?P<num>{_NUMBER}|[A-Z]))?\.?$", re.IGNORECASE)
# A block that starts a numbered paragraph or a lettered/roman item.
_LABEL_START_RE = re.compile(r"^(?:\d{1,3}(?:\s?(?:bis|ter|quater))?\.\s|\(?[a-z]{1,2}\)\s|\([ivx]{1,5}\)\s)")
_NUMBERED_RE = re.compile(r"^\d{1,3}\.\s")
_SENTENCE_END_RE = re.compile(r"[.:;]\W*$")
_PAGE_NUMBER_RE = re.compile(r"^(?:(?:page|página|p\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:/|of|de|sur)\s*\d{1,4})?$", re.IGNORECASE)


def heading_kind(text: str) -> str | None:
    """"article", "part" or "annex" for a line that is such a heading on its own, else None.

    A heading starts with a capital: "article 35." alone on a line is the end of a
    sentence that cites it."""
    if len(text) > MAX_HEADING_CHARACTERS or not text.strip()[:1].isupper():
        return None
    text = collapse_whitespace(join_letter_spacing(nfkc(text)))
    if _ARTICLE_HEAD_RE.match(text):
        return "article"
    if _PART_HEAD_RE.match(text):
        return "part"
    if _ANNEX_HEAD_RE.match(text):
        return "annex"
    return None


def _article_number(text: str) -> int | None:
    match = _ARTICLE_HEAD_RE.match(collapse_whitespace(nfkc(text)))
    if not match:
        return None
    number = match.group("num")
    if number.lower() in FIRST_WORDS:
        return 1
    digits = re.match(r"\d+", number)
    return int(digits.group(0)) if digits else roman_value(number)


def roman_value(text: str) -> int | None:
    """The value of an upper-case roman numeral ("XV" -> 15), or None."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " "):
        total += -values[a] if b in values and values[b] > values[a] else values[a]
    return total


def headings_are_bold(lines: Sequence[Line]) -> bool:
    """Whether the document sets its article headings in bold (most of them are):
    then bold tells headings and their titles from body text."""
    flags = [l.bold for l in lines if heading_kind(l.text) == "article"]
    return bool(flags) and sum(flags) * 2 > len(flags)


def _heading(line: Line, bold_headings: bool) -> str | None:
    """The kind of heading a line is; where the document sets headings in bold, only a bold line is one."""
    if bold_headings and not line.bold:
        return None
    return heading_kind(line.text)


def page_number_lines(lines: Sequence[Line]) -> set[int]:
    """Indexes of lines that are a printed page number ("44", "- 44 -", "Page 3 of 20")
    at the top or foot of their page: they are no part of the text."""
    edges: dict[int, list[int]] = {}
    for k, line in enumerate(lines):
        if line.text.strip():
            edges.setdefault(line.page, []).append(k)
    found: set[int] = set()
    for ks in edges.values():
        for k in {ks[0], ks[-1]}:
            if _PAGE_NUMBER_RE.match(collapse_whitespace(lines[k].text)):
                found.add(k)
    return found


def _blocks(lines: Sequence[Line], bold_headings: bool = False) -> list[list[Line]]:
    """Runs of printed lines between blank lines (a heading, or a numbered start on
    a new page, also starts one); printed page numbers left out."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    skip = page_number_lines(lines)
    for k, line in enumerate(lines):
        if k in skip:
            continue
        text = line.text.strip()
        if not text:
            if current:
                blocks.append(current)
            current = []
            continue
        if current and (
            _heading(line, bold_headings) is not None
            or (line.page != current[-1].page and _LABEL_START_RE.match(text) and _SENTENCE_END_RE.search(current[-1].text))
            # Headings do not run on over a page break.
            or (line.page != current[-1].page and (line.bold or current[-1].bold))
        ):
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def is_treaty_layout(lines: Sequence[Line]) -> bool:
    """Whether a text is laid out as a treaty: article headings alone on their lines,
    numbered 1, 2, 3 ..., and no numbered paragraph before the first of them."""
    for line in lines:
        text = line.text.strip()
        if _NUMBERED_RE.match(text):
            return False  # numbered paragraphs before any article: a UN document quoting one
        if heading_kind(text) == "article":
            break
    else:
        return False
    numbers: list[int] = []
    bold_headings = headings_are_bold(lines)
    for line in lines:
        text = line.text.strip()
        number = _article_number(text) if _heading(line, bold_headings) == "article" else None
        if number is not None:
            numbers.append(number)
    if not numbers or numbers[0] != 1:
        return False
    run = 1
    for previous, number in zip(numbers, numbers[1:]):
        if number == previous + 1:
            run += 1
            if run >= MIN_ARTICLE_RUN:
                return True
        elif number != previous:
            run = 1
    return False


def split_title(text: str, openers: Counter) -> tuple[str, str]:
    """A heading's title and the sentence printed after it in the same block.

    The title ends before the first capitalised word that opens other blocks of
    the document and follows a longer word (else before any capitalised word
    after a longer word); a block that does not end a sentence is all title, one
    without such a word all text."""
    words = text.split(" ")
    if not _SENTENCE_END_RE.search(text):
        return text, ""  # no sentence after it: a title printed on two lines
    # First a word that opens other blocks, then any capitalised word after a long one.
    for needs_opener in (True, False):
        for k in range(1, min(len(words), MAX_TITLE_WORDS + 1)):
            word, before = words[k], words[k - 1]
            if (
                word[:1].isupper()
                and (openers[word] > 0 or not needs_opener)
                and len(re.sub(r"\W", "", before)) > SHORT_WORD
                and len(words) - k >= 2
            ):
                return " ".join(words[:k]), " ".join(words[k:])
    return "", text


def treaty_lines(lines: Sequence[Line], title: str | None = None) -> list[Line]:
    """The lines of a treaty-layout text as headed blocks for :func:`indexer.units.treaties.split_treaty`."""
    bold_titles = headings_are_bold(lines)
    blocks = _blocks(lines, bold_titles)
    vocabulary = build_vocabulary(nfkc(l.text) for l in lines)
    # Words that open a sentence in this document: the first word of each block
    # after its number or letter.
    openers = Counter(
        _LABEL_START_RE.sub("", collapse_whitespace(nfkc(b[0].text))).split(" ")[0]
        for b in blocks
        if _heading(b[0], bold_titles) is None
    )
    title_text = collapse_whitespace(title or "")
    out: list[Line] = []

    def emit(text: str, first: Line, level: int = 0) -> None:
        out.append(replace(first, text=("#" * level + " " + text) if level else text))

    if not blocks:
        return out
    # The title: the one the reader found, where a block near the top prints it;
    # else the first block (a treaty opens with its title).
    texts = [collapse_whitespace(nfkc(" ".join(l.text for l in b))) for b in blocks[:TITLE_SEARCH_BLOCKS]]
    at = next(
        (k for k, t in enumerate(texts) if title_text and t.lower() == title_text.lower() and not _SENTENCE_END_RE.search(t)),
        None,
    )
    if at is None:
        at, title_text = 0, texts[0]
    emit(title_text, blocks[at][0], 1)
    seen_heading = False
    awaiting_title = False  # a heading printed without its title yet (a blank line between)
    for n, block in enumerate(blocks):
        if n == at:
            continue
        head = collapse_whitespace(join_letter_spacing(nfkc(block[0].text)))
        kind = _heading(block[0], bold_titles)
        if kind is None:
            body = block
            all_bold = bold_titles and all(l.bold for l in block)
            if awaiting_title and all_bold and len(" ".join(l.text for l in block).split()) <= MAX_TITLE_WORDS:
                awaiting_title = False
                emit(join_letter_spacing(join_lines((nfkc(l.text) for l in block), vocabulary)), block[0], 4)
                continue
            awaiting_title = False
            joined = join_lines((nfkc(l.text) for l in body), vocabulary)
            instrument_title = (all_bold or not bold_titles) and is_instrument_title(joined)
            if not seen_heading and all_bold and (not instrument_title or words(joined) == words(title_text)):
                continue  # the title repeated, a heading over the preamble: not text
            if instrument_title:
                # The title of a further instrument in a compilation (the splitter
                # decides by the numbering that follows whether it is one).
                emit(joined, body[0], 2)
                continue
            emit(joined, body[0])
            continue
        seen_heading = True
        emit(head, block[0], 3)
        rest = block[1:]
        if bold_titles:
            title_lines = []
            while rest and rest[0].bold and len(title_lines) < MAX_TITLE_WORDS:
                title_lines.append(rest.pop(0))
            if title_lines:
                emit(join_letter_spacing(join_lines((nfkc(l.text) for l in title_lines), vocabulary)), title_lines[0], 4)
            awaiting_title = not title_lines and not rest
            if rest:
                emit(join_lines((nfkc(l.text) for l in rest), vocabulary), rest[0])
            continue
        if not rest:
            continue
        joined = join_lines((nfkc(l.text) for l in rest), vocabulary)
        if len(rest) > 1 and _LABEL_START_RE.match(rest[1].text.strip()):
            heading_title, sentence = collapse_whitespace(nfkc(rest[0].text)), join_lines((nfkc(l.text) for l in rest[1:]), vocabulary)
        else:
            heading_title, sentence = split_title(joined, openers)
        if heading_title:
            emit(join_letter_spacing(heading_title), rest[0], 4)
        if sentence:
            emit(sentence, rest[0])
    return out
