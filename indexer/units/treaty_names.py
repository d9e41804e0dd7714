"""A treaty's title -> the name drafters cite it by (pure, given a vocabulary).

Part of the treaty stage (:mod:`indexer.units.treaties`): every unit of a treaty
text is cited under its instrument's name ("Cartagena Protocol, art. 13"). The
name comes from the document's own title read against the vocabulary's
instruments (:mod:`indexer.tagging.vocabulary`):

* a title names its own instrument first: "Cartagena Protocol on Biosafety to
  the Convention on Biological Diversity" is the Protocol, its parent comes
  after "to the"; so only a name the title *opens* with counts (a leading "the"
  or a year aside), and the longest such name wins;
* a word may differ from the vocabulary's by one letter (a typing slip or a
  spelling variant in the published title: "air polution");
* the instrument is cited by an acronym that abbreviates its own name, kind
  word included (UNFCCC, CITES, CBD), else by its first short name ("LRTAP
  Convention": "LRTAP" abbreviates the subject, not the Convention), else by
  its label;
* a title the vocabulary does not know gives "<Name> Convention|Protocol|..."
  from its own words ("Espoo Convention"), or, for a title that opens with its
  kind word ("Protocol on Water and Health to the Convention ..."), the title up
  to where it names its parent.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from indexer.tagging.vocabulary import Instrument, Vocabulary, load_vocabulary
from indexer.text.normalize import collapse_whitespace

# Words that name what kind of instrument a title is.
KIND_WORDS = ("Convention", "Protocol", "Agreement", "Treaty", "Covenant", "Accord", "Convenio", "Acuerdo", "Protocole", "Protocolo")
# A name of the vocabulary is taken from a title only when it has this many words
# or more: a single word ("Convention") says nothing about which one.
MIN_NAME_WORDS = 2
# Words this long or longer may differ by one letter from the vocabulary's spelling.
FUZZY_WORD_LENGTH = 6
# A heading longer than this is not an instrument's title.
MAX_TITLE_WORDS = 40
_KIND_LOWER = frozenset(k.lower() for k in KIND_WORDS)
# An unknown title's "<Name> Convention" is used only when that short.
MAX_SHORT_NAME_WORDS = 6
# Where a title that opens with its kind word starts naming its parent.
_PARENT_RE = re.compile(r"\s+(?:to|under)\s+the\s+", re.IGNORECASE)
_LEADING_RE = re.compile(r"^(?:the|\d{4})$")
_WORD_RE = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lowercased words without accents: the form titles and names are compared in."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD_RE.findall(folded)


def _near(a: str, b: str) -> bool:
    """Equal, or one letter inserted, dropped or changed in a long word."""
    if a == b:
        return True
    if min(len(a), len(b)) < FUZZY_WORD_LENGTH or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _opens_with(title: list[str], name: list[str]) -> bool:
    return len(name) <= len(title) and all(_near(t, n) for t, n in zip(title, name))


def title_instrument(title: str, vocabulary: Vocabulary) -> Instrument | None:
    """The instrument a treaty's title names first, or None."""
    title_words = words(title)
    best: tuple[int, Instrument] | None = None
    for skip in range(0, 3):  # "The ...", "1996 Protocol ..." keep the year; try both
        if skip and not (len(title_words) > skip and _LEADING_RE.match(title_words[skip - 1])):
            break
        rest = title_words[skip:]
        for instrument in vocabulary.instruments:
            for name in instrument.names:
                name_words = words(name)
                if len(name_words) >= MIN_NAME_WORDS and _opens_with(rest, name_words):
                    if best is None or len(name_words) > best[0]:
                        best = (len(name_words), instrument)
    return best[1] if best else None


def abbreviates(acronym: str, name: str, kind: str) -> bool:
    """Whether ``acronym`` spells the initials of ``name``, its kind word included
    (CITES for "Convention on International Trade in Endangered Species ...")."""
    capitals = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if w[0].isupper()]
    kind_at = next((i for i, w in enumerate(capitals) if w.lower() == kind.lower()), None)
    if kind_at is None:
        return False
    at = 0
    used: list[int] = []
    for letter in acronym:
        while at < len(capitals) and capitals[at][0] != letter:
            at += 1
        if at == len(capitals):
            return False
        used.append(at)
        at += 1
    return kind_at in used


def cited_name(instrument: Instrument) -> str:
    """The name a drafter cites the instrument by."""
    for acronym in instrument.acronyms:
        if any(abbreviates(acronym, name, instrument.kind) for name in instrument.full_names):
            return acronym
    if instrument.short_names:
        return instrument.short_names[0]
    return instrument.label


def name_from_title(title: str) -> str:
    """The citation name of a treaty the vocabulary does not know, from its title alone."""
    title = collapse_whitespace(title)
    kinds = "|".join(KIND_WORDS)
    match = re.match(rf"^(.*?\b(?:{kinds}))\b", title, re.IGNORECASE)
    if match and len(match.group(1).split()) == 1:
        # "Protocol on Water and Health to the 1992 Convention ...": the own name
        # runs up to where the parent is named.
        return _PARENT_RE.split(title, maxsplit=1)[0]
    if match and len(match.group(1).split()) <= MAX_SHORT_NAME_WORDS:
        return match.group(1)
    return title


def is_instrument_title(text: str, vocabulary: Vocabulary | None = None) -> bool:
    """Whether a heading is the title of an instrument: one the vocabulary knows, or
    a short heading (not a sentence) whose first words hold a kind word
    ("Kyoto Protocol to the United Nations Framework Convention ...")."""
    text = collapse_whitespace(text)
    if not text or re.search(r"[.;:]$", text) or len(text.split()) > MAX_TITLE_WORDS:
        return False
    vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
    if title_instrument(text, vocabulary) is not None:
        return True
    # "Kyoto Protocol ...", "1996 Protocol ...": capitalised words (or a year) up to the kind word.
    for word in text.split()[:MAX_SHORT_NAME_WORDS]:
        if not (word[:1].isupper() or word.isdigit()):
            return False
        if word.strip(",").lower() in _KIND_LOWER:
            return True
    return False


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The packaged vocabulary, read once."""
    return load_vocabulary()


def names_fingerprint(vocabulary: Vocabulary | None = None) -> str:
    """A digest of what naming reads from the vocabulary (instruments' kinds, names
    and acronyms): extractions are stale when it changes, not when themes do."""
    vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
    content = repr([(i.id, i.kind, i.names, i.acronyms, i.label) for i in vocabulary.instruments])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]


def citation_name(title: str, vocabulary: Vocabulary | None = None) -> str:
    """The name units of a treaty with this title are cited under."""
    vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
    instrument = title_instrument(title, vocabulary)
    if instrument is not None:
        return cited_name(instrument)
    return name_from_title(title)
