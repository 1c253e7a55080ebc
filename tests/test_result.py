"""The Python API's result: one typed attribute per CSV, a short repr, the CSV unaffected."""
import dataclasses
import filecmp
import shutil

import pandas as pd
import pytest

import analyzer
from analyzer import frames, schema
from conftest import MMA

GOOD_YAML = (MMA / "case.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result():
    return analyzer.analyze_case(MMA)


@pytest.fixture(scope="module")
def partial_dates(tmp_path_factory):
    """The MMA case with a month-only date and no date at all."""
    case = tmp_path_factory.mktemp("partial") / "case"
    shutil.copytree(MMA / "documents", case / "documents")
    text = GOOD_YAML.replace("date: 2020-07-24", "date: 2020-07", 1)
    (case / "case.yaml").write_text(text.replace("date: 2020-07-27", "date: ''", 1), encoding="utf-8")
    return analyzer.analyze_case(case)


def test_every_csv_is_an_attribute(result):
    for name in schema.TABLES:
        frame = getattr(result, name)
        assert isinstance(frame, pd.DataFrame)
        assert [c for c in frame.columns if not c.endswith("_day") and c != "day"] == schema.columns(name)
    assert list(result.tables) == list(schema.TABLES) == list(result.frames)


@pytest.mark.parametrize("table, column, categories", [
    ("documents", "kind", ("management", "union", "press", "expert", "authority", "other")),
    ("statements", "source_role", ("management", "union", "press", "expert", "authority", "other")),
    ("mentions", "polarity", ("affirmed", "negated", "not_observed", "withheld")),
    ("mentions", "channel", ("public", "internal", "unknown")),
    ("disclosures", "status", ("disclosed", "exclusive", "omitted", "unknown")),
    ("disclosures", "role", ("management", "union", "press", "expert", "authority", "other")),
    ("contradictions", "role_a", ("management", "union", "press", "expert", "authority", "other")),
    ("scores", "level", ("party", "document")),
])
def test_fixed_values_are_categoricals(result, table, column, categories):
    dtype = getattr(result, table)[column].dtype
    assert isinstance(dtype, pd.CategoricalDtype) and tuple(dtype.categories) == categories


def test_categoricals_compare_as_text(result):
    assert (result.disclosures.query("disclosed and role == 'union'").party == "CGT Covéa").all()


def test_lists_are_lists(result):
    row = result.disclosures.set_index(["party", "fact"]).loc[("MMA / Covéa", "attack_type")]
    assert row["values"] == ["encryption", "malicious act"] and row["polarities"] == ["affirmed"]
    assert sorted(row["channels"]) == ["internal", "public"]
    assert result.statements.sentence_ids.map(type).eq(list).all()
    assert isinstance(result.statements.sentence_ids.iloc[0][0], int)
    assert result.disclosures.query("not disclosed")["values"].map(len).eq(0).all()
    assert all(isinstance(cell, list) for cell in result.regulatory.facts)
    assert all(isinstance(cell, list) for cell in result.framing.concepts)


def test_dates_are_days_and_keep_their_text(result):
    documents = result.documents
    assert documents.day.dtype == "datetime64[ns]"
    assert list(documents.day) == [pd.Timestamp("2020-07-24"), pd.Timestamp("2020-07-27")]
    assert list(documents.date) == ["2020-07-24", "2020-07-27"]
    assert result.disclosures.first_day.dtype == "datetime64[ns]"
    assert result.timeline.case_first_day.dtype == "datetime64[ns]"
    assert list(documents.columns).index("day") == list(documents.columns).index("date") + 1


def test_partial_and_missing_dates_are_nat_with_their_text(partial_dates):
    documents = partial_dates.documents
    assert list(documents.date) == ["2020-07", ""]
    assert documents.day.isna().all()


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_empty_tables_keep_their_types(table):
    empty = frames.typed(pd.DataFrame(columns=schema.columns(table)), table)
    for column in schema.TABLES[table][1]:
        dtype = empty[column.name].dtype
        if column.enum:
            assert isinstance(dtype, pd.CategoricalDtype), column.name
        elif column.type == "boolean":
            assert dtype == bool, column.name
        elif column.type in ("integer", "number"):
            assert pd.api.types.is_numeric_dtype(dtype), column.name


def test_an_empty_contradictions_table_is_typed(result):
    contradictions = result.contradictions
    assert contradictions.empty
    assert isinstance(contradictions.role_a.dtype, pd.CategoricalDtype)
    assert contradictions[contradictions.role_a == "union"].empty  # a filter selects rows, not columns


def test_repr_is_one_line_per_table(result):
    text = repr(result)
    assert len(text) < 1000 and len(text.splitlines()) == 1 + len(schema.TABLES)
    assert "disclosures" in text and "115 rows" in text


def test_repr_html_is_a_summary(result):
    page = result._repr_html_()
    assert len(page) < 5000 and page.count("<tr>") == 1 + len(schema.TABLES)


def test_repr_html_escapes_the_title(result):
    hostile = dataclasses.replace(result, analysis=dataclasses.replace(
        result.analysis, case=dataclasses.replace(result.case, title="<script>x</script>")))
    assert "<script>" not in hostile._repr_html_()


def test_extra_still_maps_the_later_tables_as_written(result):
    assert list(result.extra) == list(schema.TABLES)[4:]
    assert result.extra["framing"].concepts.map(type).eq(str).all()  # the CSV form, as before


def test_csv_is_the_same_from_the_typed_attributes(result, tmp_path):
    analyzer.write_result(result, tmp_path / "a")
    _ = result.frames  # every table converted
    rebuilt = dataclasses.replace(result)  # typed frames given back to the constructor
    analyzer.write_result(rebuilt, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert not mismatch and not errors and len(match) == 12


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_export_undoes_typed(result, table):
    csv_form = result.tables[table]
    pd.testing.assert_frame_equal(frames.export(frames.typed(csv_form, table), table).astype(object),
                                  csv_form.astype(object))


def test_edits_to_an_attribute_reach_the_export():
    edited = analyzer.analyze_case(MMA)
    edited.documents.loc[0, "outlet"] = "Edited outlet"
    assert edited.tables["documents"].outlet.iloc[0] == "Edited outlet"


def test_a_value_outside_the_schema_is_kept():
    frame = pd.DataFrame({"case_id": ["c", "c"], "level": ["party", "team"], "name": ["a", "b"],
                          "role": ["union", ""]})
    typed = frames.typed(frame, "scores")
    assert list(typed.level) == ["party", "team"] and list(typed.role) == ["union", ""]
    assert list(typed.level.cat.categories) == ["party", "document", "team"]
    pd.testing.assert_frame_equal(frames.export(typed, "scores"), frame)
