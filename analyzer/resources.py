"""Loads the knowledge shipped as data under `analyzer/data/`: one place, read once.

Codebook, cue lexicons, party nouns, value vocabularies and regulatory checklists are YAML
files a researcher can read and extend. Every loader here validates what it reads and
raises `CaseError` naming the file and the field when something is off, so a bad edit to
a lexicon gives one clear line, not a traceback deep inside a stage.
"""
from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from .errors import CaseError

DATA_PACKAGE = "analyzer.data"


def data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``data_path("codebook.yaml")``."""
    return Path(str(importlib_resources.files(DATA_PACKAGE).joinpath(name)))


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Parse a shipped YAML file once per process.

    Args:
        name: path relative to `analyzer/data/`, e.g. ``"lexicons/fr.yaml"``.

    Returns:
        The parsed document (treat it as read-only: it is shared).
    """
    path = data_path(name)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise CaseError(path, "shipped data file is missing", "reinstall the package") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise CaseError(where, f"invalid YAML ({getattr(error, 'problem', error)})",
                        "fix the data file") from None
