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


def write_case(root, documents, parties="  - {name: CGT, role: union, aliases: [CGT]}\n"
                                       "  - {name: Acme, role: management, aliases: [Acme]}\n"):
    """A case folder from [(doc_id, kind, date, language, text)]; date '' for undated."""
    lines = ["id: t", "title: T", "parties:", parties.rstrip("\n"), "documents:"]
    for doc_id, kind, date, language, text in documents:
        (root / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        lines.append(f"  - {{id: {doc_id}, file: {doc_id}.txt, kind: {kind}, language: {language}"
                     + (f", date: {date}" if date else "") + "}")
    (root / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return analyzer.analyze_case(root)


@pytest.mark.parametrize("language, text, vague, specific, concepts", [
    ("fr", "Un acte malveillant, en fait un rançongiciel qui a chiffré les serveurs.",
     ["acte malveillant"], ["rançongiciel", "chiffré les serveurs"], ["ransomware", "encryption"]),
    ("en", "A security incident, in fact ransomware that encrypted the servers.",
     ["security incident"], ["ransomware", "encrypted"], ["ransomware", "encryption"]),
    ("fr", "Aucune rançon n'a été demandée après cette cyberattaque.", ["cyberattaque"], [], []),
    ("en", "No data theft has been observed after the incident.", ["incident"], [], []),
    ("de", "Ein Ransomware-Angriff.", [], [], []),  # no framing words for this language
])
def test_framing_terms(language, text, vague, specific, concepts):
    found_vague, found_specific = similarity.framing_terms(text, language)
    assert found_vague == vague
    assert [term for term, _ in found_specific] == specific
    assert [concept for _, concept in found_specific] == concepts


def test_framing_adopted_across_languages(tmp_path):
    # The union says "rançongiciel" first (in French); the English press says "ransomware"
    # later: the same concept, so the press adopts the union's framing.
    result = write_case(tmp_path, [
        ("union", "union", "2021-03-01", "fr", "Selon la CGT, Acme a été victime d'un rançongiciel."),
        ("press", "press", "2021-03-04", "en", "Acme suffered a ransomware attack, the paper reports."),
    ])
    framing = result.extra["framing"].set_index(["level", "name"])
    press = framing.loc[("document", "press")]
    assert (press.concepts, press.first_used_by, press.adopted_from) == ("ransomware", "CGT", "CGT 1")
    assert framing.loc[("document", "union")].framing == "specific"


def test_one_language_only(tmp_path):
    result = write_case(tmp_path, [
        ("a", "press", "2021-03-01", "en", "Acme was hit by ransomware on 1 March 2021. No ransom was paid."),
        ("b", "press", "2021-03-02", "en", "Acme was hit by ransomware on 1 March 2021, the union said."),
    ])
    table = result.extra["similarity"]
    documents = table[table.level == "document"]
    assert set(documents.method) == set(similarity.METHODS) and documents.same_language.all()
    assert documents.score.between(0, 1).all()


def test_a_single_document_has_no_document_pairs(tmp_path):
    result = write_case(tmp_path, [("a", "press", "", "fr", "Selon la CGT, Acme a subi une cyberattaque.")])
    assert (result.extra["similarity"].level != "document").all()


def test_undated_echoes_follow_case_order(tmp_path):
    sentence = "Les serveurs du siège ont été chiffrés vendredi soir par les pirates."
    result = write_case(tmp_path, [("first", "press", "", "fr", sentence), ("second", "union", "", "fr", sentence)])
    echoes = result.extra["echoes"]
    assert echoes[["doc_id", "echo_doc_id"]].values.tolist() == [["second", "first"]]
    assert echoes.score.iloc[0] == 1.0


def test_dated_documents_come_before_undated_ones(tmp_path):
    sentence = "Les serveurs du siège ont été chiffrés vendredi soir par les pirates."
    result = write_case(tmp_path, [("undated", "press", "", "fr", sentence),
                                   ("dated", "union", "2021-03-01", "fr", sentence)])
    assert result.extra["echoes"][["doc_id", "echo_doc_id"]].values.tolist() == [["undated", "dated"]]


@pytest.mark.parametrize("chunk", [1, 3, None])
def test_top_k_pairs_above_the_limit(monkeypatch, chunk):
    from scipy import sparse
    matrix = sparse.csr_matrix([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1], [1, 0, 1]], dtype=float)
    all_pairs = similarity._cosine_pairs(matrix, chunk)
    assert len(all_pairs) == 15  # every pair of 6 rows, zeros included
    monkeypatch.setattr(similarity, "ALL_PAIRS_LIMIT", 2)
    monkeypatch.setattr(similarity, "TOP_K", 1)
    top = similarity._cosine_pairs(matrix, chunk)
    assert len(top) <= 6 and all(all_pairs[pair] == score for pair, score in top.items())
    for i in range(6):  # each row keeps its best neighbour
        best = max(score for pair, score in all_pairs.items() if i in pair)
        assert any(i in pair and score == best for pair, score in top.items())


def test_block_size_bounds_memory():
    assert similarity._chunk_rows(10, None) == similarity.BLOCK_CELLS // 10
    assert similarity._chunk_rows(10 ** 9, None) == 1
    assert similarity._chunk_rows(10, 7) == 7


# --- Scale structures against plain reference computations -----------------------------------

import sys  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import build_corpus  # noqa: E402


@pytest.fixture(scope="module")
def resampled(tmp_path_factory):
    """A 60-document case resampled from the MMA sentences: many identical and near-identical statements."""
    case = build_corpus(tmp_path_factory.mktemp("resampled"), 60, 1, seed=7)[0]
    return analyzer.analyze_case(case).analysis


@pytest.mark.parametrize("words", [
    ["a", "rançon", "l'attaque", "ransomware", "x"],
    ["CGT", "30,000", "«", "données", "informatique", "été"],
])
def test_character_ngrams_are_those_of_char_wb(words):
    grams = similarity._char_ngrams(words)
    padded = [f" {w} " for w in words]
    found = sorted(padded[w][s:s + n] for w, s, n in zip(grams.word.tolist(), grams.start.tolist(), grams.size.tolist()))
    char_wb = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False).build_analyzer()
    assert found == sorted(char_wb(" ".join(words)))


def _reference_echoes(analysis):
    """Echoes by brute force: stems TF-IDF over every statement of at least ECHO_MIN_WORDS words."""
    keys = similarity._order_keys(analysis)
    statements = [(keys[s.doc_id] + (s.id,), s, d.document.language) for d in analysis.documents for s in d.statements
                  if len(similarity._TOKEN.findall(s.text)) >= similarity.ECHO_MIN_WORDS]
    tokens = [similarity._analyzer(language)(s.text) for _, s, language in statements]
    matrix = normalize(TfidfVectorizer(analyzer=lambda t: t).fit_transform(tokens))
    scores = np.round((matrix @ matrix.T).toarray(), 6)
    order = sorted(range(len(statements)), key=lambda i: statements[i][0])
    rank = {i: r for r, i in enumerate(order)}
    best = {}
    for i, (_, s, _) in enumerate(statements):
        candidates = [(-scores[i, j], rank[j], j) for j, (_, o, _) in enumerate(statements)
                      if rank[j] < rank[i] and scores[i, j] >= similarity.ECHO_MIN_SCORE
                      and not (o.doc_id == s.doc_id and (o.source_name == s.source_name
                                                         or (o.sentence_ids, o.text) == (s.sentence_ids, s.text)))]
        if candidates:
            best[(s.doc_id, s.id)] = -min(candidates)[0]
    return best


def test_echoes_equal_a_brute_force_search(resampled):
    expected = _reference_echoes(resampled)
    echoes = similarity.echoes_table(resampled)
    found = {(r.doc_id, r.statement_id): r.score for r in echoes.itertuples(index=False)}
    assert len(found) > 20 and found.keys() == expected.keys()
    for key, score in found.items():
        assert score == pytest.approx(expected[key], abs=1e-6)


def test_echoes_with_tiny_chunks_change_nothing(resampled):
    pd.testing.assert_frame_equal(similarity.echoes_table(resampled), similarity.echoes_table(resampled, chunk_size=3))


def test_top_k_pairs_are_the_exact_nearest_neighbours():
    rng = np.random.default_rng(3)
    dense = rng.random((260, 40)) * (rng.random((260, 40)) < 0.2)
    dense[:30] = dense[0]  # ties: thirty identical rows
    rows = similarity.sparse.csr_matrix(dense)
    pairs = similarity._cosine_pairs(rows)
    normal = normalize(dense)
    exact = np.round(normal @ normal.T, 6)
    np.fill_diagonal(exact, -1)
    for i in range(len(dense)):  # every row's best neighbour is among its pairs, with its exact score
        own = [score for (a, b), score in pairs.items() if i in (a, b)]
        assert max(own) == pytest.approx(exact[i].max(), abs=1e-6)
    for (a, b), score in pairs.items():
        assert score == pytest.approx(max(exact[a, b], 0.0), abs=1e-6)


@pytest.mark.parametrize("width", [6, 63, 64, 65, 1000])
def test_screen_keeps_every_rows_top_k(width):
    rng = np.random.default_rng(width)
    block = (rng.random((40, width)) ** 3).astype(np.float32)
    block[:5] = 0.0
    block[5:10, :3] = 0.9  # fewer positive cells than k in rows 0-4; ties in 5-9
    rows, columns = similarity._screen(block, 5)
    kept = {(int(i), int(j)) for i, j in zip(rows, columns)}
    for i in range(len(block)):
        top = np.argsort(-block[i], kind="stable")[:5]
        assert {(i, int(j)) for j in top if block[i, j] > 0} <= kept
