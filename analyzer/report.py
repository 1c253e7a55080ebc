"""`transparency report`: the short Markdown summary a person reads first.

Per party: what it disclosed (with values), what it left out that others disclosed,
contradictions, when it spoke, what it told staff but not the public, and how it framed the
attack. Document text is untrusted: every piece of it is escaped for Markdown.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from .pipeline import CaseResult
from .resources import codebook

# Inline Markdown and HTML syntax; every escaped piece sits inside a line, never at its start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MAX_VALUE = 90


def escape(text: object) -> str:
    """Text made inert in Markdown (and HTML): special characters backslashed, one line."""
    plain = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain).replace("&", "&amp;")


def _short(text: str) -> str:
    """A value cut to a readable length."""
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE - 1] + "…"


def _percent(value: object) -> str:
    """A ratio as a percentage; undefined said so."""
    return "undefined" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
        else f"{float(value):.0%}"


def _adoption(cell: str) -> str:
    """framing.csv's 'party share | ...' as 'party (33%), ...', escaped."""
    parts = (item.rpartition(" ") for item in cell.split(" | "))
    return ", ".join(f"{escape(party)} ({_percent(float(share))})" for party, _, share in parts)


def _count(n: int, noun: str) -> str:
    """'1 fact', '3 facts'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _party_section(result: CaseResult, party: str, role: str, labels: dict[str, str]) -> list[str]:
    """The lines about one party."""
    cells = result.disclosures[result.disclosures.party == party]
    scores = result.extra["scores"]
    row = scores[(scores.level == "party") & (scores.name == party)]
    lines = [f"### {escape(party)} ({role})", ""]
    if not row.empty:
        score = row.iloc[0]
        lines.append(f"Coverage {_percent(score.coverage)} (weighted {_percent(score.weighted_coverage)}), "
                     f"{_count(int(score.n_facts), 'fact')} disclosed, {int(score.omissions)} left out, "
                     f"{int(score.exclusives)} only it disclosed; specificity {_percent(score.specificity)}, "
                     f"hedging {_percent(score.hedging)}.")
        lines.append("")
    disclosed = cells[cells.disclosed]
    if disclosed.empty:
        lines.append("- **Disclosed:** nothing.")
    else:
        lines.append("- **Disclosed:**")
        for cell in disclosed.itertuples(index=False):
            tag = " *(only it)*" if cell.exclusive else ""
            channel = " *(internal only)*" if cell.internal_only else ""
            lines.append(f"  - {escape(labels[cell.fact])}: {escape(_short(cell.values))}{tag}{channel}")
    omitted = cells[cells.status == "omitted"]
    if not omitted.empty:
        lines.append("- **Left out** (disclosed by others): " + ", ".join(escape(labels[f]) for f in omitted.fact) + ".")
    contradicted = cells[cells.contradicted]
    if not contradicted.empty:
        lines.append("- **Contradicted by another party on:** "
                     + ", ".join(escape(labels[f]) for f in contradicted.fact) + ".")
    gap = cells[cells.internal_only | (cells.internal_values != "")]
    if not gap.empty:
        told = "; ".join(f"{escape(labels[c.fact])} ({escape(_short(c.internal_values or c.values))})"
                         for c in gap.itertuples(index=False))
        lines.append(f"- **Told staff, not the public:** {told}.")
    lines.append("")
    return lines


def render_report(result: CaseResult) -> str:
    """The Markdown summary of an analysed case.

    Args:
        result: from `analyzer.analyze_case`.

    Returns:
        Markdown text: the case, then a section per party, contradictions, timeline, framing.
    """
    labels = {fact.id: fact.label for fact in codebook().facts}
    case = result.case
    documents = result.documents
    lines = [f"# {escape(case.title)}", "",
             # case ids are validated (letters, digits, . _ -): safe in a code span, where escapes would show
             f"Case `{case.id}`: {_count(len(documents), 'document')}"
             + (f", {escape(documents.date[documents.date != ''].min())} to "
                f"{escape(documents.date[documents.date != ''].max())}" if (documents.date != "").any() else "")
             + f", {int(result.disclosures[result.disclosures.disclosed].fact.nunique())} of "
               f"{len(labels)} codebook facts disclosed by someone.", ""]
    for warning in result.warnings:
        lines.append(f"> Warning: {escape(warning)}")
    lines += ["## Who disclosed what", ""]
    seen = result.disclosures[["party", "role"]].drop_duplicates()
    for party, role in seen.itertuples(index=False):
        lines += _party_section(result, party, role, labels)
    contradictions = result.extra["contradictions"]
    lines += ["## Contradictions", ""]
    if contradictions.empty:
        lines.append("None found.")
    for c in contradictions.itertuples(index=False):
        lines.append(f"- {escape(labels[c.fact])}: {escape(c.party_a)} says {escape(_short(c.value_a))} "
                     f"({escape(c.doc_id_a)}), {escape(c.party_b)} says {escape(_short(c.value_b))} "
                     f"({escape(c.doc_id_b)}).")
    lines += ["", "## Timeline: who disclosed each fact first", ""]
    timeline = result.extra["timeline"]
    firsts = timeline.drop_duplicates("fact")
    if firsts.empty:
        lines.append("No fact was disclosed.")
    for t in firsts.itertuples(index=False):
        late = timeline[(timeline.fact == t.fact) & (timeline.lag_days.fillna(0) > 0)]
        later = ", ".join(f"{escape(p)} +{int(d)} d" for p, d in zip(late.party, late.lag_days))
        lines.append(f"- {escape(labels[t.fact])}: {escape(t.case_first_party)} "
                     f"({escape(t.case_first_date or 'undated')})" + (f"; then {later}" if later else ""))
    framing = result.extra["framing"]
    lines += ["", "## Framing of the attack", ""]
    for f in framing.itertuples(index=False):
        if f.framing == "none":
            continue
        terms = "; ".join(f"{kind}: {words}" for kind, words in (("specific", f.specific_terms),
                                                                  ("vague", f.vague_terms)) if words)
        what = "the document" if f.level == "document" else "the party"
        lines.append(f"- {what} {escape(f.name)}: {f.framing} ({escape(_short(terms))})"
                     + (f"; its specific words were first used by {_adoption(f.adopted_from)}" if f.adopted_from else ""))
    lines.append("")
    return "\n".join(lines)
