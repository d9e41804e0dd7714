"""Typeset the seed note's expected paragraphs as a differently laid-out PDF.

US letter paper, Helvetica 11 pt, paragraph numbers hanging in the left margin,
subparagraph letters set in, quoted treaty text indented, words hyphenated at
line ends, running header with the symbol, page numbers at the foot and a
footnote on page 1. Used by tests/test_extract_seed.py to check that extraction
does not depend on one rendering.
"""
from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 11.0, 14.0
WIDTH, HEIGHT = letter
LEFT, RIGHT, TOP, BOTTOM = 92.0, WIDTH - 70.0, HEIGHT - 86.0, 96.0
NUMBER_X = 52.0


class Typesetter:
    def __init__(self, path: Path, words: set[str]):
        self.canvas = canvas.Canvas(str(path), pagesize=letter)
        self.canvas.setTitle(SYMBOL)
        self.words = words  # the document's words: hyphenate only where both halves are not
        self.page = 1
        self.y = TOP
        self.hyphenated: list[str] = []

    def _new_page(self) -> None:
        self.canvas.setFont(FONT, 8)
        self.canvas.drawRightString(WIDTH - 70, 40, str(self.page))
        self.canvas.showPage()
        self.page += 1
        self.canvas.setFont(FONT, 9)
        self.canvas.drawString(LEFT, HEIGHT - 50, SYMBOL)
        self.y = TOP

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._new_page()

    def _break_word(self, word: str, room: float, font: str, size: float):
        """Split ``word`` so its head and a hyphen fit in ``room``; None if it should not be split."""
        if "-" in word:
            head, _, tail = word.partition("-")
            joined = (head + tail).lower().strip(".,;:")
            if head.isalpha() and tail and joined not in self.words and stringWidth(head + "-", font, size) <= room:
                return head + "-", tail
            return None
        core = word.rstrip(".,;:)")
        if not core.isalpha() or len(core) < 9:
            return None
        for cut in range(len(core) - 4, 3, -1):
            head, tail = word[:cut], word[cut:]
            if head.lower() in self.words or tail.lower().strip(".,;:)") in self.words:
                continue
            if stringWidth(head + "-", font, size) <= room:
                return head + "-", tail
        return None

    def wrap(self, text: str, first_x: float, rest_x: float, right: float, font=None, size=None):
        font, size = font or FONT, size or SIZE
        words = text.split()
        lines, current, x = [], "", first_x
        while words:
            word = words[0]
            candidate = f"{current} {word}".strip()
            if stringWidth(candidate, font, size) <= right - x:
                current = candidate
                words.pop(0)
                continue
            room = right - x - stringWidth(current + " ", font, size)
            split = self._break_word(word, room, font, size) if current else None
            if split:
                head, tail = split
                self.hyphenated.append(head + tail)
                lines.append((x, f"{current} {head}".strip()))
                words[0] = tail
            else:
                lines.append((x, current))
            current, x = "", rest_x
        if current:
            lines.append((x, current))
        return lines

    def draw_lines(self, lines, font=None, size=None, leading=None, number=None, number_x=NUMBER_X):
        font, size, leading = font or FONT, size or SIZE, leading or LEADING
        for k, (x, text) in enumerate(lines):
            self._need(leading)
            self.canvas.setFont(font, size)
            if k == 0 and number:
                self.canvas.drawString(number_x, self.y, number)
            self.canvas.drawString(x, self.y, text)
            self.y -= leading

    def gap(self, height: float) -> None:
        self.y -= height


def render(path: Path, units: list[dict], plain: bool = False) -> list[str]:
    """Write the PDF; return the words that were hyphenated at a line end.

    ``plain``: headings in the body type (not bold, same size) and no space
    between paragraphs, so only the text itself tells where units start.
    """
    global FONT, BOLD, SIZE, LEADING
    saved = FONT, BOLD, SIZE, LEADING
    if plain:
        FONT = BOLD = "Times-Roman"
        SIZE, LEADING = 10.5, 13.0
    try:
        return _render(path, units, plain)
    finally:
        FONT, BOLD, SIZE, LEADING = saved


def _render(path: Path, units: list[dict], plain: bool) -> list[str]:
    words = {w.lower() for u in units for w in re.findall(r"[A-Za-z]+", u["text"])}
    setter = Typesetter(path, words)
    gap = 0.0 if plain else 1.0
    c = setter.canvas
    c.setFont(BOLD, 14)
    c.drawString(LEFT, HEIGHT - 60, "UNITED NATIONS")
    c.setFont(BOLD, 12)
    c.drawRightString(RIGHT, HEIGHT - 60, SYMBOL)
    c.setFont(FONT, 8)
    c.drawRightString(RIGHT, HEIGHT - 74, "Distr.: General")
    setter.y = HEIGHT - 120
    setter.draw_lines([(LEFT, "Note by the secretariat")], font=BOLD, size=15, leading=26)
    # The footnote of page 1.
    c.line(LEFT, 70, LEFT + 120, 70)
    c.setFont(FONT, 7.5)
    c.drawString(LEFT, 58, "*  UNEP(DTIE)/Hg/INC.1/1.")
    section = None
    for unit in units:
        if unit["section"] != section and unit["section"]:
            section = unit["section"]
            setter.gap(8 * gap)
            setter._need(3 * LEADING)
            head_size = SIZE if plain else 12
            setter.draw_lines(setter.wrap(section, LEFT, LEFT, RIGHT, BOLD, head_size), font=BOLD, size=head_size,
                              leading=LEADING if plain else 15)
            setter.gap(6 * gap)
        number = unit["paragraph"]
        text = unit["text"]
        if "(" in number:
            letter_label = number[number.index("("):]
            lines = setter.wrap(text, LEFT + 26, LEFT, RIGHT)
            setter.draw_lines(lines, number=letter_label, number_x=LEFT)
        else:
            lead, quote = text, None
            if " states: " in text:
                lead, quote = text.split(" states: ", 1)
                lead += " states:"
            setter.draw_lines(setter.wrap(lead, LEFT, LEFT, RIGHT), number=f"{number}.")
            if quote:
                setter.gap(5 * gap)
                setter.draw_lines(setter.wrap(quote, LEFT + 36, LEFT + 36, RIGHT - 36))
        setter.gap(7 * gap)
    c.setFont(FONT, 8)
    c.drawRightString(WIDTH - 70, 40, str(setter.page))
    c.save()
    return setter.hyphenated
