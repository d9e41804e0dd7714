"""Sentence splitting for excerpts: NLTK Punkt, trained on our own documents.

NLTK's pretrained models cannot be downloaded here, and UN prose has its own
abbreviations ("para.", "art.", "No.", "i.e."), so the splitter learns from the
indexed text itself, seeded with the abbreviations drafters use.
"""
from __future__ import annotations

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


def train_splitter(texts: Iterable[str]) -> PunktSentenceTokenizer:
    """A Punkt sentence splitter trained on ``texts`` plus the known abbreviations."""
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
    return PunktSentenceTokenizer(parameters)


def default_splitter() -> PunktSentenceTokenizer:
    """An untrained splitter that knows only the listed abbreviations."""
    parameters = PunktParameters()
    parameters.abbrev_types.update(KNOWN_ABBREVIATIONS)
    return PunktSentenceTokenizer(parameters)


def sentence_spans(text: str, splitter: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``."""
    return list(splitter.span_tokenize(text))
