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


def test_weighted_coverage_follows_its_formula():
    # attack_type: 2 parties, 2 of 2 documents -> 2 + 2/3; ransom_paid: 1 party, 1 document -> 1 + 1/3
    analysis = build([("d1", "2020-07-20", [m(M, "attack_type"), m(U, "ransom_paid", "negated")]),
                      ("d2", "2020-07-21", [m(U, "attack_type")])])
    _, extra = run(analysis)
    total = (2 + 2 / 3) + (1 + 1 / 3)
    assert party_scores(extra, "Acme").weighted_coverage == pytest.approx((2 + 2 / 3) / total, abs=1e-6)
    assert party_scores(extra, "CGT").weighted_coverage == 1.0


@pytest.mark.parametrize("flags, specificity, hedging", [
    ([(True, False), (False, False)], 0.5, 0.0),
    ([(True, True), (True, True), (False, True)], pytest.approx(2 / 3, abs=1e-6), 1.0),
    ([(False, False)], 0.0, 0.0),
])
def test_specificity_and_hedging_are_shares_of_mentions(flags, specificity, hedging):
    mentions = [m(M, "attack_type", specific=s, hedged=h) for s, h in flags]
    acme = party_scores(run(build([("d1", "2020-07-20", mentions)]))[1], "Acme")
    assert (acme.specificity, acme.hedging) == (specificity, hedging)
    # the other party said nothing: its shares are undefined, not 0
    cgt = party_scores(run(build([("d1", "2020-07-20", mentions)]))[1], "CGT")
    assert math.isnan(cgt.specificity) and math.isnan(cgt.hedging) and cgt.coverage == 0.0


def test_document_rows():
    analysis = build([("d1", "2020-07-20", [m(M, "attack_type"), m(U, "ransom_paid", "negated")]),
                      ("d2", "", [m(U, "attack_type")]), ("d3", "", [])])
    scores = run(analysis)[1]["scores"]
    assert scores.level.tolist() == ["party", "party", "document", "document", "document"]
    documents = scores[scores.level == "document"].set_index("name")
    assert (documents.loc["d1", "coverage"], documents.loc["d1", "exclusives"]) == (1.0, 1)
    assert (documents.loc["d2", "coverage"], documents.loc["d2", "omissions"]) == (0.5, 1)
    assert documents.loc["d3", "coverage"] == 0.0 and math.isnan(documents.loc["d3", "specificity"])
    # party notions stay empty on document rows
    for column in ("contradictions", "lag_days", "channel_gap", "gdpr_completeness"):
        assert documents[column].isna().all(), column


def test_a_party_does_not_contradict_itself():
    analysis = build([("d1", "2020-07-20", [m(M, "ransom_paid", "affirmed"), m(M, "ransom_paid", "negated")])])
    disclosures, extra = run(analysis)
    assert extra["contradictions"].empty and not disclosures.contradicted.any()


def test_contradictions_both_ways_keep_party_order():
    # CGT (second party) affirms, Acme (first) negates: the row still reads Acme, then CGT
    analysis = build([("d1", "2020-07-20", [m(U, "data_breach", "affirmed", "yes")]),
                      ("d2", "2020-07-21", [m(M, "data_breach", "not_observed", "none observed")])])
    row = run(analysis)[1]["contradictions"].iloc[0]
    assert (row.party_a, row.value_a, row.doc_id_a) == ("Acme", "none observed", "d2")
    assert (row.party_b, row.value_b, row.doc_id_b) == ("CGT", "yes", "d1")


@pytest.mark.parametrize("date_a, date_b, lag, dated", [
    ("2020-07-20", "2020-07-25", 5, True),
    ("2020-07-20", "2020-07", None, True),  # a month only: dated, but no lag in days
    ("2020-07-20", "", None, False),  # undated: reported, not guessed
    ("", "", None, False),
])
def test_timeline_lag_needs_two_full_dates(date_a, date_b, lag, dated):
    analysis = build([("d1", date_a, [m(U, "ransom_paid", "negated")]),
                      ("d2", date_b, [m(M, "ransom_paid", "negated")])])
    _, extra = run(analysis)
    acme = extra["timeline"].set_index("party").loc["Acme"]
    assert bool(acme.dated) == dated
    assert (pd.isna(acme.lag_days) if lag is None else acme.lag_days == lag)
    acme_score = party_scores(extra, "Acme").lag_days
    assert (math.isnan(acme_score) if lag is None else acme_score == lag)


def test_the_case_first_is_the_earliest_date_not_the_first_document():
    analysis = build([("late", "2020-07-25", [m(M, "attack_type")]), ("early", "2020-07-20", [m(U, "attack_type")])])
    row = run(analysis)[1]["timeline"].set_index("party").loc["Acme"]
    assert (row.case_first_doc_id, row.case_first_party, row.lag_days) == ("early", "CGT", 5)


def test_no_facts_meets_no_regulatory_item():
    # the denominator is the framework's items, never empty: a silent party meets 0 of them
    _, extra = run(build([("d1", "2020-07-20", [])]))
    acme = party_scores(extra, "Acme")
    assert (acme.gdpr_completeness, acme.nis2_completeness, acme.sec_completeness) == (0.0, 0.0, 0.0)
    assert not extra["regulatory"].met.any()


@pytest.mark.parametrize("rule, disclosed, met", [
    ("any", {"attack_type"}, True), ("any", set(), False),
    ("all", {"attack_type"}, False), ("all", {"attack_type", "data_breach"}, True),
])
def test_item_rules(rule, disclosed, met):
    from analyzer.scores import RegulatoryItem
    item = RegulatoryItem("gdpr", "GDPR", "x", "Art. 33", "nature", ("attack_type", "data_breach"), rule)
    assert item_met(item, disclosed) is met


def test_every_regulation_item_names_codebook_facts():
    from analyzer.resources import codebook
    known = {fact.id for fact in codebook().facts}
    for item in regulatory_items():
        assert set(item.facts) <= known and item.label and item.article


def test_status_columns_are_consistent():
    analysis = build([("d1", "2020-07-20", [m(M, "attack_type"), m(U, "attack_type"), m(U, "ransom_paid", "negated"),
                                            m(M, "systems_affected", value="servers", channel="internal")])])
    disclosures, _ = run(analysis)
    assert (disclosures.exclusive == (disclosures.status == "exclusive")).all()
    assert (disclosures.disclosed == disclosures.status.isin(["disclosed", "exclusive"])).all()
    assert disclosures[disclosures.internal_only].fact.tolist() == ["systems_affected"]
