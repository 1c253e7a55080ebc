"""Similarity: lexical within a language, cross-lingual by facts and anchors, echoes, framing."""
from pathlib import Path

import pandas as pd
import pytest

import analyzer
from analyzer import similarity
from analyzer.model import Case, CaseAnalysis
from conftest import MMA

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic-crosslingual"


@pytest.fixture(scope="module")
def synthetic():
    return analyzer.analyze_case(SYNTHETIC)


@pytest.fixture(scope="module")
def mma():
    return analyzer.analyze_case(MMA)


def score(result, a, b, method, level="document"):
    table = result.extra["similarity"]
    rows = table[(table.level == level) & (table.method == method)
                 & (((table.a == a) & (table.b == b)) | ((table.a == b) & (table.b == a)))]
    return rows.score.iloc[0] if len(rows) else None


@pytest.mark.parametrize("same_incident, other_pair", [
    (("nordia-fr", "nordia-en"), ("nordia-fr", "ostra-fr")),
    (("nordia-fr", "nordia-en"), ("nordia-en", "ostra-en")),
    (("ostra-fr", "ostra-en"), ("ostra-fr", "nordia-fr")),
    (("ostra-fr", "ostra-en"), ("ostra-en", "nordia-en")),
])
def test_same_incident_across_languages_beats_same_language_across_incidents(synthetic, same_incident, other_pair):
    assert score(synthetic, *same_incident, "cross_lingual") > score(synthetic, *other_pair, "cross_lingual")


def test_lexical_scores_stay_within_a_language(synthetic):
    assert score(synthetic, "nordia-fr", "nordia-en", "words") is None
    assert score(synthetic, "nordia-fr", "ostra-fr", "words") is not None


def test_scores_are_in_range_and_complete(synthetic):
    table = synthetic.extra["similarity"]
    assert table.score.between(0, 1).all()
    documents = table[table.level == "document"]
    assert len(documents[documents.method == "cross_lingual"]) == 6  # every pair of 4 documents


def test_mma_articles_share_facts_across_languages(mma):
    assert score(mma, "francebleu-2020-07-24", "geekynews-2020-07-27", "cross_lingual") > 0


def test_framing(mma):
    framing = mma.extra["framing"].set_index(["level", "name"])
    geeky = framing.loc[("document", "geekynews-2020-07-27")]
    assert geeky.framing == "specific" and "ransomware" in geeky.specific_terms
    assert "malicious act" in framing.loc[("party", "MMA / Covéa")].vague_terms


def test_echoes_point_back_in_time(mma):
    echoes = mma.extra["echoes"]
    documents = mma.documents.set_index("doc_id").date
    assert not echoes.empty
    for row in echoes.itertuples(index=False):
        assert documents[row.echo_doc_id] <= documents[row.doc_id]
        if row.echo_doc_id == row.doc_id:
            assert row.echo_statement_id < row.statement_id
        assert row.score >= similarity.ECHO_MIN_SCORE


def test_echo_chunking_changes_nothing(mma):
    pd.testing.assert_frame_equal(similarity.echoes_table(mma.analysis),
                                  similarity.echoes_table(mma.analysis, chunk_size=1))


def test_a_copied_statement_echoes_its_source(tmp_path):
    (tmp_path / "a.txt").write_text("Selon la CGT, les serveurs du siège ont été chiffrés vendredi soir.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Les serveurs du siège ont été chiffrés vendredi soir, écrit le journal.",
                                    encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        "id: echo\ntitle: Echo\nparties:\n  - {name: CGT, role: union, aliases: [CGT]}\ndocuments:\n"
        "  - {id: a, file: a.txt, kind: press, date: 2020-01-01, language: fr}\n"
        "  - {id: b, file: b.txt, kind: press, date: 2020-01-02, language: fr}\n", encoding="utf-8")
    echoes = analyzer.analyze_case(tmp_path).extra["echoes"]
    echo = echoes[echoes.doc_id == "b"].iloc[0]
    assert (echo.echo_doc_id, echo.echo_source_name) == ("a", "CGT") and echo.score > 0.5


def test_degenerate_cases_give_empty_tables():
    empty = CaseAnalysis(Case("x", "X", Path("."), ()))
    for function, columns in ((similarity.similarity_table, similarity.SIMILARITY_COLUMNS),
                              (similarity.echoes_table, similarity.ECHO_COLUMNS),
                              (similarity.framing_table, similarity.FRAMING_COLUMNS)):
        frame = function(empty)
        assert frame.empty and list(frame.columns) == columns


def test_deterministic(synthetic):
    again = analyzer.analyze_case(SYNTHETIC)
    for name in ("similarity", "echoes", "framing"):
        pd.testing.assert_frame_equal(synthetic.extra[name], again.extra[name])
