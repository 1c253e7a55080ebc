"""Limits on untrusted input, read once from `analyzer/data/limits.yaml`.

Every limit is a size, a length or a count past which a file is refused with a one-line
`CaseError` (what the README's "Robustness" section lists). A YAML file named by the
environment variable TRANSPARENCY_LIMITS overrides some of them; being in the environment, it
reaches the worker processes of a batch and of dask too.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import BinaryIO

import yaml

from .errors import CaseError
from .resources import data_path, load_yaml

__all__ = ["ENVIRONMENT", "Limits", "limits", "read_capped"]

ENVIRONMENT = "TRANSPARENCY_LIMITS"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """The limits of analyzer/data/limits.yaml (see its comments for each one)."""

    file_bytes: int
    upload_bytes: int
    upload_documents: int
    zip_bytes: int
    entry_bytes: int
    document_characters: int
    line_characters: int


@functools.lru_cache(maxsize=None)
def _limits(override: str) -> Limits:
    """The shipped limits, with those of the file `override` (a path, or "") put over them."""
    values = dict(load_yaml("limits.yaml"))
    where = str(data_path("limits.yaml"))
    if override:
        where = override
        try:
            values.update(yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError, ValueError, TypeError) as error:
            raise CaseError(override, f"cannot read the limits file ({' '.join(str(error).split())})",
                            f"fix it or unset {ENVIRONMENT}") from None
    names = {field.name for field in fields(Limits)}
    unknown = set(values) - names
    if unknown:
        raise CaseError(where, f"unknown limit {sorted(unknown)[0]!r}", f"use only {', '.join(sorted(names))}")
    for name in names:
        if not isinstance(values.get(name), int) or isinstance(values.get(name), bool) or values[name] < 1:
            raise CaseError(where, f"{name}: {values.get(name)!r} is not a whole number of at least 1",
                            "give a positive whole number")
    return Limits(**values)


def limits() -> Limits:
    """The limits in force: analyzer/data/limits.yaml, overridden by the file named in TRANSPARENCY_LIMITS."""
    return _limits(os.environ.get(ENVIRONMENT, ""))


def read_capped(stream: BinaryIO, cap: int, where: str | Path, what: str, fix: str, keep: bool = True) -> bytes | int:
    """Read a stream to its end, refusing it as soon as more than `cap` bytes have come out.

    Counted while reading (and so while inflating a zip entry), never from a declared size:
    a bomb costs at most `cap` bytes of memory and the time to inflate them.

    Returns:
        The bytes read, or only their number when not `keep`.

    Raises:
        CaseError: the stream holds more than `cap` bytes ("`what` expands to more than ...").
    """
    parts, size = [], 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > cap:
            raise CaseError(where, f"{what} expands to more than {mebibytes(cap)}", fix)
        if keep:
            parts.append(chunk)
    return b"".join(parts) if keep else size


def mebibytes(size: int) -> str:
    """A byte count as MB for messages ("50 MB")."""
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size:,} bytes"
