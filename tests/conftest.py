"""Shared test helpers: documents and cases built in code."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.model import Case, Document, DocumentMeta, Party

REPO = Path(__file__).resolve().parent.parent
MMA = REPO / "corpora" / "mma-2020"

PARTIES = (
    Party("Acme Group", "management", ("Acme", "Acme Group")),
    Party("CGT Acme", "union", ("CGT Acme", "CGT")),
    Party("Zataz", "expert", ("Zataz",)),
)


def make_case(parties: tuple[Party, ...] = PARTIES) -> Case:
    """A case with no documents on disk, for stages that take documents in memory."""
    return Case(id="test", title="Test case", root=Path("."), documents=(), organisation="Acme", parties=parties)


def make_document(text: str, language: str = "en", kind: str = "press", date: str = "2024-03-08",
                  doc_id: str = "doc", channel: str = "public") -> Document:
    """A document in memory."""
    meta = DocumentMeta(id=doc_id, path=Path(f"{doc_id}.txt"), kind=kind, outlet="The Daily", date=date,
                        language=language, channel=channel)
    return Document(meta, text, language)


@pytest.fixture
def case() -> Case:
    return make_case()
