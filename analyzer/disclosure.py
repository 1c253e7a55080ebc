"""The disclosure table: every party × every codebook fact, disclosed or not, with evidence.

Parties are the case's declared parties, in case.yaml order, then every other source the
documents quote or are published by (press outlets, unnamed sources), in order of first
appearance. A party that said nothing still gets a row per fact: what it left out is the
point of the analysis.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import CaseAnalysis, Mention
from .resources import codebook

EVIDENCE_LIMIT = 5  # distinct evidence sentences kept per cell


@dataclass(frozen=True)
class PartyRef:
    """A party of the analysis: its name and role."""

    name: str
    role: str


@dataclass(frozen=True)
class Disclosure:
    """One cell of the party × fact matrix."""

    party: str
    role: str
    fact: str
    disclosed: bool
    n_mentions: int
    first_date: str
    first_doc_id: str
    values: tuple[str, ...]
    polarities: tuple[str, ...]
    channels: tuple[str, ...]
    evidence: tuple[str, ...]


def parties(analysis: CaseAnalysis) -> tuple[PartyRef, ...]:
    """The parties of a case analysis: declared ones first, then the other sources seen."""
    seen: dict[str, str] = {party.name: party.role for party in analysis.case.parties}
    for document in analysis.documents:
        for statement in document.statements:
            if statement.source_name not in seen:
                seen[statement.source_name] = statement.source_role
    return tuple(PartyRef(name, role) for name, role in seen.items())


def _first(mentions: list[Mention], dates: dict[str, str], order: dict[str, int]) -> tuple[str, str]:
    """The earliest (date, doc_id) among mentions; undated documents only when none is dated."""
    dated = sorted((dates[m.doc_id], order[m.doc_id], m.doc_id) for m in mentions if dates[m.doc_id])
    if dated:
        return dated[0][0], dated[0][2]
    first = min(mentions, key=lambda m: order[m.doc_id])
    return "", first.doc_id


def build_disclosures(analysis: CaseAnalysis) -> tuple[Disclosure, ...]:
    """Cross every party with every codebook fact.

    Args:
        analysis: the analysed case.

    Returns:
        One Disclosure per (party, fact), parties in `parties` order, facts in codebook order.
    """
    dates = {d.document.meta.id: d.document.meta.date for d in analysis.documents}
    order = {d.document.meta.id: i for i, d in enumerate(analysis.documents)}
    by_cell: dict[tuple[str, str], list[Mention]] = {}
    for document in analysis.documents:
        for mention in document.mentions:
            by_cell.setdefault((mention.source_name, mention.fact), []).append(mention)
    rows = []
    for party in parties(analysis):
        for fact in codebook().facts:
            mentions = by_cell.get((party.name, fact.id), [])
            first_date, first_doc = _first(mentions, dates, order) if mentions else ("", "")
            rows.append(Disclosure(
                party.name, party.role, fact.id, bool(mentions), len(mentions), first_date, first_doc,
                tuple(dict.fromkeys(m.value for m in mentions)),
                tuple(dict.fromkeys(m.polarity for m in mentions)),
                tuple(dict.fromkeys(m.channel for m in mentions)),
                tuple(dict.fromkeys(m.sentence for m in mentions))[:EVIDENCE_LIMIT]))
    return tuple(rows)
