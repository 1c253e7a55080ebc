"""Uploads: safe zip extraction, a case folder written from uploads, and the case zip for the CLI."""
from __future__ import annotations

import dataclasses
import io
import stat
import zipfile
from pathlib import Path

import pytest

from analyzer import CaseError, analyze_case
from analyzer.case import read_case
from analyzer.model import Party
from analyzer import upload
from analyzer.upload import UploadedDocument, case_zip, extract_case_zip, parse_parties, read_uploaded_text, write_case

MMA = Path(__file__).resolve().parents[1] / "corpora" / "mma-2020"
FR_TEXT = "La direction de MMA a confirmé une attaque informatique. Les serveurs ont été chiffrés.".encode()


def _zip(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    """A zip built in memory; names in `links` are stored as symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_the_case_zip_round_trips_to_the_same_tables(tmp_path):
    data = case_zip(MMA)
    root = extract_case_zip(data, tmp_path)
    assert root.name == "mma-2020"
    assert analyze_case(root).disclosures.equals(analyze_case(MMA).disclosures)


def test_the_case_zip_holds_only_case_yaml_and_its_documents():
    names = zipfile.ZipFile(io.BytesIO(case_zip(MMA))).namelist()
    assert names[0] == "mma-2020/case.yaml"
    assert all(name.startswith("mma-2020/documents/") for name in names[1:])
    assert case_zip(MMA) == case_zip(MMA)  # fixed timestamps: same case, same bytes


@pytest.mark.parametrize("entries, links, problem", [
    ({"/etc/case.yaml": b"x"}, (), "absolute path"),
    ({"C:/case.yaml": b"x"}, (), "absolute path"),
    ({"case/../../evil.txt": b"x"}, (), "'..'"),
    ({"case.yaml": b"x", "documents/a.txt": b"/etc/passwd"}, ("documents/a.txt",), "symbolic link"),
    ({"readme.txt": b"nothing"}, (), "no case.yaml"),
])
def test_unsafe_or_caseless_zips_are_refused_before_writing(tmp_path, entries, links, problem):
    with pytest.raises(CaseError, match=problem):
        extract_case_zip(_zip(entries, links), tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_not_a_zip_is_one_line(tmp_path):
    with pytest.raises(CaseError, match="not a zip file") as error:
        extract_case_zip(b"PK? not really", tmp_path, "case.zip")
    assert "\n" not in str(error.value)


def _limits(monkeypatch, **values):
    """Limits of analyzer/data/limits.yaml replaced for one test."""
    patched = dataclasses.replace(upload.limits(), **values)
    monkeypatch.setattr(upload, "limits", lambda: patched)


def test_zip_limits(tmp_path, monkeypatch):
    _limits(monkeypatch, upload_documents=3)
    with pytest.raises(CaseError, match="entries, over the limit"):
        extract_case_zip(_zip({f"f{i}.txt": b"x" for i in range(4)}), tmp_path / "a")
    _limits(monkeypatch, zip_bytes=1000)
    bomb = _zip({"case.yaml": b"0" * 5000})  # compresses to a few bytes
    with pytest.raises(CaseError, match="expands to more than"):
        extract_case_zip(bomb, tmp_path / "b")
    _limits(monkeypatch, upload_bytes=10)
    with pytest.raises(CaseError, match="over the 0 MB limit"):
        extract_case_zip(bomb, tmp_path / "c")


def test_a_zip_whose_case_yaml_is_bad_names_the_field(tmp_path):
    data = _zip({"c/case.yaml": b"id: c\ntitle: T\ndocuments:\n  - {id: a, file: a.txt, kind: boss}\n",
                 "c/a.txt": b"text"})
    with pytest.raises(CaseError, match=r"documents\[0\]\.kind"):
        extract_case_zip(data, tmp_path)


@pytest.mark.parametrize("name, language", [("communique.txt", "fr"), ("Statement 1.md", "en")])
def test_uploaded_documents_become_a_case_the_cli_can_read(tmp_path, name, language):
    text = FR_TEXT if language == "fr" else b"MMA management confirmed a cyberattack. Servers were encrypted."
    documents = [UploadedDocument(name, text, kind="management", date="2020-07-20", language=language,
                                  outlet="MMA", channel="internal")]
    root = write_case(tmp_path, "my case!", "Test", documents, [Party("MMA", "management", ("MMA",))], "MMA")
    case = read_case(root)
    assert case.id == "my-case"
    meta = case.documents[0]
    assert (meta.kind, meta.date, meta.language, meta.channel) == ("management", "2020-07-20", language, "internal")
    assert meta.path.parent == root / "documents" and " " not in meta.path.name
    result = analyze_case(root)
    assert result.disclosures.query("disclosed and party == 'MMA'").fact.tolist()


@pytest.mark.parametrize("document, problem", [
    (UploadedDocument("virus.exe", b"MZ", kind="press"), "unsupported file type '.exe'"),
    (UploadedDocument("a.txt", b"x", kind="boss"), "kind 'boss'"),
    (UploadedDocument("a.txt", b"x", kind="press", date="2020-13-45"), "not a real date"),
    (UploadedDocument("../../a.txt", b"x", kind="press", language="french"), "2-letter language"),
])
def test_bad_uploads_are_refused_with_one_line(tmp_path, document, problem):
    with pytest.raises(CaseError, match=problem):
        write_case(tmp_path, "c", "T", [document])


def test_uploaded_names_cannot_escape_the_folder(tmp_path):
    root = write_case(tmp_path / "case", "c", "T", [UploadedDocument("../../../evil.txt", b"texte", kind="press")])
    assert [p.name for p in (root / "documents").iterdir()] == ["evil.txt"]
    assert not (tmp_path / "evil.txt").exists()


def test_two_uploads_with_the_same_name_are_both_kept(tmp_path):
    root = write_case(tmp_path, "c", "T", [UploadedDocument("a.txt", b"un", kind="press"),
                                           UploadedDocument("a.txt", b"deux", kind="union")])
    assert len(read_case(root).documents) == 2


def test_no_document_is_refused(tmp_path):
    with pytest.raises(CaseError, match="no document"):
        write_case(tmp_path, "c", "T", [])


@pytest.mark.parametrize("text, expected", [
    ("MMA / Covéa | management | MMA, Covéa\nCGT Covéa | union", [("MMA / Covéa", "management", ("MMA", "Covéa")),
                                                              ("CGT Covéa", "union", ())]),
    ("\n  \n", []),
])
def test_parse_parties(text, expected):
    assert [(p.name, p.role, p.aliases) for p in parse_parties(text)] == expected


@pytest.mark.parametrize("text, problem", [("CGT", "expected 'Name | role"), ("CGT | syndicat", "role 'syndicat'")])
def test_parse_parties_errors_name_the_line(text, problem):
    with pytest.raises(CaseError, match=problem):
        parse_parties(text)


def test_read_uploaded_text_decodes_and_refuses_unknown_types():
    assert read_uploaded_text("d.txt", "Caf\xe9 ferm\xe9.".encode("cp1252")) == "Café fermé."
    with pytest.raises(CaseError, match="unsupported file type"):
        read_uploaded_text("d.exe", b"MZ")
