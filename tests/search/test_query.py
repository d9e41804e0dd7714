"""The query language: what users type -> a tree, or a message they can act on."""
import pytest

from indexer.search.syntax import And, Not, Or, Phrase, QuerySyntaxError, Word, parse


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("", None, id="empty"),
        pytest.param("   ", None, id="blank"),
        pytest.param("mercury", Word("mercury"), id="one-word"),
        # Words are ANDed by default.
        pytest.param("regional centres", And((Word("regional"), Word("centres"))), id="default-and"),
        pytest.param("regional AND centres", And((Word("regional"), Word("centres"))), id="explicit-and"),
        pytest.param('"funding mechanisms"', Phrase("funding mechanisms"), id="phrase"),
        # Typographic quotes pasted from a document work like straight ones.
        pytest.param("“funding mechanisms”", Phrase("funding mechanisms"), id="curly-quotes"),
        pytest.param("basel OR stockholm", Or((Word("basel"), Word("stockholm"))), id="or"),
        pytest.param("centres -basel", And((Word("centres"), Not(Word("basel")))), id="minus"),
        pytest.param("centres NOT basel", And((Word("centres"), Not(Word("basel")))), id="not"),
        pytest.param('centres -"Basel Convention"', And((Word("centres"), Not(Phrase("Basel Convention")))), id="minus-phrase"),
        # Symbols keep their punctuation; the parentheses of 14(a) are not grouping.
        pytest.param("INC.1/9", Word("INC.1/9"), id="symbol"),
        pytest.param("14(a)", Word("14(a)"), id="subparagraph"),
        pytest.param("UNEP(DTIE)/Hg/INC.1/10", Word("UNEP(DTIE)/Hg/INC.1/10"), id="symbol-with-parentheses"),
        pytest.param(
            "(basel OR stockholm) centres",
            And((Or((Word("basel"), Word("stockholm"))), Word("centres"))),
            id="grouping",
        ),
        # Lower-case "or" is a word, not an operator.
        pytest.param("basel or stockholm", And((Word("basel"), Word("or"), Word("stockholm"))), id="lowercase-or"),
        pytest.param("low-sulphur", Word("low-sulphur"), id="hyphenated-word-not-negation"),
        # The punctuation of a sentence is not part of its words; a symbol's is.
        pytest.param("Who chairs the commission?", And((Word("Who"), Word("chairs"), Word("the"), Word("commission"))),
                     id="question-mark"),
        pytest.param("Basel, Stockholm; Minamata!", And((Word("Basel"), Word("Stockholm"), Word("Minamata"))),
                     id="commas"),
        pytest.param("under the Protocol.", And((Word("under"), Word("the"), Word("Protocol"))), id="full-stop"),
        pytest.param("INC.1/10.", Word("INC.1/10."), id="symbol-keeps-dot"),
        pytest.param("e.g.", Word("e.g."), id="abbreviation-keeps-dots"),
        pytest.param("14(a):", Word("14(a)"), id="colon-after-subparagraph"),
        pytest.param("?", Word("?"), id="only-punctuation"),
    ],
)
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param('"funding mechanisms', "quotation mark is not closed", id="unclosed-quote"),
        pytest.param("(basel OR stockholm", "parenthesis is not closed", id="unclosed-parenthesis"),
        pytest.param("basel )", "closing parenthesis without an opening", id="stray-closing"),
        pytest.param("basel OR", "OR needs a word on both sides", id="dangling-or"),
        pytest.param("OR basel", "OR needs a word on both sides", id="leading-or"),
        pytest.param("AND", "AND needs a word", id="lone-and"),
        pytest.param("NOT basel", "only excludes words", id="only-negative"),
        pytest.param("-basel -stockholm", "only excludes words", id="only-negatives"),
        pytest.param('""', "empty pair of quotation marks", id="empty-phrase"),
        pytest.param("basel NOT", "must be followed by a word", id="dangling-not"),
    ],
)
def test_parse_errors_say_what_to_do(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)
