"""Serving the dashboard: start Streamlit on a case, keep cases in memory, shape tables for pages.

The dashboard (`dashboard/`) only renders. Everything a page shows is built here from a
`CaseResult`, so a notebook gets the same frames:

    >>> from analyzer import analyze_case, serve
    >>> serve.matrix_frame(analyze_case("corpora/mma-2020")).query("status == 'omitted'")
"""
from __future__ import annotations

import functools
import html
import io
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from .case import read_case
from .errors import CaseError
from .limits import limits
from .pipeline import CaseResult, analyze_case, write_result
from .resources import codebook
from .scores import disclosure_status
from .upload import zip_member

__all__ = ["STATUSES", "bundled_case_dir", "dashboard_command", "error_line", "escape_markdown", "evidence_frame",
           "export_files", "export_zip", "fact_labels", "has_text", "highlight", "load_result", "matrix_frame",
           "regulatory_checklist", "resolve_case_dir", "run_dashboard", "scorecard", "similarity_frames",
           "status_counts", "party_summary", "cell_status", "max_upload_mb", "DEFAULT_ADDRESS",
           "timeline_frame", "zip_member"]

BUNDLED_CASE = "mma-2020"
"""The case the dashboard opens when none is given (shipped under corpora/)."""

STATUSES = ("disclosed", "exclusive", "internal only", "contradicted", "omitted", "unknown")
"""A matrix cell's status, in legend order (see `matrix_frame` for what each one means)."""

DEFAULT_ADDRESS = "127.0.0.1"
"""Where the dashboard listens unless told otherwise: this machine only, not the network."""


def max_upload_mb() -> int:
    """Streamlit's cap on one uploaded file (server.maxUploadSize, in MiB): the upload_bytes limit
    of analyzer/data/limits.yaml, which upload.py enforces again on the bytes received."""
    return max(1, limits().upload_bytes // 2**20)


def bundled_case_dir() -> Path | None:
    """The bundled MMA case: next to the package in a checkout, else under the working folder."""
    for root in (Path(__file__).resolve().parents[1], Path.cwd()):
        candidate = root / "corpora" / BUNDLED_CASE
        if (candidate / "case.yaml").is_file():
            return candidate
    return None


def resolve_case_dir(case_dir: str | Path | None) -> Path:
    """The case folder to open, checked by reading its case.yaml (cheap: no document is read).

    Args:
        case_dir: a case folder or case.yaml; None for the bundled MMA case.

    Returns:
        The resolved path.

    Raises:
        CaseError: no case given and the bundled one is missing, or the case is malformed.
    """
    if case_dir is None:
        bundled = bundled_case_dir()
        if bundled is None:
            raise CaseError(f"corpora/{BUNDLED_CASE}", "the bundled case is not found",
                            "give a case folder: transparency dashboard CASE_DIR")
        case_dir = bundled
    path = Path(case_dir).resolve()
    read_case(path)
    return path


def dashboard_command(case_dir: Path, port: int, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command that serves the dashboard on `case_dir`, headless (no browser, no telemetry).

    It runs `streamlit run <installed dashboard/app.py> ... -- CASE_DIR` in this interpreter,
    through `python -m analyzer.serve`, which loads the case first: Streamlit answers its
    health check only once the case is in memory, so the first page shows at once. An error
    no page catches shows its type only: its message and traceback (server paths) go to the
    server's log, not to the browser. It listens on `address` only (this machine by default).
    """
    import dashboard

    app = Path(dashboard.__file__).resolve().parent / "app.py"
    return [sys.executable, "-m", "analyzer.serve", "run", str(app),
            "--server.headless", "true", "--server.port", str(port), "--server.address", address,
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.maxUploadSize", str(max_upload_mb()), "--client.toolbarMode", "viewer",
            "--client.showErrorDetails", "type", "--", str(case_dir)]


def run_dashboard(case_dir: str | None, port: int, address: str = DEFAULT_ADDRESS) -> int:
    """Serve the dashboard on a case until the server stops (Ctrl-C stops it too).

    Args:
        case_dir: the case folder; None for the bundled MMA case.
        port: the HTTP port.
        address: the interface to listen on: 127.0.0.1 (this machine) unless the network
            must reach it ("0.0.0.0").

    Returns:
        The server's exit status (0 after Ctrl-C).

    Raises:
        CaseError: the case cannot be found or is malformed (before anything is started).
    """
    command = dashboard_command(resolve_case_dir(case_dir), port, address)
    server = subprocess.Popen(command)
    # Stopped with SIGTERM (a test, a service manager), stop the server too rather than orphan it.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.kill()


def _interrupt(signum: int, frame: object) -> None:
    """A signal handler that stops like Ctrl-C."""
    raise KeyboardInterrupt


@functools.lru_cache(maxsize=8)
def load_result(case_dir: str) -> CaseResult:
    """Analyse a case once per process (the dashboard and its warm-up share this cache)."""
    return analyze_case(case_dir)


def fact_labels() -> dict[str, str]:
    """Fact id -> its plain-language label, in codebook order."""
    return {fact.id: fact.label for fact in codebook().facts}


def _mentions_with_documents(result: CaseResult) -> pd.DataFrame:
    """Mentions joined with their document's date, language, outlet and kind."""
    documents = result.documents[["doc_id", "date", "language", "outlet", "kind"]]
    return result.mentions.merge(documents, on="doc_id", how="left")


def filter_mentions(result: CaseResult, channels: list[str] | None = None,
                    languages: list[str] | None = None,
                    dates: tuple[str, str] | None = None) -> pd.DataFrame:
    """The case's mentions kept by the filters (None keeps all).

    Args:
        result: the analysed case.
        channels: statement channels to keep (public, internal, unknown).
        languages: document languages to keep.
        dates: (first, last) ISO dates, inclusive; undated documents are always kept, since
            leaving them out would silently drop their facts.

    Returns:
        The mentions with the document's date, language, outlet and kind.
    """
    mentions = _mentions_with_documents(result)
    keep = pd.Series(True, index=mentions.index)
    if channels is not None:
        keep &= mentions["channel"].isin(channels)
    if languages is not None:
        keep &= mentions["language"].isin(languages)
    if dates is not None:
        first, last = dates
        dated = mentions["date"].fillna("") != ""
        # A partial date ("2020-07") compares as its first day's prefix, so it stays in range.
        in_range = (mentions["date"] >= first[:len("YYYY-MM-DD")]) & (mentions["date"].str[:len(last)] <= last)
        keep &= ~dated | in_range
    return mentions[keep].reset_index(drop=True)


def _kept_contradictions(result: CaseResult, mentions: pd.DataFrame) -> pd.DataFrame:
    """The case's contradictions whose two sides both remain among the kept mentions."""
    table = result.extra.get("contradictions")
    if table is None or table.empty:
        return pd.DataFrame(columns=["party_a", "party_b", "fact"])
    kept = set(zip(mentions["doc_id"], mentions["source_name"], mentions["fact"]))
    keep = [(a, pa, f) in kept and (b, pb, f) in kept
            for a, pa, b, pb, f in zip(table["doc_id_a"], table["party_a"], table["doc_id_b"], table["party_b"],
                                       table["fact"])]
    return table[keep]


def cell_status(status: str, contradicted: bool, internal_only: bool) -> str:
    """One matrix cell's status from the scores stage's columns (one of STATUSES).

    The scores stage's `status` (disclosed, exclusive, omitted, unknown) is kept, except that
    a disclosed cell another party contradicts is `contradicted` and a disclosed (not
    exclusive) cell told only on the internal channel is `internal only`. So the matrix's
    omitted, exclusive and contradicted cells are the scorecards' omissions, exclusives and
    contradictions; an exclusive fact told to staff only stays `exclusive`.
    """
    if status in ("omitted", "unknown"):
        return status
    if contradicted:
        return "contradicted"
    if status == "exclusive":
        return "exclusive"
    return "internal only" if internal_only else "disclosed"


def matrix_frame(result: CaseResult, channels: list[str] | None = None, languages: list[str] | None = None,
                 dates: tuple[str, str] | None = None) -> pd.DataFrame:
    """Every party × every fact with its status under the filters.

    The statuses follow the scores stage's rule (`analyzer.scores.disclosure_status`), applied
    to the mentions the filters keep: `disclosed`; `exclusive` (no other party disclosed it);
    `internal only` (every kept mention was addressed to staff); `contradicted` (another
    party answers it the other way); `omitted` (others disclosed it, this party did not);
    `unknown` (nobody disclosed it). Without filters they are the scorecards' own.

    Returns:
        Columns party, role, fact, label, status, n_mentions, values, first_date, exclusive,
        contradicted, internal_only, internal_values, in disclosures order (parties as in
        case.yaml, then other sources; facts as in the codebook).
    """
    labels = fact_labels()
    mentions = filter_mentions(result, channels, languages, dates)
    grouped = {key: group for key, group in mentions.groupby(["source_name", "fact"], sort=False)}
    rows = []
    for party, role, fact in result.disclosures[["party", "role", "fact"]].itertuples(index=False):
        group = grouped.get((party, fact))
        if group is None or group.empty:
            rows.append({"party": party, "role": role, "fact": fact, "disclosed": False, "n_mentions": 0,
                         "values": "", "first_date": "", "channels": ""})
            continue
        dated = sorted(d for d in group["date"].fillna("") if d)
        rows.append({"party": party, "role": role, "fact": fact, "disclosed": True, "n_mentions": len(group),
                     "values": " | ".join(dict.fromkeys(v for v in group["value"] if v)),
                     "first_date": dated[0] if dated else "",
                     "channels": " | ".join(sorted(set(group["channel"])))})
    cells = pd.DataFrame(rows, columns=["party", "role", "fact", "disclosed", "n_mentions", "values", "first_date",
                                        "channels"])
    cells["disclosed"] = cells["disclosed"].astype(bool)
    cells = disclosure_status(cells, _kept_contradictions(result, mentions), mentions)
    cells["label"] = [labels.get(f, f) for f in cells["fact"]]
    cells["status"] = [cell_status(s, c, i) for s, c, i in zip(cells["status"], cells["contradicted"],
                                                                cells["internal_only"])]
    return cells[["party", "role", "fact", "label", "status", "n_mentions", "values", "first_date", "exclusive",
                  "contradicted", "internal_only", "internal_values"]].reset_index(drop=True)


def status_counts(matrix: pd.DataFrame) -> dict[str, int]:
    """How many cells of a matrix have each status, in STATUSES order (zeros included)."""
    counts = matrix["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def party_summary(result: CaseResult) -> pd.DataFrame:
    """Per party, in one row: how many of the case's known facts it disclosed, and which it left out.

    Returns:
        Columns party, role, disclosed (count), known (facts disclosed by anyone in the case),
        left_out (labels of the facts others disclosed and this party did not, codebook order),
        exclusive (labels of the facts only it disclosed), internal_only (labels of the facts
        it told staff only); one row per party of the disclosures table.
    """
    matrix = matrix_frame(result)
    known = int(matrix.loc[matrix["status"] != "unknown", "fact"].nunique())
    rows = []
    for (party, role), cells in matrix.groupby(["party", "role"], sort=False):
        def labels_of(mask: pd.Series) -> list[str]:
            return list(cells.loc[mask, "label"])
        rows.append({"party": party, "role": role,
                     "disclosed": int(cells["status"].isin(["disclosed", "exclusive", "internal only",
                                                            "contradicted"]).sum()),
                     "known": known, "left_out": labels_of(cells["status"] == "omitted"),
                     "exclusive": labels_of(cells["exclusive"].astype(bool)),
                     "internal_only": labels_of(cells["internal_only"].astype(bool))})
    return pd.DataFrame(rows, columns=["party", "role", "disclosed", "known", "left_out", "exclusive",
                                       "internal_only"])


def highlight(sentence: str, start: int, end: int) -> str:
    """A sentence as safe HTML: the text escaped, the cue span (character offsets) in <mark>."""
    start = max(0, min(int(start), len(sentence)))
    end = max(start, min(int(end), len(sentence)))
    if start == end:
        return html.escape(sentence)
    return (html.escape(sentence[:start]) + "<mark>" + html.escape(sentence[start:end]) + "</mark>"
            + html.escape(sentence[end:]))


_MARKDOWN_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
_AUTOLINK_START = re.compile(r"(?<=[:@])|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"
"""An invisible character that keeps 'https:', 'a@b' and 'www.' from being turned into links."""


def escape_markdown(text: object) -> str:
    """Untrusted text made inert for whatever Streamlit renders as Markdown, shown as typed.

    Case titles, names, outlets, file names and error messages come from case.yaml, uploads or
    documents. Given to st.markdown, st.caption, st.error, a button label... they could draw a
    link, a remote image (a tracking pixel) or HTML. CommonMark lets any ASCII punctuation be
    escaped by a backslash, which the renderer drops: every such character is escaped, so no
    link, image, emphasis, HTML, heading, list, table, LaTeX or Streamlit directive can start.
    GitHub's bare-URL links ('https://...', 'www.', e-mail addresses) and ':emoji:' codes are
    found in the text after escapes are read, so a WORD_JOINER (invisible) follows every ':'
    and '@' and splits 'www.'. Line breaks become spaces: one line stays one line.
    """
    flat = _AUTOLINK_START.sub(WORD_JOINER, " ".join(str(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", flat)


def evidence_frame(result: CaseResult, party: str, fact: str, channels: list[str] | None = None,
                   languages: list[str] | None = None, dates: tuple[str, str] | None = None) -> pd.DataFrame:
    """The sentences behind one matrix cell, one row per mention, oldest document first.

    Returns:
        Columns doc_id, outlet, date, language, channel, polarity, value, cue, sentence and
        `html` (the sentence escaped, its cue marked: safe to render as HTML).
    """
    mentions = filter_mentions(result, channels, languages, dates)
    cell = mentions[(mentions["source_name"] == party) & (mentions["fact"] == fact)].copy()
    cell["html"] = [highlight(s, a, b) for s, a, b in zip(cell["sentence"], cell["start"], cell["end"])]
    cell = cell.sort_values(["date", "doc_id", "sentence_id"], kind="stable")
    return cell[["doc_id", "outlet", "date", "language", "channel", "polarity", "value", "cue", "sentence",
                 "html"]].reset_index(drop=True)


def timeline_frame(result: CaseResult) -> pd.DataFrame:
    """Documents and first disclosures as dated events, for a timeline chart.

    Returns:
        Columns date, event ("document" or "first disclosure"), who (outlet or party),
        what (document id or fact label), doc_id; undated rows are left out.
    """
    labels = fact_labels()
    documents = result.documents
    rows = [{"date": d, "event": "document", "who": o or k, "what": i, "doc_id": i}
            for i, d, o, k in zip(documents["doc_id"], documents["date"], documents["outlet"].fillna(""),
                                  documents["kind"]) if d]
    firsts = result.disclosures[result.disclosures["disclosed"].astype(bool)]
    rows += [{"date": d, "event": "first disclosure", "who": p, "what": labels.get(f, f), "doc_id": i}
             for p, f, d, i in zip(firsts["party"], firsts["fact"], firsts["first_date"].fillna(""),
                                   firsts["first_doc_id"]) if d]
    frame = pd.DataFrame(rows, columns=["date", "event", "who", "what", "doc_id"])
    # Partial dates (YYYY or YYYY-MM) are placed on their first day so they can be drawn.
    frame["day"] = pd.to_datetime(frame["date"].map(_first_day), errors="coerce")
    return frame.sort_values(["day", "event", "who"], kind="stable").reset_index(drop=True)


def _first_day(date: str) -> str:
    """YYYY -> YYYY-01-01, YYYY-MM -> YYYY-MM-01, a full date unchanged."""
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)


SCORE_METRICS = {  # scores column -> (card title, what it means)
    "coverage": ("Coverage", "Share of the facts known in the case that the party disclosed."),
    "weighted_coverage": ("Weighted coverage", "Coverage where each fact weighs as many parties (and documents) "
                                               "as disclosed it: leaving out what everyone reported costs most."),
    "omissions": ("Omissions", "Facts known in the case that the party did not disclose."),
    "exclusives": ("Exclusives", "Facts only this party disclosed."),
    "contradictions": ("Contradictions", "Facts the party answers the other way round from another party."),
    "specificity": ("Specificity", "Share of the party's mentions with a concrete value."),
    "hedging": ("Hedging", "Share of the party's mentions worded provisionally."),
    "lag_days": ("Lag (days)", "Median days between a fact's first disclosure in the case and the party's."),
    "channel_gap": ("Channel gap", "Facts disclosed only to staff or their representatives, or with details "
                                   "given only there."),
    "gdpr_completeness": ("GDPR Art. 33/34", "Share of the GDPR notification items the party's disclosures cover."),
    "nis2_completeness": ("NIS2 Art. 23", "Share of the NIS2 reporting items the party's disclosures cover."),
    "sec_completeness": ("SEC 8-K 1.05", "Share of the SEC Form 8-K Item 1.05 items the party's disclosures cover."),
}


def _format_score(column: str, value: object) -> str:
    """A score as shown on a card: shares as percentages, counts as integers, undefined as "—"."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is pd.NA:
        return "—"
    if isinstance(value, float) and column not in ("lag", "lag_days") and 0.0 <= value <= 1.0:
        return f"{value:.0%}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def scorecard(result: CaseResult, party: str) -> dict[str, tuple[str, str]]:
    """A party's scores as card title -> (shown value, explanation), from the `scores` table.

    Returns:
        The known metrics present in the table, in SCORE_METRICS order; empty when the
        scores stage has not run or the party has no row.
    """
    scores = result.extra.get("scores")
    if scores is None:
        return {}
    rows = scores[(scores["level"] == "party") & (scores["name"] == party)]
    if rows.empty:
        return {}
    row = rows.iloc[0]
    card: dict[str, tuple[str, str]] = {}
    for column, (title, explanation) in SCORE_METRICS.items():
        if column in row.index and title not in card:
            value = row[column]
            card[title] = (_format_score(column, value.item() if hasattr(value, "item") else value), explanation)
    return card


def regulatory_checklist(result: CaseResult, party: str) -> pd.DataFrame | None:
    """A party's regulatory checklist items (framework, item, facts, met), or None when not computed."""
    table = result.extra.get("regulatory")
    if table is None:
        return None
    rows = table[table["party"] == party] if "party" in table.columns else table
    keep = [c for c in ("framework", "item", "label", "facts", "rule", "met", "disclosed_facts") if c in rows.columns]
    return rows[keep].reset_index(drop=True)


def similarity_frames(result: CaseResult, method: str = "cross_lingual") -> dict[str, pd.DataFrame] | None:
    """Pairwise similarity by one method as (a, b, similarity) frames per level (document, party).

    Returns:
        level -> frame; None when the similarity table was not computed.
    """
    table = result.extra.get("similarity")
    if table is None or "method" not in table.columns:
        return None
    chosen = table[table["method"] == method]
    return {str(level): group.rename(columns={"score": "similarity"})[["a", "b", "similarity"]].reset_index(drop=True)
            for level, group in chosen.groupby("level", sort=False)}


def export_files(result: CaseResult) -> dict[str, bytes]:
    """Every file `transparency analyze` writes for this result, by name, byte for byte.

    The files are written by `write_result` itself into a temporary folder, so the
    dashboard's downloads can never drift from the CLI's output.
    """
    with tempfile.TemporaryDirectory(prefix="transparency-export-") as folder:
        write_result(result, folder)
        return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir()) if path.is_file()}


def export_zip(files: dict[str, bytes], folder: str) -> bytes:
    """The files as one zip, under `folder/` (fixed timestamps: same files, same bytes).

    Entry names go through `zip_member`: a folder like '..' is dropped, not written.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(zip_member(folder, name), date_time=(2020, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def has_text(result: CaseResult) -> bool:
    """Whether any document of the case gave a sentence (False: nothing could be extracted)."""
    return bool(len(result.documents)) and int(result.documents["n_sentences"].fillna(0).sum()) > 0


UNEXPECTED_ERROR = "Something went wrong while reading or analysing this case; the details are in the server log."
"""What a dashboard user is told of an error that is not a CaseError (never a traceback)."""


def error_line(error: BaseException, private_folder: str | Path | None = None) -> str:
    """One line telling a dashboard user why a step failed, without server paths.

    Args:
        error: what was raised.
        private_folder: a server folder the step worked in (an upload's temporary case
            folder): taken out of the message, so paths read relative to the case.

    Returns:
        A CaseError's own line (whitespace flattened); UNEXPECTED_ERROR for anything else,
        which is logged with its traceback for whoever runs the server.
    """
    if not isinstance(error, CaseError):
        logging.getLogger(__name__).error("dashboard step failed", exc_info=error)
        return UNEXPECTED_ERROR
    message = " ".join(str(error).split())
    if private_folder is not None:
        for folder in sorted({str(Path(private_folder)), str(Path(private_folder).resolve())}, key=len, reverse=True):
            message = message.replace(folder + os.sep, "").replace(folder, ".")
    return message


def _serve(argv: list[str]) -> int:
    """`python -m analyzer.serve run APP ... -- CASE_DIR`: load the case, then run Streamlit."""
    from streamlit.web import cli as streamlit_cli

    if "--" in argv and argv.index("--") + 1 < len(argv):
        load_result(str(Path(argv[argv.index("--") + 1]).resolve()))
    # What every page imports, imported before the health check answers: the first visitor
    # does not wait for altair and the dashboard's modules (about half a second).
    import altair  # noqa: F401
    import dashboard.format  # noqa: F401
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    return streamlit_cli.main(args=argv, prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    # Run as a script, this file is a second copy of the module: use the imported one, whose
    # load_result cache is the one the dashboard pages will read.
    from analyzer import serve as _module

    sys.exit(_module._serve(sys.argv[1:]))
