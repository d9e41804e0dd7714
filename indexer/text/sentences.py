"""Sentence splitting for excerpts: NLTK Punkt, trained on our own documents.

NLTK's pretrained models cannot be downloaded here, and UN prose has its own
abbreviations ("para.", "art.", "No.", "i.e."), so the splitter learns from the
indexed text itself, seeded with the abbreviations drafters use. A build
trains it once per index generation and stores what it learnt beside the index
(``parameters_to_json``), so opening a generation does not train again.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

# Abbreviations that end with a period inside sentences of UN documents.
KNOWN_ABBREVIATIONS = frozenset(
    """para paras art arts no nos e.g i.e etc cf vol rev add corr annex sect
    approx incl dr mr mrs ms prof st ltd co inc jan feb mar apr jun jul aug sep
    sept oct nov dec p pp fig op cit viz""".split()
)

# Enough prose for Punkt to learn collocations; more only costs time.
TRAINING_CHARACTERS = 400_000
# Units of a generation, first first, whose text the splitter is trained on.
TRAINING_UNITS = 2000
# Format of the stored parameters; another number means training again.
SPLITTER_FORMAT = 1


def train_splitter(texts: Iterable[str]) -> PunktSentenceTokenizer:
    """A Punkt sentence splitter trained on ``texts`` plus the known abbreviations."""
    return PunktSentenceTokenizer(train_parameters(texts))


def train_parameters(texts: Iterable[str]) -> PunktParameters:
    """What Punkt learns from ``texts``, plus the known abbreviations."""
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    budget = TRAINING_CHARACTERS
    for text in texts:
        if budget <= 0:
            break
        trainer.train(text[:budget], finalize=False)
        budget -= len(text)
    trainer.finalize_training()
    parameters: PunktParameters = trainer.get_params()
    parameters.abbrev_types.update(KNOWN_ABBREVIATIONS)
    return parameters


def parameters_to_json(params: PunktParameters) -> dict:
    """What Punkt learnt, as JSON values (sorted, so a build writes the same bytes)."""
    return {
        "format": SPLITTER_FORMAT,
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(list(pair) for pair in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def splitter_from_json(data: dict) -> PunktSentenceTokenizer | None:
    """The splitter of the parameters ``parameters_to_json`` stored, or None when ``data`` is not one."""
    try:
        if data.get("format") != SPLITTER_FORMAT:
            return None
        params = PunktParameters()
        params.abbrev_types = set(data["abbrev_types"])
        params.collocations = {tuple(pair) for pair in data["collocations"]}
        params.sent_starters = set(data["sent_starters"])
        params.ortho_context = defaultdict(int, {str(k): int(v) for k, v in data["ortho_context"].items()})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return PunktSentenceTokenizer(params)


def default_splitter() -> PunktSentenceTokenizer:
    """An untrained splitter that knows only the listed abbreviations."""
    parameters = PunktParameters()
    parameters.abbrev_types.update(KNOWN_ABBREVIATIONS)
    return PunktSentenceTokenizer(parameters)


def sentence_spans(text: str, splitter: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``."""
    return list(splitter.span_tokenize(text))
