"""The one place that runs the stages: read → segment → attribute → detect facts → tables.

The CLI, the dashboard and notebooks call these functions, never the stages' internals.
The stages are imported by the functions that run them: NLTK pulls in scikit-learn and
SciPy (about 2 s), which `from analyzer import CaseResult` or `analyzer.write_result` need not wait for.
"""
from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import collector, frames, schema, tables
from .model import Case, CaseAnalysis, Document, DocumentAnalysis, DocumentMeta


def analyze_document(meta: DocumentMeta, case: Case) -> DocumentAnalysis:
    """Read one document and run every stage on it.

    Args:
        meta: the document's entry in the case.
        case: the case (parties and aliases drive attribution).

    Returns:
        Its sentences, statements and mentions.
    """
    from .case import read_document

    document = read_document(meta)  # first: a document refused (too large, a bomb) waits for no NLP import
    from .attribute import attribute
    from .facts import detect_facts
    from .segment import split_sentences

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
    from .attribute import attribute
    from .facts import detect_facts
    from .resources import LEXICON_LANGUAGES
    from .segment import split_sentences

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


ENGINE_TABLES = ("documents", "statements", "mentions", "disclosures")
"""The tables given to CaseResult one by one; the others come in its `extra` mapping."""


@dataclass(eq=False, repr=False)
class CaseResult:
    """A case's analysis: one DataFrame attribute per CSV file of `transparency analyze`.

    Attributes:
        documents, statements, mentions, disclosures, scores, contradictions, timeline,
            regulatory, similarity, echoes, framing: the tables, in export order, in their
            notebook form (`analyzer.frames.typed`): roles, kinds, statuses, polarities,
            channels (and other fixed sets of values) as categoricals; multi-valued cells as
            lists; every date column keeps its text and gains a `*_day` datetime (NaT when
            partial or unknown); an empty table keeps its types.
        tables: every table as written to CSV (text cells, lists joined by ' | '), by file name.
        frames: every table in its notebook form, by file name.
        case, warnings, analysis: the case read, the warnings of its documents, the engine's output.
        extra: deprecated; the tables after `disclosures` as written to CSV, by file name (use
            the attributes, or `tables`).

    The tables are stored in their CSV form and converted on first access: writing a result
    never depends on its notebook form.
    """

    analysis: CaseAnalysis
    documents: pd.DataFrame
    statements: pd.DataFrame
    mentions: pd.DataFrame
    disclosures: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.extra = {name: frames.export(frame, name) for name, frame in self.extra.items()}

    @property
    def case(self) -> Case:
        return self.analysis.case

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.analysis.warnings

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file name (without .csv), in export order, as written to CSV.

        A table read as an attribute is exported from that attribute, so what a notebook
        changed in it is what `write_result` writes and `render_report` shows.
        """
        cache = self.__dict__.get("_typed_cache", {})
        found = {}
        for name in (*ENGINE_TABLES, *self.extra):
            source, cached = self._source(name), cache.get(name)
            found[name] = frames.export(cached[1], name) if cached and cached[0] is source else source
        return found

    def _source(self, name: str) -> pd.DataFrame | None:
        """A table as stored (CSV form); None when the result has no such table."""
        return self.__dict__["_csv"][name] if name in ENGINE_TABLES else self.extra.get(name)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table by file name (without .csv), in export order, in its notebook form."""
        return {name: self._typed(name) for name in (*ENGINE_TABLES, *self.extra)}

    def _typed(self, name: str) -> pd.DataFrame:
        """A table in its notebook form, converted once (again if its CSV form was replaced)."""
        source = self._source(name)
        if source is None:
            source = tables.typed_frame([], name)
        cache = self.__dict__.setdefault("_typed_cache", {})
        cached = cache.get(name)
        if cached is None or cached[0] is not source:
            cached = cache[name] = (source, frames.typed(source, name))
        return cached[1]

    def __repr__(self) -> str:
        lines = [f"<CaseResult {self.case.id}: {len(self.warnings)} warnings>"]
        width = max(len(name) for name in schema.TABLES)
        lines += [f"  {name:<{width}}  {len(self._source(name)):>7,} rows" for name in (*ENGINE_TABLES, *self.extra)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td><code>{name}</code></td><td style='text-align:right'>{len(frame):,}</td>"
                       f"<td>{len(frame.columns)}</td></tr>" for name, frame in self.tables.items())
        return (f"<div><strong>{html.escape(self.case.title or self.case.id)}</strong> "
                f"(<code>{html.escape(self.case.id)}</code>): {len(self.documents):,} documents, "
                f"{len(self.warnings)} warnings<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr>"
                f"</thead><tbody>{rows}</tbody></table></div>")


def _engine_table(name: str) -> property:
    """An engine table's attribute: stored in CSV form when set, read in its notebook form."""

    def get(self: CaseResult) -> pd.DataFrame:
        return self._typed(name)

    def set_(self: CaseResult, frame: pd.DataFrame) -> None:
        self.__dict__.setdefault("_csv", {})[name] = frames.export(frame, name)

    return property(get, set_, doc=f"The {name} table ({name}.csv), in its notebook form.")


def _extra_table(name: str) -> property:
    """A scores or similarity table's attribute, read in its notebook form."""
    return property(lambda self: self._typed(name), doc=f"The {name} table ({name}.csv), in its notebook form.")


# After @dataclass: its __init__ and dataclasses.replace go through these properties.
for _name in ENGINE_TABLES:
    setattr(CaseResult, _name, _engine_table(_name))
for _name in schema.TABLES:
    if _name not in ENGINE_TABLES:
        setattr(CaseResult, _name, _extra_table(_name))


def scored_tables(analysis: CaseAnalysis) -> dict[str, pd.DataFrame]:
    """The engine's tables and the scores, by file name, in export order (all but the similarities)."""
    from .scores import score_tables

    mentions = tables.mentions_table(analysis)
    disclosures, scores = score_tables(analysis, mentions, tables.disclosures_table(analysis))
    return {"documents": tables.documents_table(analysis), "statements": tables.statements_table(analysis),
            "mentions": mentions, "disclosures": disclosures, **scores}


SIMILARITY_TABLES = {"similarity": "similarity_table", "echoes": "echoes_table", "framing": "framing_table"}
"""Table name -> the function of `analyzer.similarity` that builds it."""


def similarity_tables(analysis: CaseAnalysis, names=tuple(SIMILARITY_TABLES)) -> dict[str, pd.DataFrame]:
    """The similarity tables (all of them, or those named), by file name, in export order."""
    similarity = importlib.import_module(".similarity", __package__)
    found = {}
    for name, function in SIMILARITY_TABLES.items():
        if name in names:
            frame = getattr(similarity, function)(analysis)
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
        A CaseResult: one DataFrame attribute per CSV file (`documents`, `statements`,
        `mentions`, `disclosures`, `scores`, `contradictions`, `timeline`, `regulatory`,
        `similarity`, `echoes`, `framing`), typed for analysis (see `CaseResult`).

    Raises:
        CaseError: the case is malformed (the message names the file, the field and the fix).
    """
    from .case import read_case

    return result_of(analyze(read_case(path)))


def write_result(result: CaseResult, out_dir: str | Path) -> list[Path]:
    """Write every table of a result as CSV into `out_dir`, all files at once (see `tables.write_tables`).

    Raises:
        CaseError: `out_dir` holds files the analyzer did not write, or cannot be written.
    """
    return tables.write_tables(result.tables, out_dir, result.case.id)
