"""Loads the knowledge shipped as data under `analyzer/data/`: one place, read once.

Codebook, cue lexicons, party nouns, value vocabularies and regulatory checklists are YAML
files a researcher can read and extend. Every loader here validates what it reads and
raises `CaseError` naming the file and the field when something is off, so a bad edit to
a lexicon gives one clear line, not a traceback deep inside a stage.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field as dataclass_field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from .errors import CaseError
from .model import POLARITIES, ROLES
from .patterns import anchors, compile_patterns, first_words

DATA_PACKAGE = "analyzer.data"


def data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``data_path("codebook.yaml")``."""
    return Path(str(importlib_resources.files(DATA_PACKAGE).joinpath(name)))


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Parse a shipped YAML file once per process.

    Args:
        name: path relative to `analyzer/data/`, e.g. ``"lexicons/fr.yaml"``.

    Returns:
        The parsed document (treat it as read-only: it is shared).
    """
    path = data_path(name)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise CaseError(path, "shipped data file is missing", "reinstall the package") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise CaseError(where, f"invalid YAML ({getattr(error, 'problem', error)})",
                        "fix the data file") from None


# --- Lexicons ------------------------------------------------------------------------

LEXICON_LANGUAGES = ("en", "fr")
VALUE_KINDS = ("number", "money", "date", "duration")


@dataclass(frozen=True)
class Lexicon:
    """One language's wording, compiled: what the attribution and polarity rules apply."""

    language: str
    abbreviations: frozenset[str]
    stopwords: frozenset[str]
    party_nouns: tuple[tuple[str, str], ...]  # (pattern, role): how texts name a role
    organisations: tuple[tuple[str, str], ...]  # (pattern, role): well-known names (unions, outlets, agencies)
    pronouns: re.Pattern[str]
    first_person: re.Pattern[str]  # "we", "nous": the publisher's own voice
    documents: re.Pattern[str]
    according_to: re.Pattern[str]
    framing: re.Pattern[str]  # "Pour la CGT," at the start of a sentence
    verbs: re.Pattern[str]  # groups: clause, say, content
    internal_audience: re.Pattern[str]
    addressee_verbs: re.Pattern[str]
    internal_setting: re.Pattern[str]
    public_channel: re.Pattern[str]
    negation: re.Pattern[str]
    not_negation: re.Pattern[str]
    observation: re.Pattern[str]
    withholding: re.Pattern[str]
    withheld: re.Pattern[str]
    hedges: re.Pattern[str]
    boilerplate: re.Pattern[str]
    clause_openers: re.Pattern[str]
    # The small words of reported speech, which the attribution rules put between punctuation:
    adversatives: re.Pattern[str]  # ", mais" / ", but": the speaker may change
    complementizers: re.Pattern[str]  # "que", "whether": what a clause verb's speech opens with
    infinitive_openers: re.Pattern[str]  # "ne", "to have": ... or its infinitive clause
    not_a_verb_after: frozenset[str]  # "la", "was": before a verb form, make it a noun or a passive
    inversion_fillers: re.Pattern[str]  # "nous", "then": between a comma and an inverted verb
    relative_pronouns: re.Pattern[str]
    negated_relative: re.Pattern[str]  # "qui n'a", "who did not": right before a verb, no speech
    negated_speech: re.Pattern[str]  # "did not", "n'a pas": right before a reporting verb, what was not said
    negated_subjects: re.Pattern[str]  # "neither", "aucun": in the subject of a reporting verb, nobody said it
    negative_determiners: re.Pattern[str]  # "no", "aucun": opening the subject, they negate its predicate
    auxiliaries: re.Pattern[str]  # "was", "a été": where a subject's predicate begins
    document_places: re.Pattern[str]  # "on", "publié sur": after a document, where it was posted (its author's page)
    parentheticals: re.Pattern[str]  # "for its part", "de son côté", "elle": between commas, subject and verb
    reproduced: re.Pattern[str]  # "le message suivant :", "as follows:": a message is reproduced after the colon
    infinitive_markers: re.Pattern[str]  # "to": right after a verb, an infinitive follows ("expected to cost")
    speech_nouns: re.Pattern[str]  # "assurances", "l'annonce": with a party and "that", its speech
    list_joiners: re.Pattern[str]  # "et", "as well as": between the parties one cue names
    belonging: re.Pattern[str]  # "de", "of": between a role noun and its party ("un salarié de MMA")
    prepositions: re.Pattern[str]  # "from", "à": a party right after one is not the subject of a verb
    verb_coordinators: re.Pattern[str]  # "and", "et": a verb right after one shares the previous verb's subject
    articles: re.Pattern[str]  # dropped before a name the lexicon does not know
    addressee_prepositions: re.Pattern[str]  # "aux", "to": right after a verb, its audience
    participle_endings: tuple[str, ...]
    clause_boundaries: re.Pattern[str]  # "mais", "whereas": a cue's polarity is read up to them
    # Words a text needs for these to match (see `patterns.anchors`; None: unknown).
    negation_anchors: tuple[str, ...] | None = None
    withheld_anchors: tuple[str, ...] | None = None
    hedges_anchors: tuple[str, ...] | None = None
    not_negation_anchors: tuple[str, ...] | None = None


def _strings(where: str, value: Any, field: str) -> list[str]:
    """A list of non-empty strings, or a CaseError naming the field."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CaseError(where, f"field '{field}' must be a list of non-empty strings",
                        "quote words YAML reads as booleans (no, on, off)")
    return value


def _compiled(where: str, patterns: list[str], field: str) -> re.Pattern[str]:
    """Compile a list of cue patterns, naming the field on a bad one."""
    try:
        return compile_patterns(_strings(where, patterns, field)) if patterns else re.compile(r"(?!x)x")
    except (ValueError, re.error) as error:
        raise CaseError(where, f"field '{field}': bad pattern ({error})", "fix the pattern") from None


def _patterns_by_role(where: str, raw: Any, field: str) -> tuple[tuple[str, str], ...]:
    """(pattern, role) pairs from a mapping role -> patterns, each pattern checked."""
    if not isinstance(raw, dict):
        raise CaseError(where, f"field '{field}' must map roles to lists of patterns", "see lexicons/en.yaml")
    unknown = set(raw) - set(ROLES)
    if unknown:
        raise CaseError(where, f"{field}: unknown role(s) {sorted(unknown)}", f"use one of {', '.join(ROLES)}")
    pairs = tuple((pattern, role) for role in ROLES
                  for pattern in _strings(where, raw.get(role) or [], f"{field}.{role}"))
    for pattern, role in pairs:
        _compiled(where, [pattern], f"{field}.{role}")
    return pairs


@functools.lru_cache(maxsize=None)
def lexicon(language: str) -> Lexicon | None:
    """The compiled lexicon of `language`, or None when the analyzer has none for it.

    Args:
        language: an ISO 639-1 code such as ``"fr"``.

    Returns:
        The Lexicon, loaded and validated once per process.
    """
    if language not in LEXICON_LANGUAGES:
        return None
    name = f"lexicons/{language}.yaml"
    raw = load_yaml(name)
    where = str(data_path(name))
    if not isinstance(raw, dict):
        raise CaseError(where, "a lexicon must be a mapping", "see lexicons/en.yaml")
    required = ("abbreviations", "stopwords", "parties", "pronouns", "documents", "according_to",
                "reporting_verbs", "channels", "negation", "observation", "withholding",
                "withheld", "hedges", "clause_openers")
    for key in required:
        if key not in raw:
            raise CaseError(where, f"missing field '{key}'", "add it (see lexicons/en.yaml)")
    party_nouns = _patterns_by_role(where, raw["parties"], "parties")
    organisations = _patterns_by_role(where, raw.get("organisations") or {}, "organisations")
    verbs = raw["reporting_verbs"]
    verb_groups = []
    for group in ("clause", "say", "content"):
        if verbs.get(group):
            source = _compiled(where, verbs[group], f"reporting_verbs.{group}").pattern
            verb_groups.append(f"(?P<{group}>{source})")
    channels = raw["channels"]
    return Lexicon(
        language=language,
        abbreviations=frozenset(a.lower() for a in _strings(where, raw["abbreviations"], "abbreviations")),
        stopwords=frozenset(w.lower() for w in _strings(where, raw["stopwords"], "stopwords")),
        party_nouns=party_nouns,
        organisations=organisations,
        pronouns=_compiled(where, raw["pronouns"], "pronouns"),
        first_person=_compiled(where, raw.get("first_person") or [], "first_person"),
        documents=_compiled(where, raw["documents"], "documents"),
        according_to=_compiled(where, raw["according_to"], "according_to"),
        framing=_compiled(where, raw.get("framing") or [], "framing"),
        verbs=re.compile("|".join(verb_groups)),
        internal_audience=_compiled(where, channels.get("internal") or [], "channels.internal"),
        addressee_verbs=_compiled(where, channels.get("addressee_verbs") or [], "channels.addressee_verbs"),
        internal_setting=_compiled(where, channels.get("internal_setting") or [], "channels.internal_setting"),
        public_channel=_compiled(where, channels.get("public") or [], "channels.public"),
        negation=_compiled(where, raw["negation"], "negation"),
        not_negation=_compiled(where, raw.get("not_negation") or [], "not_negation"),
        observation=_compiled(where, raw["observation"], "observation"),
        withholding=_compiled(where, raw["withholding"], "withholding"),
        withheld=_compiled(where, raw["withheld"], "withheld"),
        hedges=_compiled(where, raw["hedges"], "hedges"),
        boilerplate=_compiled(where, raw.get("boilerplate") or [], "boilerplate"),
        clause_openers=_compiled(where, raw["clause_openers"], "clause_openers"),
        adversatives=_compiled(where, raw.get("adversatives") or [], "adversatives"),
        complementizers=_compiled(where, raw.get("complementizers") or [], "complementizers"),
        infinitive_openers=_compiled(where, raw.get("infinitive_openers") or [], "infinitive_openers"),
        not_a_verb_after=frozenset(w.lower().strip("'’") for w in
                                   _strings(where, raw.get("not_a_verb_after") or [], "not_a_verb_after")),
        inversion_fillers=_compiled(where, raw.get("inversion_fillers") or [], "inversion_fillers"),
        relative_pronouns=_compiled(where, raw.get("relative_pronouns") or [], "relative_pronouns"),
        negated_relative=_compiled(where, raw.get("negated_relative") or [], "negated_relative"),
        negated_speech=_compiled(where, raw.get("negated_speech") or [], "negated_speech"),
        negated_subjects=_compiled(where, raw.get("negated_subjects") or [], "negated_subjects"),
        negative_determiners=_compiled(where, raw.get("negative_determiners") or [], "negative_determiners"),
        auxiliaries=_compiled(where, raw.get("auxiliaries") or [], "auxiliaries"),
        document_places=_compiled(where, raw.get("document_places") or [], "document_places"),
        parentheticals=_compiled(where, raw.get("parentheticals") or [], "parentheticals"),
        reproduced=_compiled(where, raw.get("reproduced") or [], "reproduced"),
        infinitive_markers=_compiled(where, raw.get("infinitive_markers") or [], "infinitive_markers"),
        speech_nouns=_compiled(where, raw.get("speech_nouns") or [], "speech_nouns"),
        list_joiners=_compiled(where, raw.get("list_joiners") or [], "list_joiners"),
        belonging=_compiled(where, raw.get("belonging") or [], "belonging"),
        prepositions=_compiled(where, raw.get("prepositions") or [], "prepositions"),
        verb_coordinators=_compiled(where, raw.get("verb_coordinators") or [], "verb_coordinators"),
        articles=_compiled(where, raw.get("articles") or [], "articles"),
        addressee_prepositions=_compiled(where, channels.get("addressee_prepositions") or [],
                                         "channels.addressee_prepositions"),
        participle_endings=tuple(w.lower() for w in
                                 _strings(where, raw.get("participle_endings") or [], "participle_endings")),
        clause_boundaries=_compiled(where, raw.get("clause_boundaries") or [], "clause_boundaries"),
        negation_anchors=anchors(raw["negation"]),
        withheld_anchors=anchors(raw["withheld"]),
        hedges_anchors=anchors(raw["hedges"]),
        not_negation_anchors=anchors(raw.get("not_negation") or []),
    )


# --- Codebook ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One way a fact shows in one language: patterns, and what they imply."""

    fact: str
    regex: re.Pattern[str] | None  # None for a cue that is a value (when_value)
    requires: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    value: str = ""
    specific: bool = False
    when_value: str = ""
    anchors: tuple[str, ...] | None = None  # a sentence without any of these cannot match (None: try it)
    requires_anchors: tuple[str, ...] | None = None  # the same for `requires`
    starts: tuple[str, ...] | None = None  # every match starts with one of these (None: unknown; see `first_words`)


@dataclass(frozen=True)
class Fact:
    """A codebook entry: a question a statement can answer."""

    id: str
    label: str
    question: str
    polarities: tuple[str, ...]
    value_kinds: tuple[str, ...] = ()
    names: bool = False
    requires_value: str = ""
    polar: bool = True
    presupposes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # the parties whose statements answer it (empty: every party)


@dataclass(frozen=True)
class Codebook:
    """The facts, in codebook order, and their cues compiled per language."""

    facts: tuple[Fact, ...]
    cues: dict[str, tuple[Cue, ...]]  # language -> cues
    # language -> (anywhere, opening): what tells that a sentence is about another or an
    # earlier incident ("another council was hit"; "Three years ago, …" before the first comma).
    elsewhere: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = dataclass_field(default_factory=dict)

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (KeyError when unknown)."""
        return self._by_id[fact_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}


_CONCEPT = re.compile(r"\{(\w+)\}")


def _concepts(where: str, raw: Any) -> dict[str, dict[str, str]]:
    """The codebook's word families: name -> language -> the alternatives of one pattern word ("a|b_c")."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CaseError(where, "field 'concepts' must map names to word lists by language",
                        "see the header of codebook.yaml")
    families: dict[str, dict[str, str]] = {}
    for name, by_language in raw.items():
        if not isinstance(by_language, dict):
            raise CaseError(where, f"concepts.{name} must map languages to word lists", "see codebook.yaml")
        families[name] = {}
        for language, words in by_language.items():
            words = _strings(where, words, f"concepts.{name}.{language}")
            if any(" " in word.strip() or "|" in word for word in words):
                raise CaseError(where, f"concepts.{name}.{language}: one word per entry",
                                "join the words of a phrase with _ ('hors_service')")
            families[name][language] = "|".join(word.strip() for word in words)
    return families


def _expand(where: str, patterns: list[str], field: str, language: str,
            families: dict[str, dict[str, str]]) -> list[str]:
    """Cue patterns with each `{concept}` replaced by that family's words in `language`."""
    def words(match: re.Match[str]) -> str:
        family = families.get(match.group(1))
        if family is None:
            raise CaseError(where, f"{field}: unknown concept {{{match.group(1)}}}",
                            f"define it under 'concepts' (known: {', '.join(sorted(families)) or 'none'})")
        if language not in family:
            raise CaseError(where, f"{field}: concept {{{match.group(1)}}} has no '{language}' words",
                            f"add concepts.{match.group(1)}.{language}")
        return family[language]
    return [_CONCEPT.sub(words, pattern) for pattern in _strings(where, patterns, field)]


def _expanded_cue(where: str, field: str, raw: dict[str, Any], families: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A cue entry with the concepts of its patterns, `requires` and `unless` written out."""
    expanded = dict(raw)
    for language in LEXICON_LANGUAGES:
        if raw.get(language):
            expanded[language] = _expand(where, raw[language], f"{field}.{language}", language, families)
    for key in ("requires", "unless"):
        if isinstance(raw.get(key), dict):
            expanded[key] = {language: _expand(where, patterns, f"{field}.{key}.{language}", language, families)
                             for language, patterns in raw[key].items() if patterns}
    return expanded


def _codebook_cue(where: str, fact_id: str, index: int, raw: Any, language: str,
                  families: dict[str, dict[str, str]]) -> Cue | None:
    """Compile one cue entry of a fact for one language (None when it has no patterns there)."""
    field = f"facts.{fact_id}.cues[{index}]"
    if not isinstance(raw, dict):
        raise CaseError(where, f"{field} must be a mapping", "see the header of codebook.yaml")
    unknown = set(raw) - {"fr", "en", "requires", "unless", "value", "specific", "when_value"}
    if unknown:
        raise CaseError(where, f"{field}: unknown key(s) {sorted(unknown)}", "see the header of codebook.yaml")
    raw = _expanded_cue(where, field, raw, families)
    requires_raw = (raw.get("requires") or {}).get(language) or []
    requires = _compiled(where, requires_raw, f"{field}.requires.{language}") if requires_raw else None
    requires_anchors = anchors(requires_raw) if requires_raw else None
    unless_raw = (raw.get("unless") or {}).get(language) or []
    unless = _compiled(where, unless_raw, f"{field}.unless.{language}") if unless_raw else None
    when_value = raw.get("when_value") or ""
    if when_value:
        if when_value not in VALUE_KINDS:
            raise CaseError(where, f"{field}.when_value: unknown value kind {when_value!r}",
                            f"use one of {', '.join(VALUE_KINDS)}")
        return Cue(fact_id, None, requires, unless, str(raw.get("value") or ""), bool(raw.get("specific")),
                   when_value, requires_anchors=requires_anchors)
    patterns = raw.get(language) or []
    if not patterns:
        return None
    regex = _compiled(where, patterns, f"{field}.{language}")
    return Cue(fact_id, regex, requires, unless, str(raw.get("value") or ""), bool(raw.get("specific")),
               anchors=anchors(patterns), requires_anchors=requires_anchors, starts=first_words(patterns))


@functools.lru_cache(maxsize=None)
def codebook() -> Codebook:
    """The shipped codebook, validated and compiled once per process.

    Returns:
        The Codebook: facts in file order, cues per lexicon language.
    """
    name = "codebook.yaml"
    where = str(data_path(name))
    raw = load_yaml(name)
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), list) or not raw["facts"]:
        raise CaseError(where, "field 'facts' must be a non-empty list", "see the header of codebook.yaml")
    facts: list[Fact] = []
    families = _concepts(where, raw.get("concepts"))
    cues: dict[str, list[Cue]] = {language: [] for language in LEXICON_LANGUAGES}
    for position, entry in enumerate(raw["facts"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise CaseError(where, f"facts[{position}] needs an 'id'", "see the header of codebook.yaml")
        fact_id = entry["id"]
        if any(f.id == fact_id for f in facts):
            raise CaseError(where, f"facts[{position}]: duplicate id {fact_id!r}", "give each fact its own id")
        polarities = tuple(entry.get("polarities") or ("affirmed",))
        bad = set(polarities) - set(POLARITIES)
        kinds = tuple(entry.get("value_kinds") or ())
        bad_kinds = set(kinds) - set(VALUE_KINDS) | ({entry["requires_value"]} - set(VALUE_KINDS)
                                                     if entry.get("requires_value") else set())
        if bad or bad_kinds:
            raise CaseError(where, f"facts.{fact_id}: unknown polarity or value kind {sorted(bad | bad_kinds)}",
                            f"use {', '.join(POLARITIES)} / {', '.join(VALUE_KINDS)}")
        roles = tuple(_strings(where, entry["roles"], f"facts.{fact_id}.roles")) if "roles" in entry else ()
        if set(roles) - set(ROLES):
            raise CaseError(where, f"facts.{fact_id}.roles: unknown role(s) {sorted(set(roles) - set(ROLES))}",
                            f"use {', '.join(ROLES)}")
        facts.append(Fact(fact_id, str(entry.get("label") or fact_id), str(entry.get("question") or ""),
                          polarities, kinds, bool(entry.get("names")), str(entry.get("requires_value") or ""),
                          bool(entry.get("polar", True)), tuple(entry.get("presupposes") or ()), roles))
        raw_cues = entry.get("cues")
        if not isinstance(raw_cues, list) or not raw_cues:
            raise CaseError(where, f"facts.{fact_id}.cues must be a non-empty list", "add cue patterns")
        for index, raw_cue in enumerate(raw_cues):
            for language in LEXICON_LANGUAGES:
                cue = _codebook_cue(where, fact_id, index, raw_cue, language, families)
                if cue is not None:
                    cues[language].append(cue)
    return Codebook(tuple(facts), {language: tuple(c) for language, c in cues.items()},
                    _elsewhere(where, raw.get("elsewhere"), families))


def _elsewhere(where: str, raw: Any, families: dict[str, dict[str, str]]
               ) -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """The codebook's `elsewhere` patterns by language: (anywhere, opening), each None when absent."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - {"anywhere", "opening"}:
        raise CaseError(where, "field 'elsewhere' must map 'anywhere' and 'opening' to patterns by language",
                        "see the header of codebook.yaml")
    compiled = {}
    for language in LEXICON_LANGUAGES:
        parts = []
        for key in ("anywhere", "opening"):
            by_language = raw.get(key) or {}
            if not isinstance(by_language, dict):
                raise CaseError(where, f"elsewhere.{key} must map languages to pattern lists", "see codebook.yaml")
            patterns = by_language.get(language)
            field = f"elsewhere.{key}.{language}"
            parts.append(_compiled(where, _expand(where, patterns, field, language, families), field)
                         if patterns else None)
        compiled[language] = (parts[0], parts[1])
    return compiled
