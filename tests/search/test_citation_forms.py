"""Every way a drafter writes a citation opens the unit it names first (real index)."""
from __future__ import annotations

import pytest

SEED = "UNEP(DTIE)/Hg/INC.1/10"
PARIS = "FCCC/CP/2015/10/Add.1"
PREPCOM = "A/AC.296/2026/9"

FORMS = [
    # --- a treaty's article and paragraph, by short or full name, either order
    pytest.param("Basel art. 14(1)", "Basel Convention#art14.1", id="short-name-art-parenthesis"),
    pytest.param("Basel Convention, article 14, paragraph 1", "Basel Convention#art14.1", id="article-comma-paragraph"),
    pytest.param("article 14.1 of the Basel Convention", "Basel Convention#art14.1", id="article-dot-paragraph-of"),
    pytest.param("basel convention art 14 para 1", "Basel Convention#art14.1", id="lower-case-no-dots"),
    pytest.param("BASEL CONVENTION ARTICLE 14 (1)", "Basel Convention#art14.1", id="upper-case"),
    pytest.param("paragraph 1 of article 14 of the Basel Convention", "Basel Convention#art14.1", id="as-in-running-text"),
    pytest.param("art. 14(1) Basel Convention", "Basel Convention#art14.1", id="locator-then-name"),
    # An article alone opens its first unit.
    pytest.param("Basel art. 14", "Basel Convention#art14.1", id="article-alone"),
    pytest.param("Montreal Protocol, article 10", "Montreal Protocol#art10.1", id="article-alone-full-name"),
    pytest.param("Montreal Protocol, art. 2A, para. 8", "Montreal Protocol#art2A.8", id="lettered-article"),
    pytest.param("Montreal Protocol art 2A(8)", "Montreal Protocol#art2A.8", id="lettered-article-parenthesis"),
    pytest.param("Stockholm Convention art. 12, para. 4", "Stockholm Convention#art12.4", id="stockholm"),
    pytest.param("Stockholm art 12(4)", "Stockholm Convention#art12.4", id="stockholm-short"),
    pytest.param("Minamata Convention, art. 7, para. 4 (b)", "Minamata Convention#art7.4(b)", id="subparagraph"),
    pytest.param("Minamata art. 7.4(b)", "Minamata Convention#art7.4(b)", id="subparagraph-dotted"),
    pytest.param("UNFCCC art. 7.2(j)", "UNFCCC#art7.2(j)", id="acronym-name"),
    pytest.param("UNFCCC, preambular para. 1", "UNFCCC#pp1", id="treaty-preamble"),
    pytest.param("Rotterdam Convention, annex VI, art. 2, para. 3", "Rotterdam Convention#annexVI.art2.3", id="annex-article"),
    pytest.param("Basel Convention, annex VA, para. 10", "Basel Convention#annexVA.10", id="annex-paragraph"),
    # --- an agreement adopted as the annex of a decision, cited by its own name
    pytest.param("Paris Agreement, Article 8", f"{PARIS}#dec1-CP-21.annex.art8.1", id="agreement-in-annex"),
    pytest.param("Paris Agreement art. 8, para. 4 (a)", f"{PARIS}#dec1-CP-21.annex.art8.4(a)", id="agreement-in-annex-subparagraph"),
    pytest.param("article 8.4(a) of the Paris Agreement", f"{PARIS}#dec1-CP-21.annex.art8.4(a)", id="agreement-in-annex-of"),
    pytest.param(f"{PARIS}, annex, art. 8, para. 4 (a)", f"{PARIS}#dec1-CP-21.annex.art8.4(a)", id="agreement-by-symbol"),
    pytest.param(f"{PARIS} para 52", f"{PARIS}#dec1-CP-21.52", id="decision-report-paragraph"),
    pytest.param(f"{PARIS}, preambular para. 1", f"{PARIS}#dec1-CP-21.pp1", id="decision-report-preamble"),
    # --- resolutions
    pytest.param("A/RES/78/272, para 7", "A/RES/78/272#7", id="resolution-symbol"),
    pytest.param("resolution 78/272, paragraph 7", "A/RES/78/272#7", id="resolution-number"),
    pytest.param("paragraph 7 of resolution 78/272", "A/RES/78/272#7", id="paragraph-of-resolution"),
    pytest.param("a/res/78/272 para. 7", "A/RES/78/272#7", id="resolution-lower-case"),
    pytest.param("A/RES/78/272, preambular para. 3", "A/RES/78/272#pp3", id="preambular"),
    pytest.param("A/RES/78/272 pp3", "A/RES/78/272#pp3", id="preambular-short"),
    pytest.param("A/RES/78/272, preambular paragraph 3", "A/RES/78/272#pp3", id="preambular-long"),
    # --- notes and reports by full or partial symbol
    pytest.param("INC.1/10 para 14(a)", f"{SEED}#14(a)", id="partial-symbol"),
    pytest.param(f"para. 14 (a) of {SEED}", f"{SEED}#14(a)", id="paragraph-of-symbol"),
    pytest.param(f"{SEED}, para. 14 (a)", f"{SEED}#14(a)", id="own-citation"),
    pytest.param("unep(dtie)/hg/inc.1/10 paragraph 14 a", f"{SEED}#14(a)", id="symbol-lower-case"),
    pytest.param("INC.1/10, § 14(a)", f"{SEED}#14(a)", id="section-sign"),
    pytest.param(f"{SEED}, footnote *", f"{SEED}#fn-star", id="starred-footnote"),
    pytest.param("FCCC/SBI/2023/10, para. 114", "FCCC/SBI/2023/10#114", id="report"),
    pytest.param("SBI/2023/10 para 114", "FCCC/SBI/2023/10#114", id="report-partial-symbol"),
    pytest.param("ADP_2015_Geneva_negotiating_text_12Feb2015, para. 16.5 quinquies",
                 "ADP_2015_Geneva_negotiating_text_12Feb2015#16.5quinquies-opt7", id="negotiating-text-quinquies"),
    # --- annexes, rules, footnotes, parts
    pytest.param(f"{PREPCOM}, annex I, rule 4, para. 2", f"{PREPCOM}#annexI.rule4.2", id="rule-paragraph"),
    pytest.param(f"annex I, rule 4(2) of {PREPCOM}", f"{PREPCOM}#annexI.rule4.2", id="rule-paragraph-of"),
    pytest.param(f"{PREPCOM} annex I rule 40", f"{PREPCOM}#annexI.rule40", id="rule"),
    pytest.param(f"{PREPCOM}, footnote 1", f"{PREPCOM}#fn1", id="footnote"),
    pytest.param(f"{PREPCOM} fn 1", f"{PREPCOM}#fn1", id="footnote-short"),
    pytest.param(f"{PREPCOM}, annex VII, para. 10", f"{PREPCOM}#annexVII.10", id="annex-roman"),
    pytest.param("Stockholm Convention, annex C, part III, (e)", "Stockholm Convention#annexC.partIII.t1(e)", id="annex-part"),
]


@pytest.mark.parametrize("query, uid", FORMS)
def test_citation_form_opens_its_unit(service, query, uid):
    result = service.search(query, per_page=3)
    assert result.cited == uid
    assert result.hits[0].uid == uid


@pytest.mark.parametrize(
    "query, uids",
    [
        pytest.param("INC.1/10 paras 7-9", [f"{SEED}#7", f"{SEED}#8", f"{SEED}#9"], id="range-dash"),
        pytest.param("INC.1/10 paragraphs 7 to 9", [f"{SEED}#7", f"{SEED}#8", f"{SEED}#9"], id="range-to"),
    ],
)
def test_range_opens_the_first_and_shows_the_rest(service, query, uids):
    result = service.search(query, per_page=5)
    assert result.cited == uids[0]
    assert [h.uid for h in result.hits[: len(uids)]] == uids


def test_base_symbol_is_not_its_addendum(service):
    # FCCC/CP/2015/10 is not indexed; its addendum is, and must not answer for it.
    result = service.search("FCCC/CP/2015/10 para 52", per_page=1)
    assert result.cited is None
