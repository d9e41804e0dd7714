"""Treaty texts belong to the instrument their title names first, with its ancestors."""
import pytest

from indexer.tagging.tagger import document_instrument


@pytest.mark.parametrize(
    "symbol, title, expected, lineage",
    [
        pytest.param("Cartagena Protocol", "Cartagena Protocol on Biosafety to the Convention on Biological Diversity",
                     "cartagena", ("cartagena", "cbd"), id="protocol-under-its-convention"),
        pytest.param("Nagoya Protocol", "Nagoya Protocol on access to genetic resources ... to the Convention on "
                     "biological diversity", "nagoya", ("nagoya", "cbd"), id="nagoya"),
        pytest.param("London Protocol", "1996 Protocol to the Convention on the Prevention of Marine Pollution by "
                     "Dumping of Wastes and Other Matter, 1972", "london-protocol", ("london-protocol", "london-convention"),
                     id="longest-name-wins"),
        pytest.param("CITES", "Convention on International Trade in Endangered Species of Wild Fauna and Flora",
                     "cites", ("cites",), id="acronym-as-symbol"),
        pytest.param("Ramsar Convention", "Convention on Wetlands of International Importance especially as Waterfowl "
                     "Habitat", "ramsar", ("ramsar",), id="ramsar"),
        pytest.param("BBNJ Agreement", "Accord se rapportant à la Convention des Nations Unies sur le droit de la mer "
                     "et portant sur la conservation et l’utilisation durable de la diversité biologique marine des "
                     "zones ne relevant pas de la juridiction nationale", "bbnj", ("bbnj", "unclos"), id="french-title"),
    ],
)
def test_document_instrument_of_a_treaty(symbol, title, expected, lineage, vocabulary):
    assert document_instrument(symbol, title, vocabulary) == expected
    assert vocabulary.lineage(expected) == lineage
