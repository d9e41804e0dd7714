"""The vocabulary of instruments, themes and acronyms that tagging and search share.

It lives in `indexer/tagging/vocabulary.toml`, a file users may edit. `load_vocabulary`
reads and validates it once; everything downstream receives the resulting
`Vocabulary` value and never touches the file. A bad file fails with a message
naming the file, the entry and the problem, before anything is indexed.

Names and terms are matched on stems (see `indexer.text.tokens`), acronyms on the
token as written, so "COP" is matched but "cop" is not.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

from indexer.text.tokens import Token, stem_phrase, tokenize

__all__ = [
    "Instrument",
    "Theme",
    "Mention",
    "Vocabulary",
    "VocabularyError",
    "TREATY_KINDS",
    "load_vocabulary",
    "parse_vocabulary",
]

# What an instrument is; "the Convention", "the Protocol" and "the Agreement"
# in a text resolve to the nearest instrument of that kind (see references.py).
INSTRUMENT_KINDS = frozenset(
    "convention protocol agreement fund facility mechanism partnership programme plan approach".split()
)
TREATY_KINDS = frozenset({"convention", "protocol", "agreement"})

# A name made only of these words would match every document's own instrument
# ("the Convention", "the Protocol", "the Fund"): rejected when loading.
_GENERIC_WORDS = (
    "the this that its their said present of to for and on un united nations "
    "convention protocol agreement amendment treaty instrument fund facility mechanism "
    "partnership programme program plan strategy approach framework committee "
    "conference parties party secretariat annex article"
)
_GENERIC_STEMS = frozenset(stem_phrase(_GENERIC_WORDS))

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^[A-Z]{1,6}$")

_INSTRUMENT_KEYS = {
    "id", "label", "kind", "parent", "full_names", "short_names", "aliases", "acronyms",
    "exclude", "symbol_prefixes", "decision_codes",
}
_THEME_KEYS = {"id", "label", "description", "terms", "acronyms", "exclude"}
_ACRONYM_KEYS = {"acronym", "expansions"}


class VocabularyError(ValueError):
    """The vocabulary file is unreadable or an entry in it is invalid."""


@dataclass(frozen=True)
class Instrument:
    """A treaty, fund, mechanism or programme that paragraphs can belong to."""

    id: str
    label: str
    kind: str
    parent: str | None = None
    full_names: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # longer phrases that contain a name but mean something else
    symbol_prefixes: tuple[str, ...] = ()  # document symbols of this instrument's bodies
    decision_codes: tuple[str, ...] = ()  # "SC" in SC-1/15, "CP" in 1/CP.21

    @property
    def names(self) -> tuple[str, ...]:
        """Every written name that counts as a mention (acronyms excluded)."""
        return self.full_names + self.short_names + self.aliases


@dataclass(frozen=True)
class Theme:
    """A subject a drafter filters by, and the words and phrases that signal it."""

    id: str
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # longer phrases in which a term does not signal the theme


@dataclass(frozen=True)
class Mention:
    """Where a text names something of the vocabulary: token and character spans."""

    id: str
    first: int  # token index of the first word
    last: int  # token index after the last word
    start: int  # character offsets in the text
    end: int


@dataclass(frozen=True)
class Vocabulary:
    """Instruments, themes and acronyms, validated; with matchers built on first use."""

    instruments: tuple[Instrument, ...]
    themes: tuple[Theme, ...]
    # acronym -> expansions, from [[acronym]] entries and instrument acronyms.
    acronyms: dict[str, tuple[str, ...]] = field(hash=False)
    fingerprint: str = ""
    source: str = ""

    def instrument(self, instrument_id: str) -> Instrument:
        """The instrument with this id (KeyError if unknown)."""
        return self._instruments_by_id[instrument_id]

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (KeyError if unknown)."""
        return self._themes_by_id[theme_id]

    def lineage(self, instrument_id: str) -> tuple[str, ...]:
        """The instrument's id followed by its parent's, grandparent's... up to the root."""
        chain = [instrument_id]
        parent = self._instruments_by_id[instrument_id].parent
        while parent is not None:
            chain.append(parent)
            parent = self._instruments_by_id[parent].parent
        return tuple(chain)

    def instrument_for_symbol(self, symbol: str | None) -> str | None:
        """The instrument whose longest symbol prefix starts this document symbol."""
        if not symbol:
            return None
        folded = symbol.strip().casefold()
        for prefix, instrument_id in self._symbol_prefixes:
            if folded.startswith(prefix):
                return instrument_id
        return None

    def instrument_for_decision_code(self, code: str) -> str | None:
        """The instrument whose body adopts decisions coded like this ("SC", "CMA")."""
        return self._decision_codes.get(code)

    def find_instruments(self, tokens: Sequence[Token]) -> list[Mention]:
        """Instrument mentions in tokens, longest name first, excluded phrases dropped."""
        matches = _leftmost_longest(self._instrument_index.find(tokens))
        return [
            Mention(value, first, last, tokens[first].start, tokens[last - 1].end)
            for first, last, value in matches
            if value is not None
        ]

    def find_themes(self, tokens: Sequence[Token]) -> list[Mention]:
        """Theme signals in tokens: one mention per term found, excluded phrases dropped."""
        by_theme: dict[str, list[tuple[int, int, Any]]] = {}
        for first, last, (theme_id, counts) in self._theme_index.find(tokens):
            by_theme.setdefault(theme_id, []).append((first, last, counts))
        mentions = []
        for theme_id, matches in by_theme.items():
            for first, last, counts in _leftmost_longest(matches):
                if counts:
                    mentions.append(
                        Mention(theme_id, first, last, tokens[first].start, tokens[last - 1].end)
                    )
        mentions.sort(key=lambda m: (m.first, m.last))
        return mentions

    @cached_property
    def _instruments_by_id(self) -> dict[str, Instrument]:
        return {i.id: i for i in self.instruments}

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def _symbol_prefixes(self) -> list[tuple[str, str]]:
        pairs = [(p.casefold(), i.id) for i in self.instruments for p in i.symbol_prefixes]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    @cached_property
    def _decision_codes(self) -> dict[str, str]:
        return {code: i.id for i in self.instruments for code in i.decision_codes}

    @cached_property
    def _instrument_index(self) -> _PhraseIndex:
        index = _PhraseIndex()
        for instrument in self.instruments:
            for name in instrument.names:
                index.add_phrase(name, instrument.id)
            for acronym in instrument.acronyms:
                index.add_acronym(acronym, instrument.id)
            for phrase in instrument.exclude:
                index.add_phrase(phrase, None)
        return index

    @cached_property
    def _theme_index(self) -> _PhraseIndex:
        index = _PhraseIndex()
        for theme in self.themes:
            for term in theme.terms:
                index.add_phrase(term, (theme.id, True))
            for acronym in theme.acronyms:
                index.add_acronym(acronym, (theme.id, True))
            for phrase in theme.exclude:
                index.add_phrase(phrase, (theme.id, False))
        return index


class _PhraseIndex:
    """Phrases as stem sequences, keyed by first stem; acronyms keyed by written form."""

    def __init__(self) -> None:
        self._phrases: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._acronyms: dict[str, list[Any]] = {}

    def add_phrase(self, phrase: str, value: Any) -> None:
        stems = stem_phrase(phrase)
        if stems:
            self._phrases.setdefault(stems[0], []).append((stems, value))

    def add_acronym(self, acronym: str, value: Any) -> None:
        forms = {acronym, acronym + "s"}
        if acronym.endswith("s") and len(acronym) > 2:
            forms.add(acronym[:-1])
        for form in forms:
            self._acronyms.setdefault(form, []).append(value)

    def find(self, tokens: Sequence[Token]) -> list[tuple[int, int, Any]]:
        found = []
        stems = [t.stem for t in tokens]
        for i, token in enumerate(tokens):
            for phrase, value in self._phrases.get(token.stem, ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    found.append((i, i + len(phrase), value))
            for value in self._acronyms.get(token.raw, ()):
                found.append((i, i + 1, value))
        return found


def _leftmost_longest(matches: Iterable[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Non-overlapping matches, preferring the earliest start, then the longest."""
    chosen = []
    end = -1
    for first, last, value in sorted(matches, key=lambda m: (m[0], -m[1])):
        if first >= end:
            chosen.append((first, last, value))
            end = last
    return chosen


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read and validate a vocabulary file; the packaged default when path is None."""
    if path is None:
        resource = resources.files("indexer.tagging").joinpath("vocabulary.toml")
        return parse_vocabulary(resource.read_text(encoding="utf-8"), source=str(resource))
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot read the vocabulary file: {exc.strerror}") from exc
    return parse_vocabulary(text, source=str(path))


def parse_vocabulary(text: str, source: str = "<string>") -> Vocabulary:
    """Validate the TOML text of a vocabulary and build the value (pure; for tests too)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not valid TOML: {exc}") from exc
    return _Builder(source).build(data)


class _Builder:
    """Checks each entry and reports the first problem with the file and entry named."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> VocabularyError:
        return VocabularyError(f"{self.source}: {where}: {problem}")

    def build(self, data: dict[str, Any]) -> Vocabulary:
        unknown = set(data) - {"instrument", "theme", "acronym"}
        if unknown:
            raise self.fail(
                "top level",
                f"unknown table {sorted(unknown)[0]!r}; expected [[instrument]], [[theme]] and [[acronym]]",
            )
        instruments = tuple(
            self.instrument(entry, n) for n, entry in enumerate(self.tables(data, "instrument"), 1)
        )
        themes = tuple(self.theme(entry, n) for n, entry in enumerate(self.tables(data, "theme"), 1))
        if not instruments:
            raise self.fail("top level", "no [[instrument]] entry")
        self.check_instruments(instruments)
        self.check_unique("theme", [t.id for t in themes])
        acronyms = self.acronyms(self.tables(data, "acronym"), instruments)
        content = {
            "instruments": [asdict(i) for i in instruments],
            "themes": [asdict(t) for t in themes],
            "acronyms": acronyms,
        }
        digest = hashlib.sha256(
            json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        return Vocabulary(
            instruments=instruments,
            themes=themes,
            acronyms={k: tuple(v) for k, v in acronyms.items()},
            fingerprint=digest[:16],
            source=self.source,
        )

    def tables(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"write each entry as a [[{name}]] table")
        return value

    def where(self, table: str, n: int, entry: dict[str, Any], key: str) -> str:
        label = entry.get(key)
        return f"[[{table}]] #{n}" + (f" ({key} = {label!r})" if isinstance(label, str) else "")

    def text(self, entry: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"missing {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"{key!r} must be a non-empty string")
        return value.strip()

    def texts(self, entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(where, f"{key!r} must be a list of non-empty strings")
        seen = set()
        for v in value:
            if v.strip() in seen:
                raise self.fail(where, f"{key!r} lists {v!r} twice")
            seen.add(v.strip())
        return tuple(v.strip() for v in value)

    def check_keys(self, entry: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise self.fail(
                where, f"unknown key {unknown[0]!r}; allowed keys are {', '.join(sorted(allowed))}"
            )

    def check_acronym(self, acronym: str, where: str) -> None:
        tokens = tokenize(acronym)
        if len(tokens) != 1 or tokens[0].raw != acronym or acronym.lower() == acronym:
            raise self.fail(
                where, f"acronym {acronym!r} must be one word with a capital letter, as written in texts"
            )

    def check_phrase(self, phrase: str, where: str, what: str) -> None:
        if not stem_phrase(phrase):
            raise self.fail(where, f"{what} {phrase!r} has no words to match")

    def instrument(self, entry: dict[str, Any], n: int) -> Instrument:
        where = self.where("instrument", n, entry, "id")
        self.check_keys(entry, _INSTRUMENT_KEYS, where)
        instrument_id = self.text(entry, "id", where)
        if not _ID_RE.match(instrument_id):
            raise self.fail(where, "'id' must be a lowercase slug such as 'basel' or 'kyoto-protocol'")
        kind = self.text(entry, "kind", where)
        if kind not in INSTRUMENT_KINDS:
            raise self.fail(where, f"'kind' must be one of {', '.join(sorted(INSTRUMENT_KINDS))}")
        instrument = Instrument(
            id=instrument_id,
            label=self.text(entry, "label", where),
            kind=kind,
            parent=self.text(entry, "parent", where, required=False),
            full_names=self.texts(entry, "full_names", where),
            short_names=self.texts(entry, "short_names", where),
            aliases=self.texts(entry, "aliases", where),
            acronyms=self.texts(entry, "acronyms", where),
            exclude=self.texts(entry, "exclude", where),
            symbol_prefixes=self.texts(entry, "symbol_prefixes", where),
            decision_codes=self.texts(entry, "decision_codes", where),
        )
        if not instrument.names and not instrument.acronyms:
            raise self.fail(where, "give at least one of full_names, short_names, aliases or acronyms")
        for name in instrument.names + instrument.exclude:
            self.check_phrase(name, where, "name")
        for name in instrument.names:
            if set(stem_phrase(name)) <= _GENERIC_STEMS:
                raise self.fail(
                    where,
                    f"name {name!r} is too generic: it would match every document's own "
                    "instrument; give the instrument's own name",
                )
        for acronym in instrument.acronyms:
            self.check_acronym(acronym, where)
        for code in instrument.decision_codes:
            if not _CODE_RE.match(code):
                raise self.fail(where, f"decision code {code!r} must be capital letters, such as 'SC'")
        return instrument

    def theme(self, entry: dict[str, Any], n: int) -> Theme:
        where = self.where("theme", n, entry, "id")
        self.check_keys(entry, _THEME_KEYS, where)
        theme_id = self.text(entry, "id", where)
        if not _ID_RE.match(theme_id):
            raise self.fail(where, "'id' must be a lowercase slug such as 'capacity-building'")
        theme = Theme(
            id=theme_id,
            label=self.text(entry, "label", where),
            description=self.text(entry, "description", where, required=False) or "",
            terms=self.texts(entry, "terms", where),
            acronyms=self.texts(entry, "acronyms", where),
            exclude=self.texts(entry, "exclude", where),
        )
        if not theme.terms and not theme.acronyms:
            raise self.fail(where, "give at least one term")
        for term in theme.terms + theme.exclude:
            self.check_phrase(term, where, "term")
        for acronym in theme.acronyms:
            self.check_acronym(acronym, where)
        return theme

    def check_unique(self, table: str, ids: list[str]) -> None:
        seen = set()
        for n, value in enumerate(ids, 1):
            if value in seen:
                raise self.fail(f"[[{table}]] #{n} (id = {value!r})", "this id is already used")
            seen.add(value)

    def check_instruments(self, instruments: tuple[Instrument, ...]) -> None:
        self.check_unique("instrument", [i.id for i in instruments])
        by_id = {i.id: i for i in instruments}
        names: dict[tuple[str, ...], str] = {}
        acronyms: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        codes: dict[str, str] = {}
        for n, instrument in enumerate(instruments, 1):
            where = f"[[instrument]] #{n} (id = {instrument.id!r})"
            if instrument.parent is not None:
                if instrument.parent not in by_id:
                    raise self.fail(where, f"'parent' names unknown instrument {instrument.parent!r}")
                seen = {instrument.id}
                parent = instrument.parent
                while parent is not None:
                    if parent in seen:
                        raise self.fail(where, f"'parent' makes a loop through {parent!r}")
                    seen.add(parent)
                    parent = by_id[parent].parent
            for name in instrument.names:
                other = names.setdefault(stem_phrase(name), instrument.id)
                if other != instrument.id:
                    raise self.fail(where, f"name {name!r} is already a name of {other!r}")
            for acronym in instrument.acronyms:
                other = acronyms.setdefault(acronym, instrument.id)
                if other != instrument.id:
                    raise self.fail(where, f"acronym {acronym!r} is already an acronym of {other!r}")
            for prefix in instrument.symbol_prefixes:
                other = prefixes.setdefault(prefix.casefold(), instrument.id)
                if other != instrument.id:
                    raise self.fail(where, f"symbol prefix {prefix!r} already belongs to {other!r}")
            for code in instrument.decision_codes:
                other = codes.setdefault(code, instrument.id)
                if other != instrument.id:
                    raise self.fail(where, f"decision code {code!r} already belongs to {other!r}")

    def acronyms(
        self, entries: list[dict[str, Any]], instruments: tuple[Instrument, ...]
    ) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        owners: dict[str, str] = {}
        for instrument in instruments:
            for acronym in instrument.acronyms:
                expansions = dict.fromkeys(instrument.full_names + instrument.short_names)
                result[acronym] = list(expansions) or [instrument.label]
                owners[acronym] = f"instrument {instrument.id!r}"
        for n, entry in enumerate(entries, 1):
            where = self.where("acronym", n, entry, "acronym")
            self.check_keys(entry, _ACRONYM_KEYS, where)
            acronym = self.text(entry, "acronym", where)
            self.check_acronym(acronym, where)
            expansions = self.texts(entry, "expansions", where)
            if not expansions:
                raise self.fail(where, "give at least one expansion")
            if acronym in owners:
                raise self.fail(where, f"{acronym!r} is already defined by {owners[acronym]}")
            owners[acronym] = f"[[acronym]] #{n}"
            result[acronym] = list(expansions)
        return result
