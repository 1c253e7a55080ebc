"""`transparency report`: per party, what it disclosed and left out, in escaped Markdown."""
import re

import pytest

import analyzer
from analyzer.cli import main
from analyzer.report import escape, plain, render_report
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


def test_untrusted_text_is_escaped_in_the_report():
    result = analyzer.analyze_case(MMA)
    disclosed = result.disclosures.disclosed & (result.disclosures.party == "CGT Covéa")
    result.disclosures.loc[disclosed, "values"] = "<img src=x onerror=alert(1)> | `code` *bold* [link](http://x)"
    text = render_report(result)
    assert "\\<img src=x onerror=alert(1)\\>" in text
    for raw in ("<img", "`code", "*bold", "[link"):  # never without its backslash
        assert re.search(r"(?<!\\)" + re.escape(raw), text) is None, raw


@pytest.mark.parametrize("party, phrases", [
    ("### CGT Covéa (union)", ["Ransom paid: no", "30000 hours", "Criticism of crisis communication"]),
    ("### MMA / Covéa (management)", ["Told staff, not the public:", "Kind of attack (encryption)",
                                      "Data stolen or leaked: none observed"]),
])
def test_each_party_section_says_what_a_reader_needs(report, party, phrases):
    section = report.split(party, 1)[1].split("\n### ", 1)[0]
    for phrase in phrases:
        assert phrase in section, phrase


def test_report_on_a_case_with_no_facts(tmp_path):
    (tmp_path / "a.txt").write_text("Il fait beau au Mans ce matin.", encoding="utf-8")
    (tmp_path / "case.yaml").write_text("id: calm_day\ntitle: Calm\ndocuments:\n"
                                        "  - {id: a, file: a.txt, kind: press, language: fr}\n", encoding="utf-8")
    text = render_report(analyzer.analyze_case(tmp_path))
    assert "Case `calm_day`: 1 document," in text  # a code span: no backslash before _
    assert "None found." in text and "No fact was disclosed." in text


@pytest.mark.parametrize("text, expected", [
    ("a | b", "a | b"),
    ("l'*attaque* de `MMA`", "l'*attaque* de `MMA`"),
    ("\x1b[31mrouge\x1b[0m", "[31mrouge[0m"),          # no escape sequence reaches the terminal
    ("red\u202eder", "redder"),                         # no bidirectional override
    ("ligne\nsuivante", "ligne suivante"),
])
def test_plain(text, expected):
    assert plain(text) == expected


def test_text_report_of_untrusted_values_has_no_control_characters():
    result = analyzer.analyze_case(MMA)
    disclosed = result.disclosures.disclosed & (result.disclosures.party == "CGT Covéa")
    result.disclosures.loc[disclosed, "values"] = "\x1b]0;pwned\x07 | *bold*"
    text = render_report(result, "text")
    assert "\x1b" not in text and "\x07" not in text and "*bold*" in text
