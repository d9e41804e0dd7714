"""The sentence splitter: trained on our text, stored as JSON and read back the same."""
import json

import pytest

from indexer.text.sentences import (
    KNOWN_ABBREVIATIONS, parameters_to_json, sentence_spans, splitter_from_json, train_parameters, train_splitter,
)

TRAINING = [
    "The Conference of the Parties, recalling para. 3 of decision 1/CP.21, decides as follows. "
    "Parties shall report by 1 Jan. 2026. The secretariat, i.e. the Executive Secretary, shall compile them.",
    "See art. 14 of the Basel Convention. Dr. Smith chaired the meeting. It closed at 6 p.m. on Friday.",
] * 20
TEXTS = [
    "Parties shall report under art. 13, para. 1. The secretariat shall compile the reports.",
    "Recalling decision 2/CP.27, e.g. its para. 3. The Conference decides to continue.",
    "No full stop here",
]


def test_stored_splitter_splits_as_the_trained_one():
    trained = train_splitter(TRAINING)
    stored = splitter_from_json(json.loads(json.dumps(parameters_to_json(train_parameters(TRAINING)))))
    assert stored is not None
    for text in TEXTS:
        assert sentence_spans(text, stored) == sentence_spans(text, trained)


def test_stored_form_is_the_same_for_the_same_training():
    assert parameters_to_json(train_parameters(TRAINING)) == parameters_to_json(train_parameters(list(TRAINING)))
    assert KNOWN_ABBREVIATIONS <= set(parameters_to_json(train_parameters(TRAINING))["abbrev_types"])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty"),
        pytest.param({"format": 999, "abbrev_types": []}, id="other-format"),
        pytest.param({"format": 1, "abbrev_types": ["para"]}, id="missing-parts"),
        pytest.param({"format": 1, "abbrev_types": 3, "collocations": [], "sent_starters": [],
                      "ortho_context": {}}, id="wrong-type"),
    ],
)
def test_anything_else_is_not_a_stored_splitter(data):
    assert splitter_from_json(data) is None
