"""Scores: coverage, weighted coverage, omissions, exclusives, contradictions, timeline, regulatory, channel gap."""
import math
from pathlib import Path

import pandas as pd
import pytest

from analyzer import tables
from analyzer.model import Case, CaseAnalysis, Document, DocumentAnalysis, DocumentMeta, Mention, Party, Statement
from analyzer.scores import FIGURE_TOLERANCE, item_met, ratio, regulatory_items, score_tables

PARTIES = (Party("Acme", "management", ("Acme",)), Party("CGT", "union", ("CGT",)))


def build(documents):
    """A CaseAnalysis from [(doc_id, date, [(party, role, fact, polarity, value, channel, specific, hedged)])]."""
    analyses = []
    for doc_id, date, facts in documents:
        meta = DocumentMeta(doc_id, Path(f"{doc_id}.txt"), "press", "Daily", date, "en")
        statements, mentions = [], []
        for i, (party, role, fact, polarity, value, channel, specific, hedged) in enumerate(facts, 1):
            statements.append(Statement(doc_id, i, (i,), role, party, channel, f"s{i}", 0, 2))
            mentions.append(Mention(doc_id, i, i, fact, role, party, channel, polarity, value, "cue", 0, 3,
                                    f"sentence {i}", specific, hedged))
        analyses.append(DocumentAnalysis(Document(meta, "", "en"), (), tuple(statements), tuple(mentions)))
    return CaseAnalysis(Case("t", "T", Path("."), tuple(a.document.meta for a in analyses), "", PARTIES),
                        tuple(analyses))


def run(analysis):
    mentions = tables.mentions_table(analysis)
    disclosures, extra = score_tables(analysis, mentions, tables.disclosures_table(analysis))
    return disclosures, extra


def party_scores(extra, name):
    scores = extra["scores"]
    return scores[(scores.level == "party") & (scores.name == name)].iloc[0]


M = ("Acme", "management")
U = ("CGT", "union")


def m(who, fact, polarity="affirmed", value="yes", channel="public", specific=False, hedged=False):
    return (*who, fact, polarity, value, channel, specific, hedged)


def test_coverage_omissions_exclusives():
    analysis = build([("d1", "2020-07-20", [m(M, "attack_type"), m(U, "attack_type"), m(U, "ransom_paid", "negated")]),
                      ("d2", "2020-07-22", [m(U, "business_impact", value="30000 hours", specific=True)])])
    disclosures, extra = run(analysis)
    acme, cgt = party_scores(extra, "Acme"), party_scores(extra, "CGT")
    assert (acme.coverage, acme.omissions, acme.exclusives) == (pytest.approx(1 / 3), 2, 0)
    assert (cgt.coverage, cgt.omissions, cgt.exclusives) == (1.0, 0, 2)
    # Pyramid weights: attack_type is disclosed by two parties, so it weighs most
    assert acme.weighted_coverage > acme.coverage
    status = disclosures.set_index(["party", "fact"]).status
    assert status[("CGT", "ransom_paid")] == "exclusive"
    assert status[("Acme", "ransom_paid")] == "omitted"
    assert status[("Acme", "root_cause")] == "unknown"
    assert cgt.specificity == pytest.approx(1 / 3)


def test_no_known_facts_leaves_ratios_undefined():
    disclosures, extra = run(build([("d1", "", [])]))
    acme = party_scores(extra, "Acme")
    assert math.isnan(acme.coverage) and math.isnan(acme.weighted_coverage)
    assert math.isnan(acme.specificity) and math.isnan(acme.hedging) and math.isnan(acme.lag_days)
    assert acme.omissions == 0 and not disclosures.disclosed.any()
    assert set(disclosures.status) == {"unknown"}


def test_a_single_party_has_full_coverage_and_everything_exclusive():
    _, extra = run(build([("d1", "2020-01-01", [m(M, "attack_type"), m(M, "data_breach", "not_observed")])]))
    acme = party_scores(extra, "Acme")
    assert (acme.coverage, acme.weighted_coverage, acme.exclusives) == (1.0, 1.0, 2)
    assert extra["contradictions"].empty


@pytest.mark.parametrize("a, b, kind", [
    (m(M, "ransom_paid", "affirmed"), m(U, "ransom_paid", "negated"), "polarity"),
    (m(M, "data_breach", "not_observed"), m(U, "data_breach", "affirmed"), "polarity"),
    (m(M, "business_impact", value="10000 hours"), m(U, "business_impact", value="30000 hours"), "figure"),
])
def test_contradictions(a, b, kind):
    disclosures, extra = run(build([("d1", "2020-07-20", [a]), ("d2", "2020-07-21", [b])]))
    contradiction, = extra["contradictions"].itertuples(index=False)
    assert (contradiction.kind, contradiction.party_a, contradiction.party_b) == (kind, "Acme", "CGT")
    assert contradiction.sentence_a and contradiction.sentence_b
    assert disclosures[disclosures.contradicted].party.tolist() == ["Acme", "CGT"]
    assert party_scores(extra, "CGT").contradictions == 1


@pytest.mark.parametrize("a, b", [
    (m(M, "ransom_paid", "withheld", "undisclosed"), m(U, "ransom_paid", "negated")),  # withholding is no answer
    (m(M, "business_impact", value="29000 hours"), m(U, "business_impact", value="30000 hours")),  # within tolerance
    (m(M, "business_impact", value="30000 hours"), m(U, "business_impact", value="30000 EUR")),  # other units
])
def test_no_contradiction(a, b):
    assert run(build([("d1", "2020-07-20", [a, b])]))[1]["contradictions"].empty
    assert FIGURE_TOLERANCE == 0.2


def test_timeline_lags_and_undated_documents():
    analysis = build([("d1", "2020-07-20", [m(U, "ransom_paid", "negated")]),
                      ("d2", "2020-07-23", [m(M, "ransom_paid", "negated")]),
                      ("d3", "", [m(M, "attack_type")])])
    _, extra = run(analysis)
    timeline = extra["timeline"].set_index(["fact", "party"])
    assert timeline.loc[("ransom_paid", "Acme")].lag_days == 3
    assert timeline.loc[("ransom_paid", "CGT")].lag_days == 0
    undated = timeline.loc[("attack_type", "Acme")]
    assert not undated.dated and undated.first_date == "" and pd.isna(undated.lag_days)
    assert party_scores(extra, "Acme").lag_days == 3.0


def test_channel_gap():
    analysis = build([("d1", "2020-07-20", [m(M, "attack_type", value="malicious act"),
                                            m(M, "attack_type", value="encryption", channel="internal", specific=True),
                                            m(M, "systems_affected", value="servers", channel="internal")])])
    disclosures, extra = run(analysis)
    cells = disclosures[disclosures.party == "Acme"].set_index("fact")
    assert cells.loc["systems_affected"].internal_only and not cells.loc["attack_type"].internal_only
    assert cells.loc["attack_type"].internal_values == "encryption"
    assert party_scores(extra, "Acme").channel_gap == 2


def test_regulatory_completeness():
    _, extra = run(build([("d1", "2020-07-20", [m(M, "attack_type"), m(M, "customer_contact_point")])]))
    regulatory = extra["regulatory"]
    acme = regulatory[regulatory.party == "Acme"].set_index("item")
    assert acme.loc["gdpr_nature"].met and acme.loc["gdpr_contact"].met and not acme.loc["gdpr_measures"].met
    assert party_scores(extra, "Acme").gdpr_completeness == pytest.approx(0.5)
    assert party_scores(extra, "CGT").gdpr_completeness == 0.0


def test_regulatory_items_cover_three_frameworks():
    assert {item.framework for item in regulatory_items()} == {"gdpr", "nis2", "sec"}
    item = regulatory_items()[0]
    assert item_met(item, {item.facts[0]}) and not item_met(item, set())


@pytest.mark.parametrize("numerator, denominator, expected", [(1, 2, 0.5), (0, 3, 0.0), (2, 3, 0.666667)])
def test_ratio(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected


def test_ratio_of_nothing_is_undefined():
    assert math.isnan(ratio(0, 0))


def test_every_ratio_is_in_range_on_the_bundled_case():
    import analyzer
    from conftest import MMA
    scores = analyzer.analyze_case(MMA).extra["scores"]
    for column in ("coverage", "weighted_coverage", "specificity", "hedging", "gdpr_completeness",
                   "nis2_completeness", "sec_completeness"):
        values = scores[column].dropna()
        assert ((values >= 0) & (values <= 1)).all(), column
