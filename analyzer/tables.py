"""Tidy tables from an analysed case, and their CSV export.

Every table has a fixed column order and a fixed row order, so the same case always gives
byte-identical CSV files. Files are written to a temporary name and renamed into place, so
a reader never sees half a file. Cells that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return) are prefixed with an apostrophe.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from . import schema
from .disclosure import build_disclosures
from .errors import CaseError
from .model import CaseAnalysis

_UMASK = os.umask(0)
os.umask(_UMASK)
LIST_SEPARATOR = " | "  # between items of a list in one cell (values, evidence sentences)

# The engine's columns, in schema order (analyzer/schema.py defines every column once); the
# scores stage adds the disclosure columns after `channels`.
COLUMNS = {name: schema.columns(name) for name in ("documents", "statements", "mentions")}
COLUMNS["disclosures"] = schema.columns("disclosures")[:schema.columns("disclosures").index("channels") + 1]


def typed_frame(rows: list[dict], name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A DataFrame of a schema table's columns (or the first of them) in order.

    Without rows its columns keep their schema types: a boolean filter on an empty frame
    with object columns selects columns instead of rows, and every later step loses them.
    """
    columns = columns or schema.columns(name)
    frame = pd.DataFrame(rows, columns=columns)
    if not rows:
        types = schema.dtypes(name)
        frame = frame.astype({column: types[column] for column in columns})
    return frame


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    """A DataFrame with the engine table's columns in order, also when there are no rows."""
    return typed_frame(rows, name, COLUMNS[name])


def documents_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """One row per document, in case order."""
    case_id = analysis.case.id
    return _frame([{
        "case_id": case_id, "doc_id": d.document.meta.id, "kind": d.document.meta.kind,
        "outlet": d.document.meta.outlet, "date": d.document.meta.date, "language": d.document.language,
        "n_sentences": len(d.sentences), "n_statements": len(d.statements), "title": d.document.meta.title,
        "url": d.document.meta.url, "channel": d.document.meta.channel,
    } for d in analysis.documents], "documents")


def statements_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """One row per statement, in reading order."""
    case_id = analysis.case.id
    return _frame([{
        "case_id": case_id, "doc_id": s.doc_id, "statement_id": s.id,
        "sentence_ids": ";".join(map(str, s.sentence_ids)), "source_role": s.source_role,
        "source_name": s.source_name, "channel": s.channel, "text": s.text, "cue": s.cue,
    } for d in analysis.documents for s in d.statements], "statements")


def mentions_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """One row per (sentence, statement, fact), in reading order."""
    case_id = analysis.case.id
    return _frame([{
        "case_id": case_id, "doc_id": m.doc_id, "sentence_id": m.sentence_id, "statement_id": m.statement_id,
        "fact": m.fact, "source_role": m.source_role, "source_name": m.source_name, "channel": m.channel,
        "polarity": m.polarity, "value": m.value, "cue": m.cue, "start": m.start, "end": m.end,
        "sentence": m.sentence, "specific": m.specific, "hedged": m.hedged,
    } for d in analysis.documents for m in d.mentions], "mentions")


def disclosures_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """Every party × every fact."""
    case_id = analysis.case.id
    return _frame([{
        "case_id": case_id, "party": c.party, "role": c.role, "fact": c.fact, "disclosed": c.disclosed,
        "n_mentions": c.n_mentions, "first_date": c.first_date, "first_doc_id": c.first_doc_id,
        "values": LIST_SEPARATOR.join(c.values), "evidence": LIST_SEPARATOR.join(c.evidence),
        "polarities": LIST_SEPARATOR.join(c.polarities), "channels": LIST_SEPARATOR.join(c.channels),
    } for c in build_disclosures(analysis)], "disclosures")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_VECTORISED_ROWS = 2_000  # from this many cells, one vectorised startswith beats a Python pass


def neutralize(value: object) -> object:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cells(column: pd.Series) -> list:
    """A column's CSV cells: booleans as true/false, missing values empty, text neutralised.

    Numbers stay numbers: the csv module writes them as Python does (floats by repr, the
    shortest text that reads back as the same float).
    """
    if column.dtype == bool:
        return ["true" if value else "false" for value in column.tolist()]
    values = column.astype(object).where(column.notna(), None).tolist() if column.hasnans else column.tolist()
    if pd.api.types.is_string_dtype(column.dtype) and len(values) < _VECTORISED_ROWS:
        values = [neutralize(value) for value in values]  # cheaper than a vectorised call on a short column
    elif pd.api.types.is_string_dtype(column.dtype):  # one vectorised test, then the few risky cells
        for row in np.flatnonzero(column.str.startswith(_FORMULA_STARTS, na=False).to_numpy()):
            values[row] = "'" + values[row]
    elif column.dtype == object:  # mixed values
        values = [neutralize(value) for value in values]
    return values


def to_csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text: UTF-8, \\n line ends, minimal quoting, booleans as true/false, formulas neutralised."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(zip(*(_cells(frame[column]) for column in frame.columns)))
    return stream.getvalue()


def prepare_output(out_dir: str | Path) -> Path:
    """Check that an output folder can be written (created if missing); CaseError otherwise.

    Leftovers of our runs that were killed (STAGING folders and files) are removed.
    """
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise CaseError(path, "the output path is a file", "give a folder with --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CaseError(path, f"cannot create the output folder ({error.strerror})",
                        "choose a folder you can write to") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise CaseError(path, "the output folder is not writable", "choose a folder you can write to")
    clean_stale(path)
    return path


# --- Writing without harm: what we did not write is never replaced ------------------------

STAGING = ".transparency-staging-"
"""Prefix of what a run writes aside before renaming it into place: STAGING<pid>-<name>-<random>."""
_PACKAGE_TITLE = "Crisis communication transparency analysis"


def is_our_output(folder: Path) -> bool:
    """Whether a folder is one we wrote: our datapackage.json (by its title), no case.yaml, only files.

    We recognise our own `datapackage.json` rather than adding a marker file, so that the
    output stays the twelve files it has always been.
    """
    if (folder / "case.yaml").exists() or not is_our_package(folder / "datapackage.json"):
        return False
    return all(child.is_file() and not child.is_symlink() for child in folder.iterdir())


def is_our_package(path: Path) -> bool:
    """Whether a file is a datapackage.json we wrote (by its title)."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        title = json.loads(path.read_text(encoding="utf-8")).get("title", "")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(title, str) and title.startswith(_PACKAGE_TITLE)


def check_replaceable(target: Path) -> None:
    """CaseError unless `target` is absent, an empty folder, or a folder of ours (`is_our_output`)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise CaseError(target, "exists and is not a folder of ours", "remove it or choose another --out")
    try:
        foreign = target.is_dir() and any(target.iterdir()) and not is_our_output(target)
    except FileNotFoundError:
        return  # another run moved it aside meanwhile: absent now
    if foreign:
        raise CaseError(target, "holds files the analyzer did not write (no datapackage.json of ours, or a "
                        "case.yaml)", "choose another --out, or empty the folder yourself")


def check_output(out: Path, inputs: list[Path]) -> None:
    """CaseError if the output folder is, or holds, a case folder or an input file.

    Args:
        out: the output folder (existing or not).
        inputs: the case folders and documents read (absolute paths are taken as resolved).
    """
    where = str(out.resolve())
    inside = where.rstrip(os.sep) + os.sep
    for path in inputs:
        text = os.path.normpath(path if path.is_absolute() else path.resolve())  # a string test: cheap for
        if text == where or text.startswith(inside):  # thousands of documents
            raise CaseError(out, f"the output folder holds the input {text}",
                            "give --out a folder outside the cases (e.g. out/)")


def _pid_alive(pid: int) -> bool:
    """Whether a process of this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path) -> None:
    """Remove the STAGING folders and files left in `folder` by runs whose process is gone."""
    try:
        children = [child for child in folder.iterdir() if child.name.startswith(STAGING)]
    except OSError:
        return
    for child in children:
        pid = child.name[len(STAGING):].split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _pid_alive(int(pid))):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


_LIVE: dict[str, str | None] = {}
"""What this process is writing aside now: staging path -> the target its "previous" folder belongs back to."""


def remove_live_staging() -> None:
    """Undo the writes in progress (for SIGTERM, which ends the process at once): the staging
    files and folders go, and a previous output moved aside goes back in place."""
    for path, target in list(_LIVE.items()):
        previous = Path(path) / "previous"
        if target is not None and previous.is_dir() and not os.path.lexists(target):
            os.replace(previous, target)
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            Path(path).unlink(missing_ok=True)
        _LIVE.pop(path, None)


def _staging_name(name: str) -> str:
    """The prefix of a staging file or folder for `name` written by this process."""
    return f"{STAGING}{os.getpid()}-{name[:60]}-"


def write_folder(target: Path, files: dict[str, str]) -> Path:
    """Write files as a folder that appears complete or not at all, replacing only a folder of ours.

    The files are written into a staging folder beside `target`, which is then renamed into
    place (the previous folder of ours is renamed aside first, then removed).

    Raises:
        CaseError: `target` holds what we did not write (see `check_replaceable`), or cannot be written.
    """
    target = Path(target)
    parent = target.resolve().parent
    check_replaceable(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=_staging_name(target.name), dir=parent))
    except OSError as error:
        raise _unwritable(parent, error) from None
    _LIVE[str(staging)] = None
    old = None
    try:
        for name, text in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        os.chmod(staging, 0o777 & ~_UMASK)
        check_replaceable(target)  # again: another run may have written meanwhile
        if target.is_dir() and any(target.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=_staging_name(target.name), dir=parent))
            _LIVE[str(old)] = str(target)
            os.replace(target, old / "previous")
        try:
            os.replace(staging, target)
        except BaseException:
            if old is not None and (old / "previous").exists() and not target.exists():
                os.replace(old / "previous", target)  # the previous output back, whole
            raise
    except OSError as error:
        raise _unwritable(target, error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _LIVE.pop(str(staging), None)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            _LIVE.pop(str(old), None)
    return target


def _unwritable(path: Path, error: OSError) -> CaseError:
    """The one-line error for an output that cannot be written."""
    return CaseError(path, f"cannot write the output ({error.strerror or error})",
                     "choose a folder you can write to")


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text stream to `path` through a temporary sibling renamed at the end: all of it or none.

    Raises:
        CaseError: the folder cannot be written.
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=_staging_name(path.name), dir=path.parent)
    except OSError as error:
        raise _unwritable(path, error) from None
    _LIVE[temporary] = None
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; a CSV is as readable as any file
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _unwritable(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        _LIVE.pop(temporary, None)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary sibling and a rename: readers see all of it or none."""
    with atomic_writer(path) as stream:
        stream.write(text)


def render_files(tables: dict[str, pd.DataFrame], case_id: str = "", package: bool = True) -> dict[str, str]:
    """File name -> text: NAME.csv per table (columns in schema order), then datapackage.json unless not `package`."""
    texts = {f"{name}.csv": to_csv_text(frame[schema.columns(name)]) for name, frame in tables.items()}
    if package:
        texts["datapackage.json"] = schema.datapackage_json(list(tables), case_id)
    return texts


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, case_id: str = "") -> list[Path]:
    """Write tables as NAME.csv in `out_dir`, and their datapackage.json, all at once (`write_folder`).

    Args:
        tables: table name -> DataFrame (names of analyzer/schema.py; columns put in schema order).
        out_dir: the folder: absent, empty, or a previous output of ours (never another folder).
        case_id: named in the data package's title.

    Returns:
        The paths written, in `tables` order, then datapackage.json.

    Raises:
        CaseError: `out_dir` holds files we did not write, or cannot be written.
    """
    texts = render_files(tables, case_id)  # all rendered before any write
    folder = Path(out_dir)
    if folder.parent != folder:
        prepare_output(folder.resolve().parent)
    write_folder(folder, texts)
    return [folder / name for name in texts]
