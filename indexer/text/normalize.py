"""Pure text functions used between the readers and the paragraph splitter.

Readers hand over physical lines as printed; before lines become the text of a
citable unit they are normalised here: compatibility forms folded (NFKC turns the
ligature "ﬁ" into "fi"), soft hyphens dropped, words broken at a line end joined
again (but real compounds such as "capacity-building" keep their hyphen), footnote
markers glued to words removed, and whitespace collapsed. Nothing here reads a
file; the de-hyphenation decision takes the document's own vocabulary as an
argument so it can be tested as a table.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

SOFT_HYPHEN = "\u00ad"
# Hyphen-like characters a typesetter may print at the end of a line.
LINE_END_HYPHENS = "-\u2010\u2011\u00ad"
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011'’][^\W\d_]+)*", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")
# Superscript digits and signs are footnote references when they follow a word;
# NFKC would otherwise turn "Convention²" into "Convention2".
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_MARKER_RE = re.compile(rf"(?<=\w)[{_SUPERSCRIPTS}]+")
# Prefixes that form compounds with a hyphen in UN English ("sub-", "co-",
# "non-"): without other evidence a line-end hyphen after them is kept.
COMPOUND_PREFIXES = frozenset(
    "anti co counter cross inter intra mid multi non para post pre pro quasi re "
    "self semi sub super trans ultra".split()
)


# How the tail of a word broken by a typesetter usually begins.
WORD_ENDINGS = tuple(
    "ment tion sion ing ed ly ness it al ence ance able ible ous ive ism ist iz is er es ary ory ial ian ic ure "
    "ate at ful less ship hood ward".split()
)


# Symbol-font characters that PDFs map to the private use area (U+F02A is "*").
_SYMBOL_FONT = {code: chr(code - 0xF000) for code in range(0xF020, 0xF07F)}
_SYMBOL_FONT.update({0xF0B7: "\u2022", 0xF0A7: "\u25aa", 0xF0D8: "\u27a2"})


# Format characters (Unicode category Cf) print nothing: word joiners (U+2060),
# zero-width spaces, byte-order marks, direction marks. They are dropped, except
# the zero-width (non-)joiners that shape letters in Arabic and Indic scripts,
# and the soft hyphen, which :func:`nfkc` treats itself (it marks a broken word).
KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d" + SOFT_HYPHEN)
# A word set letter by letter ("C h a r t s"): at least this many single letters.
MIN_SPACED_LETTERS = 3
_SPACED_RUN_RE = re.compile(r"(?<!\S)(?:[^\W\d_] ){%d,}[^\W\d_](?!\S)" % (MIN_SPACED_LETTERS - 1))
_WIDE_GAP_RE = re.compile(r"\s{2,}")
_LETTERS_ONLY_RE = re.compile(r"^\S(?: \S)+$")


def strip_invisible(text: str) -> str:
    """``text`` without the format characters that print nothing (U+2060, U+200B, U+FEFF...)."""
    if text.isascii():
        return text
    return "".join(c for c in text if c in KEPT_FORMAT_CHARACTERS or unicodedata.category(c) != "Cf")


def join_letter_spacing(text: str) -> str:
    """Words set letter by letter joined again: "C h a r t s  a n d  l i s t s" -> "Charts and lists".

    A wider gap (two spaces or more) separates the words; without wider gaps a
    run of single letters is one word. Ordinary text is returned unchanged."""
    if not _SPACED_RUN_RE.search(text):
        return text
    if _WIDE_GAP_RE.search(text.strip()):
        parts = _WIDE_GAP_RE.split(text.strip())
        return " ".join(part.replace(" ", "") if _LETTERS_ONLY_RE.match(part) else part for part in parts)
    return _SPACED_RUN_RE.sub(lambda m: m.group(0).replace(" ", ""), text)


def nfkc(text: str) -> str:
    """Compatibility-normalise ``text`` (ligatures, full-width forms, NBSP), drop soft
    hyphens and invisible format characters."""
    text = strip_invisible(text)
    text = text.translate(_SYMBOL_FONT)
    text = _SUPERSCRIPT_MARKER_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    # A soft hyphen ending a line marks a word broken by the typesetter: keep that one.
    stripped = text.rstrip()
    trailing = stripped.endswith(SOFT_HYPHEN)
    text = text.replace(SOFT_HYPHEN, "")
    return text.rstrip() + SOFT_HYPHEN if trailing else text


def collapse_whitespace(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACE_RE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case; hyphenated compounds stay one word."""
    return [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]


def build_vocabulary(lines: Iterable[str]) -> Counter:
    """Word counts of a document, for de-hyphenation evidence.

    A word broken at a line end ("environ-" / "mentally") is not counted, so the
    fragments do not vouch for themselves; a hyphenated compound counts as itself
    and as each of its parts ("capacity-building", "capacity", "building").
    """
    vocabulary: Counter = Counter()
    previous_broken = False
    for line in lines:
        text = nfkc(line).rstrip()
        found = words(text)
        if previous_broken and found:
            found = found[1:]
        broken = bool(text) and text[-1] in LINE_END_HYPHENS and len(text) > 1 and text[-2].isalpha()
        if broken and found:
            found = found[:-1]
        previous_broken = broken
        for word in found:
            vocabulary[word] += 1
            if "-" in word:
                vocabulary.update(part for part in word.split("-") if part)
    return vocabulary


def join_hyphenated(left: str, right: str, vocabulary: Counter | dict) -> str:
    """Join ``left`` (printed before a line-end hyphen) and ``right`` (first word of the next line).

    Returns the word as it should read: "environ"+"mentally" -> "environmentally",
    "capacity"+"building" -> "capacity-building". Evidence, in order: a capital
    letter or digit after the break keeps the hyphen ("pre-2020", "Asia-Pacific");
    then whichever of the hyphenated and the joined form the document uses more
    elsewhere; then, when neither is attested, the hyphen stays if both halves are
    words of the document or the left half is a compound prefix, else the word is
    joined.
    """
    if not left or not right:
        return left + "-" + right
    if not right[0].isalpha() or right[0].isupper() or not left[-1].isalpha():
        return f"{left}-{right}"
    left_key, right_key = left.lower(), right.lower()
    # Only the word parts count: "building;" -> "building".
    right_word = re.match(r"[^\W\d_]+", right_key)
    right_word = right_word.group(0) if right_word else right_key
    left_word = re.search(r"[^\W\d_]+$", left_key)
    left_word = left_word.group(0) if left_word else left_key
    hyphenated = vocabulary.get(f"{left_word}-{right_word}", 0)
    joined = vocabulary.get(f"{left_word}{right_word}", 0)
    if hyphenated > joined:
        return f"{left}-{right}"
    if joined > hyphenated:
        return left + right
    if hyphenated:  # both attested equally often: keep what was printed
        return f"{left}-{right}"
    # Left half: "the last part of a compound" ("ozone-depleting-" + "substance").
    last_part = left_word.split("-")[-1]
    if vocabulary.get(last_part, 0) and vocabulary.get(right_word, 0):
        return f"{left}-{right}"
    # A word of the document before a compound that goes on ("ozone-" + "depletion-potential").
    if vocabulary.get(last_part, 0) and re.match(r"[^\W\d_]+-[^\W\d_]", right_key):
        return f"{left}-{right}"
    if last_part in COMPOUND_PREFIXES:
        return f"{left}-{right}"
    # A whole word of the document before the break, and after it no word ending
    # a typesetter would split off ("develop-" + "mental"): a compound.
    if len(last_part) >= 3 and vocabulary.get(last_part, 0) and not right_word.startswith(WORD_ENDINGS):
        return f"{left}-{right}"
    return left + right


def join_lines(lines: Iterable[str], vocabulary: Counter | dict) -> str:
    """Join printed lines into running text, repairing words broken at line ends."""
    out = ""
    for raw in lines:
        line = collapse_whitespace(raw)
        if not line:
            continue
        if not out:
            out = line
            continue
        last_token = out.rsplit(" ", 1)[-1]
        if out[-1] == SOFT_HYPHEN:
            out = out[:-1] + line
        elif out[-1] in "/-" and ("/" in last_token[:-1] or last_token.startswith(("http", "www."))):
            # A web address broken at a slash or hyphen continues without a space.
            out = out + line
        elif (
            out[-1] in LINE_END_HYPHENS
            and len(out) > 1
            and out[-2].isalpha()
            and line[0].isalnum()
        ):
            match = re.search(r"(\S*?)[" + LINE_END_HYPHENS + r"]$", out)
            left = match.group(1)
            head, _, tail = line.partition(" ")
            word = join_hyphenated(left, head, vocabulary)
            out = out[: match.start()] + word + ((" " + tail) if tail else "")
        else:
            out = out + " " + line
    return out


def footnote_marker_pattern(markers: Iterable[str]) -> re.Pattern | None:
    """A pattern for known footnote ``markers`` glued to the end of a word, or None."""
    alternatives = sorted({m for m in markers if m}, key=len, reverse=True)
    if not alternatives:
        return None
    body = "|".join(re.escape(m) for m in alternatives)
    # After a lower-case letter, a closing quote or bracket, or punctuation that
    # follows a lower-case letter (never after a capital or a digit: "CO2",
    # "1/CP.21", "SC-2/9" are not references); before a space, punctuation or
    # the end.
    return re.compile(
        rf"(?:(?<=[a-z\)\]”’\"'])|(?<=[a-z][.,;:]))(?:{body})(?=[\s,.;:)\]”’]|$)"
    )


def strip_footnote_markers(text: str, markers: Iterable[str]) -> str:
    """Remove footnote reference ``markers`` glued to words ("secretariat*", "Sea1 on")."""
    pattern = footnote_marker_pattern(markers)
    if pattern is None:
        return text
    return pattern.sub("", text)


def clean_unit_text(lines: Iterable[str], vocabulary: Counter | dict, markers: Iterable[str] = ()) -> str:
    """The text of a unit from its printed lines: normalised, joined, markers removed."""
    text = join_lines((nfkc(line) for line in lines), vocabulary)
    text = strip_footnote_markers(text, markers)
    return collapse_whitespace(text)
