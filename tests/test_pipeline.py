"""End to end on the bundled MMA case: the tables, their determinism, the Python API."""
import filecmp

import pandas as pd
import pytest

import analyzer
from analyzer.cli import main
from analyzer.tables import neutralize, to_csv_text
from conftest import MMA


@pytest.fixture(scope="module")
def result():
    return analyzer.analyze_case(MMA)


def test_documents_table(result):
    documents = result.documents
    assert list(documents.doc_id) == ["francebleu-2020-07-24", "geekynews-2020-07-27"]
    assert list(documents.language) == ["fr", "en"]
    assert (documents.n_statements >= documents.n_sentences).all()


def test_who_disclosed_what(result):
    disclosed = result.disclosures.query("disclosed")
    cells = set(zip(disclosed.party, disclosed.fact))
    assert {("CGT Covéa", "ransom_demanded"), ("CGT Covéa", "ransom_paid"), ("CGT Covéa", "business_impact"),
            ("CGT Covéa", "communication_criticism"), ("Zataz", "ransom_demanded"),
            ("MMA / Covéa", "data_breach"), ("MMA / Covéa", "attack_type"),
            ("geeky.news", "attack_type"), ("France Bleu", "service_disruption")} <= cells
    assert ("MMA / Covéa", "ransom_demanded") not in cells


def test_every_party_meets_every_fact(result):
    disclosures = result.disclosures
    n_facts = len(analyzer.resources.codebook().facts)
    assert len(disclosures) == disclosures.party.nunique() * n_facts
    assert list(disclosures.party.unique()[:3]) == ["MMA / Covéa", "CGT Covéa", "Zataz"]


def test_internal_channel_reaches_the_tables(result):
    internal = result.mentions.query("channel == 'internal'")
    assert set(internal.fact) >= {"attack_type", "systems_affected", "data_breach"}
    assert set(internal.source_role) == {"management"}


def test_cli_output_is_byte_identical_across_runs(tmp_path):
    assert main(["analyze", str(MMA), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert main(["analyze", str(MMA), "--out", str(tmp_path / "b"), "--quiet"]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert {"documents.csv", "statements.csv", "mentions.csv", "disclosures.csv"} <= set(names)
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert mismatch == [] and errors == []


def test_csv_round_trips(tmp_path, result):
    assert main(["analyze", str(MMA), "--out", str(tmp_path), "--quiet"]) == 0
    mentions = pd.read_csv(tmp_path / "mentions.csv", keep_default_na=False)
    assert len(mentions) == len(result.mentions)
    assert set(mentions.polarity) <= set(analyzer.model.POLARITIES)


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+33 1 23", "'+33 1 23"), ("-x", "'-x"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("plain", "plain"), ("", ""), (3, 3),
])
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralize(cell) == expected


@pytest.mark.parametrize("rows", [3, 5_000])  # a short column is checked in Python, a long one vectorised
def test_csv_text_neutralises_formulas_in_short_and_long_columns(rows):
    cells = ["=SUM(A1)", "plain", None, "-x", "@cmd", "\tx"] * rows
    frame = pd.DataFrame({"text": pd.Series(cells, dtype="str"), "flag": [True, False] * (len(cells) // 2)})
    lines = to_csv_text(frame).splitlines()
    assert lines[:7] == ["text,flag", "'=SUM(A1),true", "plain,false", ",true", "'-x,false", "'@cmd,true",
                         "'\tx,false"]
    assert len(lines) == 1 + len(cells)


def test_a_folder_of_cases(tmp_path):
    import shutil
    cases = tmp_path / "cases"
    shutil.copytree(MMA, cases / "mma-2020")
    shutil.copytree(MMA, cases / "mma-copy")
    yaml_path = cases / "mma-copy" / "case.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("id: mma-2020", "id: mma-copy"), encoding="utf-8")
    assert main(["analyze", str(cases), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "mma-2020" / "mentions.csv").exists()
    combined = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert sorted(combined.case_id.unique()) == ["mma-2020", "mma-copy"]


def test_written_files_are_readable_by_others(tmp_path):
    assert main(["analyze", str(MMA), "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "mentions.csv").stat().st_mode & 0o044 == 0o044


def test_warm_up_builds_each_languages_cue_search():
    from analyzer import attribute, pipeline
    from analyzer.resources import LEXICON_LANGUAGES
    attribute._search.cache_clear()
    pipeline.warm_up()
    assert attribute._search.cache_info().currsize == len(LEXICON_LANGUAGES)


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    # Set iteration order follows the hash seed: a sum or a join over a set must not (scores'
    # weighted coverage once differed in its last digit between runs).
    import os
    import subprocess
    import sys
    from pathlib import Path

    case = Path(__file__).parent / "fixtures" / "synthetic-crosslingual"
    outputs = []
    for seed in ("1", "5"):  # two seeds whose set orders once gave different sums
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "analyzer", "analyze", str(case), "--out", str(out), "--quiet"],
                       check=True, env=env, cwd=Path(__file__).parent.parent)
        outputs.append(out)
    names = sorted(p.name for p in outputs[0].iterdir())
    match, mismatch, errors = filecmp.cmpfiles(*outputs, names, shallow=False)
    assert mismatch == [] and errors == []
