"""Reading a case folder: `case.yaml` validated into a `Case`, then each document's text.

A case folder holds a `case.yaml` describing the crisis, its parties and its documents,
and the document files it names. Mistakes in `case.yaml` are reported as one `CaseError`
line giving the file, the line, the field (``documents[1].date``) and what to do.

Values are read from the YAML node tree rather than from `yaml.safe_load`, for two reasons:
nodes know their line, and scalars keep the text the user typed (``date: 2020-07-24``
stays "2020-07-24", ``language: no`` stays "no" instead of becoming False).
"""
from __future__ import annotations

import datetime
import difflib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import collector
from .errors import CaseError
from .extract import SUPPORTED_EXTENSIONS, extract_document
from .model import ROLES, Case, Document, DocumentMeta, Party
from .schema import TABLES
from .text import SUPPORTED_LANGUAGES, detect_language, normalize

__all__ = ["CASE_FILE", "MAX_ID_LENGTH", "RESERVED_IDS", "find_cases", "id_problem", "read_case", "read_document"]

CASE_FILE = "case.yaml"
"""The name of the file that makes a folder a case."""

DOCUMENT_CHANNELS = ("public", "internal")
"""Whom a whole document is addressed to; "unknown" is for statements, not documents."""

_CASE_FIELDS = ("id", "title", "organisation", "parties", "documents")
_CASE_REQUIRED = ("id", "title", "documents")
_PARTY_FIELDS = ("name", "role", "aliases")
_PARTY_REQUIRED = ("name", "role")
_DOCUMENT_FIELDS = ("id", "file", "kind", "outlet", "date", "language", "url", "title",
                    "channel")
_DOCUMENT_REQUIRED = ("id", "file", "kind")
_ID = re.compile(r"[A-Za-z0-9._-]+")
MAX_ID_LENGTH = 100
RESERVED_IDS = frozenset({CASE_FILE, "datapackage.json"} | {f"{name}.csv" for name in TABLES})
"""Ids that would name one of our files: a case id becomes the folder OUT/<id>/ beside them."""
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANGUAGE = re.compile(r"[A-Za-z]{2}")
_NULL_TAG = "tag:yaml.org,2002:null"
# libyaml parses a 5,000-document case.yaml in 0.6 s instead of 4.4 s; same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Field:
    """A YAML node with where it sits: its path (``documents[1].date``) and its line."""

    node: yaml.Node
    path: str
    line: int


class _CaseFile:
    """The parsed case.yaml, able to raise errors that point at a field and its line."""

    def __init__(self, path: Path, root: Path):
        self.path = path
        self.root = root
        self._folders: dict[Path, Path] = {}  # folder -> its resolved path

    def resolve(self, path: Path) -> Path:
        """`path.resolve()`, with each folder resolved once: thousands of documents share a few folders."""
        if path.is_symlink():
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name

    def error(self, field: _Field, problem: str, fix: str = "") -> CaseError:
        """An error about `field`, located at its line."""
        return CaseError(f"{self.path}:{field.line}", f"{field.path}: {problem}", fix)

    def mapping(self, field: _Field, allowed: tuple[str, ...],
                required: tuple[str, ...]) -> dict[str, _Field]:
        """The entries of a mapping, checked against the allowed and required keys."""
        if not isinstance(field.node, yaml.MappingNode):
            raise self.error(field, f"expected a mapping with {', '.join(required)}",
                             "write it as 'key: value' lines")
        entries: dict[str, _Field] = {}
        for key_node, value_node in field.node.value:
            key = str(key_node.value)
            child = _Field(value_node, f"{field.path}.{key}" if field.path else key,
                           key_node.start_mark.line + 1)
            if key not in allowed:
                raise self.error(child, "unknown field",
                                 f"allowed fields are {', '.join(allowed)} (check the spelling)")
            if key in entries:
                raise self.error(child, "field given twice", "keep only one of them")
            entries[key] = child
        for key in required:
            if key not in entries:
                where = f"{field.path}.{key}" if field.path else key
                raise self.error(_Field(field.node, where, field.line), "missing required field",
                                 f"add '{key}:'")
        return entries

    def items(self, field: _Field) -> list[_Field]:
        """The items of a sequence."""
        if not isinstance(field.node, yaml.SequenceNode):
            raise self.error(field, "expected a list", "write one '- ' item per line")
        return [_Field(node, f"{field.path}[{index}]", node.start_mark.line + 1)
                for index, node in enumerate(field.node.value)]

    def text(self, field: _Field | None, default: str = "") -> str:
        """A scalar's text as typed; `default` for an absent or null field."""
        if field is None:
            return default
        if not isinstance(field.node, yaml.ScalarNode):
            raise self.error(field, "expected a single value, not a list or a mapping",
                             "write it on one line after the colon")
        if field.node.tag == _NULL_TAG:
            return default
        return str(field.node.value).strip()

    def required_text(self, field: _Field) -> str:
        """A scalar's text, which must not be empty."""
        value = self.text(field)
        if not value:
            raise self.error(field, "is empty", "give it a value")
        return value

    def identifier(self, field: _Field) -> str:
        """An id (see `id_problem`)."""
        value = self.required_text(field)
        problem = id_problem(value)
        if problem:
            raise self.error(field, problem, _ID_FIX)
        return value

    def choice(self, field: _Field | None, allowed: tuple[str, ...], default: str = "") -> str:
        """A scalar that must be one of `allowed`."""
        value = self.text(field, default)
        if field is not None and value not in allowed:
            close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise self.error(field, f"'{value}' is not one of {', '.join(allowed)}",
                             f"{hint}use one of {', '.join(allowed)}")
        return value


_ID_FIX = "use only letters, digits, '.', '_' and '-', at most 100 characters, not starting with '.'"


def id_problem(value: str) -> str:
    """What is wrong with a case or document id, "" if nothing.

    An id is letters, digits, '.', '_' and '-', at most MAX_ID_LENGTH characters, not
    starting with a dot (".", ".." and hidden names) and not the name of one of our files
    (RESERVED_IDS): a case id names its output folder beside the combined tables.
    """
    shown = value if len(value) <= 40 else value[:40] + "…"
    if not _ID.fullmatch(value):
        return f"'{shown}' is not a valid id"
    if len(value) > MAX_ID_LENGTH:
        return f"the id '{shown}' has {len(value)} characters, over the limit of {MAX_ID_LENGTH}"
    if value.startswith("."):
        return f"the id '{shown}' starts with a dot"
    if value.lower() in RESERVED_IDS:
        return f"the id '{value}' is the name of an output file"
    return ""


def find_cases(path: str | Path) -> list[Path]:
    """Find the case folders at or just under a path.

    Args:
        path: a case folder, a case.yaml file, or a folder whose sub-folders are cases.

    Returns:
        ``[path]`` if it is a case (folder or file); otherwise the sorted sub-folders that
        contain a case.yaml.

    Raises:
        CaseError: the path does not exist or holds no case.
    """
    path = Path(path)
    if not path.exists():
        raise CaseError(path, "no such file or folder", "check the path")
    if path.is_file() or (path / CASE_FILE).is_file():
        return [path]
    cases = sorted(child for child in path.iterdir()
                   if child.is_dir() and (child / CASE_FILE).is_file())
    if not cases:
        raise CaseError(path, f"no {CASE_FILE} in {path} or its sub-folders",
                        f"give a case folder (one with a {CASE_FILE}) or a folder of them")
    return cases


@collector.paused()  # a large case.yaml is a tree of many small objects
def read_case(path: str | Path) -> Case:
    """Read and validate a case's `case.yaml`, without reading the documents' text.

    Args:
        path: the case folder, or its case.yaml file.

    Returns:
        The case; document paths are resolved against the case folder.

    Raises:
        CaseError: the folder or case.yaml is missing, or case.yaml breaks the contract
            (the message gives the line and the field).
    """
    case_path, root = _locate(Path(path))
    case_file = _CaseFile(case_path, root)
    top = case_file.mapping(_Field(_compose(case_path), "", 1), _CASE_FIELDS, _CASE_REQUIRED)
    case_id = case_file.identifier(top["id"])
    title = case_file.required_text(top["title"])
    organisation = case_file.text(top.get("organisation"))
    parties = case_file.items(top["parties"]) if "parties" in top else []
    documents = case_file.items(top["documents"])
    if not documents:
        raise case_file.error(top["documents"], "the list is empty",
                              "list at least one document")
    seen: set[str] = set()
    case = Case(
        id=case_id,
        title=title,
        root=root,
        documents=tuple(_document(case_file, field, seen) for field in documents),
        organisation=organisation,
        parties=tuple(_party(case_file, field) for field in parties),
    )
    return replace(case, first_year=case.earliest_year())


def read_document(meta: DocumentMeta) -> Document:
    """Read, extract and normalise one document's text and settle its language.

    Args:
        meta: the document's entry in the case.

    Returns:
        The document; its language is `meta.language` when given, else detected. Warnings
        (one line each) flag an empty document and a language without a lexicon.

    Raises:
        CaseError: the file cannot be read or decoded.
    """
    raw, notes = extract_document(meta.path)
    text = normalize(raw)
    language = meta.language or detect_language(text)
    warnings: list[str] = list(notes)
    if not text:
        warnings.append(f"{meta.path}: no text found ({_EMPTY_CAUSES.get(meta.path.suffix.lower(), 'empty file')}); "
                        "the document is skipped by the analysis")
    elif not language:
        warnings.append(f"{meta.path}: too little text to detect the language; set "
                        "'language:' in case.yaml")
    elif language not in SUPPORTED_LANGUAGES:
        warnings.append(f"{meta.path}: language '{language}' has no lexicon; attribution and "
                        "fact detection fall back to the publisher only, similarity still "
                        "works")
    return Document(meta=meta, text=text, language=language, warnings=tuple(warnings))


_EMPTY_CAUSES = {
    ".pdf": "a scanned PDF without a text layer, or an empty one",
    ".html": "a page without visible text", ".htm": "a page without visible text",
    ".docx": "a Word document without paragraphs or tables",
}


def _locate(path: Path) -> tuple[Path, Path]:
    """The case.yaml file and the case folder, from a path to either."""
    if not path.exists():
        raise CaseError(path, "no such file or folder",
                        f"give the path of a case folder (one with a {CASE_FILE})")
    if path.is_file():
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise CaseError(path, "not a case folder nor a YAML file",
                            f"give the path of a case folder (one with a {CASE_FILE})")
        return path.resolve(), path.resolve().parent
    if not path.is_dir():
        raise CaseError(path, "not a folder", "give the path of a case folder")
    case_path = path / CASE_FILE
    if not case_path.is_file():
        raise CaseError(path, f"no {CASE_FILE} in this folder",
                        f"create {CASE_FILE} (with id, title and documents) or give the "
                        "right folder")
    return case_path.resolve(), path.resolve()


def _compose(case_path: Path) -> yaml.Node:
    """The YAML node tree of case.yaml."""
    try:
        source = case_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(case_path, "not UTF-8 text", "save it as UTF-8") from None
    except OSError as error:
        raise CaseError(case_path, f"cannot read the file ({error.strerror or error})",
                        "check that it is readable") from None
    try:
        node = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{case_path}:{mark.line + 1}" if mark else str(case_path)
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        raise CaseError(where, f"invalid YAML ({problem})",
                        "check the indentation, colons and quotes on that line") from None
    if node is None:
        raise CaseError(case_path, "the file is empty", "add id, title and documents")
    if not isinstance(node, yaml.MappingNode):
        raise CaseError(f"{case_path}:{node.start_mark.line + 1}",
                        "the top level is not a mapping",
                        "start with 'id:', 'title:' and 'documents:' lines")
    return node


def _party(case_file: _CaseFile, field: _Field) -> Party:
    """One entry of `parties`."""
    entries = case_file.mapping(field, _PARTY_FIELDS, _PARTY_REQUIRED)
    aliases: list[str] = []
    if "aliases" in entries:
        alias_field = entries["aliases"]
        if not isinstance(alias_field.node, yaml.SequenceNode):
            raise case_file.error(alias_field, "aliases must be a list of names",
                                  "write them as [Name, Other name]")
        for item in case_file.items(alias_field):
            if not isinstance(item.node, yaml.ScalarNode) or item.node.tag == _NULL_TAG:
                raise case_file.error(item, "an alias must be a name (text)",
                                      "write them as [Name, Other name]")
            aliases.append(case_file.required_text(item))
    return Party(
        name=case_file.required_text(entries["name"]),
        role=case_file.choice(entries["role"], ROLES),
        aliases=tuple(aliases),
    )


def _document(case_file: _CaseFile, field: _Field, seen: set[str]) -> DocumentMeta:
    """One entry of `documents`; `seen` collects the ids met so far, to refuse duplicates."""
    entries = case_file.mapping(field, _DOCUMENT_FIELDS, _DOCUMENT_REQUIRED)
    doc_id = case_file.identifier(entries["id"])
    if doc_id in seen:
        raise case_file.error(entries["id"], f"duplicate document id '{doc_id}'",
                              "give each document its own id")
    seen.add(doc_id)
    language = case_file.text(entries.get("language")).lower()
    if language and not _LANGUAGE.fullmatch(language):
        raise case_file.error(entries["language"], f"'{language}' is not a 2-letter language "
                              "code", "use an ISO 639-1 code such as fr or en, or remove it to "
                              "detect the language")
    return DocumentMeta(
        id=doc_id,
        path=_document_path(case_file, entries["file"]),
        kind=case_file.choice(entries["kind"], ROLES),
        outlet=case_file.text(entries.get("outlet")),
        date=_date(case_file, entries.get("date")),
        language=language,
        url=case_file.text(entries.get("url")),
        title=case_file.text(entries.get("title")),
        channel=case_file.choice(entries.get("channel"), DOCUMENT_CHANNELS, "public"),
    )


def _document_path(case_file: _CaseFile, field: _Field) -> Path:
    """A document file: inside the case folder, of a supported type, and present."""
    name = case_file.required_text(field)
    path = Path(os.path.normpath(case_file.root / name))
    # Resolving follows symbolic links, so a link pointing out of the folder is caught too.
    if not case_file.resolve(path).is_relative_to(case_file.root):
        raise case_file.error(field, f"'{name}' is outside the case folder",
                              "copy the file into the case folder and give its relative path")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise case_file.error(field, f"unsupported file type '{path.suffix or '(none)'}'",
                              f"convert it to one of {', '.join(SUPPORTED_EXTENSIONS)}")
    if not path.is_file():
        raise case_file.error(field, f"file '{name}' not found",
                              "check the name; it is relative to the case folder")
    return path


def _date(case_file: _CaseFile, field: _Field | None) -> str:
    """A date as YYYY, YYYY-MM or YYYY-MM-DD that exists in the calendar."""
    value = case_file.text(field)
    if field is None or not value:
        return ""
    match = _DATE.fullmatch(value)
    if match is None or not _is_real_date(*match.groups()):
        raise case_file.error(field, f"'{value}' is not a real date",
                              "write it as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _is_real_date(year: str, month: str | None, day: str | None) -> bool:
    """Whether the year, month and day (the last two optional) exist in the calendar."""
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True
