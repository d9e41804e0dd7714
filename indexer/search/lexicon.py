"""What search needs from the vocabulary: labels and the other forms of a term.

A thin view over ``indexer.tagging.vocabulary`` so search does not depend on how the
vocabulary file is laid out: instrument and theme labels for facets, and the
alternatives of an acronym or a long name for query expansion (both ways).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Callable

from indexer.text.analysis import STOP_WORDS, stemmed_terms
from indexer.text.questions import ASKING_WORDS


# Shorter words of the names ("Law", "Sea") are left out of spelling candidates:
# too many typed words are within two edits of them.
MIN_SPELLING_WORD = 5


def _key(text: str) -> tuple[str, ...]:
    # Compare forms by their stems, so "ozone-depleting substance" finds the
    # entry written "ozone-depleting substances".
    return tuple(stemmed_terms(re.sub(r"[-/]", " ", text)))


@dataclass
class Lexicon:
    instrument_labels: dict[str, str] = field(default_factory=dict)
    theme_labels: dict[str, str] = field(default_factory=dict)
    # acronym -> long forms, as the vocabulary lists them
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # text -> theme ids the text signals (the tagger's own rule, so a query
    # naming a theme and a paragraph tagged with it agree)
    find_themes: Callable[[str], list[str]] | None = None
    # text -> ids of the instruments the whole text names ("Basel", "Paris Agreement")
    instruments_named: Callable[[str], tuple[str, ...]] | None = None
    # text -> ids of the instruments named anywhere in it ("... under the Nagoya Protocol?")
    instruments_mentioned: Callable[[str], tuple[str, ...]] | None = None
    # the vocabulary itself, for reading references at query time
    vocabulary: object = None

    def __post_init__(self):
        self._by_key: dict[tuple[str, ...], set[str]] = {}
        for acronym, long_forms in self.acronyms.items():
            forms = {acronym, *long_forms}
            for form in forms:
                key = _key(form) if " " in form or "-" in form else (form.lower(),)
                self._by_key.setdefault(key, set()).update(f for f in forms if f != form)
        self._acronym_keys = {a.lower(): a for a in self.acronyms}
        # The first stems of the long forms: a run of words starting otherwise is none.
        self._long_form_starts = {key[0] for key in self._by_key if len(key) > 1}

    @cached_property
    def spelling_words(self) -> frozenset[str]:
        """The lower-case words of the instruments' names and the acronyms, for
        spelling corrections ("Minamta" -> "minamata", though no unit prints it)."""
        names = list(self.instrument_labels.values())
        if self.vocabulary is not None:
            names += [n for i in self.vocabulary.instruments for n in i.names]
        names += list(self.acronyms)
        words = {w.lower() for name in names for w in re.findall(r"[^\W\d_]+", name)}
        return frozenset(w for w in words if len(w) >= MIN_SPELLING_WORD and w not in STOP_WORDS)

    def instrument_label(self, value: str) -> str:
        """Display name of an instrument id."""
        return self.instrument_labels.get(value, value)

    def theme_label(self, value: str) -> str:
        """Display name of a theme id."""
        return self.theme_labels.get(value, value)

    def themes_in(self, text: str) -> tuple[str, ...]:
        """Themes a query's words name, e.g. "regional centres" -> regional-centres."""
        return tuple(self.find_themes(text)) if self.find_themes and text.strip() else ()

    def instruments_in(self, text: str) -> tuple[str, ...]:
        """Instruments a query names anywhere in its words: "export under the Basel Convention" -> basel."""
        return self.instruments_mentioned(text) if self.instruments_mentioned and text.strip() else ()

    def may_start_long_form(self, word: str) -> bool:
        """Whether a long form (of an acronym) may begin with ``word``."""
        stems = _key(word)
        return bool(stems) and stems[0] in self._long_form_starts

    def sources_in(self, text: str) -> tuple[tuple[str, str], ...]:
        """(facet, value) of the documents and decisions a query names: "What did
        decision 3/CMP.16 say ..." -> ("decision", "decision 3/CMP.16"); a symbol or
        a resolution -> ("document", its symbol)."""
        if self.vocabulary is None or not text.strip():
            return ()
        from indexer.tagging.references import extract_references

        found = []
        for ref in extract_references(text, self.vocabulary):
            if ref.kind == "decision" and ref.target:
                found.append(("decision", f"decision {ref.target}"))
            elif ref.kind in ("symbol", "resolution") and ref.target:
                found.append(("document", ref.target))
        return tuple(dict.fromkeys(found))

    def articles_in(self, text: str) -> tuple[tuple[str, str], ...]:
        """(instrument, article) of the treaty articles a query names: "Does article 8
        of the Paris Agreement ..." -> ("paris", "8")."""
        if self.vocabulary is None or not text.strip():
            return ()
        from indexer.tagging.references import extract_references

        return tuple(dict.fromkeys(
            (ref.instrument, ref.article) for ref in extract_references(text, self.vocabulary)
            if ref.kind == "provision" and ref.instrument and ref.article
        ))

    def alternatives(self, text: str) -> tuple[str, ...]:
        """Other forms of ``text``: long forms of an acronym, the acronym of a long form."""
        text = text.strip()
        if not text:
            return ()
        if " " in text or "-" in text:
            found = self._by_key.get(_key(text), set())
        else:
            found = self._by_key.get((text.lower(),), set())
            acronym = self._acronym_keys.get(text.lower())
            if acronym is None or not typed_as_acronym(text, acronym):
                found = set()
        return tuple(sorted(found))


def typed_as_acronym(typed: str, acronym: str) -> bool:
    """Whether a typed word stands for ``acronym``: written as it is ("WHO", "POPs")
    or in capitals, or in lower case ("ods") unless it is then a word of every
    sentence ("who", "can"). A capitalised word ("Who chairs ...?") opens a sentence."""
    if typed in (acronym, acronym.upper()):
        return True
    return typed.islower() and typed not in ASKING_WORDS and typed not in STOP_WORDS


def load_lexicon(path=None) -> Lexicon:
    """The lexicon of the packaged (or given) vocabulary file."""
    from indexer.tagging.vocabulary import load_vocabulary

    return lexicon_from_vocabulary(load_vocabulary(path))


def lexicon_from_vocabulary(vocabulary) -> Lexicon:
    """Build the search view of a loaded vocabulary."""
    from indexer.tagging.tagger import find_themes

    return Lexicon(
        instrument_labels={i.id: i.label for i in vocabulary.instruments},
        theme_labels={t.id: t.label for t in vocabulary.themes},
        acronyms=dict(vocabulary.acronyms),
        find_themes=partial(find_themes, vocabulary=vocabulary),
        instruments_named=partial(_instruments_named, vocabulary=vocabulary),
        instruments_mentioned=partial(_instruments_mentioned, vocabulary=vocabulary),
        vocabulary=vocabulary,
    )


def _instruments_named(text: str, vocabulary) -> tuple[str, ...]:
    """Instruments named by the whole of ``text`` (leading "the" aside), not by a part of it."""
    from indexer.text.tokens import tokenize

    tokens = list(tokenize(text))
    while tokens and tokens[0].raw.lower() == "the":
        tokens = tokens[1:]
    if not tokens:
        return ()
    mentions = vocabulary.find_instruments(tokens)
    return tuple(m.id for m in mentions if m.first == 0 and m.last == len(tokens))


def _instruments_mentioned(text: str, vocabulary) -> tuple[str, ...]:
    """Instruments named anywhere in ``text``, in order, each once."""
    from indexer.text.tokens import tokenize

    return tuple(dict.fromkeys(m.id for m in vocabulary.find_instruments(list(tokenize(text)))))
