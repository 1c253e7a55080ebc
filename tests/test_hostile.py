"""Hostile input and hostile conditions (issue 16's sweep), one table per category.

traversal, symlinks, bombs, types, ids, encodings, zips, signals, concurrency, outputs: each
row is something an adversarial sweep tried, and what must happen instead of a crash, a
traceback, a hang or data loss. The rows named D1 … D13 are the defects that sweep found.
Bombs are built here at test time, small, with the limits lowered (TRANSPARENCY_LIMITS);
their cost at the shipped limits is measured in the README, not asserted here.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import analyzer
from analyzer import CaseError, analyze_case
from analyzer.batch import run_batch
from analyzer.case import find_cases, read_case, read_document
from analyzer.cli import main
from analyzer.extract import extract_text
from analyzer.limits import ENVIRONMENT
from analyzer.model import DocumentMeta
from analyzer.schema import columns
from analyzer.tables import STAGING, write_folder
from analyzer.upload import UploadedDocument, extract_case_zip, write_case

REPO = Path(__file__).resolve().parent.parent
FR = "La direction de MMA a confirmé une attaque informatique. Les serveurs ont été chiffrés."
EN = "Acme management confirmed a ransomware attack on Friday. No ransom was paid, the company said."

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("sweep", max_examples=900, deadline=None, suppress_health_check=list(HealthCheck))


# --- Fixtures built in code -----------------------------------------------------------------


def make_case(root: Path, case_id: str = "c", files: dict[str, bytes | str] | None = None) -> Path:
    """A case folder: case.yaml listing `files` (name -> content) under documents/."""
    files = files if files is not None else {"a.txt": FR, "b.txt": EN}
    (root / "documents").mkdir(parents=True, exist_ok=True)
    entries = []
    for number, (name, content) in enumerate(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / "documents" / name).write_bytes(data)
        entries.append(f"  - {{id: d{number}, file: documents/{name}, kind: press, date: 2020-07-2{number % 10}}}")
    (root / "case.yaml").write_text(f"id: '{case_id}'\ntitle: T\ndocuments:\n" + "\n".join(entries) + "\n",
                                    encoding="utf-8")
    return root


def two_cases(tmp_path: Path) -> Path:
    """A folder of two cases, c1 and c2."""
    cases = tmp_path / "cases"
    make_case(cases / "c1", "c1")
    make_case(cases / "c2", "c2")
    return cases


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging files or folders, and hidden temporaries, left under a folder."""
    return [str(p) for p in folder.rglob("*") if p.name.startswith((STAGING, "."))]


def limits_file(tmp_path: Path, monkeypatch, **values: int) -> None:
    """Lower some limits of analyzer/data/limits.yaml for one test."""
    path = tmp_path / f"limits-{len(list(tmp_path.glob('limits-*')))}.yaml"
    path.write_text("".join(f"{name}: {value}\n" for name, value in values.items()))
    monkeypatch.setenv(ENVIRONMENT, str(path))


def one_line_error(capsys) -> str:
    """The run's stderr, which must be exactly one 'error: ' line."""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def docx_bytes(document_xml: bytes) -> bytes:
    """A Word document whose word/document.xml is `document_xml` (deflated)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            archive.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


WORD_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
WORD_TAIL = b"</w:body></w:document>"


def docx_bomb(megabytes: int) -> bytes:
    """A .docx whose document.xml inflates to `megabytes` MB (about a thousandth of that stored)."""
    return docx_bytes(WORD_HEAD + b"<w:p><w:r><w:t>" + b"A" * (megabytes << 20) + b"</w:t></w:r></w:p>" + WORD_TAIL)


def pdf_bytes(content: bytes) -> bytes:
    """A one-page PDF whose content stream is `content`, deflated."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_of(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name, data) entries."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", method) as archive:
        warnings.simplefilter("ignore")  # a name twice is one of the rows
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def patched(data: bytes, signature: bytes, offset: int, value: int, bitwise: bool = False) -> bytes:
    """Every header of a zip (`signature`) with the byte at `offset` set (or OR-ed) to `value`."""
    data, start = bytearray(data), 0
    while (found := data.find(signature, start)) >= 0:
        data[found + offset] = data[found + offset] | value if bitwise else value
        start = found + 4
    return bytes(data)


CASE_YAML = b"id: z\ntitle: T\ndocuments:\n  - {id: a, file: a.txt, kind: press}\n"
LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def _bad_crc() -> bytes:
    data = bytearray(zip_of([("case.yaml", CASE_YAML), ("a.txt", b"hello world")], zipfile.ZIP_STORED))
    data[data.find(b"hello world")] = ord("j")
    return bytes(data)


def _encrypted() -> bytes:
    data = zip_of([("case.yaml", CASE_YAML), ("a.txt", b"hello")])
    return patched(patched(data, LOCAL, 6, 1, bitwise=True), CENTRAL, 8, 1, bitwise=True)


def _unknown_method() -> bytes:
    data = zip_of([("case.yaml", CASE_YAML), ("a.txt", b"hello")])
    return patched(patched(data, LOCAL, 8, 99), CENTRAL, 10, 99)


# --- outputs (D1, D4, D10) ----------------------------------------------------------------


@pytest.mark.parametrize("out", ["cases", ".", "cases/c1", "cases/c1/documents"],
                         ids=["D1-out-is-the-cases", "D1-out-dot-above-the-cases", "out-is-a-case",
                              "out-inside-a-case-holds-documents"])
def test_an_output_holding_the_input_is_refused_and_nothing_is_deleted(tmp_path, monkeypatch, capsys, out):
    cases = two_cases(tmp_path)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", "cases", "--out", out, "--quiet"]) == 2
    assert "error: " in one_line_error(capsys)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("foreign", [{"notes.txt": b"mine"}, {"case.yaml": b"id: x\n", "datapackage.json": b"{}"},
                                     {"datapackage.json": b'{"title": "someone else"}'}],
                         ids=["D1-user-files", "D1-a-case-folder", "D1-another-datapackage"])
def test_a_folder_named_like_a_case_is_replaced_only_when_ours(tmp_path, capsys, foreign):
    cases = two_cases(tmp_path)
    out = tmp_path / "out"
    (out / "c1").mkdir(parents=True)
    for name, data in foreign.items():
        (out / "c1" / name).write_bytes(data)
    assert main(["analyze", str(cases), "--out", str(out), "--quiet", "--keep-going"]) == 1
    assert "holds files the analyzer did not write" in one_line_error(capsys)
    assert snapshot(out / "c1") == foreign  # untouched
    assert (out / "c2" / "datapackage.json").exists() and (out / "documents.csv").exists()
    assert main(["analyze", str(cases), "--out", str(out), "--quiet"]) == 2  # without --keep-going: stops


def test_a_user_file_named_like_a_combined_table_is_not_overwritten(tmp_path, capsys):
    cases = two_cases(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "scores.csv").write_text("my own scores")
    assert main(["analyze", str(cases), "--out", str(out), "--quiet"]) == 2
    assert "scores.csv: was not written by the analyzer" in one_line_error(capsys)
    assert snapshot(out) == {"scores.csv": b"my own scores"}


def test_a_rerun_replaces_our_own_output(tmp_path, capsys):
    case = make_case(tmp_path / "case")
    out = tmp_path / "out"
    assert main(["analyze", str(case), "--out", str(out), "--quiet"]) == 0
    first = snapshot(out)
    assert main(["analyze", str(case), "--out", str(out), "--quiet"]) == 0
    assert snapshot(out) == first and not leftovers(tmp_path / "out")


@pytest.mark.parametrize("failing_call", [1, 2], ids=["D4-crash-moving-the-old-aside", "D4-crash-moving-the-new-in"])
def test_a_run_killed_while_writing_leaves_the_old_output_whole(tmp_path, monkeypatch, failing_call):
    case = make_case(tmp_path / "case")
    out = tmp_path / "out"
    assert main(["analyze", str(case), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)
    (case / "documents" / "a.txt").write_text(EN)  # the next run's documents.csv differs
    calls = []
    real_replace = os.replace

    def dying_replace(source, target):
        calls.append(target)
        if len(calls) == failing_call:
            raise KeyboardInterrupt  # as a kill would stop the run at this point
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", dying_replace)
    assert main(["analyze", str(case), "--out", str(out), "--quiet"]) == 130
    monkeypatch.undo()
    assert snapshot(out) == before  # all old, not documents.csv new and the rest old
    assert not leftovers(out) and not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING)]


def test_stale_staging_of_a_dead_run_is_removed_on_start(tmp_path):
    case = make_case(tmp_path / "case")
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f"{STAGING}4194305-c-abc"  # above the largest PID Linux gives
    dead.mkdir()
    (dead / "documents.csv").write_text("half")
    alive = out / f"{STAGING}{os.getpid()}-c-def"  # a run still going: left alone
    alive.mkdir()
    assert run_batch(find_cases(case), out, quiet=True) == 0
    assert not dead.exists() and alive.exists()


@pytest.mark.parametrize("command", [
    ["report", "{case}", "--out", "{tmp}/missing/dir/r.md"],
    ["analyze", "{case}", "--out", "{tmp}/a-file/out"],
], ids=["D10-report-into-a-missing-folder", "analyze-under-a-file"])
def test_an_unwritable_output_is_one_line(tmp_path, capsys, command):
    case = make_case(tmp_path / "case")
    (tmp_path / "a-file").write_text("x")
    assert main([part.format(case=case, tmp=tmp_path) for part in command]) == 2
    one_line_error(capsys)


@pytest.mark.parametrize("cases", [1, 2], ids=["D10-read-only-out-one-case", "D10-read-only-out-batch"])
def test_a_read_only_output_folder_is_one_line(tmp_path, monkeypatch, capsys, cases):
    # Tests run as root here, which writes anywhere: the refusal the kernel would give is simulated.
    for number in range(cases):
        make_case(tmp_path / "cases" / f"c{number}", f"c{number}")
    source = tmp_path / "cases" / "c0" if cases == 1 else tmp_path / "cases"
    out = tmp_path / "out"
    out.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    monkeypatch.setattr("tempfile.mkstemp", refuse)
    assert main(["analyze", str(source), "--out", str(out), "--quiet"]) == 2
    assert "Permission denied" in one_line_error(capsys)


def test_a_report_never_overwrites_an_input(tmp_path, capsys):
    case = make_case(tmp_path / "case")
    before = snapshot(case)
    assert main(["report", str(case), "--out", str(case / "case.yaml")]) == 2
    one_line_error(capsys)
    assert snapshot(case) == before


# --- symlinks and traversal ------------------------------------------------------------------


def test_an_output_folder_that_is_a_link_is_not_replaced(tmp_path, capsys):
    cases = two_cases(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "c1").symlink_to(elsewhere)
    assert main(["analyze", str(cases), "--out", str(out), "--quiet", "--keep-going"]) == 1
    one_line_error(capsys)
    assert (elsewhere / "keep.txt").read_text() == "mine" and (out / "c1").is_symlink()


def test_an_output_link_to_the_cases_is_refused(tmp_path, capsys):
    cases = tmp_path / "cases"
    make_case(cases / "c1", "c1")
    (tmp_path / "out").symlink_to(cases)
    before = snapshot(cases)
    assert main(["analyze", str(cases), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    one_line_error(capsys)
    assert snapshot(cases) == before


@pytest.mark.parametrize("file", ["../outside.txt", "/etc/hostname", "documents/link.txt"],
                         ids=["traversal-dotdot", "traversal-absolute", "symlink-out-of-the-case"])
def test_a_document_outside_the_case_is_refused(tmp_path, file):
    case = make_case(tmp_path / "case")
    (tmp_path / "outside.txt").write_text(FR)
    (case / "documents" / "link.txt").symlink_to(tmp_path / "outside.txt")
    (case / "case.yaml").write_text(f"id: c\ntitle: T\ndocuments:\n  - {{id: a, file: '{file}', kind: press}}\n")
    with pytest.raises(CaseError, match="outside the case folder"):
        read_case(case)


# --- bombs and sizes (D2, D6) ----------------------------------------------------------------


def test_d2_a_docx_bomb_is_refused_while_inflating(tmp_path, monkeypatch):
    limits_file(tmp_path, monkeypatch, entry_bytes=1 << 20)
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb(8))  # 8 MB of XML in about 8 KB
    assert path.stat().st_size < 100_000
    with pytest.raises(CaseError, match=r"word/document.xml: the entry expands to more than 1 MB"):
        extract_text(path)


def test_a_docx_within_the_limits_is_read(tmp_path):
    path = tmp_path / "fine.docx"
    paragraph = f"<w:p><w:r><w:t>{FR}</w:t></w:r></w:p>".encode()
    path.write_bytes(docx_bytes(WORD_HEAD + paragraph * 2000 + WORD_TAIL))
    assert extract_text(path) == "\n\n".join([FR] * 2000)


def test_a_pdf_stream_bomb_is_refused(tmp_path, monkeypatch):
    limits_file(tmp_path, monkeypatch, entry_bytes=1 << 20)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bytes(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET\n" + b" " * (4 << 20)))
    with pytest.raises(CaseError, match="a stream of the PDF expands to more than 1 MB"):
        extract_text(path)


def test_a_zip_entry_bomb_is_refused_even_with_a_lying_header(tmp_path, monkeypatch):
    limits_file(tmp_path, monkeypatch, entry_bytes=1 << 20)
    data = zip_of([("case.yaml", CASE_YAML), ("a.txt", b"a" * (3 << 20))])
    # The headers declare 10 bytes: the count is made while inflating.
    data = patched(patched(data, CENTRAL, 24, 10), CENTRAL, 25, 0)
    with pytest.raises(CaseError, match="expands to more than|cannot be read"):
        extract_case_zip(data, tmp_path / "x", "bomb.zip")


@pytest.mark.parametrize("text, limits, problem", [
    ("mot " * 3000, {"document_characters": 10_000}, "characters of text, over the limit of 10,000"),
    ("x" * 2000 + "\n\nshort", {"line_characters": 1000}, "a line of 2,000 characters, over the limit of 1,000"),
    ("é" * 30_000, {"document_characters": 5_000}, "bytes of text, over the limit of 5,000 characters"),
], ids=["D6-document-too-long", "D6-line-too-long", "D6-refused-before-decoding"])
def test_d6_text_past_the_limits_is_refused(tmp_path, monkeypatch, text, limits, problem):
    limits_file(tmp_path, monkeypatch, **limits)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match=problem):
        extract_text(path)


def test_d6_a_5_mb_single_line_is_refused_at_the_shipped_limits(tmp_path):
    path = tmp_path / "line.txt"
    path.write_bytes(b"mot " * (5 << 18))
    with pytest.raises(CaseError, match="over the limit"):
        extract_text(path)


def test_d6_too_many_uploaded_documents_are_refused(tmp_path, monkeypatch):
    limits_file(tmp_path, monkeypatch, upload_documents=2)
    documents = [UploadedDocument(f"d{i}.txt", FR.encode(), kind="press") for i in range(3)]
    with pytest.raises(CaseError, match="3 documents, over the limit of 2"):
        write_case(tmp_path / "up", "c", "T", documents)


# --- types and empty documents (D3, D11) ---------------------------------------------------


def _blank_pdf() -> bytes:
    import pypdf

    writer, buffer = pypdf.PdfWriter(), io.BytesIO()
    writer.add_blank_page(612, 792)
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data", [
    ("a.txt", b""), ("a.txt", b"  \n\t \r\n"), ("a.md", b"---\n\n***\n"), ("a.pdf", _blank_pdf()),
    ("a.html", b"<html><body><script>x=1</script></body></html>"), ("a.docx", docx_bytes(WORD_HEAD + WORD_TAIL)),
], ids=["D3-empty-txt", "D3-whitespace-txt", "D3-markup-only-md", "D3-scanned-pdf", "D3-invisible-html",
        "D3-empty-docx"])
def test_d3_an_empty_case_is_a_case_with_empty_tables(tmp_path, name, data):
    result = analyze_case(make_case(tmp_path / "case", files={name: data}))
    assert result.mentions.empty and list(result.mentions.columns) == columns("mentions")
    assert list(result.tables["disclosures"].columns) == columns("disclosures")  # as written to CSV
    assert result.disclosures.query("disclosed").empty  # filters work on empty tables too
    assert len(result.documents) == 1 and any("no text found" in warning for warning in result.warnings)
    for table, frame in result.tables.items():
        assert set(columns(table)) <= set(frame.columns), table


def test_d3_an_empty_case_through_the_cli_writes_every_table(tmp_path, capsys):
    case = make_case(tmp_path / "case", files={"a.txt": b""})
    assert main(["analyze", str(case), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    written = {path.name for path in (tmp_path / "out").iterdir()}
    assert {"mentions.csv", "disclosures.csv", "scores.csv", "datapackage.json"} <= written
    assert (tmp_path / "out" / "mentions.csv").read_text().startswith("case_id,doc_id,")


@pytest.mark.parametrize("depth", [300, 3000, 20_000], ids=["D11-depth-300", "D11-depth-3000", "D11-depth-20000"])
def test_d11_deeply_nested_html_keeps_its_text(tmp_path, depth):
    page = ("<html><body>" + "<div>" * depth + f"<p>{FR}</p><p>Second paragraphe.</p>" + "</div>" * depth
            + "</body></html>")
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    assert extract_text(path) == f"{FR}\n\nSecond paragraphe."


@pytest.mark.parametrize("name, data, problem", [
    ("a.exe", b"MZ", "unsupported file type"),
    ("a.pdf", b"just text, not a PDF", "cannot read the PDF"),
    ("a.docx", b"PK not a zip", "cannot read the Word document"),
    ("a.txt", b"\x00\x01\x02\x03binary", "cannot decode"),
    ("a.docx", zip_of([("word/document.xml", b"<w:document")]), "cannot read the Word document"),
], ids=["types-exe", "types-text-named-pdf", "types-broken-docx", "types-binary-txt", "types-docx-without-parts"])
def test_a_file_of_the_wrong_type_is_one_line(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CaseError, match=problem) as error:
        extract_text(path)
    assert "\n" not in str(error.value)


# --- ids (D8) --------------------------------------------------------------------------------


@pytest.mark.parametrize("case_id, problem", [
    (".", "starts with a dot"), ("..", "starts with a dot"), (".hidden", "starts with a dot"),
    ("documents.csv", "name of an output file"), ("datapackage.json", "name of an output file"),
    ("Scores.CSV", "name of an output file"), ("a" * 101, "over the limit of 100"), ("a b", "not a valid id"),
], ids=["D8-dot", "D8-dotdot", "D8-hidden", "D8-documents.csv", "D8-datapackage.json", "D8-reserved-any-case",
        "D8-101-characters", "ids-space"])
def test_d8_bad_ids_are_refused_in_case_yaml(tmp_path, case_id, problem):
    case = make_case(tmp_path / "case", case_id)
    with pytest.raises(CaseError, match=problem) as error:
        read_case(case)
    assert "case.yaml:1" in str(error.value) and "\n" not in str(error.value)


def test_d8_an_id_of_100_characters_is_fine(tmp_path):
    assert read_case(make_case(tmp_path / "case", "a" * 100)).id == "a" * 100


def test_d8_a_bad_case_id_in_a_batch_is_one_line_and_the_others_are_combined(tmp_path, capsys):
    cases = tmp_path / "cases"
    make_case(cases / "c1", "c1")
    make_case(cases / "c2", "documents.csv")
    make_case(cases / "c3", "..")
    out = tmp_path / "out"
    assert main(["analyze", str(cases), "--out", str(out), "--quiet", "--keep-going"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)
    assert (out / "c1" / "documents.csv").exists() and (out / "documents.csv").read_text().count("\nc1,") == 2


@pytest.mark.parametrize("case_id", ["documents.csv", "datapackage.json"], ids=["D8-upload-documents.csv",
                                                                               "D8-upload-datapackage.json"])
def test_d8_bad_ids_are_refused_in_uploads(tmp_path, case_id):
    with pytest.raises(CaseError, match="name of an output file"):
        write_case(tmp_path / "up", case_id, "T", [UploadedDocument("a.txt", FR.encode(), kind="press")])
    yaml_text = CASE_YAML.replace(b"id: z", f"id: '{case_id}'".encode())
    with pytest.raises(CaseError, match="name of an output file"):
        extract_case_zip(zip_of([("case.yaml", yaml_text), ("a.txt", FR.encode())]), tmp_path / "z")


def test_uploaded_file_names_never_become_reserved_ids(tmp_path):
    root = write_case(tmp_path / "up", "c", "T", [UploadedDocument("datapackage.json.txt", FR.encode(), kind="press"),
                                                  UploadedDocument(".hidden.txt", FR.encode(), kind="press")])
    assert [meta.id for meta in read_case(root).documents] == ["document-1", "hidden"]


# --- encodings (D12) -------------------------------------------------------------------------


@pytest.mark.parametrize("parts, expected", [
    (["Le texte est touché.".encode(), "La CGT dénonce une fuite.".encode("latin-1")],
     "Le texte est touché.\nLa CGT dénonce une fuite."),
    (["Premier « extrait ».".encode("cp1252"), "Second € extrait.".encode()],
     "Premier « extrait ».\nSecond € extrait."),
    (["\ufeffAvec BOM é.".encode(), "Sans – BOM é.".encode("cp1252")], "Avec BOM é.\nSans – BOM é."),
], ids=["D12-utf8-then-latin1", "D12-cp1252-then-utf8", "D12-bom-then-cp1252"])
def test_d12_mixed_encodings_are_decoded_line_by_line_with_a_warning(tmp_path, parts, expected):
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\n".join(parts))
    document = read_document(DocumentMeta("d", path, "press", language="fr"))
    assert document.text == expected
    assert [w for w in document.warnings if "mixed encodings" in w and str(path) in w]


@pytest.mark.parametrize("data, expected", [
    ("Entièrement cp1252 : été, œuvre.".encode("cp1252"), "Entièrement cp1252 : été, œuvre."),
    ("Tout en UTF-8 : été.".encode(), "Tout en UTF-8 : été."),
], ids=["encodings-one-legacy", "encodings-utf8"])
def test_a_file_in_one_encoding_gets_no_warning(tmp_path, data, expected):
    path = tmp_path / "one.txt"
    path.write_bytes(data)
    document = read_document(DocumentMeta("d", path, "press", language="fr"))
    assert document.text == expected and not document.warnings


# --- zips (D9) -------------------------------------------------------------------------------


@pytest.mark.parametrize("data, problem", [
    (zip_of([("case.yaml", CASE_YAML), ("a.txt", b"x"), ("a.txt/b.txt", b"y")]), "both as a file and as a folder"),
    (zip_of([("case.yaml", CASE_YAML), ("a" * 300 + ".txt", b"x")]), "too long"),
    (_encrypted(), "encrypted"),
    (_bad_crc(), "checksum is wrong"),
    (_unknown_method(), "unsupported compression"),
    (zip_of([("case.yaml", CASE_YAML), ("case.yaml", CASE_YAML)]), "in the zip twice"),
    (b"PK\x03\x04" + b"\x00" * 40, "not a zip"),
    (zip_of([("case.yaml", CASE_YAML)])[:-10], "not a zip"),
], ids=["D9-file-and-folder", "D9-300-character-name", "D9-encrypted", "D9-bad-crc", "D9-unknown-compression",
        "zips-duplicate-name", "zips-truncated-header", "zips-truncated-directory"])
def test_d9_a_malformed_zip_is_one_line(tmp_path, data, problem):
    with pytest.raises(CaseError, match=problem) as error:
        extract_case_zip(data, tmp_path / "x", "case.zip")
    assert "\n" not in str(error.value) and str(error.value).startswith("case.zip")


@pytest.mark.parametrize("data, problem", [(_encrypted(), "encrypted"), (_bad_crc(), "checksum is wrong")],
                         ids=["docx-encrypted-part", "docx-bad-crc"])
def test_a_malformed_docx_is_one_line(tmp_path, data, problem):
    path = tmp_path / "a.docx"
    path.write_bytes(data)
    with pytest.raises(CaseError, match=problem):
        extract_text(path)


# --- signals (D5) and the dask engine (D13) --------------------------------------------------


def _children(pid: int) -> list[int]:
    """The live (not zombie) child processes of `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_d5_sigterm_ends_the_workers_removes_the_staging_and_exits_143(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import build_corpus

    build_corpus(tmp_path / "cases", 1200, 12, seed=5)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "analyzer", "analyze", str(tmp_path / "cases"), "--out", str(out),
                                "--jobs", "2", "--quiet"], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(Path(analyzer.__file__).parent.parent)},
                               start_new_session=True)  # its own process group: killed whole if the test fails
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
            time.sleep(0.05)  # until the first case is written: the pool is busy
        workers = _children(process.pid)
        assert workers and process.poll() is None
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 143 and err.strip().splitlines()[-1] == "terminated"
        time.sleep(0.5)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    assert not leftovers(out) and not (out / "documents.csv").exists()


def test_d13_dask_keep_going_reports_a_failing_case_in_one_line(tmp_path, capfd):
    pytest.importorskip("distributed")
    cases = tmp_path / "cases"
    make_case(cases / "good", "good")
    make_case(cases / "bad", "bad", {"a.pdf": b"not a pdf"})
    status = main(["analyze", str(cases), "--out", str(tmp_path / "out"), "--engine", "dask", "--jobs", "1",
                   "--keep-going", "--quiet"])
    err = capfd.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert status == 1 and len(errors) == 1 and "cannot read the PDF" in errors[0], err
    # Other libraries loaded by earlier tests may log here; the worker's traceback must not.
    assert "Compute Failed" not in err and "Traceback" not in err, err


# --- concurrency -----------------------------------------------------------------------------


def test_concurrent_writers_of_one_folder_leave_one_whole_output(tmp_path):
    target = tmp_path / "out"
    outputs = [{"a.csv": f"{n}\n" * 1000, "b.csv": f"{n}\n",
                "datapackage.json": '{"title": "Crisis communication transparency analysis"}\n'} for n in range(6)]
    errors: list[BaseException] = []

    def write(files):
        try:
            write_folder(target, files)
        except CaseError as error:  # a writer may lose the race: one line, nothing broken
            errors.append(error)
        except BaseException as error:  # noqa: BLE001 - anything else is the failure this test looks for
            errors.append(error)
            raise

    threads = [threading.Thread(target=write, args=(files,)) for files in outputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(error, CaseError) for error in errors)
    assert {name: (target / name).read_text() for name in outputs[0]} in outputs
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING)]


def test_two_batches_into_one_output_both_finish_whole(tmp_path):
    cases = tmp_path / "cases"
    for number in range(3):
        make_case(cases / f"c{number}", f"c{number}")
    out = tmp_path / "out"
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(run_batch(find_cases(cases), out, quiet=True)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 in statuses
    reference = tmp_path / "reference"
    assert run_batch(find_cases(cases), reference, quiet=True) == 0
    assert snapshot(out) == snapshot(reference)


# --- any bytes through analyze_case ----------------------------------------------------------

_PIECES = st.sampled_from([FR, EN, "« ", " »", "\n\n", "é", "\ufeff", "\u202f", "<p>", "</div>", "**", "# ",
                           "selon la CGT, ", "the union said ", "aucune fuite ", "3 000 salariés "])
_DOCUMENT = st.one_of(
    st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=30).map("".join),
    st.binary(max_size=300),
)


@settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")))
@given(content=_DOCUMENT, suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf", ".docx"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), language=st.sampled_from(["", "fr", "en"]))
def test_any_document_gives_tables_or_one_line(tmp_path_factory, content, suffix, encoding, language):
    """Run with HYPOTHESIS_PROFILE=sweep for the 900 examples of the issue's sweep."""
    root = tmp_path_factory.mktemp("fuzz")
    data = content.encode(encoding, errors="replace") if isinstance(content, str) else content
    (root / "documents").mkdir()
    (root / "documents" / f"d{suffix}").write_bytes(data)
    (root / "documents" / "e.txt").write_text(FR, encoding="utf-8")
    lang = f", language: {language}" if language else ""
    (root / "case.yaml").write_text(f"id: fuzz\ntitle: T\ndocuments:\n  - {{id: d, file: documents/d{suffix}, "
                                    f"kind: press{lang}}}\n  - {{id: e, file: documents/e.txt, kind: union}}\n")
    try:
        result = analyze_case(root)
    except CaseError as error:
        assert "\n" not in str(error)
        event("refused with one line")
        return
    event("analysed")
    assert len(result.documents) == 2 and list(result.mentions.columns) == columns("mentions")


def test_sigterm_cleanup_puts_a_previous_output_back_and_removes_the_staging(tmp_path):
    # SIGTERM ends the process at once (no unwinding through the pool's locks): what it was
    # writing aside is undone, and an output of ours already moved aside goes back in place.
    from analyzer import tables

    target, staging, aside = tmp_path / "out", tmp_path / f"{STAGING}1-out-a", tmp_path / f"{STAGING}1-out-b"
    staging.mkdir()
    (staging / "documents.csv").write_text("new, half written")
    (aside / "previous").mkdir(parents=True)
    (aside / "previous" / "documents.csv").write_text("old, whole")
    tables._LIVE.update({str(staging): None, str(aside): str(target)})
    tables.remove_live_staging()
    assert (target / "documents.csv").read_text() == "old, whole"
    assert not staging.exists() and not aside.exists() and not tables._LIVE
