"""The draft check: a one-document analysis compared with the MMA case, in French and English."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import CaseError, analyze_case
from analyzer.draft import MAX_DRAFT_CHARS, check_draft

MMA = Path(__file__).resolve().parents[1] / "corpora" / "mma-2020"


@pytest.fixture(scope="module")
def mma():
    return analyze_case(MMA)


@pytest.mark.parametrize("text, language, fact", [
    ("MMA a été victime d'une attaque informatique le 17 juillet.", "fr", "incident_acknowledged"),
    ("MMA was hit by a ransomware attack.", "en", "attack_type"),
    ("Les serveurs ont été chiffrés par un rançongiciel.", None, "attack_type"),
])
def test_the_draft_states_facts_and_leaves_out_the_others(mma, text, language, fact):
    check = check_draft(mma, text, "MMA / Covéa", language)
    assert fact in set(check.mentions["fact"])
    assert fact not in set(check.left_out["fact"])
    known = set(mma.disclosures.query("disclosed").fact)
    assert set(check.left_out["fact"]) == known - set(check.mentions["fact"])
    assert check.role == "management" and check.n_sentences >= 1


def test_a_fact_the_party_never_disclosed_is_added(mma):
    # MMA / Covéa disclosed no ransom demand in the case; the union and Zataz did.
    assert not mma.disclosures.query("party == 'MMA / Covéa' and fact == 'ransom_demanded'").disclosed.iloc[0]
    check = check_draft(mma, "Les pirates ont exigé une rançon.", "MMA / Covéa", "fr")
    added = check.added.set_index("fact")
    assert "ransom_demanded" in added.index and not added.loc["ransom_demanded", "new_to_case"]


def test_saying_the_opposite_of_the_case_is_a_contradiction(mma):
    affirmed = mma.mentions.query("fact == 'ransom_demanded' and polarity == 'affirmed'")
    assert len(affirmed)
    check = check_draft(mma, "Aucune rançon n'a été demandée.", "MMA / Covéa", "fr")
    row = check.contradictions.set_index("fact").loc["ransom_demanded"]
    assert row["draft_polarity"] == "no" and "CGT Covéa" in row["parties"]


def test_specificity_and_vague_wording(mma):
    check = check_draft(mma, "L'attaque a eu lieu le 17 juillet 2020. A priori, aucune donnée n'aurait fuité.",
                        "MMA / Covéa", "fr")
    assert 0.0 < check.specificity <= 1.0
    assert any("priori" in w.lower() for w in check.vague_wording)
    assert check_draft(mma, "Bonjour à tous.", "MMA / Covéa", "fr").specificity is None  # no fact: undefined


def test_evidence_html_is_escaped(mma):
    check = check_draft(mma, "<script>alert(1)</script> MMA a été victime d'une attaque informatique.",
                        "MMA / Covéa", "fr")
    assert all("<script>" not in html for html in check.mentions["html"])
    assert any("<mark>" in html for html in check.mentions["html"])


def test_a_language_without_lexicon_warns(mma):
    check = check_draft(mma, "Das Unternehmen wurde Opfer eines Cyberangriffs.", "MMA / Covéa", "de")
    assert check.mentions.empty and check.warnings


@pytest.mark.parametrize("text, party, problem", [
    ("   ", "MMA / Covéa", "the draft is empty"),
    ("x" * (MAX_DRAFT_CHARS + 1), "MMA / Covéa", "over the limit"),
    ("Une attaque.", "Nobody", "unknown party"),
])
def test_bad_drafts_are_one_line_errors(mma, text, party, problem):
    with pytest.raises(CaseError, match=problem):
        check_draft(mma, text, party)


def test_the_case_is_not_changed(mma):
    before = mma.disclosures.copy()
    check_draft(mma, "MMA a été victime d'une attaque informatique.", "CGT Covéa", "fr")
    assert mma.disclosures.equals(before)
