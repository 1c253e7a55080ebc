"""What a careful reader sees in the MMA / Covéa case, asserted on the analyzer's outputs."""
import pytest

import analyzer
from conftest import MMA


@pytest.fixture(scope="module")
def result():
    return analyzer.analyze_case(MMA)


def cell(result, party, fact):
    rows = result.disclosures[(result.disclosures.party == party) & (result.disclosures.fact == fact)]
    return rows.iloc[0]


def test_the_union_disclosed_the_ransom_hours_and_criticism(result):
    assert "undisclosed" in cell(result, "CGT Covéa", "ransom_amount")["values"]
    assert cell(result, "CGT Covéa", "ransom_demanded").disclosed
    assert cell(result, "CGT Covéa", "ransom_paid").polarities == ["negated"]
    assert "30000 hours" in cell(result, "CGT Covéa", "business_impact")["values"]
    assert cell(result, "CGT Covéa", "communication_criticism").disclosed
    # management never spoke of the ransom in public or in private
    assert cell(result, "MMA / Covéa", "ransom_demanded").status == "omitted"


def test_the_affected_subsidiaries(result):
    # The geeky.news article relays the union's information in its own narration: the
    # subsidiaries are credited to the press there (the gold accepts either).
    values = " ".join(value for cell in result.disclosures.query("fact == 'entities_affected'")["values"] for value in cell)
    assert all(name in values for name in ("MAAF", "GMF", "Fidélia"))


def test_management_was_vague_in_public_and_specific_internally(result):
    mentions = result.mentions[(result.mentions.source_name == "MMA / Covéa") & (result.mentions.fact == "attack_type")]
    public = mentions[mentions.channel == "public"]
    internal = mentions[mentions.channel == "internal"]
    assert set(public.value) == {"malicious act"} and not public.specific.any()
    assert "encryption" in set(internal.value)
    breach = cell(result, "MMA / Covéa", "data_breach")
    assert breach.polarities == ["not_observed"]
    systems = cell(result, "MMA / Covéa", "systems_affected")
    assert systems.internal_only
    assert cell(result, "MMA / Covéa", "attack_type").internal_values == ["encryption"]
    scores = result.extra["scores"].set_index("name")
    assert scores.loc["MMA / Covéa", "channel_gap"] == 2


def test_the_press_adopted_ransomware(result):
    framing = result.extra["framing"]
    press = framing[(framing.level == "party") & (framing.role == "press")]
    assert press.specific_terms.str.contains("ransomware", case=False).any()


def test_the_union_covered_more_than_management(result):
    scores = result.extra["scores"].set_index("name")
    assert scores.loc["CGT Covéa", "coverage"] > scores.loc["MMA / Covéa", "coverage"]
    assert scores.loc["CGT Covéa", "exclusives"] >= 3


def test_the_press_article_adopts_words_first_used_by_others(result):
    framing = result.extra["framing"].set_index(["level", "name"])
    geeky = framing.loc[("document", "geekynews-2020-07-27")]
    # "ransomware" is the article's own word; "encrypting" comes from what management told
    # staff representatives, "ransom" from Zataz and the union three days earlier.
    assert geeky.concepts.split(" | ") == ["ransomware", "encryption", "ransom"]
    assert set(geeky.adopted_from.split(" | ")) == {"Zataz 0.333333", "geeky.news 0.333333", "MMA / Covéa 0.333333"}
    # management's public words stay vague; its only specific word was for staff
    management = framing.loc[("party", "MMA / Covéa")]
    assert management.framing == "vague" and management.specific_terms == "encrypting"


def test_no_contradiction_between_parties(result):
    # management said "no data leak observed"; nobody affirmed a leak, and only the union
    # spoke of the ransom: nothing to contradict.
    assert result.extra["contradictions"].empty


def test_zataz_spoke_of_the_ransom_first(result):
    # "D'après le site spécialisé Zataz et une source syndicale": same sentence, Zataz named first
    timeline = result.extra["timeline"]
    first = timeline[timeline.fact == "ransom_demanded"].case_first_party.unique().tolist()
    assert first == ["Zataz"]
