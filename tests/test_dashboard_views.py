"""The dashboard's formatters (dashboard/format.py), and every page on four kinds of case:
the bundled MMA case, an uploaded one, one whose documents hold no text, one with no date."""
from __future__ import annotations

import dataclasses
import math
import re
import tempfile

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from analyzer import analyze_case
from analyzer.limits import limits
from dashboard.format import (EMPTY, answer, fact_label, fact_list, format_cell, format_date, format_duration, format_value,
                              format_values, is_cue_only, mention_values, parse_date_input, plural, regulatory_label)
from dashboard.state import NO_TEXT, UPLOADED
from test_dashboard import APP, MMA, shown
from test_hostile_dashboard import _run as run_page

PAGES = ["overview", "matrix", "scorecards", "similarity", "draft", "your_case", "export"]
RAW = {
    "ISO duration": re.compile(r"\bP(T?\d)"),
    "year-less ISO date": re.compile(r"(?<![\w-])--\d\d-\d\d\b"),
    "regulatory item id": re.compile(r"\b(gdpr|nis2|sec)_[a-z_]+\b"),
    "None": re.compile(r"\bNone\b"),
    "nan": re.compile(r"\bnan\b"),
    "Python list": re.compile(r"\[\]|\['"),  # a typed table's list cell printed as is
}


# The formatters.

@pytest.mark.parametrize("value, expected", [
    ("2020-07-17", "17 July 2020"),
    ("2024-03-08", "8 March 2024"),
    ("--07-17", "17 July"),
    ("2020-07", "July 2020"),
    ("2020", "2020"),
    ("---17", "the 17th of the month"),
    ("2020-07-17 (weekday mismatch)", "17 July 2020 (weekday mismatch)"),
    ("", EMPTY), (None, EMPTY), (math.nan, EMPTY), (pd.NA, EMPTY),
    ("soon", "soon"),
])
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("P7D", "7 days"), ("P1D", "1 day"), ("PT36H", "36 hours"), ("PT1H", "1 hour"), ("P2W", "2 weeks"),
    ("P3M", "3 months"), ("P1Y", "1 year"), ("P1DT2H", "1 day 2 hours"), ("PT30M", "30 minutes"),
    ("P1.5D", "1.5 days"), ("P", "P"), ("Paris", "Paris"), (None, EMPTY),
])
def test_format_duration(value, expected):
    assert format_duration(value) == expected


@pytest.mark.parametrize("value, cue, polarity, expected", [
    pytest.param("salariés sont invités à", "salariés sont invités à", "affirmed", "stated", id="fr cue only"),
    pytest.param("rançon", "rançon", "affirmed", "stated", id="fr one word"),
    pytest.param("peut-être le début de la semaine", '"peut-être le début de la semaine", d\'après un syndicat.',
                 "affirmed", "stated", id="fr value inside its cue"),
    pytest.param("ransom", "ransom", "negated", "denied", id="en denied"),
    pytest.param("P7D", "blockade of the infrastructure, which lasted", "affirmed", "7 days", id="en duration"),
    pytest.param("2020-07-17", "attack", "affirmed", "17 July 2020", id="date"),
    pytest.param("--07-17", "attaque", "affirmed", "17 July", id="fr date without year"),
    pytest.param("30000 hours", "loss of 30,000 hours", "affirmed", "30,000 hours", id="en long number"),
    pytest.param("none observed", "aucune fuite", "not_observed", "none observed", id="fr none observed"),
    pytest.param("encryption", "encrypting", "affirmed", "encryption", id="en category"),
    pytest.param("", "x", None, EMPTY, id="empty, no polarity"),
    pytest.param(None, None, "withheld", "withheld", id="no value, withheld"),
])
def test_format_value(value, cue, polarity, expected):
    assert format_value(value, cue, polarity) == expected


def test_is_cue_only_needs_both():
    assert not is_cue_only("rançon", None) and not is_cue_only(None, "rançon")


def test_format_values_and_mention_values():
    assert format_values("P7D | 2020-07-17 | P7D") == "7 days; 17 July 2020"
    assert format_values("") == EMPTY
    mentions = pd.DataFrame({"value": ["rançon", "undisclosed", "rançon"], "cue": ["rançon", "montant", "rançon"],
                             "polarity": ["affirmed", "withheld", "affirmed"]})
    assert mention_values(mentions) == "stated; undisclosed"


@pytest.mark.parametrize("item, expected", [
    ("gdpr_nature", "Nature of the breach, categories and approximate numbers of people and records"),
    ("nis2_severity", "Notification: severity and impact"),
    (None, EMPTY), ("not_an_item", "not_an_item"),
])
def test_regulatory_label(item, expected):
    assert regulatory_label(item) == expected


def test_fact_labels():
    assert fact_label("attack_type") != "attack_type"
    assert fact_list("attack_type | data_breach") == f"{fact_label('attack_type')}, {fact_label('data_breach')}"
    assert fact_list(None) == EMPTY


@pytest.mark.parametrize("value, expected", [
    (None, EMPTY), (math.nan, EMPTY), ("", EMPTY), (True, "yes"), (False, "no"), (0.5, "0.5"), (3.0, "3"),
    ("P7D", "7 days"), ("texte", "texte"),
])
def test_format_cell(value, expected):
    assert format_cell(value) == expected


@pytest.mark.parametrize("count, expected", [(0, "0 documents"), (1, "1 document"), (2, "2 documents")])
def test_plural(count, expected):
    assert plural(count, "document") == expected


@pytest.mark.parametrize("typed, expected", [
    ("21/07/2020", "2020-07-21"), ("21.07.2020", "2020-07-21"), ("21-07-2020", "2020-07-21"),
    ("1/7/2020", "2020-07-01"), ("2020-07-21", "2020-07-21"), ("21 July 2020", "2020-07-21"),
    ("21 juillet 2020", "2020-07-21"), ("1er juillet 2020", "2020-07-01"), ("July 2020", "2020-07"),
    ("juillet 2020", "2020-07"), ("07/2020", "2020-07"), ("2020", "2020"), ("", ""), ("  ", ""),
])
def test_parse_date_input_day_first(typed, expected):
    assert parse_date_input(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2020", "07/21/2020", "yesterday", "21 Juluary 2020", "2020-13"])
def test_parse_date_input_refuses(typed):
    with pytest.raises(ValueError, match="is not a real date"):
        parse_date_input(typed)


# Every page on four kinds of case.

def _written_case(folder, dated: bool = True):
    """A small case in French and English, its documents dated or not."""
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "a.txt").write_text(
        "Acme a été victime d'une attaque par rançongiciel le 8 mars. Le syndicat CGT affirme qu'une rançon "
        "a été demandée. Les serveurs sont à l'arrêt depuis une semaine.\n", encoding="utf-8")
    (folder / "documents" / "b.txt").write_text(
        "Acme said no ransom was demanded. The CGT union said customer data was stolen.\n", encoding="utf-8")
    documents = [{"id": "a", "file": "documents/a.txt", "kind": "press", "outlet": "Le Journal", "language": "fr"},
                 {"id": "b", "file": "documents/b.txt", "kind": "press", "outlet": "The Daily", "language": "en"}]
    if dated:
        documents[0]["date"], documents[1]["date"] = "2024-03-09", "2024-03-12"
    spec = {"id": "small", "title": "Small case", "organisation": "Acme",
            "parties": [{"name": "Acme", "role": "management", "aliases": ["Acme"]},
                        {"name": "CGT", "role": "union", "aliases": ["CGT"]}], "documents": documents}
    (folder / "case.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    return analyze_case(_written_case(tmp_path_factory.mktemp("undated"), dated=False))


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory):
    return analyze_case(_written_case(tmp_path_factory.mktemp("uploaded")))


@pytest.fixture(scope="module")
def textless(uploaded):
    """A case whose documents gave no text: every table empty but for its columns."""
    return dataclasses.replace(uploaded, documents=uploaded.documents.assign(n_sentences=0, n_statements=0),
                               statements=uploaded.statements.iloc[:0], mentions=uploaded.mentions.iloc[:0],
                               disclosures=uploaded.disclosures.iloc[:0],
                               extra={name: table.iloc[:0] for name, table in uploaded.extra.items()})


def _run(page: str, monkeypatch, session: dict | None = None) -> AppTest:
    """The app on one page of the bundled case (and `session` preset)."""
    return run_page(MMA, page, monkeypatch, session)


def _texts(app: AppTest) -> list[str]:
    """What the page says in Markdown, widgets and the cells of its tables."""
    texts = [shown(e.value) for kind in ("title", "subheader", "markdown", "caption", "error", "warning", "info",
                                         "success") for e in app.get(kind)]
    texts += [str(m.value) for m in app.metric]
    texts += [shown(e.label) for e in app.expander]
    texts += [e.proto.body for e in app.get("html")]
    for frame in app.dataframe:
        texts += [str(cell) for cell in frame.value.astype(object).to_numpy().ravel()]
    return texts


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("case", ["bundled", "uploaded", "undated"])
def test_every_page_shows_values_for_people(page, case, uploaded, undated, monkeypatch):
    session = {"bundled": None, "uploaded": {UPLOADED: uploaded}, "undated": {UPLOADED: undated}}[case]
    app = _run(page, monkeypatch, session)
    assert app.title[0].value
    for text in _texts(app):
        for what, pattern in RAW.items():
            assert not pattern.search(text), f"{page} shows a {what}: {text!r}"


@pytest.mark.parametrize("page", ["overview", "matrix", "scorecards", "similarity", "draft", "export"])
def test_a_case_without_text_says_so(page, textless, monkeypatch):
    app = _run(page, monkeypatch, {UPLOADED: textless})
    assert any(info.value.startswith(NO_TEXT) for info in app.info)
    assert not app.error


@pytest.mark.parametrize("polarities, expected", [
    (["affirmed"], "yes"), (["negated"], "no"), (["not_observed", "negated"], "no"),
    (["affirmed", "negated"], "yes and no"), (["withheld"], EMPTY), ([], EMPTY),
])
def test_answer(polarities, expected):
    assert answer(polarities) == expected


def test_a_contradiction_is_in_the_overview_with_both_answers_and_evidence(uploaded, monkeypatch):
    app = _run("overview", monkeypatch, {UPLOADED: uploaded})
    [contradiction] = [e for e in app.expander if "Ransom demanded" in shown(e.label)]
    assert shown(contradiction.label) == "Ransom demanded: Acme says “no”, CGT says “yes”"
    bodies = [e.proto.body for e in app.get("html") if 'class="evidence"' in e.proto.body]
    assert any("Acme said no <mark>ransom</mark> was demanded" in body for body in bodies)


def test_an_undated_case_has_no_timeline_and_says_so(undated, monkeypatch):
    app = _run("overview", monkeypatch, {UPLOADED: undated})
    assert not app.get("vega_lite_chart")
    assert any("No document of this case has a date" in info.value for info in app.info)
    assert set(app.dataframe[0].value["date"]) == {EMPTY}
    matrix = _run("matrix", monkeypatch, {UPLOADED: undated})
    assert not matrix.select_slider  # no date filter without dates
    assert matrix.get("vega_lite_chart")


def test_the_overview_says_who_left_out_what(monkeypatch):
    app = _run("overview", monkeypatch)
    headline = " ".join(shown(m.value) for m in app.markdown)
    assert "5 of 16" in headline  # management
    assert "Left out:" in headline and "Ransom paid" in headline
    assert any("told staff only" in shown(e.label) for e in app.expander)


def test_the_matrix_legend_counts_are_the_scorecards(monkeypatch):
    app = _run("matrix", monkeypatch)
    [legend] = [e.proto.body for e in app.get("html") if "matrix-legend" in e.proto.body]
    counts = {status: int(count) for status, count in re.findall(r'data-status="([^"]+)" data-count="(\d+)"', legend)}
    scores = analyze_case(MMA).extra["scores"].query("level == 'party'")
    assert counts["omitted"] == scores["omissions"].sum()
    assert counts["exclusive"] == scores["exclusives"].sum()
    assert counts["contradicted"] == scores["contradictions"].sum()
    assert set(counts) == {"disclosed", "exclusive", "internal only", "contradicted", "omitted", "unknown"}


def test_the_draft_adds_only_facts_new_to_the_case(monkeypatch):
    app = _run("draft", monkeypatch)
    app.text_area(key="draft_text").set_value("MMA a été victime d'un rançongiciel. Une plainte a été déposée "
                                              "auprès de la police.")
    app.selectbox(key="draft_party").set_value("MMA / Covéa")
    app.button[0].click()
    app.run()
    assert not app.exception
    disclosures = analyze_case(MMA).disclosures
    known = {fact_label(f) for f in disclosures.loc[disclosures["disclosed"].astype(bool), "fact"]}
    [added] = [frame.value for frame in app.dataframe if list(frame.value.columns) == ["label", "value"]]
    assert list(added["label"]) == [fact_label("legal_action")]  # the complaint; the ransomware is known
    assert not set(added["label"]) & known


def test_your_case_refuses_a_missing_kind_and_reads_a_day_first_date(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = _run("your_case", monkeypatch)
    assert f"Up to {limits().upload_bytes // 2**20} MB per file" in app.caption[0].value
    app.file_uploader(key="case_files").set_value([("note.txt", b"Acme confirmed an attack.", "text/plain")])
    app.run()
    assert app.selectbox(key="kind_0").value is None  # no silent default
    app.text_input(key="date_0").set_value("21/07/2020")
    app.button[0].click()
    app.run()
    [error] = app.error
    assert shown(error.value).startswith("note.txt") and "choose its kind" in shown(error.value)
    assert UPLOADED not in app.session_state
    app.selectbox(key="kind_0").set_value("management")
    app.button[0].click()
    app.run()
    assert not app.error
    assert shown(app.success[0].value).startswith("Analysed my-case: 1 document,")
    assert list(app.session_state[UPLOADED].documents["date"]) == ["2020-07-21"]


def _submit_one(monkeypatch, tmp_path, upload: tuple[str, bytes, str], kind: str, date: str = "") -> AppTest:
    """The your-case page after one uploaded file was described and analysed."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = _run("your_case", monkeypatch)
    app.file_uploader(key="case_files").set_value([upload])
    app.run()
    app.selectbox(key="kind_0").set_value(kind)
    if date:
        app.text_input(key="date_0").set_value(date)
    app.button[0].click()
    app.run()
    return app


def test_a_bad_date_names_the_users_file_not_a_folder(monkeypatch, tmp_path):
    app = _submit_one(monkeypatch, tmp_path, ("communiqué.txt", b"Acme confirmed an attack.", "text/plain"),
                      "management", "31/02/2020")
    [error] = app.error
    assert shown(error.value).startswith("communiqué.txt: '31/02/2020' is not a real date")
    assert str(tmp_path) not in error.value and "transparency-case" not in error.value


def test_an_unreadable_upload_is_named_as_the_user_named_it(monkeypatch, tmp_path):
    app = _submit_one(monkeypatch, tmp_path, ("Rapport CSE.pdf", b"not a pdf", "application/pdf"), "union")
    assert not app.exception
    [error] = app.error
    assert shown(error.value).startswith("Rapport CSE.pdf"), error.value
    assert str(tmp_path) not in error.value and "documents/" not in shown(error.value)
