"""Questions in plain words: the words that only ask, and the kind of answer asked for."""
import pytest

from indexer.text.answers import answer_kinds
from indexer.text.questions import AGENT, AMOUNT, COUNT, DATE, DURATION, FREQUENCY, answer_kind, asking_words


@pytest.mark.parametrize(
    "question, expected",
    [
        ("How often will the Conference of the Parties meet", FREQUENCY),
        ("how frequently are reports due", FREQUENCY),
        ("How long is an export permit valid", DURATION),
        ("How much do developed countries pay", AMOUNT),
        ("How many members sit on the committee", COUNT),
        ("When was the Agreement opened for signature", DATE),
        ("Who chairs the preparatory commission", AGENT),
        ("In what year did it enter into force", None),  # only the opening words ask
        ("What is the objective of the work programme", None),
        ("regional centres", None),
        ("", None),
    ],
)
def test_answer_kind(question, expected):
    assert answer_kind(question.split()) == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        ("How often will the Parties meet", {0, 1, 2}),
        ("Who chairs the commission", {0}),
        ("Under the Nagoya Protocol do users need consent", {4}),
        ("What does the decision say", {0, 1}),
        ("regional centres", set()),
        ("the Parties shall communicate", set()),  # "shall" is the provision, not the asking
    ],
)
def test_asking_words(question, expected):
    assert asking_words(question.split()) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("shall communicate a nationally determined contribution every five years", (FREQUENCY, DURATION)),
        ("The meetings shall be held on an annual basis and thereafter every two years.", (FREQUENCY, DURATION)),
        ("Reports shall be submitted annually.", (FREQUENCY,)),
        ("within a period of six months from the date of issue", (DURATION,)),
        ("no later than ninety (90) days after", (DURATION,)),
        ("to open it for signature on 20 September 2023", (DATE,)),
        ("adopted in March 2015 at its session", (DATE,)),
        ("The rate of contribution shall be 50 per cent of that", (AMOUNT,)),
        ("a core budget of EUR 74,105,511 for the biennium", (AMOUNT,)),
        ("The committee shall be composed of 15 members", (COUNT,)),
        ("elect three Vice-Chairs from among the representatives", (COUNT,)),
        ("Also decides that the commission shall be chaired by Co-Chairs", (AGENT,)),
        ("The secretariat shall serve as the secretariat of the Protocol.", (AGENT,)),
        ("The Co-Chairs introduced the draft report.", ()),
        ("Parties shall cooperate in the development of regional centres.", ()),
        ("Article 12, paragraph 4, of the Convention", ()),
        ("decision 1/CP.21 and decision 2/CMA.1", ()),
    ],
)
def test_answer_kinds(text, expected):
    assert answer_kinds(text) == expected
