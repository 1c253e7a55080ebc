"""Every dashboard page, run headless with Streamlit's AppTest on the bundled MMA case."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analyzer import analyze_case
from analyzer.resources import codebook
from analyzer.serve import (STATUSES, WORD_JOINER, bundled_case_dir, evidence_frame, export_files, highlight,
                             matrix_frame, party_summary, status_counts, timeline_frame)
from analyzer.upload import case_zip

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
MMA = Path(__file__).resolve().parents[1] / "corpora" / "mma-2020"
PAGES = ["overview", "matrix", "scorecards", "similarity", "draft", "your_case", "export"]


@pytest.fixture(autouse=True)
def launch_argv(monkeypatch):
    """The app reads its case from sys.argv like under `streamlit run APP -- CASE`; pytest's own
    arguments must not be taken for a case folder."""
    monkeypatch.setattr("sys.argv", [APP, str(MMA)])


def _page(name: str) -> AppTest:
    """The app run on one page, with the bundled case."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    if name != "overview":
        app.switch_page(f"views/{name}.py")
        app.run()
    return app


def _html(app: AppTest) -> list[str]:
    """The evidence blocks of the page (st.html elements holding a sentence)."""
    return [element.proto.body for element in app.get("html") if 'class="evidence"' in element.proto.body
            or "<mark>" in element.proto.body]


def shown(markdown: str) -> str:
    """Markdown as the reader sees it once backslash escapes are consumed (case text is escaped)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_without_exception(name):
    app = _page(name)
    assert not app.exception, app.exception
    assert app.title[0].value


def test_overview_lists_documents_parties_and_timeline():
    app = _page("overview")
    documents = app.dataframe[0].value
    assert set(documents["doc_id"]) == {"francebleu-2020-07-24", "geekynews-2020-07-27"}
    assert set(documents["date"]) == {"24 July 2020", "27 July 2020"}
    headline = " ".join(shown(m.value) for m in app.markdown)
    assert all(party in headline for party in ("MMA / Covéa", "CGT Covéa", "Zataz", "France Bleu", "geeky.news"))
    assert app.get("vega_lite_chart")  # the timeline


def test_the_matrix_shows_the_mma_facts_in_plain_language():
    app = _page("matrix")
    table = app.dataframe[0].value
    assert list(table.index) == [fact.label for fact in codebook().facts]
    assert {"MMA / Covéa", "CGT Covéa", "Zataz", "France Bleu"} <= set(table.columns)
    assert table.loc[codebook().fact("ransom_demanded").label, "CGT Covéa"] == "disclosed"
    assert [m.label for m in app.multiselect] == ["Channel", "Language"]
    assert app.select_slider[0].label == "Document dates"


def test_choosing_a_cell_shows_its_evidence_with_the_cue_marked():
    app = _page("matrix")
    app.selectbox(key="cell_party").set_value("CGT Covéa")
    app.selectbox(key="cell_fact").set_value("ransom_demanded")
    app.run()
    evidence = _html(app)
    assert evidence and all("<mark>" in body for body in evidence)
    assert any("rançon" in body and "francebleu-2020-07-24" in body and "24 July 2020" in body for body in evidence)


def test_an_omitted_cell_says_so():
    app = _page("matrix")
    app.selectbox(key="cell_party").set_value("Zataz")
    app.selectbox(key="cell_fact").set_value("root_cause")
    app.run()
    assert not _html(app)
    assert "does not state this fact" in shown(app.info[0].value)


def test_filters_change_the_matrix():
    app = _page("matrix")
    app.multiselect(key="filter_languages").set_value(["en"])
    app.run()
    table = app.dataframe[0].value
    # France Bleu writes in French: with English only, it discloses nothing.
    assert set(table["France Bleu"]) <= {"omitted", "unknown"}


def test_draft_check_runs_from_the_form():
    app = _page("draft")
    app.text_area(key="draft_text").set_value("Aucune rançon n'a été demandée. MMA a été victime d'une attaque "
                                               "informatique le 17 juillet.")
    app.selectbox(key="draft_party").set_value("MMA / Covéa")
    app.selectbox(key="draft_language").set_value("fr")
    app.button[0].click()
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Contradictions"] == "1"
    assert int(metrics["Known facts left out"]) > 0
    assert any("<mark>" in body for body in _html(app))


def test_an_empty_draft_is_an_error_on_the_page():
    app = _page("draft")
    app.button[0].click()
    app.run()
    assert not app.exception
    assert "the draft is empty" in shown(app.error[0].value)


def test_uploading_a_document_makes_it_the_active_case(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the upload's case folder goes
    app = _page("your_case")
    text = "La direction de MMA a confirmé une attaque informatique. Les serveurs ont été chiffrés.".encode()
    app.file_uploader(key="case_files").set_value([("communique.txt", text, "text/plain")])
    app.run()
    app.text_input(key="case_id").set_value("mon-cas")
    app.session_state["case_parties"] = {"edited_rows": {}, "deleted_rows": [],
                                         "added_rows": [{"name": "MMA", "role": "management", "aliases": "MMA"}]}
    app.selectbox(key="kind_0").set_value("management")
    app.text_input(key="date_0").set_value("21/07/2020")
    app.button[0].click()
    app.run()
    assert not app.exception, app.exception
    assert "Analysed mon-cas: 1 document," in shown(app.success[0].value)
    zipped = app.get("download_button")[0].proto.url
    assert zipped
    assert list(tmp_path.iterdir()) == []  # the case folder was removed once analysed
    app.switch_page("views/matrix.py")
    app.run()
    assert "MMA" in app.dataframe[0].value.columns
    assert "uploaded this session" in app.caption[0].value and "1 document ·" in app.caption[0].value
    app.switch_page("views/overview.py")
    app.run()
    assert list(app.dataframe[0].value["date"]) == ["21 July 2020"]


def test_a_bad_upload_is_reported_and_the_app_keeps_working(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = _page("your_case")
    app.file_uploader(key="case_files").set_value([("case.zip", b"not a zip at all", "application/zip")])
    app.run()
    app.button(key="analyse_zip").click()
    app.run()
    assert not app.exception
    assert "not a zip file" in shown(app.error[0].value)
    assert list(tmp_path.iterdir()) == []  # nothing left behind by the failed upload
    app.switch_page("views/matrix.py")
    app.run()
    assert "CGT Covéa" in app.dataframe[0].value.columns  # still the launch case


def test_a_zipped_case_can_be_uploaded():
    app = _page("your_case")
    app.file_uploader(key="case_files").set_value([("mma.zip", case_zip(MMA), "application/zip")])
    app.run()
    app.button(key="analyse_zip").click()
    app.run()
    assert "Analysed mma-2020" in shown(app.success[0].value)


def test_export_offers_every_file_and_a_zip():
    app = _page("export")
    labels = [button.label for button in app.get("download_button")]
    assert labels[0].startswith("All files")
    assert {"Download documents.csv", "Download disclosures.csv", "Download mentions.csv"} <= set(labels)


# The computing behind the pages, on the Python API (what a notebook would call).

@pytest.fixture(scope="module")
def mma():
    return analyze_case(MMA)


def test_bundled_case_is_found():
    assert bundled_case_dir() == MMA


@pytest.mark.parametrize("sentence, start, end, expected", [
    ("Une rançon <b>énorme</b>.", 4, 10, "Une <mark>rançon</mark> &lt;b&gt;énorme&lt;/b&gt;."),
    ("<script>x</script>", 0, 0, "&lt;script&gt;x&lt;/script&gt;"),
    ("A ransom & more", 2, 99, "A <mark>ransom &amp; more</mark>"),
])
def test_highlight_escapes_then_marks(sentence, start, end, expected):
    assert highlight(sentence, start, end) == expected


def test_matrix_frame_statuses(mma):
    matrix = matrix_frame(mma)
    assert len(matrix) == len(mma.disclosures)
    assert set(matrix["status"]) <= set(STATUSES)
    assert (~matrix["status"].isin(["omitted", "unknown"])).sum() == mma.disclosures["disclosed"].sum()
    internal = matrix_frame(mma, channels=["internal"])
    assert set(internal["status"]) <= {"internal only", "exclusive", "contradicted", "omitted", "unknown"}


def test_matrix_counts_are_the_scorecards(mma):
    """The bundled case: 51 omitted cells are the scorecards' 51 omissions, not 86 grey cells."""
    counts = status_counts(matrix_frame(mma))
    parties = mma.extra["scores"].query("level == 'party'")
    assert counts["omitted"] == parties["omissions"].sum() == 51
    assert counts["exclusive"] == parties["exclusives"].sum()
    assert counts["contradicted"] == parties["contradictions"].sum()
    assert counts["unknown"] == 5 * 7  # 7 facts nobody disclosed, for 5 parties
    summary = party_summary(mma).set_index("party")
    assert summary.loc["MMA / Covéa", "disclosed"] == 5 and summary.loc["MMA / Covéa", "known"] == 16
    assert len(summary.loc["MMA / Covéa", "left_out"]) == 11
    assert summary.loc["MMA / Covéa", "internal_only"] == ["Systems affected"]


def test_evidence_and_timeline(mma):
    evidence = evidence_frame(mma, "CGT Covéa", "ransom_demanded")
    assert len(evidence) and evidence["html"].str.contains("<mark>").all()
    timeline = timeline_frame(mma)
    assert {"document", "first disclosure"} == set(timeline["event"])
    assert timeline["day"].notna().all()


def test_export_files_equal_the_cli_output(mma, tmp_path):
    from analyzer.cli import main

    assert main(["analyze", str(MMA), "--out", str(tmp_path), "--quiet"]) == 0
    files = export_files(mma)
    assert set(files) == {p.name for p in tmp_path.iterdir()}
    assert all(files[name] == (tmp_path / name).read_bytes() for name in files)


def test_dashboard_command_is_headless():
    from analyzer.serve import dashboard_command

    command = dashboard_command(MMA, 8599)
    assert command[1:4] == ["-m", "analyzer.serve", "run"] and command[4].endswith("app.py")
    assert ["--server.headless", "true"] == command[5:7] and command[-2:] == ["--", str(MMA)]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"  # this machine only, by default
    assert command[command.index("--server.maxUploadSize") + 1] == "20"  # analyzer/data/limits.yaml: 20 MiB
    wide = dashboard_command(MMA, 8599, "0.0.0.0")
    assert wide[wide.index("--server.address") + 1] == "0.0.0.0"


def test_dashboard_without_a_case_is_one_line_exit_2(tmp_path, capsys):
    from analyzer.cli import main

    assert main(["dashboard", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_scorecards_show_real_scores():
    app = _page("scorecards")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert {"Coverage", "Weighted coverage", "Omissions", "Exclusives", "GDPR Art. 33/34"} <= set(metrics)
    assert metrics["Coverage"].endswith("%")
    assert "undefined" not in metrics["Coverage"]


def test_similarity_page_shows_heatmaps_echoes_and_framing():
    app = _page("similarity")
    assert not app.exception
    assert len(app.dataframe) >= 2  # echoes and framing
    assert any("similarity" in subheader.value.lower() for subheader in app.subheader)
