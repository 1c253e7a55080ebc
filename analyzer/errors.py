"""The one error type a user sees: what is wrong, where, and what to do about it."""
from __future__ import annotations

from pathlib import Path


class CaseError(Exception):
    """A user mistake in a case or a command line, reported as one line, exit status 2.

    Args:
        where: the file (and, when known, ":LINE" or the field) the problem is in.
        problem: what is wrong, in a few words.
        fix: what the user should do about it.
    """

    def __init__(self, where: str | Path, problem: str, fix: str = ""):
        self.where = str(where)
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __reduce__(self):
        # Rebuilt from its three parts, so it crosses process boundaries (batch, dask) intact.
        return (CaseError, (self.where, self.problem, self.fix))

    def __str__(self) -> str:
        message = f"{self.where}: {self.problem}"
        return f"{message}; {self.fix}" if self.fix else message
