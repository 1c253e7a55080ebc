"""The schema: every CSV matches datapackage.json (validated with Frictionless), the README is current."""
import json

import pytest

from analyzer import schema
from analyzer.cli import main
from conftest import MMA, REPO


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["analyze", str(MMA), "--out", str(out), "--quiet"]) == 0
    return out


def test_datapackage_describes_every_csv(output):
    package = json.loads((output / "datapackage.json").read_text(encoding="utf-8"))
    described = {resource["path"] for resource in package["resources"]}
    assert described == {path.name for path in output.glob("*.csv")}
    for resource in package["resources"]:
        header = (output / resource["path"]).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["type"] in ("string", "integer", "number", "boolean")


def test_frictionless_validates_the_package(output):
    import frictionless

    report = frictionless.validate(str(output / "datapackage.json"))
    errors = [error.message for task in report.tasks for error in task.errors][:5]
    assert report.valid, errors


def test_readme_data_dictionary_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert schema.START in readme and schema.END in readme, "README lacks the data-dictionary markers"
    assert schema.readme_with_dictionary(readme) == readme, (
        "README's data dictionary is out of date: run python -m analyzer.schema --markdown and paste it")


def test_every_table_has_case_id_first():
    for name in schema.TABLES:
        assert schema.columns(name)[0] == "case_id"


def test_frictionless_validates_tables_with_contradictions_and_empty_cells(tmp_path):
    """Every table non-empty (a contradiction, undated documents, undefined ratios) still validates."""
    import frictionless

    from analyzer.pipeline import result_of, write_result
    from test_scores import M, U, build, m

    analysis = build([("d1", "2020-07-20", [m(M, "ransom_paid", "affirmed"), m(U, "ransom_paid", "negated"),
                                            m(U, "business_impact", value="30000 hours", specific=True)]),
                      ("d2", "", [m(M, "business_impact", value="10000 hours")])])
    result = result_of(analysis)
    assert not result.extra["contradictions"].empty
    write_result(result, tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, [error.message for task in report.tasks for error in task.errors][:5]
    assert list(result.extra) == ["scores", "contradictions", "timeline", "regulatory", "similarity", "echoes",
                                  "framing"]
