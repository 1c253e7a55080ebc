"""Transparency scores: what each party disclosed, left out, contradicted, and how late.

Every ratio is a float in [0, 1]. A ratio whose denominator is empty is *undefined* and
written as an empty cell (NaN in pandas), never 0 or 1 by accident: a case where nobody
disclosed anything has no coverage to speak of.

Definitions (K = the case's known facts, disclosed by at least one party; D(p) = the facts
party p disclosed; parties(f) = the parties that disclosed f; docs(f) = the documents that
disclose f; N = the number of documents):

- coverage(p) = |D(p)| / |K|                                   (undefined when K is empty)
- weight(f) = |parties(f)| + |docs(f)| / (N + 1)               (Pyramid: widely reported facts weigh most)
- weighted_coverage(p) = Σ_{f ∈ D(p)} weight(f) / Σ_{f ∈ K} weight(f)
- omissions(p) = |K \\ D(p)|;  exclusives(p) = |{f ∈ D(p) : parties(f) = {p}}|
- contradictions(p) = facts on which p and another party give incompatible answers: one
  affirmed, the other negated or not observed; or figures of the same unit that differ by
  more than FIGURE_TOLERANCE (relative)
- specificity(p) = share of p's mentions with a concrete value (figure, date, name, precise category)
- hedging(p) = share of p's mentions worded provisionally or vaguely (the lexicons' `hedges`)
- lag_days(p) = median over f ∈ D(p) of (p's first dated disclosure of f − the case's first), in days
- channel_gap(p) = facts p disclosed only on the internal channel (to staff or their
  representatives), or with values it gave only there
- {framework}_completeness(p) = share of the framework's items (analyzer/data/regulations.yaml) p met
"""
from __future__ import annotations

import datetime
import functools
import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from . import schema
from .disclosure import parties
from .errors import CaseError
from .model import CaseAnalysis
from .resources import codebook, data_path, load_yaml
from .tables import typed_frame

FIGURE_TOLERANCE = 0.2  # figures of the same unit differing by more than 20 % contradict each other
_POSITIVE = {"affirmed"}
_NEGATIVE = {"negated", "not_observed"}
_FIGURE = re.compile(r"^(\d+(?:\.\d+)?) (\S.*)$")
FRAMEWORK_COLUMNS = ("gdpr", "nis2", "sec")


@dataclass(frozen=True)
class RegulatoryItem:
    """One thing a notification must say, as codebook facts."""

    framework: str
    framework_name: str
    id: str
    article: str
    label: str
    facts: tuple[str, ...]
    rule: str  # "any" | "all"


@functools.lru_cache(maxsize=None)
def regulatory_items() -> tuple[RegulatoryItem, ...]:
    """The checklist items of analyzer/data/regulations.yaml, validated against the codebook."""
    where = str(data_path("regulations.yaml"))
    raw = load_yaml("regulations.yaml")
    known = {fact.id for fact in codebook().facts}
    items = []
    for framework in (raw or {}).get("frameworks") or []:
        for item in framework.get("items") or []:
            facts = tuple(item.get("facts") or ())
            unknown = set(facts) - known
            if not facts or unknown or item.get("rule", "any") not in ("any", "all"):
                raise CaseError(where, f"item {item.get('id')!r}: facts must be codebook ids and rule any|all",
                                f"unknown: {sorted(unknown)}" if unknown else "fix the item")
            items.append(RegulatoryItem(framework["id"], framework["name"], item["id"], str(item.get("article", "")),
                                        item["label"], facts, item.get("rule", "any")))
    return tuple(items)


def regulatory_checklists() -> dict[str, dict[str, tuple[str, ...]]]:
    """Framework name -> item label -> facts (what the dashboard's draft check lists)."""
    checklists: dict[str, dict[str, tuple[str, ...]]] = {}
    for item in regulatory_items():
        checklists.setdefault(item.framework_name, {})[item.label] = item.facts
    return checklists


def item_met(item: RegulatoryItem, disclosed: set[str]) -> bool:
    """Whether a set of disclosed facts meets a checklist item."""
    hits = [fact in disclosed for fact in item.facts]
    return all(hits) if item.rule == "all" else any(hits)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN (undefined) when the denominator is 0."""
    return round(numerator / denominator, 6) if denominator else math.nan


def _date(text: str) -> datetime.date | None:
    """A full YYYY-MM-DD date, or None for partial or missing dates."""
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _figures(values: str) -> dict[str, float]:
    """unit -> number for the figure parts of a mention value ("30000 hours; P7D")."""
    figures = {}
    for part in values.split("; "):
        match = _FIGURE.match(part.strip())
        if match:
            figures[match.group(2)] = float(match.group(1))
    return figures


def _answers(mentions: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """(party, fact) -> its polarities, figures and first evidence."""
    answers: dict[tuple[str, str], dict] = {}
    figures: dict[str, dict[str, float]] = {}  # value -> its figures, parsed once
    for party, fact, role, polarity, doc_id, sentence, value in _records(
            mentions, "source_name", "fact", "source_role", "polarity", "doc_id", "sentence", "value"):
        cell = answers.setdefault((party, fact), {"polarities": set(), "figures": {}, "evidence": {}, "role": role})
        cell["polarities"].add(polarity)
        cell["evidence"].setdefault(polarity, (doc_id, sentence, value))
        if value not in figures:
            figures[value] = _figures(value)
        for unit, number in figures[value].items():
            cell["figures"].setdefault(unit, (number, doc_id, sentence, value))
    return answers


def contradictions_table(analysis: CaseAnalysis, mentions: pd.DataFrame) -> pd.DataFrame:
    """Facts answered incompatibly by two parties, with both evidence sentences.

    Args:
        analysis: the analysed case.
        mentions: its mentions table.

    Returns:
        One row per (fact, party pair, kind), kind "polarity" or "figure"; parties in party order.
    """
    order = {party.name: i for i, party in enumerate(parties(analysis))}
    answers = _answers(mentions)
    rows = []
    for fact in codebook().facts:
        cells = sorted(((p, a) for (p, f), a in answers.items() if f == fact.id), key=lambda pa: order[pa[0]])
        for i, (party_a, a) in enumerate(cells):
            for party_b, b in cells[i + 1:]:
                for first, second in ((a, b), (b, a)):
                    if first["polarities"] & _POSITIVE and second["polarities"] & _NEGATIVE:
                        positive = first["evidence"]["affirmed"]
                        negative = next(second["evidence"][p] for p in ("negated", "not_observed")
                                        if p in second["evidence"])
                        left, right = (positive, negative) if first is a else (negative, positive)
                        rows.append(_contradiction(analysis, fact.id, "polarity", party_a, a, left, party_b, b, right))
                        break
                for unit in sorted(set(a["figures"]) & set(b["figures"])):
                    x, y = a["figures"][unit][0], b["figures"][unit][0]
                    if abs(x - y) > FIGURE_TOLERANCE * max(x, y):
                        rows.append(_contradiction(analysis, fact.id, "figure", party_a, a, a["figures"][unit][1:],
                                                   party_b, b, b["figures"][unit][1:]))
    return typed_frame(rows, "contradictions")


CONTRADICTION_COLUMNS = schema.columns("contradictions")


def _contradiction(analysis, fact, kind, party_a, a, evidence_a, party_b, b, evidence_b) -> dict:
    """One contradictions row; evidence is (doc_id, sentence, value)."""
    return {"case_id": analysis.case.id, "fact": fact, "kind": kind,
            "party_a": party_a, "role_a": a["role"], "value_a": evidence_a[2], "doc_id_a": evidence_a[0],
            "sentence_a": evidence_a[1], "party_b": party_b, "role_b": b["role"], "value_b": evidence_b[2],
            "doc_id_b": evidence_b[0], "sentence_b": evidence_b[1]}


def timeline_table(analysis: CaseAnalysis, mentions: pd.DataFrame) -> pd.DataFrame:
    """Per fact and party: the first disclosure, the case's first, and the lag in days.

    Undated documents are reported (`dated` false) and never guessed: a party's first date
    is its earliest dated mention; the lag needs full YYYY-MM-DD dates on both sides.
    """
    documents = {d.document.meta.id: (i, d.document.meta.date) for i, d in enumerate(analysis.documents)}
    order = {party.name: i for i, party in enumerate(parties(analysis))}
    by_fact: dict[str, list[tuple]] = defaultdict(list)
    for doc_id, statement_id, fact, source_name, source_role in _records(
            mentions, "doc_id", "statement_id", "fact", "source_name", "source_role"):
        by_fact[fact].append((doc_id, statement_id, source_name, source_role))
    rows = []
    for fact in codebook().facts:
        if fact.id not in by_fact:
            continue
        firsts = {}
        for doc_id, statement_id, source_name, source_role in by_fact[fact.id]:
            position, date = documents[doc_id]
            # dated before undated, then by date, then case order, then reading order in the document
            key = (date == "", date, position, statement_id)
            if source_name not in firsts or key < firsts[source_name][0]:
                firsts[source_name] = (key, doc_id, source_role)
        case_key, case_doc, _ = min(firsts.values())
        case_party = min((v[0], order[p], p) for p, v in firsts.items())[2]
        case_date = case_key[1]
        for party, (key, doc_id, role) in sorted(firsts.items(), key=lambda item: order[item[0]]):
            start, end = _date(case_date), _date(key[1])
            rows.append({"case_id": analysis.case.id, "fact": fact.id, "party": party, "role": role,
                         "first_date": key[1], "first_doc_id": doc_id, "dated": bool(key[1]),
                         "case_first_date": case_date, "case_first_doc_id": case_doc, "case_first_party": case_party,
                         "lag_days": (end - start).days if start and end else math.nan})
    frame = typed_frame(rows, "timeline")
    frame["lag_days"] = frame["lag_days"].astype("Int64")
    return frame


TIMELINE_COLUMNS = schema.columns("timeline")


def _internal_values(mentions: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(party, fact) -> the values a party gave only on the internal channel ("encryption")."""
    public: dict[tuple[str, str], set[str]] = defaultdict(set)
    internal: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)  # values in reading order
    for party, fact, channel, value in _records(mentions, "source_name", "fact", "channel", "value"):
        if channel == "internal":
            internal[(party, fact)].setdefault(value)
        else:
            public[(party, fact)].add(value)
    found = {}
    for key, values in internal.items():
        only = [value for value in values if value not in public.get(key, ())]
        if only and public.get(key):
            found[key] = " | ".join(only)
    return found


def _records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """The rows of some columns as plain tuples (much faster than filtering the frame per group)."""
    return list(zip(*(frame[column].tolist() for column in columns)))


def disclosure_status(disclosures: pd.DataFrame, contradictions: pd.DataFrame,
                      mentions: pd.DataFrame) -> pd.DataFrame:
    """The disclosures table with status, exclusive, contradicted and channel columns.

    status: disclosed | exclusive (only this party disclosed it) | omitted (others did, this
    party did not) | unknown (nobody in the case disclosed it). internal_only: disclosed on
    the internal channel only; internal_values: values given internally but not publicly
    for a fact also disclosed in public (management said "malicious act" in public and
    "servers encrypted" to staff representatives).
    """
    out = disclosures.copy()
    by_fact = out[out.disclosed].groupby("fact").party.nunique()
    known = out.fact.map(by_fact).fillna(0).astype(int)
    out["exclusive"] = out.disclosed & (known == 1)
    out["status"] = "omitted"
    out.loc[out.disclosed, "status"] = "disclosed"
    out.loc[out.exclusive, "status"] = "exclusive"
    out.loc[known == 0, "status"] = "unknown"
    flagged = set(zip(contradictions.party_a, contradictions.fact)) | set(zip(contradictions.party_b, contradictions.fact))
    out["contradicted"] = [(p, f) in flagged for p, f in zip(out.party, out.fact)]
    out["internal_only"] = out.disclosed & (out.channels == "internal")
    internal_values = _internal_values(mentions)
    out["internal_values"] = [internal_values.get((p, f), "") for p, f in zip(out.party, out.fact)]
    return out


def regulatory_table(analysis: CaseAnalysis, disclosures: pd.DataFrame) -> pd.DataFrame:
    """Party × checklist item: met or missing, with the facts that meet it."""
    disclosed = disclosures[disclosures.disclosed].groupby("party").fact.apply(set).to_dict()
    rows = []
    for party in parties(analysis):
        facts = disclosed.get(party.name, set())
        for item in regulatory_items():
            rows.append({"case_id": analysis.case.id, "party": party.name, "role": party.role,
                         "framework": item.framework_name, "item": item.id, "article": item.article,
                         "label": item.label, "facts": " | ".join(item.facts), "rule": item.rule,
                         "met": item_met(item, facts),
                         "disclosed_facts": " | ".join(f for f in item.facts if f in facts)})
    return typed_frame(rows, "regulatory")


REGULATORY_COLUMNS = schema.columns("regulatory")

SCORE_COLUMNS = schema.columns("scores")  # columns: analyzer/schema.py defines them once


def _weights(mentions: pd.DataFrame, n_documents: int) -> dict[str, float]:
    """Pyramid weight of each known fact: parties that disclosed it, plus its document spread."""
    return {fact: group.source_name.nunique() + group.doc_id.nunique() / (n_documents + 1)
            for fact, group in mentions.groupby("fact")}


def _share(flags: list) -> float:
    """The share of true values, NaN for no values."""
    return ratio(float(sum(map(bool, flags))), len(flags))


def scores_table(analysis: CaseAnalysis, mentions: pd.DataFrame, disclosures: pd.DataFrame,
                 contradictions: pd.DataFrame, timeline: pd.DataFrame, regulatory: pd.DataFrame) -> pd.DataFrame:
    """One row per party, then one per document, with every score of the module docstring.

    Document rows measure what a document discloses from any source; their lag,
    contradictions, channel gap and completeness are left empty (they are party notions).
    """
    known = set(mentions.fact)
    weights = _weights(mentions, len(analysis.documents))
    total_weight = math.fsum(weights.values())  # fsum: the same total whatever the order (hash seed)
    by_party = {p: set(g.fact) for p, g in mentions.groupby("source_name")}
    exclusive = {f for f, n in mentions.groupby("fact").source_name.nunique().items() if n == 1}
    contradicted: dict[str, set[str]] = {}
    for row in contradictions.itertuples(index=False):
        contradicted.setdefault(row.party_a, set()).add(row.fact)
        contradicted.setdefault(row.party_b, set()).add(row.fact)
    flags_by_party: dict[str, list[tuple]] = defaultdict(list)
    flags_by_doc: dict[str, list[tuple]] = defaultdict(list)
    facts_by_doc: dict[str, set[str]] = defaultdict(set)
    for doc_id, party, fact, specific, hedged in _records(mentions, "doc_id", "source_name", "fact",
                                                          "specific", "hedged"):
        flags_by_party[party].append((specific, hedged))
        flags_by_doc[doc_id].append((specific, hedged))
        facts_by_doc[doc_id].add(fact)
    lags: dict[str, list[float]] = defaultdict(list)
    for party, lag in _records(timeline, "party", "lag_days"):
        if not pd.isna(lag):
            lags[party].append(lag)
    channel_gap = Counter(party for party, internal_only, values in _records(
        disclosures, "party", "internal_only", "internal_values") if internal_only or values != "")
    checklist: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for party, item, met in _records(regulatory, "party", "item", "met"):
        checklist[(party, item.split("_", 1)[0])].append(met)
    rows = []
    for party in parties(analysis):
        own = flags_by_party.get(party.name, [])
        facts = by_party.get(party.name, set())
        row = {"case_id": analysis.case.id, "level": "party", "name": party.name, "role": party.role,
               "n_mentions": len(own), "n_facts": len(facts),
               "coverage": ratio(len(facts), len(known)),
               "weighted_coverage": ratio(math.fsum(weights[f] for f in facts), total_weight),
               "omissions": len(known - facts), "exclusives": len(facts & exclusive),
               "contradictions": len(contradicted.get(party.name, ())),
               "specificity": _share([s for s, _ in own]), "hedging": _share([h for _, h in own]),
               "lag_days": float(statistics.median(lags[party.name])) if lags[party.name] else math.nan,
               "channel_gap": channel_gap[party.name]}
        for framework in FRAMEWORK_COLUMNS:
            row[f"{framework}_completeness"] = _share(checklist.get((party.name, framework), []))
        rows.append(row)
    spread = Counter(fact for facts in facts_by_doc.values() for fact in facts)  # documents per fact
    for document in analysis.documents:
        doc_id = document.document.meta.id
        facts = facts_by_doc.get(doc_id, set())
        own = flags_by_doc.get(doc_id, [])
        rows.append({"case_id": analysis.case.id, "level": "document", "name": doc_id,
                     "role": document.document.meta.kind, "n_mentions": len(own), "n_facts": len(facts),
                     "coverage": ratio(len(facts), len(known)),
                     "weighted_coverage": ratio(math.fsum(weights[f] for f in facts), total_weight),
                     "omissions": len(known - facts), "exclusives": sum(spread[f] == 1 for f in facts),
                     "contradictions": math.nan, "specificity": _share([s for s, _ in own]),
                     "hedging": _share([h for _, h in own]),
                     "lag_days": math.nan, "channel_gap": math.nan, "gdpr_completeness": math.nan,
                     "nis2_completeness": math.nan, "sec_completeness": math.nan})
    frame = typed_frame(rows, "scores")
    for column in ("contradictions", "channel_gap"):
        frame[column] = frame[column].astype("Int64")
    return frame


def score_tables(analysis: CaseAnalysis, mentions: pd.DataFrame,
                 disclosures: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Every score table of a case.

    Args:
        analysis: the analysed case.
        mentions: its mentions table.
        disclosures: its disclosures table (party × fact).

    Returns:
        The disclosures table with status columns added, and the tables "scores",
        "contradictions", "timeline" and "regulatory".
    """
    contradictions = contradictions_table(analysis, mentions)
    timeline = timeline_table(analysis, mentions)
    disclosures = disclosure_status(disclosures, contradictions, mentions)
    regulatory = regulatory_table(analysis, disclosures)
    scores = scores_table(analysis, mentions, disclosures, contradictions, timeline, regulatory)
    return disclosures, {"scores": scores, "contradictions": contradictions, "timeline": timeline,
                         "regulatory": regulatory}
