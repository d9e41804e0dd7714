"""British/US spelling folding for lowercase tokens, used before stemming.

UN documents are written in Oxford English ("organization", but "centre",
"programme", "labour", "sulphur"), national submissions and treaty
translations in either British or US English. Folding every variant to one
canonical form (the US spelling) before stemming lets "regional centres" find
"regional centers" and "organisations" find "organizations".

`fold_spelling` is pure and idempotent. It only changes words on explicit lists
or words with a suffix that is a spelling variant (-ise/-ize, -yse/-yze), and
the -ise rule skips the many words whose -ise is not a variant (size, seize,
exercise, otherwise, surprise...): a missed variant costs a little recall, a
wrong fold would merge unrelated words.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fold_spelling"]

# Whole-token replacements: irregular pairs that no rule covers.
_WORDS: dict[str, str] = {
    "ageing": "aging",
    "aluminium": "aluminum",
    "analogue": "analog",
    "analogues": "analogs",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "caesium": "cesium",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "catalogued": "cataloged",
    "cataloguing": "cataloging",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "distil": "distill",
    "distils": "distills",
    "enrol": "enroll",
    "enrols": "enrolls",
    "enrolment": "enrollment",
    "enrolments": "enrollments",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "fulfilment": "fulfillment",
    "fulfilments": "fulfillments",
    "grey": "gray",
    "greys": "grays",
    "instal": "install",
    "instals": "installs",
    "instalment": "installment",
    "instalments": "installments",
    "instil": "instill",
    "instils": "instills",
    "jeweller": "jeweler",
    "jewellers": "jewelers",
    "jewellery": "jewelry",
    "judgement": "judgment",
    "judgements": "judgments",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "kilogramme": "kilogram",
    "kilogrammes": "kilograms",
    "gramme": "gram",
    "grammes": "grams",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "mould": "mold",
    "moulds": "molds",
    "mouldy": "moldy",
    "plough": "plow",
    "ploughs": "plows",
    "practise": "practice",
    "practises": "practices",
    "practised": "practiced",
    "practising": "practicing",
    "sceptic": "skeptic",
    "sceptics": "skeptics",
    "sceptical": "skeptical",
    "scepticism": "skepticism",
    "skilful": "skillful",
    "skilfully": "skillfully",
    "smoulder": "smolder",
    "tyre": "tire",
    "tyres": "tires",
    "wilful": "willful",
    "wilfully": "willfully",
    "woollen": "woolen",
}

# Prefixes written with or without a hyphen ("co-operation", "sub-regional",
# "non-governmental", "extra-budgetary"): joined, so both spellings meet.
_JOINED_PREFIXES = frozenset(
    "co sub non re pre inter intra multi bi tri semi anti micro macro mid trans "
    "post over under supra extra".split()
)

# Roots spelt -our in British English and -or in US English, with the endings
# they take. An explicit list: "hour", "tour", "four", "contour" and "devour" are
# not variants.
_OUR_ROOTS = (
    "ardour arbour armour behaviour candour clamour colour demeanour endeavour favour "
    "fervour flavour harbour honour humour labour neighbour odour parlour rancour rigour "
    "rumour saviour savour splendour succour tumour valour vapour vigour"
).split()
_OUR_ENDINGS = frozenset(
    "|s|ed|ing|er|ers|ful|fully|less|able|ably|ite|ites|itism|al|ally|ist|ists|hood|hoods"
    "|ly|y|ant|ants|ation|ings|ise|ize|ised|ized|ising|izing|ism".split("|")
)
_OUR_RE = re.compile("(" + "|".join(sorted(_OUR_ROOTS, key=len, reverse=True)) + ")([a-z]*)$")

# Roots spelt -re in British English and -er in US English ("centre", "kilometre").
# Written without the final "re": the token must end with root + re|res|red|ring.
_RE_ROOTS = (
    "cent fib lit met theat calib somb spect lust meag sab scept goit mit och sepulch "
    "reconnoit saltpet"
).split()
_RE_RE = re.compile("(" + "|".join(sorted(_RE_ROOTS, key=len, reverse=True)) + ")r(e|es|ed|ing)$")
_RE_TO_ER = {"e": "er", "es": "ers", "ed": "ered", "ing": "ering"}

# -ence (British noun) / -ense (US): licence, defence, offence, pretence.
_ENCE_RE = re.compile(r"(licen|defen|offen|preten)c(e|es|eless)$")

# Verbs that double a final -l before a suffix in British English only
# ("labelled", "modelling", "travellers"); "controlled" or "installed" are not here.
_LL_ROOTS = (
    "barrel cancel channel counsel dial duel enamel equal fuel funnel gravel initial "
    "jewel label level libel marshal marvel model panel parcel pedal pencil quarrel "
    "refuel rival shovel signal snorkel spiral total travel tunnel unravel yodel"
).split()
_LL_RE = re.compile(
    "(" + "|".join(sorted(_LL_ROOTS, key=len, reverse=True)) + ")l(ed|ing|er|ers|or|ors|ist|ists|ous)$"
)

# -ise / -isation / -iser ... -> -ize ... : the suffixes that carry the variant.
_ISE_RE = re.compile(r"^(.*)is(e|es|ed|ing|er|ers|ation|ations|ational|able|ability)$")
_YSE_RE = re.compile(r"^(.*)ys(e|es|ed|ing|er|ers)$")

# Words whose -ise is part of the word, not a variant suffix. Checked on the base
# form ("exercised" -> "exercise"), also after one of _NEGATIVE_PREFIXES
# ("uncompromising", "sunrise", "fundraiser"). "irise" and the like are plurals
# of nouns in -is ("irises", "metropolises"), which share the -ises ending.
_ISE_KEEP = frozenset(
    """advertise anise arise chastise circumcise compromise concise crise demise despise
    enfranchise excise exercise expertise franchise incise merchandise mise mortise
    paradise precise premise promise rise surmise treatise valise cerise
    irise trellise metropolise mantise pelvise chrysalise""".split()
)
# Endings that never carry the variant: otherwise, raise, noise, cruise, advise, surprise.
_ISE_KEEP_ENDINGS = ("wise", "aise", "oise", "uise", "vise", "prise")
_NEGATIVE_PREFIXES = ("un", "re", "dis", "mis", "pre", "over", "under", "self", "non",
                      "sun", "up", "fund", "en", "im", "in", "out", "counter")

# Greek/Latin digraphs simplified in US spelling.
_DIGRAPHS = (
    ("sulph", "sulf"),        # sulphur, sulphate, low-sulphur, hydrogen sulphide
    ("aemi", "emi"),          # anaemia, leukaemia, septicaemia
    ("paedi", "pedi"),        # paediatric, encyclopaedia, orthopaedic
    ("rrhoea", "rrhea"),      # diarrhoea
    ("palaeo", "paleo"),      # palaeontology
)
_DIGRAPH_STARTS = (("haem", "hem"), ("oedem", "edem"), ("oestr", "estr"), ("foet", "fet"))

_PROGRAMME_RE = re.compile(r"programme(s?)$")


@lru_cache(maxsize=200_000)  # called for every token indexed; a corpus has few distinct words
def fold_spelling(token: str) -> str:
    """Map a lowercase token's British/US spelling variants to one canonical (US) form."""
    if not token:
        return token
    if "-" in token:
        return _fold_hyphenated(token)
    return _fold_word(token)


def _fold_hyphenated(token: str) -> str:
    parts = token.split("-")
    joined = [parts[0]]
    for part in parts[1:]:
        # "co-operation" -> "cooperation", but a hyphen before a digit or an empty
        # part ("sub-" in "sub- and regional") stays.
        if joined[-1] in _JOINED_PREFIXES and part[:1].isalpha():
            joined[-1] += part
        else:
            joined.append(part)
    return "-".join(_fold_word(part) for part in joined)


def _fold_word(word: str) -> str:
    if not word.isalpha():
        return word
    mapped = _WORDS.get(word)
    if mapped is not None:
        return mapped
    word = _PROGRAMME_RE.sub(r"program\1", word)
    for old, new in _DIGRAPHS:
        if old in word:
            word = word.replace(old, new)
    for old, new in _DIGRAPH_STARTS:
        if word.startswith(old):
            word = new + word[len(old):]
    word = _fold_our(word)
    word = _RE_RE.sub(lambda m: m.group(1) + _RE_TO_ER[m.group(2)], word)
    word = _ENCE_RE.sub(r"\1s\2", word)
    word = _LL_RE.sub(r"\1\2", word)
    word = _fold_ise(word)
    return word


def _fold_our(word: str) -> str:
    match = _OUR_RE.search(word)
    if match and match.group(2) in _OUR_ENDINGS:
        root = match.group(1)
        return word[: match.start(1)] + root[:-2] + "r" + match.group(2)
    return word


def _fold_ise(word: str) -> str:
    match = _ISE_RE.match(word)
    if match:
        base = match.group(1) + "ise"
        if len(base) >= 5 and not _keeps_ise(base):
            return match.group(1) + "iz" + match.group(2)
        return word
    match = _YSE_RE.match(word)
    if match and len(match.group(1)) >= 2:
        return match.group(1) + "yz" + match.group(2)
    return word


def _keeps_ise(base: str) -> bool:
    if base.endswith(_ISE_KEEP_ENDINGS) or base in _ISE_KEEP:
        return True
    return any(base.startswith(p) and base[len(p):] in _ISE_KEEP for p in _NEGATIVE_PREFIXES)
