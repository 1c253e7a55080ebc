"""The domain objects that flow between pipeline stages.

Every stage takes and returns these plain, immutable values (or DataFrames built from
them by `analyzer.tables`), so each stage can be called and tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class _Pickled:
    """Pickled as its class and field values, and so rebuilt by a call to the class.

    A batch sends hundreds of thousands of these between processes; the default pickle (one
    attribute dict per object) takes twice as long to load.
    """

    def __reduce__(self):
        return type(self), tuple(map(self.__dict__.__getitem__, self.__dataclass_fields__))

ROLES = ("management", "union", "press", "expert", "authority", "other")
"""Who can be the source of a statement (see the codebook)."""

CHANNELS = ("public", "internal", "unknown")
"""Whom a statement was addressed to: the public, staff (or their representatives), or not known."""

POLARITIES = ("affirmed", "negated", "not_observed", "withheld")
"""How a statement answers a fact's question.

affirmed: it happened / here is the value. negated: it did not happen ("the ransom was not
paid"). not_observed: no sign of it was found ("no data leak has been observed").
withheld: the text states that the answer is kept back ("the amount has not been disclosed").
"""


@dataclass(frozen=True)
class Party(_Pickled):
    """A voice in the case, as declared in case.yaml."""

    name: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentMeta(_Pickled):
    """A document's entry in case.yaml; `path` is resolved against the case folder."""

    id: str
    path: Path
    kind: str
    outlet: str = ""
    date: str = ""  # "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    language: str = ""  # "" means: detect it
    url: str = ""
    title: str = ""
    channel: str = "public"  # "internal" for a memo to staff, an intranet notice, a CSE report


@dataclass(frozen=True)
class Case(_Pickled):
    """A crisis: its metadata, its parties and its documents (text not yet read)."""

    id: str
    title: str
    root: Path
    documents: tuple[DocumentMeta, ...]
    organisation: str = ""
    parties: tuple[Party, ...] = ()
    first_year: int | None = None  # of its earliest dated document; kept when a chunk's task drops the documents

    def earliest_year(self) -> int | None:
        """The year of its earliest dated document: `first_year`, else worked out from `documents`."""
        if self.first_year is not None:
            return self.first_year
        years = [int(meta.date[:4]) for meta in self.documents if meta.date[:4].isdigit()]
        return min(years) if years else None


@dataclass(frozen=True)
class Document(_Pickled):
    """A document's metadata with its extracted, normalised text and its language."""

    meta: DocumentMeta
    text: str
    language: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence(_Pickled):
    """A sentence of a document; `start`/`end` are character offsets in the document text."""

    doc_id: str
    id: int  # 1-based, in reading order
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Statement(_Pickled):
    """A span of text with one source: a clause, a sentence or a quotation over sentences.

    A clause credited to two sources ("according to Zataz and a union source, ...") gives
    two statements with the same text, one per source.
    """

    doc_id: str
    id: int  # 1-based, in reading order
    sentence_ids: tuple[int, ...]
    source_role: str
    source_name: str
    channel: str
    text: str
    start: int  # offsets in the document text
    end: int
    cue: str = ""  # the words that attribute it ("la direction assure"), empty for narration


@dataclass(frozen=True)
class Mention(_Pickled):
    """One fact disclosed by one statement, found in one sentence."""

    doc_id: str
    sentence_id: int
    statement_id: int
    fact: str
    source_role: str
    source_name: str
    channel: str
    polarity: str
    value: str
    cue: str
    start: int  # offsets of the cue in the sentence text
    end: int
    sentence: str
    specific: bool = False  # the value is concrete: a figure, a date, a name, a precise category
    hedged: bool = False  # the wording is provisional or conditional ("would have", "for now")


@dataclass(frozen=True)
class DocumentAnalysis(_Pickled):
    """What the pipeline learnt from one document."""

    document: Document
    sentences: tuple[Sentence, ...]
    statements: tuple[Statement, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class CaseAnalysis(_Pickled):
    """What the pipeline learnt from a case, document by document, in case order."""

    case: Case
    documents: tuple[DocumentAnalysis, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()
