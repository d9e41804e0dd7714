"""The query language users type, parsed into a small tree (pure, no engine).

Syntax: words are ANDed; ``"quoted phrase"``; ``OR`` between terms; ``NOT word``
or ``-word``; parentheses group. ``AND`` may be written but is the default.
Anything that cannot be parsed raises QuerySyntaxError with a sentence for the user.

A query is bounded before it is parsed: at most MAX_DEPTH levels of
parentheses and MAX_TERMS words and phrases, else QueryTooComplex names the
limit (the web app answers it with a 400). The parser recurses once per level
of parentheses, so the depth limit also bounds its stack, and everything done
with the tree afterwards (compiling it, correcting its spelling) is bounded by
the term limit. Callers also bound the length (MAX_QUERY_LENGTH, the web app's
default and the CLI's limit); tokenizing is linear in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


# Limits of a query; each a user-facing limit named in the message that refuses it.
MAX_QUERY_LENGTH = 1000  # characters
MAX_DEPTH = 20  # parentheses inside parentheses
MAX_TERMS = 100  # words and phrases


class QuerySyntaxError(ValueError):
    """The query text cannot be understood; the message says how to fix it."""


class QueryTooComplex(ValueError):
    """The query goes past one of the limits above; ``limit`` names which."""

    def __init__(self, limit: str, message: str):
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Word | Phrase | Not | And | Or

# Quotes as typed on any keyboard or pasted from a document.
_QUOTES = "\"“”„«»"
_TOKEN = re.compile(
    r"""
    (?P<phrase>[-]?["“”„«»][^"“”„«»]*["“”„«»]?)   # quoted phrase, maybe negated
    | (?P<lparen>\((?=\s|$|\())                    # a lone "(" groups; "14(a)" is a word
    | (?P<rparen>(?<=\s)\)|^\))
    | (?P<word>[^\s"“”„«»]+)
    """,
    re.VERBOSE,
)
_OPERATORS = {"AND", "OR", "NOT"}
# Punctuation that ends a clause, typed after a word of a question or pasted
# with a sentence: "commission?", "Protocol," are the words "commission", "Protocol".
_CLAUSE_END = "?!,;:"


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split a query into (kind, text) tokens: phrase, word, op, lparen, rparen, neg."""
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "phrase":
            negated = value.startswith("-")
            body = value[1:] if negated else value
            if len(body) < 2 or body[-1] not in _QUOTES:
                raise QuerySyntaxError(
                    "A quotation mark is not closed: add the closing \" or remove the opening one."
                )
            if negated:
                tokens.append(("neg", "-"))
            tokens.append(("phrase", body[1:-1].strip()))
        elif kind == "word":
            tokens.extend(_split_word(value))
        else:
            tokens.append((kind, value))
    return tokens


def _split_word(value: str) -> list[tuple[str, str]]:
    # "(regional" or "centres)" typed against a parenthesis: peel the brackets
    # off unless they belong to the word, as in "14(a)" or "UNEP(DTIE)".
    # (Counted once, not per bracket peeled: a word of 1,000 "(" stays linear.)
    tokens: list[tuple[str, str]] = []
    opening, closing = value.count("("), value.count(")")
    leading = []
    while value.startswith("(") and opening > closing:
        leading.append(("lparen", "("))
        value = value[1:]
        opening -= 1
    trailing = []
    while value.endswith(")") and closing > opening:
        trailing.append(("rparen", ")"))
        value = value[:-1]
        closing -= 1
    tokens.extend(leading)
    value = _without_clause_end(value)
    if value in _OPERATORS:
        tokens.append(("op", value))
    elif value.startswith("-") and len(value) > 1:
        tokens.append(("neg", "-"))
        tokens.append(("word", value[1:]))
    elif value and value != "-":
        tokens.append(("word", value))
    tokens.extend(trailing)
    return tokens


def _without_clause_end(value: str) -> str:
    """A word without the punctuation a sentence puts after it: "commission?" ->
    "commission", "Protocol." -> "Protocol"; a symbol's own final dot stays
    ("Rev.1." loses it, "e.g." keeps it: only a plain word's dot is the sentence's)."""
    stripped = value.rstrip(_CLAUSE_END)
    if stripped.endswith(".") and stripped[:-1].isalpha():
        stripped = stripped[:-1]
    return stripped if stripped else value


def parse(text: str) -> Node | None:
    """Parse query text into a tree; None for an empty query."""
    tokens = tokenize(text)
    if not tokens:
        return None
    check_limits(tokens)
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.position != len(tokens):
        kind, value = tokens[parser.position]
        if kind == "rparen":
            raise QuerySyntaxError("There is a closing parenthesis without an opening one.")
        raise QuerySyntaxError(f"Unexpected {value!r} in the query.")
    if node is None:
        raise QuerySyntaxError("The query has operators but no words to search for.")
    if _only_negative(node):
        raise QuerySyntaxError(
            "The query only excludes words: add at least one word to look for."
        )
    return node


def check_limits(tokens: list[tuple[str, str]]) -> None:
    """Raise QueryTooComplex when the tokens nest deeper than MAX_DEPTH or hold
    more than MAX_TERMS words and phrases."""
    depth = deepest = terms = 0
    for kind, _ in tokens:
        if kind == "lparen":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "rparen":
            depth = max(0, depth - 1)
        elif kind in ("word", "phrase"):
            terms += 1
    if deepest > MAX_DEPTH:
        raise QueryTooComplex(
            "depth", f"The query nests parentheses {deepest} deep: at most {MAX_DEPTH} levels are allowed."
        )
    if terms > MAX_TERMS:
        raise QueryTooComplex(
            "terms", f"The query has {terms} words and phrases: at most {MAX_TERMS} are allowed."
        )


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(child) for child in node.children)
    if isinstance(node, Or):
        return any(_only_negative(child) for child in node.children)
    return False


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary+; unary := NOT? atom."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def parse_or(self):
        children = []
        node = self.parse_and()
        if node is not None:
            children.append(node)
        while self.peek() == ("op", "OR"):
            self.position += 1
            node = self.parse_and()
            if node is None:
                raise QuerySyntaxError("OR needs a word on both sides.")
            if not children:
                raise QuerySyntaxError("OR needs a word on both sides.")
            children.append(node)
        if not children:
            return None
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self):
        children = []
        while True:
            kind, value = self.peek()
            if kind is None or kind == "rparen" or (kind, value) == ("op", "OR"):
                break
            if (kind, value) == ("op", "AND"):
                self.position += 1
                if not children:
                    raise QuerySyntaxError("AND needs a word on both sides.")
                continue
            children.append(self.parse_unary())
        if not children:
            return None
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self):
        kind, value = self.peek()
        if kind == "neg" or (kind, value) == ("op", "NOT"):
            self.position += 1
            next_kind, _ = self.peek()
            if next_kind not in ("word", "phrase", "lparen"):
                raise QuerySyntaxError("NOT (or -) must be followed by a word or a phrase.")
            return Not(self.parse_atom())
        return self.parse_atom()

    def parse_atom(self):
        kind, value = self.peek()
        self.position += 1
        if kind == "word":
            return Word(value)
        if kind == "phrase":
            if not value:
                raise QuerySyntaxError("An empty pair of quotation marks: put words between them.")
            return Phrase(value)
        if kind == "lparen":
            node = self.parse_or()
            if self.peek()[0] != "rparen":
                raise QuerySyntaxError("A parenthesis is not closed: add the missing ).")
            self.position += 1
            if node is None:
                raise QuerySyntaxError("Empty parentheses: put words between them.")
            return node
        if kind == "op":
            raise QuerySyntaxError(f"{value} needs a word on both sides.")
        raise QuerySyntaxError("There is a closing parenthesis without an opening one.")
