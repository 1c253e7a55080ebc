"""`transparency report`: the short summary a person reads first, as Markdown or plain text.

Per party: what it disclosed (with values), what it left out that others disclosed,
contradictions, when it spoke, what it told staff but not the public, and how it framed the
attack. Document text is untrusted: in Markdown every piece of it is escaped; in plain text
(for a terminal) control characters are removed, so no escape sequence reaches the terminal.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .pipeline import CaseResult
from .resources import codebook

# Inline Markdown and HTML syntax; every escaped piece sits inside a line, never at its start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MAX_VALUE = 90
# C0 and C1 controls (ESC starts a terminal escape sequence) and the bidirectional overrides.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape(text: object) -> str:
    """Text made inert in Markdown (and HTML): special characters backslashed, one line."""
    plain = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain).replace("&", "&amp;")


def plain(text: object) -> str:
    """Text made safe for a terminal: one line, without control or bidirectional-override characters."""
    return _CONTROL.sub("", " ".join(str(text).split()))


@dataclass(frozen=True)
class _Style:
    """How the report marks its parts up: Markdown, or plain text for a terminal."""

    markdown: bool
    text: Callable[[object], str]  # untrusted text -> safe text
    strong: str  # around "Disclosed:" ...
    emphasis: str  # around "(only it)" ...
    code: str  # around the case id

    def heading(self, level: int, title: str) -> list[str]:
        """A heading's lines: '## title', or in text the title underlined (levels 1 and 2)."""
        if self.markdown:
            return [f"{'#' * level} {title}", ""]
        return [title, ("=" if level == 1 else "-") * len(title), ""] if level < 3 else [title, ""]


MARKDOWN = _Style(True, escape, "**", "*", "`")
TEXT = _Style(False, plain, "", "", "")
FORMATS = {"markdown": MARKDOWN, "text": TEXT}


def _short(text: str) -> str:
    """A value cut to a readable length."""
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE - 1] + "…"


def _percent(value: object) -> str:
    """A ratio as a percentage; undefined said so."""
    return "undefined" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
        else f"{float(value):.0%}"


def _count(n: int, noun: str) -> str:
    """'1 fact', '3 facts'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _adoption(cell: str, st: _Style) -> str:
    """framing.csv's 'party share | ...' as 'party (33%), ...', made safe."""
    parts = (item.rpartition(" ") for item in cell.split(" | "))
    return ", ".join(f"{st.text(party)} ({_percent(float(share))})" for party, _, share in parts)


def _party_section(result: CaseResult, party: str, role: str, labels: dict[str, str], st: _Style) -> list[str]:
    """The lines about one party."""
    e, b, i = st.text, st.strong, st.emphasis
    frames = result.tables  # the tables as written to CSV: lists as ' | ' text, dates as text
    disclosures = frames["disclosures"]
    cells = disclosures[disclosures.party == party]
    scores = frames["scores"]
    row = scores[(scores.level == "party") & (scores.name == party)]
    lines = st.heading(3, f"{e(party)} ({role})")
    if not row.empty:
        score = row.iloc[0]
        lines.append(f"Coverage {_percent(score.coverage)} (weighted {_percent(score.weighted_coverage)}), "
                     f"{_count(int(score.n_facts), 'fact')} disclosed, {int(score.omissions)} left out, "
                     f"{int(score.exclusives)} only it disclosed; specificity {_percent(score.specificity)}, "
                     f"hedging {_percent(score.hedging)}.")
        lines.append("")
    disclosed = cells[cells.disclosed]
    if disclosed.empty:
        lines.append(f"- {b}Disclosed:{b} nothing.")
    else:
        lines.append(f"- {b}Disclosed:{b}")
        for cell in disclosed.itertuples(index=False):
            tag = f" {i}(only it){i}" if cell.exclusive else ""
            channel = f" {i}(internal only){i}" if cell.internal_only else ""
            lines.append(f"  - {e(labels[cell.fact])}: {e(_short(cell.values))}{tag}{channel}")
    omitted = cells[cells.status == "omitted"]
    if not omitted.empty:
        lines.append(f"- {b}Left out{b} (disclosed by others): " + ", ".join(e(labels[f]) for f in omitted.fact) + ".")
    contradicted = cells[cells.contradicted]
    if not contradicted.empty:
        lines.append(f"- {b}Contradicted by another party on:{b} "
                     + ", ".join(e(labels[f]) for f in contradicted.fact) + ".")
    gap = cells[cells.internal_only | (cells.internal_values != "")]
    if not gap.empty:
        told = "; ".join(f"{e(labels[c.fact])} ({e(_short(c.internal_values or c.values))})"
                         for c in gap.itertuples(index=False))
        lines.append(f"- {b}Told staff, not the public:{b} {told}.")
    lines.append("")
    return lines


def render_report(result: CaseResult, format: str = "markdown") -> str:
    """The summary of an analysed case, as Markdown or as plain text.

    Args:
        result: from `analyzer.analyze_case`.
        format: "markdown" (untrusted text escaped: for a file or a Markdown viewer) or "text"
            (no markup and no escapes, control characters removed: for a terminal).

    Returns:
        The case, then a section per party, contradictions, timeline, framing.
    """
    st = FORMATS[format]
    e = st.text
    labels = {fact.id: fact.label for fact in codebook().facts}
    case = result.case
    frames = result.tables
    documents, disclosures = frames["documents"], frames["disclosures"]
    dates = documents.date[documents.date != ""]
    lines = st.heading(1, e(case.title)) + [
        # case ids are validated (letters, digits, . _ -): safe in a code span, where escapes would show
        f"Case {st.code}{case.id}{st.code}: {_count(len(documents), 'document')}"
        + (f", {e(dates.min())} to {e(dates.max())}" if not dates.empty else "")
        + f", {int(disclosures[disclosures.disclosed].fact.nunique())} of "
          f"{len(labels)} codebook facts disclosed by someone.", ""]
    for warning in result.warnings:
        lines.append(f"{'> ' if st.markdown else ''}Warning: {e(warning)}")
    lines += st.heading(2, "Who disclosed what")
    seen = disclosures[["party", "role"]].drop_duplicates()
    for party, role in seen.itertuples(index=False):
        lines += _party_section(result, party, role, labels, st)
    contradictions = frames["contradictions"]
    lines += st.heading(2, "Contradictions")
    if contradictions.empty:
        lines.append("None found.")
    for c in contradictions.itertuples(index=False):
        lines.append(f"- {e(labels[c.fact])}: {e(c.party_a)} says {e(_short(c.value_a))} "
                     f"({e(c.doc_id_a)}), {e(c.party_b)} says {e(_short(c.value_b))} "
                     f"({e(c.doc_id_b)}).")
    lines += [""] + st.heading(2, "Timeline: who disclosed each fact first")
    timeline = frames["timeline"]
    firsts = timeline.drop_duplicates("fact")
    if firsts.empty:
        lines.append("No fact was disclosed.")
    for t in firsts.itertuples(index=False):
        late = timeline[(timeline.fact == t.fact) & (timeline.lag_days.fillna(0) > 0)]
        later = ", ".join(f"{e(p)} +{int(d)} d" for p, d in zip(late.party, late.lag_days))
        lines.append(f"- {e(labels[t.fact])}: {e(t.case_first_party)} "
                     f"({e(t.case_first_date or 'undated')})" + (f"; then {later}" if later else ""))
    framing = frames["framing"]
    lines += [""] + st.heading(2, "Framing of the attack")
    for f in framing.itertuples(index=False):
        if f.framing == "none":
            continue
        terms = "; ".join(f"{kind}: {words}" for kind, words in (("specific", f.specific_terms),
                                                                  ("vague", f.vague_terms)) if words)
        what = "the document" if f.level == "document" else "the party"
        lines.append(f"- {what} {e(f.name)}: {f.framing} ({e(_short(terms))})"
                     + (f"; its specific words were first used by {_adoption(f.adopted_from, st)}"
                        if f.adopted_from else ""))
    lines.append("")
    return "\n".join(lines)
