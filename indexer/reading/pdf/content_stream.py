"""PDF content streams as operators with their operands, for text extraction.

A pure function of the stream's bytes: no PDF library. The text reader walks
every operator of every page, and a general PDF object parser (a Python object
and several method calls per token) costs more than everything the reader does
with the operators. Here one regular expression finds each token and operands
are plain Python values:

- numbers -> float
- literal and hexadecimal strings -> bytes (escapes resolved)
- names -> str, with the slash ("/F1")
- arrays -> list; dictionaries -> tuple of their tokens (only skipped past)
- true, false, null -> str ("true"...)

Inline images (``BI ... ID <binary data> EI``) are skipped whole. Anything that
is not a token (a stray delimiter) is skipped, so damaged content gives fewer
operators, never an exception.
"""
from __future__ import annotations

import re
from typing import Iterator

# Whitespace and comments between tokens, skipped by a pattern of its own: as
# a repeated alternative inside the token pattern the regular-expression engine
# kept a backtracking frame per byte (about 117 bytes of memory and 1 us for
# each byte of whitespace). Every repeat below is possessive (``*+``, ``++``) or
# a repeat of a single character class, so matching never backtracks into a
# repeat: the work is linear in the length of the stream, whatever it holds.
_SPACE_RE = re.compile(rb"[\s\x00]*+(?:%[^\r\n]*+[\s\x00]*+)*+")
_LITERAL = rb"\((?:[^()\\]++|\\.)*+\)"  # a literal string without nested parentheses
_HEX = rb"<[0-9A-Fa-f\s\x00]*+>"
_NUMBER = rb"[+-]?+(?:\d++\.?+\d*+|\.\d++)"
_TOKEN_RE = re.compile(
    rb"""
        (?P<array>\[(?:[\s\x00]*+(?:""" + _LITERAL + rb"|" + _HEX + rb"|" + _NUMBER + rb"""))*+[\s\x00]*+\])
                                                # an array of strings and numbers (TJ), read in one go
      | (?P<num>""" + _NUMBER + rb""")(?![^\s\x00()<>\[\]{}/%])
      | (?P<str>""" + _LITERAL + rb""")
      | (?P<name>/[^\s\x00()<>\[\]{}/%]*+)
      | (?P<hex>""" + _HEX + rb""")
      | (?P<open>\[) | (?P<close>\]) | (?P<dict><<) | (?P<dict_end>>>)
      | (?P<op>[^\s\x00()<>\[\]{}/%]++)
      | (?P<paren>\()                           # a literal string with nested parentheses
      | (?P<stray>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ARRAY_ITEM_RE = re.compile(_LITERAL + rb"|" + _HEX + rb"|" + _NUMBER, re.DOTALL)
# The bytes that matter inside a literal string with nested parentheses.
_STRING_DELIMITER_RE = re.compile(rb"[()\\]")
_ESCAPE_RE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NOT_HEX_RE = re.compile(rb"[^0-9A-Fa-f]")
_INLINE_IMAGE_END_RE = re.compile(rb"[\s\x00]EI(?=[\s\x00]|$)")
_KEYWORD_OPERANDS = {b"true": "true", b"false": "false", b"null": "null"}


def operations(data: bytes) -> Iterator[tuple[bytes, list]]:
    """Each operator of ``data`` with the operands written before it."""
    operands: list = []
    enclosing: list[list] = []  # operand lists of the arrays and dictionaries we are inside
    match, skip = _TOKEN_RE.match, _SPACE_RE.match
    pos, end = 0, len(data)
    while True:
        pos = skip(data, pos).end()
        if pos >= end:  # only whitespace or a comment was left
            return
        found = match(data, pos)
        pos = found.end()  # never None: "stray" matches any byte
        kind = found.lastgroup
        if kind == "array":
            operands.append([
                (unescape(item[1:-1]) if 0x5C in item else item[1:-1]) if item[0] == 0x28
                else _hex(item) if item[0] == 0x3C else float(item)
                for item in _ARRAY_ITEM_RE.findall(found.group(kind))
            ])
        elif kind == "num":
            operands.append(float(found.group(kind)))
        elif kind == "str":
            operands.append(unescape(found.group(kind)[1:-1]))
        elif kind == "name":
            operands.append(found.group(kind).decode("latin-1"))
        elif kind == "op":
            word = found.group(kind)
            keyword = _KEYWORD_OPERANDS.get(word)
            if keyword is not None or enclosing:
                operands.append(keyword or word.decode("latin-1"))
            elif word == b"ID":  # inline image data: binary up to the EI that ends it
                image_end = _INLINE_IMAGE_END_RE.search(data, pos)
                pos = image_end.end() if image_end else end
                operands = []
            else:
                yield word, operands
                operands = []
        elif kind == "open" or kind == "dict":
            enclosing.append(operands)
            operands = []
        elif kind == "close" or kind == "dict_end":
            if enclosing:
                inner = operands
                operands = enclosing.pop()
                operands.append(inner if kind == "close" else tuple(inner))
        elif kind == "hex":
            operands.append(_hex(found.group(kind)))
        elif kind == "paren":
            body, pos = _balanced_string(data, pos)
            operands.append(unescape(body))
        # "stray": a delimiter out of place, skipped


def unescape(body: bytes) -> bytes:
    """The bytes a literal string's body stands for (``\\n``, ``\\(``, ``\\053``, line continuations)."""
    if b"\\" not in body:
        return body
    return _ESCAPE_RE.sub(_unescape_one, body)


def _hex(token: bytes) -> bytes:
    """The bytes of a hexadecimal string token ``<...>``; an odd last digit is padded with 0."""
    try:
        return bytes.fromhex(token[1:-1].decode("ascii"))  # skips ASCII whitespace itself
    except ValueError:
        pass
    digits = _NOT_HEX_RE.sub(b"", token)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _unescape_one(found: re.Match) -> bytes:
    octal, newline, char = found.groups()
    if octal is not None:
        return bytes([int(octal, 8) & 0xFF])
    if newline is not None:
        return b""
    return _SIMPLE_ESCAPES.get(char, char)


def _balanced_string(data: bytes, start: int) -> tuple[bytes, int]:
    """The body of a literal string opened just before ``start``, and where it ends."""
    depth = 1
    search = _STRING_DELIMITER_RE.search
    i = start
    while True:
        found = search(data, i)
        if found is None:
            return data[start:], len(data)
        i = found.start()
        byte = data[i]
        if byte == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if byte == 0x28:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return data[start:i], i + 1
        i += 1
