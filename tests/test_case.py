"""Tests for analyzer.case: the case.yaml contract, its error messages, and the bundled corpus."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from analyzer.case import find_cases, read_case, read_document
from analyzer.errors import CaseError
from analyzer.model import Case, DocumentMeta

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "mma-2020"

GOOD_YAML = """\
id: mma-2020
title: MMA / Covéa ransomware attack, July 2020
organisation: MMA
parties:
  - {name: MMA / Covéa, role: management, aliases: [MMA, Covéa]}
  - name: CGT Covéa
    role: union
documents:
  - id: fr-press
    file: documents/fr.txt
    kind: press
    outlet: France Bleu
    date: 2020-07-24
    language: fr
    url: https://www.francebleu.fr/
  - id: memo
    file: documents/memo.md
    kind: management
    channel: internal
    title: Note aux salariés
"""


def make_case(tmp_path: Path, yaml_text: str = GOOD_YAML,
              files: dict[str, str] | None = None) -> Path:
    """Write a case folder with a case.yaml and its document files; return the folder."""
    root = tmp_path / "case"
    (root / "documents").mkdir(parents=True)
    (root / "case.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    default_files = {
        "documents/fr.txt": "Depuis une semaine, l’assureur est touché par une attaque.",
        "documents/memo.md": "# Note\n\nLes serveurs ont été **chiffrés**.",
    }
    for name, text in (files if files is not None else default_files).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def read_error(path: Path) -> CaseError:
    """The CaseError that reading the case raises."""
    with pytest.raises(CaseError) as caught:
        read_case(path)
    assert "\n" not in str(caught.value)
    return caught.value


# --- a valid case ---------------------------------------------------------------------------

def test_read_case(tmp_path: Path) -> None:
    root = make_case(tmp_path)
    case = read_case(root)
    assert isinstance(case, Case)
    assert (case.id, case.title, case.organisation) == (
        "mma-2020", "MMA / Covéa ransomware attack, July 2020", "MMA")
    assert case.root == root.resolve()
    assert [(p.name, p.role, p.aliases) for p in case.parties] == [
        ("MMA / Covéa", "management", ("MMA", "Covéa")), ("CGT Covéa", "union", ())]
    press, memo = case.documents
    assert press == DocumentMeta(
        id="fr-press", path=root.resolve() / "documents" / "fr.txt", kind="press",
        outlet="France Bleu", date="2020-07-24", language="fr",
        url="https://www.francebleu.fr/")
    assert (memo.channel, memo.title, memo.language, memo.date) == (
        "internal", "Note aux salariés", "", "")


def test_read_case_from_the_yaml_file(tmp_path: Path) -> None:
    root = make_case(tmp_path)
    assert read_case(root / "case.yaml") == read_case(root)


@pytest.mark.parametrize("written, stored", [
    ("2020", "2020"),
    ("2020-07", "2020-07"),
    ("2020-07-24", "2020-07-24"),  # YAML would make this a datetime.date
    ("'2020-07-24'", "2020-07-24"),
    ("2020-02-29", "2020-02-29"),
    ("null", ""),
    ("", ""),
])
def test_good_dates(tmp_path: Path, written: str, stored: str) -> None:
    root = make_case(tmp_path, GOOD_YAML.replace("date: 2020-07-24", f"date: {written}"))
    assert read_case(root).documents[0].date == stored


@pytest.mark.parametrize("written, stored", [("fr", "fr"), ("EN", "en"), ("no", "no")])
def test_language_codes(tmp_path: Path, written: str, stored: str) -> None:
    # "no" (Norwegian) must not turn into the YAML boolean False.
    root = make_case(tmp_path, GOOD_YAML.replace("language: fr", f"language: {written}"))
    assert read_case(root).documents[0].language == stored


# --- a bad case.yaml: one test per mistake --------------------------------------------------

BAD_CASES = [
    # (label, replace this, with this, expected line, words the message must contain)
    ("yaml syntax", "organisation: MMA", "organisation: MMA: Covéa", 3,
     ["invalid YAML (mapping values are not allowed"]),  # libyaml and PyYAML word the end differently
    ("missing id", "id: mma-2020\n", "", 1, ["id: missing required field"]),
    ("missing title", "title: MMA / Covéa ransomware attack, July 2020\n", "", 1,
     ["title: missing required field"]),
    ("missing documents", "documents:" + GOOD_YAML.split("documents:")[1], "", 1,
     ["documents: missing required field"]),
    ("empty documents", "documents:" + GOOD_YAML.split("documents:")[1], "documents: []\n", 8,
     ["documents: the list is empty"]),
    ("documents not a list", "documents:" + GOOD_YAML.split("documents:")[1],
     "documents: fr.txt\n", 8, ["documents: expected a list"]),
    ("missing document kind", "    kind: press\n", "", 9,
     ["documents[0].kind: missing required field"]),
    ("missing document file", "    file: documents/fr.txt\n", "", 9,
     ["documents[0].file: missing required field"]),
    ("unknown top field", "organisation: MMA", "organization: MMA", 3,
     ["organization: unknown field", "organisation"]),
    ("unknown document field", "    outlet: France Bleu", "    outlett: France Bleu", 12,
     ["documents[0].outlett: unknown field", "outlet"]),
    ("unknown party field", "role: union", "rôle: union", 7, ["parties[1].rôle: unknown field"]),
    ("field twice", "    outlet: France Bleu", "    outlet: France Bleu\n    outlet: Ouest", 13,
     ["documents[0].outlet: field given twice"]),
    ("unknown kind", "kind: press", "kind: journalist", 11,
     ["documents[0].kind: 'journalist' is not one of", "management, union, press"]),
    ("unknown party role", "role: union", "role: syndicate", 7,
     ["parties[1].role: 'syndicate' is not one of", "union"]),
    ("bad case id", "id: mma-2020", "id: mma 2020", 1, ["id: 'mma 2020' is not a valid id"]),
    ("bad document id", "id: fr-press", "id: fr/press", 9,
     ["documents[0].id: 'fr/press' is not a valid id"]),
    ("duplicate document id", "id: memo", "id: fr-press", 16,
     ["documents[1].id: duplicate document id 'fr-press'"]),
    ("document file missing", "file: documents/memo.md", "file: documents/absent.md", 17,
     ["documents[1].file: file 'documents/absent.md' not found"]),
    ("document file outside", "file: documents/memo.md", "file: ../outside.txt", 17,
     ["documents[1].file: '../outside.txt' is outside the case folder"]),
    ("document file absolute outside", "file: documents/memo.md", "file: /etc/hostname", 17,
     ["documents[1].file: '/etc/hostname' is outside the case folder"]),
    ("unsupported extension", "file: documents/memo.md", "file: documents/memo.rtf", 17,
     ["documents[1].file: unsupported file type '.rtf'", ".docx"]),
    ("impossible date", "date: 2020-07-24", "date: 2020-13-45", 13,
     ["documents[0].date: '2020-13-45' is not a real date", "YYYY-MM-DD"]),
    ("29 February of a common year", "date: 2020-07-24", "date: 2021-02-29", 13,
     ["documents[0].date: '2021-02-29' is not a real date"]),
    ("date in words", "date: 2020-07-24", "date: July 2020", 13,
     ["documents[0].date: 'July 2020' is not a real date"]),
    ("date not padded", "date: 2020-07-24", "date: 2020-7-4", 13,
     ["documents[0].date: '2020-7-4' is not a real date"]),
    ("bad channel", "channel: internal", "channel: staff", 19,
     ["documents[1].channel: 'staff' is not one of public, internal"]),
    ("bad language", "language: fr", "language: french", 14,
     ["documents[0].language: 'french' is not a 2-letter language code"]),
    ("aliases not a list", "aliases: [MMA, Covéa]", "aliases: MMA", 5,
     ["parties[0].aliases: aliases must be a list of names"]),
    ("alias not a name", "aliases: [MMA, Covéa]", "aliases: [MMA, [Covéa]]", 5,
     ["parties[0].aliases[1]: an alias must be a name"]),
    ("party not a mapping", "  - name: CGT Covéa\n    role: union\n", "  - CGT Covéa\n", 6,
     ["parties[1]: expected a mapping"]),
    ("party without role", "    role: union\n", "", 6, ["parties[1].role: missing required field"]),
    ("title is a list", "title: MMA / Covéa ransomware attack, July 2020", "title: [a, b]", 2,
     ["title: expected a single value"]),
]


@pytest.mark.parametrize("label, old, new, line, words", BAD_CASES,
                         ids=[row[0] for row in BAD_CASES])
def test_bad_case_yaml(tmp_path: Path, label: str, old: str, new: str, line: int,
                       words: list[str]) -> None:
    assert old in GOOD_YAML, label
    root = make_case(tmp_path, GOOD_YAML.replace(old, new, 1))
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    error = read_error(root)
    assert error.where == f"{root.resolve() / 'case.yaml'}:{line}"
    for word in words:
        assert word in str(error)
    assert error.fix


@pytest.mark.parametrize("label, yaml_text, words", [
    ("top level is a list", "- id: x\n- title: y\n", ["the top level is not a mapping"]),
    ("top level is a string", "just some text\n", ["the top level is not a mapping"]),
    ("empty file", "", ["the file is empty"]),
    ("tab indentation", "id: x\ntitle: y\ndocuments:\n\t- id: a\n", ["invalid YAML", ":4"]),
])
def test_bad_case_yaml_shape(tmp_path: Path, label: str, yaml_text: str,
                             words: list[str]) -> None:
    root = make_case(tmp_path, yaml_text)
    error = read_error(root)
    assert "case.yaml" in error.where, label
    for word in words:
        assert word in str(error)


def test_document_symlink_out_of_the_folder(tmp_path: Path) -> None:
    root = make_case(tmp_path)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "documents" / "fr.txt").unlink()
    (root / "documents" / "fr.txt").symlink_to(tmp_path / "secret.txt")
    error = read_error(root)
    assert "documents[0].file: 'documents/fr.txt' is outside the case folder" in str(error)


def test_document_folder_symlink_out_of_the_folder(tmp_path: Path) -> None:
    """A linked folder is resolved too: its documents are outside the case folder."""
    root = make_case(tmp_path)
    shutil.move(root / "documents", tmp_path / "elsewhere")
    (root / "documents").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    error = read_error(root)
    assert "documents[0].file: 'documents/fr.txt' is outside the case folder" in str(error)


def test_case_yaml_not_utf8(tmp_path: Path) -> None:
    root = make_case(tmp_path)
    (root / "case.yaml").write_bytes(GOOD_YAML.encode("cp1252"))
    error = read_error(root)
    assert error.where == str(root.resolve() / "case.yaml")
    assert "not UTF-8" in error.problem


# --- a bad path -----------------------------------------------------------------------------

def test_path_missing(tmp_path: Path) -> None:
    error = read_error(tmp_path / "nowhere")
    assert error.where == str(tmp_path / "nowhere")
    assert "no such file or folder" in error.problem


def test_path_is_not_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    error = read_error(path)
    assert error.where == str(path)
    assert "not a case folder" in error.problem


def test_folder_without_case_yaml(tmp_path: Path) -> None:
    error = read_error(tmp_path)
    assert error.where == str(tmp_path)
    assert "no case.yaml" in error.problem


# --- find_cases -----------------------------------------------------------------------------

def test_find_cases_on_a_case(tmp_path: Path) -> None:
    root = make_case(tmp_path)
    assert find_cases(root) == [root]
    assert find_cases(root / "case.yaml") == [root / "case.yaml"]


def test_find_cases_in_sub_folders(tmp_path: Path) -> None:
    for name in ("b-case", "a-case"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "case.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "not-a-case").mkdir()
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    assert find_cases(tmp_path) == [tmp_path / "a-case", tmp_path / "b-case"]


@pytest.mark.parametrize("sub_path, problem", [
    ("", "no case.yaml in"),
    ("missing", "no such file or folder"),
])
def test_find_cases_errors(tmp_path: Path, sub_path: str, problem: str) -> None:
    (tmp_path / "empty-folder").mkdir()
    path = tmp_path / sub_path if sub_path else tmp_path
    with pytest.raises(CaseError, match=problem) as caught:
        find_cases(path)
    assert caught.value.where == str(path)
    assert caught.value.fix
    assert "\n" not in str(caught.value)


# --- read_document --------------------------------------------------------------------------

def meta(path: Path, language: str = "") -> DocumentMeta:
    """Metadata for a document file written by a test."""
    return DocumentMeta(id="doc", path=path, kind="press", language=language)


@pytest.mark.parametrize("text, declared, language", [
    ("Depuis une semaine, l’assureur mutualiste MMA est touché par une attaque.", "", "fr"),
    ("Early last week, the insurer announced that it had been the victim of an attack.", "",
     "en"),
    ("Early last week, the insurer announced that it had been the victim of an attack.", "fr",
     "fr"),
])
def test_read_document_language(tmp_path: Path, text: str, declared: str,
                                language: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(f"\ufeff  {text}\r\n\r\n\r\n", encoding="utf-8")
    document = read_document(meta(path, declared))
    assert (document.text, document.language, document.warnings) == (text, language, ())


def test_read_document_without_lexicon_warns(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("Die Versicherung wurde Opfer eines Cyberangriffs, teilte sie mit.",
                    encoding="utf-8")
    document = read_document(meta(path))
    assert document.language == "de"
    assert document.warnings == (
        f"{path}: language 'de' has no lexicon; attribution and fact detection fall back to "
        "the publisher only, similarity still works",)


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n", b"\xef\xbb\xbf"])
def test_read_document_empty_warns(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    document = read_document(meta(path))
    assert document.text == ""
    assert len(document.warnings) == 1
    assert document.warnings[0].startswith(f"{path}: no text found")
    assert "\n" not in document.warnings[0]


def test_read_document_corrupt_raises(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(CaseError) as caught:
        read_document(meta(path))
    assert str(path) in str(caught.value)


# --- the bundled corpus ---------------------------------------------------------------------

def test_bundled_corpus_reads() -> None:
    case = read_case(CORPUS)
    assert case.id == "mma-2020"
    assert [party.role for party in case.parties] == ["management", "union", "expert"]
    documents = [read_document(document) for document in case.documents]
    assert [document.meta.id for document in documents] == [
        "francebleu-2020-07-24", "geekynews-2020-07-27"]
    assert [document.language for document in documents] == ["fr", "en"]
    assert [document.meta.date for document in documents] == ["2020-07-24", "2020-07-27"]
    assert documents[0].text.startswith("Depuis une semaine")
    assert documents[1].text.startswith("Big hassle, zero blah")
    assert all(document.warnings == () for document in documents)
    # The detected language agrees with the declared one.
    assert [read_document(DocumentMeta(id=d.meta.id, path=d.meta.path, kind="press")).language
            for d in documents] == ["fr", "en"]


def test_find_cases_finds_the_bundled_corpus() -> None:
    assert CORPUS in find_cases(CORPUS.parent)
