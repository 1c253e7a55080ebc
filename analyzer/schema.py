"""One definition of every output table: column order, type, meaning, formula, allowed values.

From it come the column order of the tables, the Frictionless `datapackage.json` written
next to the CSV files, and the data dictionary in README.md (`python -m analyzer.schema
--markdown` prints it; a test fails when the README's copy is out of date).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from .model import CHANNELS, POLARITIES, ROLES

FRAMEWORK_NOTE = "share of the framework's checklist items (analyzer/data/regulations.yaml) the party met"


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    description: str
    enum: tuple[str, ...] = ()
    formula: str = ""
    required: bool = False


def _c(name: str, type_: str, description: str, enum=(), formula: str = "", required: bool = False) -> Column:
    return Column(name, type_, description, tuple(enum), formula, required)


CASE_ID = _c("case_id", "string", "The case's id (case.yaml `id`).", required=True)
LEVELS = ("party", "document")

TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "documents": ("One row per document, in case order.", (
        CASE_ID,
        _c("doc_id", "string", "The document's id (case.yaml).", required=True),
        _c("kind", "string", "Who published it.", ROLES),
        _c("outlet", "string", "The outlet or site that published it."),
        _c("date", "string", "Publication date: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown."),
        _c("language", "string", "ISO 639-1 code, given or detected."),
        _c("n_sentences", "integer", "Sentences found."),
        _c("n_statements", "integer", "Statements found (a clause credited to two sources counts twice)."),
        _c("title", "string", "The document's title, when given."),
        _c("url", "string", "Where it was published, when given."),
        _c("channel", "string", "public, or internal for a memo to staff or a works-council report.", CHANNELS),
    )),
    "statements": ("One row per statement: a clause (or a quotation over sentences) with one source.", (
        CASE_ID,
        _c("doc_id", "string", "The document.", required=True),
        _c("statement_id", "integer", "1-based, in reading order within the document.", required=True),
        _c("sentence_ids", "string", "The sentences it spans, ';'-separated, 1-based."),
        _c("source_role", "string", "Who says it.", ROLES),
        _c("source_name", "string", "The party: a declared party, an outlet, or 'unnamed ROLE'."),
        _c("channel", "string", "To whom: the public, or staff and their representatives.", CHANNELS),
        _c("text", "string", "The statement's words."),
        _c("cue", "string", "The words that attribute it ('la direction assure'); empty for the publisher's narration."),
    )),
    "mentions": ("One row per (sentence, statement, fact) detected.", (
        CASE_ID,
        _c("doc_id", "string", "The document.", required=True),
        _c("sentence_id", "integer", "The sentence, 1-based."),
        _c("statement_id", "integer", "The statement, 1-based."),
        _c("fact", "string", "The codebook fact id (analyzer/data/codebook.yaml)."),
        _c("source_role", "string", "Who discloses it.", ROLES),
        _c("source_name", "string", "The party that discloses it."),
        _c("channel", "string", "The statement's channel.", CHANNELS),
        _c("polarity", "string", "How the statement answers the fact's question.", POLARITIES),
        _c("value", "string", "The answer: a category, 'no', 'none observed', 'undisclosed', figures, dates "
           "(YYYY-MM-DD), durations (ISO 8601), names, or the cue's words; parts separated by '; '."),
        _c("cue", "string", "The words of the sentence that matched."),
        _c("start", "integer", "Offset of the cue in the sentence (characters)."),
        _c("end", "integer", "Offset just after the cue."),
        _c("sentence", "string", "The evidence sentence."),
        _c("specific", "boolean", "The value is concrete: a figure, a date, a name or a precise category."),
        _c("hedged", "boolean", "The clause holds provisional or vague wording (lexicon `hedges`)."),
    )),
    "disclosures": ("Every party × every codebook fact, disclosed or not.", (
        CASE_ID,
        _c("party", "string", "The party (declared parties first, then other sources in order of appearance)."),
        _c("role", "string", "The party's role.", ROLES),
        _c("fact", "string", "The codebook fact id."),
        _c("disclosed", "boolean", "The party disclosed the fact at least once."),
        _c("n_mentions", "integer", "How many mentions."),
        _c("first_date", "string", "Date of the earliest dated document where it did; empty if none is dated."),
        _c("first_doc_id", "string", "That document (the first in case order when none is dated)."),
        _c("values", "string", "Distinct values, ' | '-separated."),
        _c("evidence", "string", "Up to five distinct evidence sentences, ' | '-separated."),
        _c("polarities", "string", "Distinct polarities, ' | '-separated."),
        _c("channels", "string", "Distinct channels, ' | '-separated."),
        _c("exclusive", "boolean", "Only this party disclosed the fact."),
        _c("status", "string", "disclosed; exclusive (only this party); omitted (known from others, not from "
           "this party); unknown (nobody disclosed it).", ("disclosed", "exclusive", "omitted", "unknown")),
        _c("contradicted", "boolean", "Another party answers this fact incompatibly (see contradictions.csv)."),
        _c("internal_only", "boolean", "Disclosed on the internal channel only."),
        _c("internal_values", "string", "Values given only internally for a fact also disclosed in public."),
    )),
    "scores": ("One row per party, then one per document (level). Ratios in [0, 1]; an empty cell is "
               "undefined (empty denominator), never 0.", (
        CASE_ID,
        _c("level", "string", "party or document.", LEVELS),
        _c("name", "string", "The party's name or the document's id."),
        _c("role", "string", "The party's role, or the document's kind.", ROLES),
        _c("n_mentions", "integer", "Mentions by the party (in the document)."),
        _c("n_facts", "integer", "Distinct facts disclosed: |D|."),
        _c("coverage", "number", "Share of the case's known facts disclosed.", formula="|D| / |K|, K = facts "
           "disclosed by anyone; undefined when K is empty"),
        _c("weighted_coverage", "number", "Pyramid coverage: leaving out widely reported facts costs most.",
           formula="Σ_{f∈D} w(f) / Σ_{f∈K} w(f), w(f) = parties(f) + docs(f) / (N + 1)"),
        _c("omissions", "integer", "Known facts not disclosed.", formula="|K \\ D|"),
        _c("exclusives", "integer", "Facts only this party (document) disclosed."),
        _c("contradictions", "integer", "Facts answered incompatibly with another party (parties only).",
           formula="affirmed vs negated/not observed, or same-unit figures differing by > 20 %"),
        _c("specificity", "number", "Share of mentions with a concrete value.",
           formula="specific mentions / mentions; undefined without mentions"),
        _c("hedging", "number", "Share of mentions worded provisionally or vaguely.",
           formula="hedged mentions / mentions; undefined without mentions"),
        _c("lag_days", "number", "Median lag behind the case's first disclosure, over the facts disclosed "
           "(full dates only; parties only)."),
        _c("channel_gap", "integer", "Facts disclosed only internally, or with values given only internally."),
        _c("gdpr_completeness", "number", "GDPR Art. 33(3) / 34: " + FRAMEWORK_NOTE + "."),
        _c("nis2_completeness", "number", "NIS2 Art. 23: " + FRAMEWORK_NOTE + "."),
        _c("sec_completeness", "number", "SEC Form 8-K Item 1.05: " + FRAMEWORK_NOTE + "."),
    )),
    "contradictions": ("One row per fact answered incompatibly by two parties, with both evidence sentences.", (
        CASE_ID,
        _c("fact", "string", "The codebook fact id."),
        _c("kind", "string", "polarity (yes vs no / none observed) or figure (same unit, > 20 % apart).",
           ("polarity", "figure")),
        _c("party_a", "string", "The first party (party order)."),
        _c("role_a", "string", "Its role.", ROLES),
        _c("value_a", "string", "Its value."),
        _c("doc_id_a", "string", "Its evidence document."),
        _c("sentence_a", "string", "Its evidence sentence."),
        _c("party_b", "string", "The second party."),
        _c("role_b", "string", "Its role.", ROLES),
        _c("value_b", "string", "Its value."),
        _c("doc_id_b", "string", "Its evidence document."),
        _c("sentence_b", "string", "Its evidence sentence."),
    )),
    "timeline": ("Per fact and party that disclosed it: its first disclosure, the case's first, the lag.", (
        CASE_ID,
        _c("fact", "string", "The codebook fact id."),
        _c("party", "string", "The party."),
        _c("role", "string", "Its role.", ROLES),
        _c("first_date", "string", "Its earliest dated disclosure; empty when only undated documents have it."),
        _c("first_doc_id", "string", "That document."),
        _c("dated", "boolean", "false: the party disclosed it in undated documents only (not guessed)."),
        _c("case_first_date", "string", "The case's first dated disclosure of the fact."),
        _c("case_first_doc_id", "string", "That document."),
        _c("case_first_party", "string", "Who disclosed it first."),
        _c("lag_days", "integer", "first_date − case_first_date in days; empty without two full dates."),
    )),
    "regulatory": ("Party × regulatory checklist item (analyzer/data/regulations.yaml): met or missing.", (
        CASE_ID,
        _c("party", "string", "The party."),
        _c("role", "string", "Its role.", ROLES),
        _c("framework", "string", "GDPR Art. 33(3) / 34, NIS2 Art. 23 or SEC Form 8-K Item 1.05."),
        _c("item", "string", "The item id."),
        _c("article", "string", "The article or paragraph."),
        _c("label", "string", "What the notification must contain."),
        _c("facts", "string", "The codebook facts that meet it, ' | '-separated."),
        _c("rule", "string", "any: one of the facts suffices; all: every fact is needed.", ("any", "all")),
        _c("met", "boolean", "The party disclosed what the item asks."),
        _c("disclosed_facts", "string", "The item's facts the party disclosed."),
    )),
    "similarity": ("Pairs of documents and of parties, one row per similarity method.", (
        CASE_ID,
        _c("level", "string", "document or party.", LEVELS),
        _c("a", "string", "The first document (party), in case order."),
        _c("b", "string", "The second."),
        _c("method", "string", "words: TF-IDF cosine on Snowball stems without stop words (same language); "
           "chars: TF-IDF cosine on character 3-5-grams (same language; above 200 documents or parties, on a fixed "
           "sample of one n-gram in 8); facts: cosine of (fact, polarity) "
           "vectors; anchors: Jaccard overlap of figures, dates and names; cross_lingual: "
           "0.5 × facts + 0.5 × anchors.", ("words", "chars", "facts", "anchors", "cross_lingual")),
        _c("score", "number", "The similarity, in [0, 1]."),
        _c("same_language", "boolean", "Both sides are in the same language."),
    )),
    "echoes": ("For each statement, the most similar earlier statement of another party or document.", (
        CASE_ID,
        _c("doc_id", "string", "The statement's document."),
        _c("statement_id", "integer", "The statement."),
        _c("source_name", "string", "Who says it."),
        _c("source_role", "string", "Its role.", ROLES),
        _c("echo_doc_id", "string", "The earlier statement's document."),
        _c("echo_statement_id", "integer", "The earlier statement."),
        _c("echo_source_name", "string", "Who said it first."),
        _c("echo_source_role", "string", "Its role.", ROLES),
        _c("score", "number", "TF-IDF cosine on Snowball stems without stop words, in [0, 1] (echoes below 0.2 "
           "are left out)."),
        _c("method", "string", "How it was measured: words (as in similarity.csv).", ("words",)),
        _c("text", "string", "The statement."),
        _c("echo_text", "string", "The earlier statement."),
    )),
    "framing": ("Which vocabulary each document and party uses for the attack (analyzer/data/framing.yaml).", (
        CASE_ID,
        _c("level", "string", "document or party.", LEVELS),
        _c("name", "string", "The document's id or the party's name."),
        _c("role", "string", "The document's kind or the party's role.", ROLES),
        _c("language", "string", "Its language(s)."),
        _c("n_vague", "integer", "Vague terms used ('incident', 'acte malveillant')."),
        _c("n_specific", "integer", "Specific terms used ('ransomware', 'serveurs chiffrés')."),
        _c("vague_terms", "string", "The vague terms, ' | '-separated, in order of first use."),
        _c("specific_terms", "string", "The specific terms, not counting those right after a negation "
           "('no data theft')."),
        _c("concepts", "string", "The concepts its specific terms name (framing.yaml ids, the same in every "
           "language: ransomware, ransom, encryption, data_theft, ransomware_family)."),
        _c("framing", "string", "specific, vague, mixed (as many of each) or none.",
           ("specific", "vague", "mixed", "none")),
        _c("first_used_by", "string", "Whose framing it adopts: the party that first used (earliest in the "
           "case) the largest share of its concepts; ties go to the earliest."),
        _c("adopted_from", "string", "Per party, the share of its concepts that party used first, "
           "' | '-separated 'party share', largest first."),
    )),
}


def columns(table: str) -> list[str]:
    """The column names of a table, in order."""
    return [column.name for column in TABLES[table][1]]


_DTYPES = {"string": "object", "integer": "int64", "number": "float64", "boolean": "bool"}


def dtypes(table: str) -> dict[str, str]:
    """Column name -> pandas dtype of a table (an empty table keeps them, so filters on it still work)."""
    return {column.name: _DTYPES[column.type] for column in TABLES[table][1]}


def _field(column: Column) -> dict:
    """A Frictionless Table Schema field."""
    field: dict = {"name": column.name, "type": column.type,
                   "description": column.description + (f" Formula: {column.formula}." if column.formula else "")}
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    constraints = {}
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.required:
        constraints["required"] = True
    if column.type == "number" and column.name not in ("lag_days",):
        constraints.update({"minimum": 0, "maximum": 1})
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(names: list[str], case_id: str = "") -> dict:
    """A Frictionless Data Package describing the CSV files `names` (table names, in order)."""
    return {
        "profile": "tabular-data-package",
        "name": (f"transparency-{case_id}" if case_id else "transparency").lower().replace("_", "-"),
        "title": "Crisis communication transparency analysis" + (f": {case_id}" if case_id else ""),
        "resources": [{
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": TABLES[name][0],
            "schema": {"fields": [_field(c) for c in TABLES[name][1]], "missingValues": [""]},
        } for name in names],
    }


def datapackage_json(names: list[str], case_id: str = "") -> str:
    """`datapackage` as stable JSON text."""
    return json.dumps(datapackage(names, case_id), ensure_ascii=False, indent=2) + "\n"


def markdown() -> str:
    """The data dictionary as Markdown, for the README."""
    out = []
    for name, (description, cols) in TABLES.items():
        out.append(f"#### `{name}.csv`\n\n{description}\n\n| column | type | meaning |\n|---|---|---|")
        for column in cols:
            meaning = column.description.replace("|", "\\|")
            if column.formula:
                meaning += f" Formula: `{column.formula}`."
            if column.enum:
                meaning += " Values: " + ", ".join(f"`{v}`" for v in column.enum) + "."
            out.append(f"| `{column.name}` | {column.type} | {meaning} |")
        out.append("")
    return "\n".join(out)


START, END = "<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->"


def readme_with_dictionary(readme: str) -> str:
    """The README text with its data-dictionary section replaced by the current `markdown()`."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{markdown()}{END}{tail}"


if __name__ == "__main__":  # python -m analyzer.schema --markdown | --datapackage
    if sys.argv[1:] == ["--datapackage"]:
        sys.stdout.write(datapackage_json(list(TABLES)))
    else:
        sys.stdout.write(markdown())
