"""Text layers that do not read as text: character statistics per page, and the PDFs refused for it."""
from pathlib import Path

import pytest

from indexer.reading.pdf.text_layer import STRAY_SHARE, text_layer_stats
from indexer.units.extract import ExtractionError, extract_document

MULTILINGUAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "multilingual"


@pytest.mark.parametrize(
    "text, readable",
    [
        pytest.param("The Conference of the Parties decides to convene its next meeting.", True, id="english"),
        pytest.param("La Conférence des Parties décide de convoquer sa prochaine réunion à Genève.", True, id="french"),
        pytest.param("Конференция Сторон постановляет созвать следующее совещание (BBNJ).", True, id="russian-with-latin"),
        pytest.param("缔约方大会决定召开下一次会议，并请秘书处编写报告。第十三条（一）BBNJ协定", True, id="chinese"),
        pytest.param("يقرر مؤتمر الأطراف عقد اجتماعه القادم في جنيف وفقا للمادة 13 من الاتفاق", True, id="arabic"),
        # Glyphs decoded through a wrong encoding: phonetic letters and control codes.
        pytest.param("©Ɇɨɪɫɤɨɣ\x03ɨɯɪɚɧɹɟɦɵɣ\x03ɪɚɣɨɧª\x03ɨɡɧɚɱɚɟɬ\x03ɝɟɨɝɪɚɮɢɱɟɫɤɢ", False, id="cyrillic-as-ipa"),
        # Han mixed with Hangul jamo, Tibetan and Cyrillic letters: no language writes so.
        pytest.param("ㅢпᶗ\x03 䘸⭞㤹പ\x03 ᵢঅᇐ䘸⭞ӄളᇬ㇗䗌㤹പԛཌ॰ตȾ ׁཌ ᵢঅᇐу䘸⭞ӄԱߑ㡦Ƚߑᵰᡌ⎭ߑ䖻ࣟ㡯Ⱦ", False, id="han-mixed"),
        pytest.param("أو  ʥﻟʚﺒ ــــﻞʸʱﯿ وﻤﺎ ﺎتʢॽʴʺاﻟ ʠﱡʺʴوﺘ ﺎخʻʺاﻟ ʛʽﺘﻐ وآﺜﺎر ،ʧﻤʜاﻟ ʛﻤ ﻋﻠﻰ", False, id="arabic-with-ipa"),
        # Too short to judge.
        pytest.param("ɪɫɤ\x03", True, id="too-short"),
    ],
)
def test_page_text_readable(text, readable):
    stats = text_layer_stats(text)
    assert stats.readable is readable, f"{stats.share:.1%} stray (threshold {STRAY_SHARE:.0%})"


@pytest.mark.parametrize("language", ["ar", "ru", "zh"])
def test_pdf_without_unicode_map_is_refused_by_name(language):
    path = MULTILINGUAL / f"A_CONF.232_2023_4_BBNJ_Agreement_{language}.pdf"
    if not path.is_file():
        pytest.skip(f"reference corpus missing at {path}")
    with pytest.raises(ExtractionError) as caught:
        extract_document(path)
    message = str(caught.value)
    assert message.startswith(path.name)
    assert "Unicode map" in message and "OCR" in message


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_good_pdfs_are_read(language):
    path = MULTILINGUAL / f"A_CONF.232_2023_4_BBNJ_Agreement_{language}.pdf"
    if not path.is_file():
        pytest.skip(f"reference corpus missing at {path}")
    document = extract_document(path)
    assert len(document.units) > 300
    # The French title page has wrong glyphs: it is left out, and said so.
    bad_pages = [w for w in document.warnings if "left out" in w]
    assert bad_pages == (["page 1 left out: the text does not decode to readable characters "
                          "(over 5% stray characters, up to 11%); run OCR on it"] if language == "fr" else [])
