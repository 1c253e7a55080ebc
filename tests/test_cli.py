"""Bad input: one line on stderr naming the file and what to do, exit status 2, nothing written."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.cli import main
from conftest import MMA

GOOD_YAML = (MMA / "case.yaml").read_text(encoding="utf-8")


def make_case_dir(tmp_path: Path, yaml_text: str | None = GOOD_YAML) -> Path:
    case = tmp_path / "case"
    shutil.copytree(MMA / "documents", case / "documents")
    if yaml_text is not None:
        (case / "case.yaml").write_text(yaml_text, encoding="utf-8")
    return case


def broken(tmp_path, name):
    """A case folder broken in one way, and the words the error must contain."""
    replace = lambda old, new: make_case_dir(tmp_path, GOOD_YAML.replace(old, new, 1))
    if name == "no case.yaml":
        return make_case_dir(tmp_path, None), "case.yaml"
    if name == "yaml syntax":
        return make_case_dir(tmp_path, GOOD_YAML + "\n  - id: [unclosed\n"), "case.yaml:"
    if name == "missing field":
        return replace("title: MMA / Covéa ransomware attack, July 2020\n", ""), "title"
    if name == "unknown role":
        return replace("kind: press", "kind: journalist"), "kind"
    if name == "missing file":
        return replace("documents/francebleu-2020-07-24.txt", "documents/nope.txt"), "nope.txt"
    if name == "duplicate id":
        return replace("id: geekynews-2020-07-27", "id: francebleu-2020-07-24"), "francebleu-2020-07-24"
    if name == "unsupported extension":
        case = replace("documents/francebleu-2020-07-24.txt", "documents/francebleu.odt")
        (case / "documents" / "francebleu.odt").write_bytes(b"x")
        return case, ".odt"
    if name == "invalid date":
        return replace("date: 2020-07-24", "date: 2020-13-45"), "date"
    if name == "unreadable pdf":
        case = replace("documents/francebleu-2020-07-24.txt", "documents/broken.pdf")
        (case / "documents" / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
        return case, "broken.pdf"
    if name == "unreadable docx":
        case = replace("documents/francebleu-2020-07-24.txt", "documents/broken.docx")
        (case / "documents" / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
        return case, "broken.docx"
    if name == "undecodable bytes":
        case = make_case_dir(tmp_path)
        (case / "documents" / "francebleu-2020-07-24.txt").write_bytes(b"\x00\xff\xfe\x00" * 50)
        return case, "francebleu-2020-07-24.txt"
    raise AssertionError(name)


CASES = ["no case.yaml", "yaml syntax", "missing field", "unknown role", "missing file", "duplicate id",
         "unsupported extension", "invalid date", "unreadable pdf", "unreadable docx", "undecodable bytes"]


@pytest.mark.parametrize("name", CASES)
def test_bad_case_gives_one_line_and_exit_3(tmp_path, capsys, name):
    case, expected = broken(tmp_path, name)
    out = tmp_path / "out"
    assert main(["analyze", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and expected in err, err
    assert not out.exists() or not any(out.iterdir())


def test_output_path_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "file.csv"
    target.write_text("x")
    assert main(["analyze", str(MMA), "--out", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert "file.csv" in err and "\n" not in err


def test_missing_case_folder(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_empty_document_is_a_warning_not_an_error(tmp_path, capsys):
    case = make_case_dir(tmp_path)
    (case / "documents" / "francebleu-2020-07-24.txt").write_text("", encoding="utf-8")
    assert main(["analyze", str(case), "--out", str(tmp_path / "out")]) == 0
    assert "warning" in capsys.readouterr().err
    assert (tmp_path / "out" / "mentions.csv").exists()


def test_no_traceback_from_the_real_command(tmp_path):
    case, _ = broken(tmp_path, "unknown role")
    run = subprocess.run([sys.executable, "-m", "analyzer", "analyze", str(case), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_case_error_survives_pickling():
    import pickle

    from analyzer.errors import CaseError
    error = pickle.loads(pickle.dumps(CaseError("case.yaml:3", "bad date", "write YYYY-MM-DD")))
    assert str(error) == "case.yaml:3: bad date; write YYYY-MM-DD"
