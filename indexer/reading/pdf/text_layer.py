"""Whether a page's text layer reads as text: character statistics of the decoded page (pure).

A PDF whose fonts carry no usable Unicode map decodes to the wrong characters:
control codes, unassigned code points, phonetic letters, or letters of several
unrelated scripts side by side ("ɪɚɣɨɧ", "ㅢпᶗ䘸"). Text in any language has one
script of its own (Latin, Cyrillic, Arabic, Han...), with Latin, digits and
punctuation beside it. So a character is *stray* when it is a control code, an
unassigned or private-use code point, a phonetic or modifier letter, or a letter
of a script that is neither Latin nor the page's main script; a page whose share
of stray characters reaches ``STRAY_SHARE`` does not read right.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# Share of stray characters from which a page's text layer is taken as unreadable.
# Measured: good pages in English, French and Spanish stay under 0.5 %; the Arabic,
# Chinese and Russian BBNJ PDFs of the shared corpus, whose fonts lack a Unicode
# map, run from 20 % to 100 %.
STRAY_SHARE = 0.05
# Pages with fewer visible characters than this say too little to judge.
MIN_CHARACTERS = 40
# Blocks of phonetic and modifier letters: rare in running text, typical of glyphs
# decoded through a wrong font encoding.
_PHONETIC_BLOCKS = ((0x0250, 0x02FF), (0x1D00, 0x1DBF))
# Scripts named by the first word of a character's Unicode name.
_SCRIPT_ALIASES = {"CJK": "HAN", "HIRAGANA": "KANA", "KATAKANA": "KANA", "HANGUL": "HANGUL"}


@dataclass(frozen=True)
class TextLayerStats:
    """What a page's characters say about its text layer."""

    characters: int  # visible characters counted
    stray: int  # of them, stray (see the module docstring)
    script: str  # the page's main script of letters ("LATIN", "CYRILLIC", "HAN"...)

    @property
    def share(self) -> float:
        return self.stray / self.characters if self.characters else 0.0

    @property
    def readable(self) -> bool:
        """True unless the page says enough and too much of it is stray."""
        return self.characters < MIN_CHARACTERS or self.share < STRAY_SHARE


# What a character is, for the count: STRAY, the script of a letter, or None.
STRAY = "stray"


@lru_cache(maxsize=8192)
def _kind(char: str) -> str | None:
    """STRAY for a stray character by its form, else its script if a letter, else None."""
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs") or (category == "Cc" and char not in "\t\n\r\f"):
        return STRAY
    code = ord(char)
    if any(low <= code <= high for low, high in _PHONETIC_BLOCKS):
        return STRAY
    if not category.startswith("L"):
        return None
    # The script of a letter by its Unicode name ("LATIN", "CYRILLIC", "ARABIC", "HAN").
    name = unicodedata.name(char, "")
    word = name.split(" ", 1)[0] if name else "UNKNOWN"
    return _SCRIPT_ALIASES.get(word, word)


def text_layer_stats(text: str) -> TextLayerStats:
    """Count the visible characters of ``text`` and how many of them are stray."""
    # Each distinct character is judged once: a page has a few hundred of them.
    visible = stray = 0
    scripts: dict[str, int] = {}
    for char, count in Counter(text).items():
        if char.isspace():
            continue
        visible += count
        kind = _kind(char)
        if kind == STRAY:
            stray += count
        elif kind:
            scripts[kind] = scripts.get(kind, 0) + count
    non_latin = {s: n for s, n in scripts.items() if s != "LATIN"}
    main = max(non_latin, key=non_latin.get) if non_latin else "LATIN"
    # Kana and Hangul are written beside Han in Japanese and Korean.
    companions = {"HAN": {"KANA", "HANGUL"}, "KANA": {"HAN"}, "HANGUL": {"HAN"}}.get(main, set())
    stray += sum(n for s, n in non_latin.items() if s != main and s not in companions)
    return TextLayerStats(visible, stray, main)
