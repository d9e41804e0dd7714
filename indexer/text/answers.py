"""Which kinds of answer a paragraph holds: a frequency, a duration, a date, an amount, a count.

A question asks for a kind of answer ("How often ...?" a frequency, see
``indexer.text.questions``), and the paragraph that answers it says it in a few
set ways ("every two years", "within six months", "on 20 September 2023",
"50 per cent", "composed of 15 members"). Each unit is tagged at indexing with
the kinds its text holds, so a question can prefer the units that could answer it.

Pure functions over a unit's text; the patterns are English, the language of
the ranked fields.
"""
from __future__ import annotations

import re

from indexer.text.questions import AGENT, AMOUNT, COUNT, DATE, DURATION, FREQUENCY

_NUMBER = (
    r"(?:\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred)"
)
# "six (6) months": a number spelled out and repeated in figures.
_QUANTITY = rf"{_NUMBER}(?:\s*\(\d+\))?"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PERIOD = r"(?:calendar\s+|working\s+|consecutive\s+)?(?:days?|weeks?|months?|years?)"

PATTERNS: dict[str, re.Pattern] = {
    FREQUENCY: re.compile(
        rf"\bevery\s+(?:{_QUANTITY}\s+)?(?:days?|weeks?|months?|years?|session)\b"
        r"|\b(?:once|twice|three times)\s+(?:a|each|per|every)\b"
        r"|\b(?:annually|biennially|yearly|quarterly|periodically)\b"
        r"|\b(?:on\s+an?|at\s+an?)\s+(?:annual|biennial|regular|yearly)\s+basis\b"
        r"|\b(?:each|per)\s+(?:year|annum)\b"
        rf"|\bat\s+(?:regular\s+)?intervals\b|\bintervals\s+of\s+{_QUANTITY}\b",
        re.IGNORECASE,
    ),
    DURATION: re.compile(
        rf"\b{_QUANTITY}\s+{_PERIOD}\b|\bperiod\s+of\s+{_QUANTITY}\b",
        re.IGNORECASE,
    ),
    DATE: re.compile(
        rf"\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b|\b{_MONTH}\s+\d{{4}}\b"
        r"|\b(?:in|by|since|until|from|before|after|of)\s+(?:19|20)\d{2}\b",
    ),
    AMOUNT: re.compile(
        r"\bper\s+cent\b|\d\s*%|\b(?:EUR|USD|US\$|CHF|GBP)\s?\d|[$€£]\s?\d"
        rf"|\b{_NUMBER}\s+(?:million|billion|thousand)\b|\b(?:dollars|euros)\b",
        re.IGNORECASE,
    ),
    COUNT: re.compile(
        rf"\b(?:composed|consist(?:s|ing)?|comprising|made\s+up)\s+of\s+(?:up\s+to\s+|not\s+more\s+than\s+|at\s+least\s+)?{_QUANTITY}\b"
        rf"|\b{_QUANTITY}\s+(?:[A-Za-z-]+\s+){{0,2}}(?:members|experts|representatives|judges|persons|officers|seats|"
        r"States|Parties|countries|ratifications|instruments|Vice-Chairs|Vice-Presidents|Co-Chairs)\b",
        re.IGNORECASE,
    ),
    # Who holds a role: "shall be chaired by", "presided over by", "shall serve as".
    AGENT: re.compile(
        r"\b(?:chaired|co-chaired|presided\s+over|headed|led|hosted|convened|administered|elected)\s+by\b"
        r"|\bshall\s+(?:serve|act)\s+as\b",
        re.IGNORECASE,
    ),
}


def answer_kinds(text: str) -> tuple[str, ...]:
    """The kinds of answer ``text`` holds, in the order of PATTERNS."""
    return tuple(kind for kind, pattern in PATTERNS.items() if pattern.search(text))
