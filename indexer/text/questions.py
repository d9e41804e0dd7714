"""Questions typed in plain words: which of their words ask, and what kind of answer they ask for.

"How often will the Conference of the Parties meet?" asks for a frequency;
"how", "often" and "will" are the asking, not the subject, and a paragraph that
answers it seldom holds them ("... shall be held every two years"). Search drops
the asking words from a best match and prefers paragraphs that hold an answer of
the kind asked for (``indexer.text.answers`` finds those in the text).

Pure functions over lower-cased words; no index, no engine.
"""
from __future__ import annotations

# The kinds of answer a question can ask for; ``indexer.text.answers`` tags
# paragraphs with the same names.
FREQUENCY = "frequency"
DURATION = "duration"
DATE = "date"
AMOUNT = "amount"
COUNT = "count"
AGENT = "agent"

# Words that only ask: question words and the auxiliaries that open a question.
# Not "shall" or "may": in treaty text they are the provision ("shall communicate").
ASKING_WORDS = frozenset(
    """who whom whose what which when where why how do does did can could would
    will whether""".split()
)

# Opening words -> the kind of answer asked for. Two-word openings are matched
# before one-word ones; the second word of an opening asks too ("how often").
OPENINGS: dict[tuple[str, ...], str] = {
    ("how", "often"): FREQUENCY,
    ("how", "frequently"): FREQUENCY,
    ("how", "long"): DURATION,
    ("how", "soon"): DURATION,
    ("how", "much"): AMOUNT,
    ("how", "many"): COUNT,
    ("when",): DATE,
    ("what", "date"): DATE,
    ("what", "year"): DATE,
    ("which", "year"): DATE,
    ("who",): AGENT,
    ("which", "body"): AGENT,
}
LONGEST_OPENING = max(len(k) for k in OPENINGS)


def answer_kind(words: list[str]) -> str | None:
    """The kind of answer a question asks for, from its first words (lower case); None if none."""
    lowered = [w.lower() for w in words[:LONGEST_OPENING]]
    for length in range(LONGEST_OPENING, 0, -1):
        kind = OPENINGS.get(tuple(lowered[:length]))
        if kind is not None:
            return kind
    return None


def asking_words(words: list[str]) -> set[int]:
    """Positions of the words that only ask: question words, and the rest of an opening."""
    lowered = [w.lower() for w in words]
    asking = {i for i, w in enumerate(lowered) if w in ASKING_WORDS}
    for opening in OPENINGS:
        if tuple(lowered[:len(opening)]) == opening:
            asking.update(range(len(opening)))
    return asking

