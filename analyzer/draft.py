"""Checking a draft statement against what is already known in a case, before it goes out.

The draft is analysed as a one-document case with the pipeline's own stages (sentences,
attribution, fact detection), published by the party it speaks for, and compared with the
case's disclosures: which known facts it leaves out, what it adds, what it contradicts,
how specific and how hedged it is, and which regulatory checklist items it covers.

    >>> from analyzer import analyze_case
    >>> from analyzer.draft import check_draft
    >>> check = check_draft(analyze_case("corpora/mma-2020"), "MMA a été victime d'un rançongiciel.", "MMA / Covéa")
    >>> check.left_out[["label", "known_by"]]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .attribute import attribute
from .errors import CaseError
from .facts import detect_facts
from .model import Document, DocumentMeta
from .patterns import fold
from .pipeline import CaseResult
from .resources import codebook, lexicon
from .segment import split_sentences
from .serve import highlight
from .text import SUPPORTED_LANGUAGES, detect_language, normalize

__all__ = ["MAX_DRAFT_CHARS", "DraftCheck", "check_draft"]

MAX_DRAFT_CHARS = 50_000
"""Longest draft checked (a press release is a few thousand characters)."""

DRAFT_ID = "draft"

_POSITIVE = {"affirmed"}
_NEGATIVE = {"negated", "not_observed"}  # "withheld" answers nothing either way, so never contradicts


@dataclass(frozen=True)
class DraftCheck:
    """What a draft statement says compared with the case.

    Attributes:
        party: the party the draft speaks for; role: its role.
        language: the draft's language (given or detected).
        n_sentences: sentences in the draft.
        mentions: the facts the draft states, one row per mention (fact, label, polarity,
            value, cue, specific, hedged, sentence, html with the cue marked).
        left_out: facts some party of the case has disclosed that the draft does not state
            (fact, label, known_by, values, disclosed_by_party).
        added: facts the draft states that the party had not disclosed in the case
            (fact, label, value, new_to_case: no party had disclosed it).
        contradictions: facts the draft answers the other way round from the case
            (fact, label, draft_polarity, case_polarity, parties, evidence).
        specificity: share of the draft's mentions with a concrete value, in [0, 1];
            None when the draft states no fact.
        vague_wording: hedges found in the draft ("would", "for now", "a priori"...).
        regulatory: checklist items (framework, item, facts, met) when the scores stage
            provides checklists; empty otherwise.
        warnings: one line each (no lexicon for the language, empty draft...).
    """

    party: str
    role: str
    language: str
    n_sentences: int
    mentions: pd.DataFrame
    left_out: pd.DataFrame
    added: pd.DataFrame
    contradictions: pd.DataFrame
    specificity: float | None
    vague_wording: list[str]
    regulatory: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def _party_role(result: CaseResult, party: str) -> str:
    """The role of a party of the case (CaseError for an unknown party)."""
    roles = dict(zip(result.disclosures["party"], result.disclosures["role"]))
    roles.update({p.name: p.role for p in result.case.parties})
    if party not in roles:
        raise CaseError("draft", f"unknown party '{party}'", f"choose one of {', '.join(roles)}")
    return roles[party]


def _draft_document(text: str, party: str, role: str, language: str | None) -> Document:
    """The draft as a document published by `party`, dated today's case-less nothing."""
    body = normalize(text)
    detected = (language or detect_language(body) or "").lower()
    meta = DocumentMeta(id=DRAFT_ID, path=Path("draft.txt"), kind=role, outlet=party, language=detected,
                        title="Draft statement", channel="public")
    return Document(meta=meta, text=body, language=detected)


def _polarity_side(polarities: set[str]) -> str:
    """'yes', 'no', 'both' or '' for a set of polarities."""
    positive, negative = bool(polarities & _POSITIVE), bool(polarities & _NEGATIVE)
    return {(True, False): "yes", (False, True): "no", (True, True): "both"}.get((positive, negative), "")


def _regulatory(facts: set[str]) -> pd.DataFrame:
    """The regulatory checklist items and whether the draft's facts meet them."""
    columns = ["framework", "item", "facts", "met"]
    try:
        from .scores import regulatory_checklists  # provided by the scores stage when present
    except ImportError:
        return pd.DataFrame(columns=columns)
    rows = [{"framework": framework, "item": item, "facts": " | ".join(needed),
             "met": any(f in facts for f in needed)}
            for framework, items in regulatory_checklists().items() for item, needed in items.items()]
    return pd.DataFrame(rows, columns=columns)


def check_draft(result: CaseResult, text: str, party: str, language: str | None = None) -> DraftCheck:
    """Check a draft statement for `party` against the case.

    Args:
        result: the analysed case.
        text: the draft (plain text; extracted text of an uploaded file).
        party: the party it speaks for (a party of `result.disclosures`).
        language: "fr", "en"... or None to detect it.

    Returns:
        A DraftCheck.

    Raises:
        CaseError: an empty or over-long draft, or an unknown party.
    """
    if not text or not text.strip():
        raise CaseError("draft", "the draft is empty", "paste or upload the statement to check")
    if len(text) > MAX_DRAFT_CHARS:
        raise CaseError("draft", f"{len(text)} characters, over the limit of {MAX_DRAFT_CHARS}",
                        "check a shorter statement")
    role = _party_role(result, party)
    document = _draft_document(text, party, role, language)
    case = replace(result.case, documents=(document.meta,))
    sentences = split_sentences(document)
    statements = attribute(document, sentences, case)
    found = detect_facts(document, sentences, statements, case)
    own = [m for m in found if m.source_name == party] or list(found)
    labels = {fact.id: fact.label for fact in codebook().facts}
    warnings = []
    if document.language not in SUPPORTED_LANGUAGES:
        warnings.append(f"draft: language '{document.language or 'unknown'}' has no lexicon; no fact can be "
                        "detected (choose fr or en if it is one of them)")

    mentions = pd.DataFrame([{
        "fact": m.fact, "label": labels.get(m.fact, m.fact), "polarity": m.polarity, "value": m.value,
        "cue": m.cue, "specific": m.specific, "hedged": m.hedged, "sentence": m.sentence,
        "html": highlight(m.sentence, m.start, m.end)} for m in own],
        columns=["fact", "label", "polarity", "value", "cue", "specific", "hedged", "sentence", "html"])
    draft_facts = set(mentions["fact"])

    disclosed = result.disclosures[result.disclosures["disclosed"].astype(bool)]
    by_fact = {fact: group for fact, group in disclosed.groupby("fact", sort=False)}
    party_facts = set(disclosed.loc[disclosed["party"] == party, "fact"])
    left_out = pd.DataFrame([{
        "fact": fact, "label": labels[fact], "known_by": " | ".join(by_fact[fact]["party"]),
        "values": " | ".join(dict.fromkeys(v for vs in by_fact[fact]["values"]
                                   for v in (vs if isinstance(vs, list) else str(vs).split(" | ")) if v)),
        "disclosed_by_party": fact in party_facts}
        for fact in labels if fact in by_fact and fact not in draft_facts],
        columns=["fact", "label", "known_by", "values", "disclosed_by_party"])
    added = pd.DataFrame([{
        "fact": fact, "label": labels.get(fact, fact),
        "value": " | ".join(dict.fromkeys(v for v in mentions.loc[mentions["fact"] == fact, "value"] if v)),
        "new_to_case": fact not in by_fact}
        for fact in dict.fromkeys(mentions["fact"]) if fact not in party_facts],
        columns=["fact", "label", "value", "new_to_case"])

    rows = []
    mentions_table = result.mentions
    for fact in dict.fromkeys(mentions["fact"]):
        if not codebook().fact(fact).polar:
            continue
        draft_side = _polarity_side(set(mentions.loc[mentions["fact"] == fact, "polarity"]))
        case_rows = mentions_table[mentions_table["fact"] == fact]
        case_side = _polarity_side(set(case_rows["polarity"]))
        if draft_side in ("yes", "no") and case_side and case_side != draft_side:
            opposite = _NEGATIVE if draft_side == "yes" else _POSITIVE
            against = case_rows[case_rows["polarity"].isin(opposite)]
            rows.append({"fact": fact, "label": labels.get(fact, fact), "draft_polarity": draft_side,
                         "case_polarity": case_side, "parties": " | ".join(dict.fromkeys(against["source_name"])),
                         "evidence": " | ".join(dict.fromkeys(against["sentence"]))})
    contradictions = pd.DataFrame(rows, columns=["fact", "label", "draft_polarity", "case_polarity", "parties",
                                                 "evidence"])

    specificity = float(mentions["specific"].mean()) if len(mentions) else None
    lex = lexicon(document.language)
    # Lexicon patterns match folded text, which keeps offsets: the original wording is cut from them.
    vague = list(dict.fromkeys(document.text[m.start():m.end()] for m in lex.hedges.finditer(fold(document.text)))
                 ) if lex else []
    return DraftCheck(party, role, document.language, len(sentences), mentions, left_out, added, contradictions,
                      specificity, vague, _regulatory(draft_facts), warnings)
