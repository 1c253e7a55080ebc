"""Which case the dashboard shows: the one given on the command line, or one uploaded this session.

Loading goes through `analyzer.serve.load_result`, so a case analysed before the server
started (see `python -m analyzer.serve`) is not analysed again.

Every string that comes from a case (titles, names, outlets, file names, sentences, error
messages) reaches Markdown-rendering calls (st.markdown, st.caption, st.error, st.info,
widget labels...) only through `analyzer.serve.escape_markdown`, imported here as `md`;
tables and charts render text as text.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from analyzer import CaseError, CaseResult
from analyzer.serve import bundled_case_dir, has_text, load_result
from analyzer.serve import escape_markdown as md
from dashboard.format import EMPTY, fact_list, format_date, format_value, is_blank, is_cue_only, plural

UPLOADED = "uploaded_result"
"""Session-state key of the CaseResult analysed on the "Your case" page."""
UPLOADED_ZIP = "uploaded_zip"
"""Session-state key of that case's folder, zipped (its files are not kept on disk)."""


def launch_case_dir() -> str | None:
    """The case folder given after `--` on the streamlit command line, else the bundled case."""
    if len(sys.argv) > 1 and sys.argv[1]:
        return str(Path(sys.argv[1]).resolve())
    bundled = bundled_case_dir()
    return str(bundled.resolve()) if bundled else None


@st.cache_resource(show_spinner="Analysing the case…")
def cached_result(case_dir: str) -> CaseResult:
    """The analysed case, once per server process and case path (pages must not mutate it)."""
    return load_result(case_dir)


def active_result() -> CaseResult:
    """The case every page shows: this session's upload when there is one, else the launch case.

    Stops the page with an error line when no case can be loaded.
    """
    uploaded = st.session_state.get(UPLOADED)
    if uploaded is not None:
        return uploaded
    case_dir = launch_case_dir()
    if case_dir is None:
        st.error("No case to show: start with `transparency dashboard CASE_DIR`, or upload one on "
                 "the “Your case” page.")
        st.stop()
    try:
        return cached_result(case_dir)
    except CaseError as error:
        st.error(md(error))
        st.stop()


def case_caption(result: CaseResult) -> None:
    """One line under a page title naming the case shown and where it comes from."""
    source = "uploaded this session" if st.session_state.get(UPLOADED) is result else "launch case"
    st.caption(f"**{md(result.case.title)}** · {md(result.case.id)} · {plural(len(result.documents), 'document')} · {source}")


def missing_table(name: str) -> None:
    """Say that a table the page needs is not computed for this case (yet)."""
    st.info(f"The `{name}` table is not computed for this case, so this section is empty.")


NO_TEXT = ("No text could be extracted from this case's documents, so there is nothing to show here. "
           "Check that the files hold text (not scanned images) in a supported format.")
"""What pages say instead of empty charts when no document of the case gave a sentence."""


def stop_without_text(result: CaseResult) -> None:
    """Say plainly that the case has no text, and stop the page, when that is so."""
    if not has_text(result):
        st.info(NO_TEXT)
        st.stop()


def show_table(frame: pd.DataFrame, columns: dict[str, tuple[str, int]], **cells) -> None:
    """A table of `columns` only, in that order, each (header, width in pixels) as text;
    `cells` gives a column another kind of cell (a number with its format, a checkbox)."""
    config = {name: cells.get(name) or st.column_config.TextColumn(header, width=width)
              for name, (header, width) in columns.items()}
    st.dataframe(frame[list(columns)], hide_index=True, width="stretch", column_config=config)


def show_evidence(evidence: pd.DataFrame) -> None:
    """Evidence sentences (rows of `analyzer.serve.evidence_frame`), each with where it was said.

    The sentence is the `html` column (escaped by analyzer.serve.highlight; only <mark> is
    markup); everything else on the line is escaped here.
    """
    for row in evidence.itertuples(index=False):
        value = format_value(row.value, row.cue, row.polarity)
        if value != EMPTY and not is_cue_only(row.value, row.cue) and not is_blank(row.value):
            value = f"value: {value}"  # a value of its own; otherwise the polarity in words ("stated")
        parts = (row.doc_id, row.outlet, format_date(row.date) if row.date else "undated", row.channel, value)
        source = " · ".join(html.escape(str(part)) for part in parts if not is_blank(part) and part != EMPTY)
        st.html(f'<div class="evidence" style="border-left:3px solid #999;padding:0 .8em;margin:.6em 0">'
                f'<p style="margin:0">{row.html}</p><small style="color:#555">{source}</small></div>')


def show_checklist(items: pd.DataFrame) -> None:
    """Regulatory checklist items (columns met, label, facts, and disclosed_facts when known) as a
    list that wraps: every item by its label (analyzer/data/regulations.yaml), facts by theirs."""
    lines = []
    for row in items.to_dict("records"):
        mark = "**met**" if row.get("met") else "**missing**"
        met_by = fact_list(row.get("disclosed_facts"))
        needed = fact_list(row.get("facts"))
        detail = f"met by {met_by}" if row.get("met") and met_by != EMPTY else f"needs {'all' if row.get('rule') == 'all' else 'any'} of: {needed}"
        lines.append(f"- {mark} {md(row['label'])} — {md(detail)}")
    st.markdown("\n".join(lines))
