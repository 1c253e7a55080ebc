"""The one place that runs the stages: read → segment → attribute → detect facts → tables.

The CLI, the dashboard and notebooks call these functions, never the stages' internals.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import collector, tables
from .attribute import attribute
from .case import read_case, read_document
from .facts import detect_facts
from .model import Case, CaseAnalysis, Document, DocumentAnalysis, DocumentMeta
from .resources import LEXICON_LANGUAGES
from .scores import score_tables
from .segment import split_sentences
from .similarity import echoes_table, framing_table, similarity_table


def analyze_document(meta: DocumentMeta, case: Case) -> DocumentAnalysis:
    """Read one document and run every stage on it.

    Args:
        meta: the document's entry in the case.
        case: the case (parties and aliases drive attribution).

    Returns:
        Its sentences, statements and mentions.
    """
    document = read_document(meta)
    sentences = split_sentences(document)
    statements = attribute(document, sentences, case)
    mentions = detect_facts(document, sentences, statements, case)
    return DocumentAnalysis(document, sentences, statements, mentions)


_WARM_UP_TEXT = "Le 27 juillet 2020, 3 000 salariés. On 27 July 2020, 3,000 employees."


def warm_up() -> None:
    """Load and compile every lexicon language's resources now: lexicons, codebook, cue searches.

    They are otherwise built on first use. Worker processes forked afterwards inherit them
    instead of each building them again (a quarter of a second per process).
    """
    case = Case("warm-up", "", Path("."), ())
    for language in LEXICON_LANGUAGES:
        document = Document(DocumentMeta("warm-up", Path("warm-up.txt"), "press"), _WARM_UP_TEXT, language)
        sentences = split_sentences(document)
        detect_facts(document, sentences, attribute(document, sentences, case), case)


def analyze(case: Case, progress: Callable[[int], object] | None = None) -> CaseAnalysis:
    """Analyse every document of a case, in case order; `progress(1)` is called after each document."""
    with collector.paused():
        documents = []
        for meta in case.documents:
            documents.append(analyze_document(meta, case))
            if progress is not None:
                progress(1)
        documents = tuple(documents)
    warnings = tuple(w for d in documents for w in d.document.warnings)
    return CaseAnalysis(case, documents, warnings)


@dataclass
class CaseResult:
    """A case's analysis as tidy DataFrames (one attribute per CSV file)."""

    analysis: CaseAnalysis
    documents: pd.DataFrame
    statements: pd.DataFrame
    mentions: pd.DataFrame
    disclosures: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def case(self) -> Case:
        return self.analysis.case

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.analysis.warnings

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file name (without .csv), in export order."""
        return {"documents": self.documents, "statements": self.statements, "mentions": self.mentions,
                "disclosures": self.disclosures, **self.extra}


def scored_tables(analysis: CaseAnalysis) -> dict[str, pd.DataFrame]:
    """The engine's tables and the scores, by file name, in export order (all but the similarities)."""
    mentions = tables.mentions_table(analysis)
    disclosures, scores = score_tables(analysis, mentions, tables.disclosures_table(analysis))
    return {"documents": tables.documents_table(analysis), "statements": tables.statements_table(analysis),
            "mentions": mentions, "disclosures": disclosures, **scores}


SIMILARITY_TABLES = {"similarity": similarity_table, "echoes": echoes_table, "framing": framing_table}


def similarity_tables(analysis: CaseAnalysis, names=tuple(SIMILARITY_TABLES)) -> dict[str, pd.DataFrame]:
    """The similarity tables (all of them, or those named), by file name, in export order."""
    found = {}
    for name, build in SIMILARITY_TABLES.items():
        if name in names:
            frame = build(analysis)
            if "case_id" not in frame.columns:
                frame.insert(0, "case_id", analysis.case.id)
            found[name] = frame
    return found


@collector.paused()
def result_of(analysis: CaseAnalysis) -> CaseResult:
    """Build every table of an analysed case: the engine's, the scores and the similarities."""
    scored = scored_tables(analysis)
    engine = [scored.pop(name) for name in ("documents", "statements", "mentions", "disclosures")]
    return CaseResult(analysis, *engine, extra={**scored, **similarity_tables(analysis)})


def analyze_case(path: str | Path) -> CaseResult:
    """Analyse the case in a folder (or a case.yaml file) and return its tables.

    Args:
        path: a case folder holding case.yaml, or the case.yaml itself.

    Returns:
        A CaseResult with `documents`, `statements`, `mentions` and `disclosures` DataFrames.

    Raises:
        CaseError: the case is malformed (the message names the file, the field and the fix).
    """
    return result_of(analyze(read_case(path)))


def write_result(result: CaseResult, out_dir: str | Path) -> list[Path]:
    """Write every table of a result as CSV into `out_dir`, all files at once (see `tables.write_tables`).

    Raises:
        CaseError: `out_dir` holds files the analyzer did not write, or cannot be written.
    """
    return tables.write_tables(result.tables, out_dir, result.case.id)
