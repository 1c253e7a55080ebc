"""Cases from uploads: untrusted files and zips turned into a case folder, and a case folder zipped.

Everything a browser sends is untrusted. Files are size-checked and get a safe name of our
own; a zipped case is checked entry by entry (count, sizes, no absolute path, no `..`, no
link) before anything is written, and every refusal is a one-line `CaseError`. The folder
written is then read by `read_case`, like any case given on the command line.
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .case import CASE_FILE, id_problem, read_case
from .errors import CaseError
from .extract import SUPPORTED_EXTENSIONS, zip_problem
from .limits import limits, mebibytes
from .model import ROLES, Party

__all__ = ["UploadedDocument", "case_zip", "extract_case_zip", "parse_parties", "read_uploaded_text", "write_case"]

# The limits (upload_bytes, upload_documents, zip_bytes, entry_bytes) are in analyzer/data/limits.yaml.
_MAX_NAME_BYTES = 255  # of one part of a zip entry's path: what file systems accept
_MAX_PATH_BYTES = 1024
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_ZIP_FIX = "zip the case folder again with a standard tool (no password)"

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class UploadedDocument:
    """One uploaded document and the metadata typed in the form."""

    name: str  # the file name as uploaded (only its extension is trusted)
    data: bytes
    kind: str
    date: str = ""
    language: str = ""
    outlet: str = ""
    title: str = ""
    channel: str = "public"
    doc_id: str = field(default="")  # derived from the name when empty


def _check_size(name: str, size: int) -> None:
    """Refuse a file over the upload_bytes limit."""
    cap = limits().upload_bytes
    if size > cap:
        raise CaseError(name, f"the file is {size / 1e6:.1f} MB, over the {cap // 2**20} MB limit",
                        "split it or upload a smaller file")


def safe_id(text: str, fallback: str = "document") -> str:
    """An id for case.yaml from any text: letters, digits, '.', '_' and '-' only."""
    cleaned = _SAFE_NAME.sub("-", text).strip(".-_")
    return cleaned[:80].rstrip(".-_") or fallback


def _document_entry(document: UploadedDocument, doc_id: str, file_name: str) -> dict[str, str]:
    """The case.yaml entry of an uploaded document (empty fields left out)."""
    entry = {"id": doc_id, "file": f"documents/{file_name}", "kind": document.kind, "outlet": document.outlet,
             "date": document.date, "language": document.language, "title": document.title,
             "channel": document.channel}
    return {key: value for key, value in entry.items() if value or key in ("id", "file", "kind")}


def write_case(folder: str | Path, case_id: str, title: str, documents: list[UploadedDocument],
               parties: list[Party] = (), organisation: str = "") -> Path:
    """Write uploaded documents and a generated case.yaml into `folder`, then validate them.

    Args:
        folder: an empty (or new) folder that becomes the case folder.
        case_id: the case id (made safe if needed).
        title: the case title.
        documents: the uploads, in case order.
        parties: the declared parties with their aliases.
        organisation: the organisation in crisis.

    Returns:
        The case folder.

    Raises:
        CaseError: no document, a file too large or of an unsupported type, a bad role, or
            metadata that `read_case` refuses (the message names the field).
    """
    root = Path(folder)
    if not documents:
        raise CaseError("upload", "no document", "add at least one document")
    if len(documents) > limits().upload_documents:
        raise CaseError("upload", f"{len(documents)} documents, over the limit of {limits().upload_documents}",
                        "analyse them as several cases, or on the command line")
    case_id = safe_id(case_id, "my-case")
    problem = id_problem(case_id)
    if problem:
        raise CaseError("case id", problem, "choose another id (letters, digits, '.', '_' and '-')")
    (root / "documents").mkdir(parents=True, exist_ok=True)
    entries, used = [], set()
    for index, document in enumerate(documents, start=1):
        suffix = PurePosixPath(document.name).suffix.lower()
        if suffix not in SUPPORTED_EXTENSIONS:
            raise CaseError(document.name, f"unsupported file type '{suffix or '(none)'}'",
                            f"upload one of {', '.join(SUPPORTED_EXTENSIONS)}")
        if document.kind not in ROLES:
            raise CaseError(document.name, f"kind '{document.kind}' is not one of {', '.join(ROLES)}",
                            "choose a kind in the form")
        _check_size(document.name, len(document.data))
        doc_id = safe_id(document.doc_id or PurePosixPath(document.name).stem, f"document-{index}")
        if id_problem(doc_id):  # a file named like one of our outputs: the name is not trusted anyway
            doc_id = f"document-{index}"
        while doc_id in used:  # two uploads with the same name keep both
            doc_id = f"{doc_id}-{index}"
        used.add(doc_id)
        file_name = f"{doc_id}{suffix}"
        (root / "documents" / file_name).write_bytes(document.data)
        entries.append(_document_entry(document, doc_id, file_name))
    spec: dict = {"id": case_id, "title": title.strip() or "Uploaded case"}
    if organisation.strip():
        spec["organisation"] = organisation.strip()
    if parties:
        spec["parties"] = [{"name": p.name, "role": p.role, **({"aliases": list(p.aliases)} if p.aliases else {})}
                           for p in parties]
    spec["documents"] = entries
    (root / CASE_FILE).write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    read_case(root)  # the same contract as a case on disk: errors name the field
    return root


def _entry_path(info: zipfile.ZipInfo, zip_name: str) -> PurePosixPath:
    """An entry's path once checked: relative, no `..`, not a link, a name file systems take,
    not encrypted, a standard compression (CaseError otherwise)."""
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    shown = f"{zip_name}: {name if len(name) <= 80 else name[:80] + '…'}"
    if path.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise CaseError(shown, "absolute path in the zip", "zip the case folder with relative paths")
    if ".." in path.parts:
        raise CaseError(shown, "'..' in a zip path", "zip the case folder itself")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise CaseError(shown, "symbolic link in the zip", "zip the files, not links to them")
    if len(name.encode()) > _MAX_PATH_BYTES or any(len(part.encode()) > _MAX_NAME_BYTES for part in path.parts):
        raise CaseError(shown, "a name in the zip is too long for a file system", "shorten the file names")
    if "\x00" in name:
        raise CaseError(shown, "a name in the zip holds a NUL character", _ZIP_FIX)
    if info.flag_bits & 0x1:
        raise CaseError(shown, "the zip entry is encrypted", "zip the case folder again without a password")
    if info.compress_type not in _COMPRESSIONS:
        raise CaseError(shown, f"the zip entry uses an unsupported compression method ({info.compress_type})",
                        _ZIP_FIX)
    return path


def _check_layout(name: str, paths: list[tuple[zipfile.ZipInfo, PurePosixPath]]) -> None:
    """Refuse a zip naming one path twice, or one path both as a file and as a folder."""
    files, folders = set(), set()
    for info, path in paths:
        parts = PurePosixPath(*path.parts)  # "a/./b" and "a//b" are "a/b"
        if str(parts) in (".", ""):
            continue
        if not info.is_dir():
            if parts in files:
                raise CaseError(name, f"'{parts}' is in the zip twice", _ZIP_FIX)
            files.add(parts)
        else:
            folders.add(parts)
        folders.update(parts.parents)
    clash = files & folders
    if clash:
        raise CaseError(name, f"'{sorted(clash)[0]}' is in the zip both as a file and as a folder", _ZIP_FIX)


def extract_case_zip(data: bytes, folder: str | Path, name: str = "upload.zip") -> Path:
    """Extract a zipped case folder safely and return the folder holding its case.yaml.

    Every entry is checked before anything is written (analyzer/data/limits.yaml: at most
    upload_documents entries; no absolute path, no `..`, no link, no name twice or as a file
    and a folder, no encryption, a standard compression), then inflated with its bytes
    counted while inflating: at most entry_bytes per entry and zip_bytes in all. The
    case.yaml may sit at the top of the zip or in one top folder.

    Args:
        data: the zip as uploaded.
        folder: where to extract (an empty folder).
        name: the uploaded file name, for messages.

    Returns:
        The case folder, read and validated by `read_case`.

    Raises:
        CaseError: not a zip, a limit exceeded, an unsafe or damaged entry, no case.yaml, or a bad case.
    """
    _check_size(name, len(data))
    limit = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError):
        raise CaseError(name, "not a zip file", "upload a .zip of a case folder") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limit.upload_documents:
            raise CaseError(name, f"{len(infos)} entries, over the limit of {limit.upload_documents}",
                            "zip only the case folder")
        # The declared sizes are checked first, and the bytes actually inflated again below,
        # since a forged header can understate them.
        if sum(info.file_size for info in infos) > limit.zip_bytes:
            raise CaseError(name, f"expands to more than {mebibytes(limit.zip_bytes)}",
                            "zip fewer or smaller documents")
        paths = [(info, _entry_path(info, name)) for info in infos]
        _check_layout(name, paths)
        root = Path(folder).resolve()
        written = 0
        for info, path in paths:
            target = root.joinpath(*path.parts)
            try:
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                written += _inflate(archive, info, target, limit.entry_bytes, limit.zip_bytes - written, name)
            except CaseError:
                raise
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, ValueError, zlib.error,
                    OSError) as error:
                shown = info.filename if len(info.filename) <= 80 else info.filename[:80] + "…"
                raise CaseError(name, f"the zip entry '{shown}' cannot be read ({zip_problem(error)})",
                                _ZIP_FIX) from None
    candidates = [root] + sorted(child for child in root.iterdir() if child.is_dir())
    for candidate in candidates:
        if (candidate / CASE_FILE).is_file():
            read_case(candidate)
            return candidate
    raise CaseError(name, f"no {CASE_FILE} at the top of the zip or in its top folder",
                    f"zip a case folder (one with a {CASE_FILE})")


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, entry_cap: int, left: int,
             name: str) -> int:
    """Inflate one entry into `target`, counting while inflating; the bytes written.

    Raises:
        CaseError: the entry passes entry_cap, or the zip passes its total (`left` bytes remain).
    """
    size = 0
    with archive.open(info) as source, open(target, "xb") as sink:
        while chunk := source.read(1 << 16):
            size += len(chunk)
            if size > entry_cap:
                raise CaseError(name, f"the entry '{info.filename[:80]}' expands to more than {mebibytes(entry_cap)}",
                                "zip fewer or smaller documents")
            if size > left:
                raise CaseError(name, f"expands to more than {mebibytes(limits().zip_bytes)}",
                                "zip fewer or smaller documents")
            sink.write(chunk)
    return size


def zip_member(*parts: str) -> str:
    """A zip entry name that unzips inside the extraction folder, whatever `parts` hold.

    The names come from case ids and file names: a backslash is taken for a separator, and
    empty, '.', '..' and drive ('C:') segments are dropped, so the entry is never absolute
    and never climbs out (no zip-slip archive made by the app itself).
    """
    segments = [segment for part in parts for segment in str(part).replace("\\", "/").split("/")
                if segment not in ("", ".", "..") and not re.fullmatch(r"[A-Za-z]:", segment)]
    if not segments:
        raise ValueError(f"no safe zip entry name in {parts!r}")
    return "/".join(segments)


def case_zip(case_dir: str | Path) -> bytes:
    """A case folder as a zip the CLI can analyse once unzipped: case.yaml and its documents only.

    Only case.yaml and the files it names are included, under a top folder named after the
    case id, with fixed timestamps so the same case gives the same bytes.
    """
    case = read_case(case_dir)
    root = case.root
    files = [root / CASE_FILE] + [meta.path for meta in case.documents]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in dict.fromkeys(files):
            relative = path.resolve().relative_to(root).as_posix()
            archive.writestr(zipfile.ZipInfo(zip_member(case.id, relative), date_time=(2020, 1, 1, 0, 0, 0)),
                             path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def read_uploaded_text(name: str, data: bytes) -> str:
    """The normalised text of one uploaded document (a draft), read like a case document.

    Raises:
        CaseError: too large, an unsupported type, or unreadable.
    """
    import tempfile

    from .extract import extract_text
    from .text import normalize

    _check_size(name, len(data))
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise CaseError(name, f"unsupported file type '{suffix or '(none)'}'",
                        f"upload one of {', '.join(SUPPORTED_EXTENSIONS)}")
    with tempfile.TemporaryDirectory(prefix="transparency-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"  # our own name: the uploaded one is not trusted
        path.write_bytes(data)
        try:
            return normalize(extract_text(path))
        except CaseError as error:
            raise CaseError(name, error.problem, error.fix) from None


def parse_parties(text: str) -> list[Party]:
    """Parties typed one per line as `Name | role | Alias, Other alias` (aliases optional).

    Raises:
        CaseError: a line without a name or with an unknown role (the message gives the line).
    """
    parties = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 2 or not cells[0]:
            raise CaseError(f"parties line {number}", "expected 'Name | role | aliases'",
                            "write e.g. 'CGT Covéa | union | CGT, CGT Covéa'")
        if cells[1] not in ROLES:
            raise CaseError(f"parties line {number}", f"role '{cells[1]}' is not one of {', '.join(ROLES)}",
                            "fix the role")
        aliases = tuple(a.strip() for a in (cells[2] if len(cells) > 2 else "").split(",") if a.strip())
        parties.append(Party(cells[0], cells[1], aliases))
    return parties
