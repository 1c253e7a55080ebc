"""`transparency report`: per party, what it disclosed and left out, in escaped Markdown."""
import pytest

import analyzer
from analyzer.cli import main
from analyzer.report import escape, render_report
from conftest import MMA


@pytest.fixture(scope="module")
def report():
    return render_report(analyzer.analyze_case(MMA))


def test_report_sections(report):
    assert report.startswith("# MMA / Covéa ransomware attack, July 2020")
    for heading in ("## Who disclosed what", "### CGT Covéa (union)", "### MMA / Covéa (management)",
                    "## Contradictions", "## Timeline", "## Framing of the attack"):
        assert heading in report
    assert "Told staff, not the public" in report
    assert "Left out" in report


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("a | b", "a \\| b"),
    ("*bold* _it_ `code` [x](y)", "\\*bold\\* \\_it\\_ \\`code\\` \\[x\\](y)"),
    ("line\nbreak", "line break"),
    ("R&D", "R&amp;D"),
])
def test_escape(text, expected):
    assert escape(text) == expected


def test_report_command_writes_a_file(tmp_path, capsys):
    target = tmp_path / "report.md"
    assert main(["report", str(MMA), "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# MMA")
    assert main(["report", str(MMA)]) == 0
    assert "## Who disclosed what" in capsys.readouterr().out


def test_report_into_a_folder_is_refused(tmp_path, capsys):
    assert main(["report", str(MMA), "--out", str(tmp_path)]) == 2
    assert "\n" not in capsys.readouterr().err.strip()
