"""The shipped knowledge: codebook ids match the shared codebook, lexicons compile, bad data is named."""
import re

import pytest

from analyzer import resources
from analyzer.errors import CaseError
from analyzer.model import POLARITIES
from conftest import SHARED, require_shared

SHARED_CODEBOOK = SHARED / "codebook.md"


def test_codebook_has_every_shared_fact_id_in_order():
    require_shared(SHARED_CODEBOOK)
    shared = re.findall(r"^\| (\w+) \|", SHARED_CODEBOOK.read_text(encoding="utf-8"), flags=re.M)
    shared = [fact for fact in shared if fact != "fact"]
    assert [fact.id for fact in resources.codebook().facts] == shared


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_fact_has_cues_in_both_languages(language):
    facts_with_cues = {cue.fact for cue in resources.codebook().cues[language]}
    assert facts_with_cues == {fact.id for fact in resources.codebook().facts}


def test_facts_are_described():
    for fact in resources.codebook().facts:
        assert fact.label and fact.question.endswith("?")
        assert set(fact.polarities) <= set(POLARITIES)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_lexicons_load(language):
    lexicon = resources.lexicon(language)
    assert lexicon.abbreviations and lexicon.stopwords and lexicon.party_nouns
    assert {role for _, role in lexicon.party_nouns} >= {"management", "union", "expert"}


def test_no_lexicon_for_other_languages():
    assert resources.lexicon("de") is None


@pytest.mark.parametrize("raw, field", [
    ({"parties": "x"}, "parties"),
    ({"parties": {"boss": ["chef"]}}, "boss"),
    ({"parties": {"union": [True]}}, "parties.union"),
    ({"parties": {"union": ["..."]}}, "parties.union"),
])
def test_bad_lexicon_data_names_the_field(raw, field):
    with pytest.raises(CaseError) as error:
        resources._patterns_by_role("lexicons/xx.yaml", raw["parties"], "parties")
    assert field in str(error.value) and "\n" not in str(error.value)


# The small words of reported speech: optional keys, each a word list of its own language.
GRAMMAR_PATTERNS = ["adversatives", "complementizers", "infinitive_openers", "inversion_fillers",
                    "relative_pronouns", "negated_relative", "list_joiners", "articles", "addressee_prepositions"]
NEVER = r"(?!x)x"


def _lexicon_from(monkeypatch, raw):
    """The English lexicon compiled from `raw` instead of en.yaml (the process-wide cache untouched)."""
    monkeypatch.setattr(resources, "load_yaml", lambda name: raw)
    return resources.lexicon.__wrapped__("en")


def _english_without(*keys):
    raw = {key: value for key, value in resources.load_yaml("lexicons/en.yaml").items() if key not in keys}
    raw["channels"] = {k: v for k, v in raw["channels"].items() if k not in keys}
    return raw


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("field", GRAMMAR_PATTERNS)
def test_lexicons_have_the_words_of_reported_speech(language, field):
    assert getattr(resources.lexicon(language), field).pattern != NEVER


@pytest.mark.parametrize("language, field, text", [
    ("fr", "adversatives", "mais"), ("en", "adversatives", "however"),
    ("fr", "complementizers", "s'ils"), ("en", "complementizers", "whether"),
    ("fr", "infinitive_openers", "être"), ("en", "infinitive_openers", "to have"),
    ("fr", "inversion_fillers", "a-t-elle"), ("en", "inversion_fillers", "then"),
    ("fr", "relative_pronouns", "lesquelles"), ("en", "relative_pronouns", "whose"),
    ("fr", "negated_relative", "qui n'avait jamais"), ("en", "negated_relative", "who hasn't"),
    ("fr", "list_joiners", "ainsi que"), ("en", "list_joiners", "as well as"),
    ("fr", "articles", "l'"), ("en", "articles", "the"),
    ("fr", "addressee_prepositions", "à leurs"), ("en", "addressee_prepositions", "to"),
])
def test_words_of_reported_speech_are_their_language_s(language, field, text):
    from analyzer.patterns import fold

    other = "en" if language == "fr" else "fr"
    assert getattr(resources.lexicon(language), field).match(fold(text))
    assert not getattr(resources.lexicon(other), field).match(fold(text))


@pytest.mark.parametrize("language, verb_blocker, participle", [("fr", "l", "dénonçant"), ("en", "was", "denouncing")])
def test_verb_blockers_and_participle_endings(language, verb_blocker, participle):
    lex = resources.lexicon(language)
    assert verb_blocker in lex.not_a_verb_after and participle.endswith(lex.participle_endings)


def test_a_missing_grammar_key_never_matches(monkeypatch):
    lex = _lexicon_from(monkeypatch, _english_without(*GRAMMAR_PATTERNS, "not_a_verb_after", "participle_endings"))
    for field in GRAMMAR_PATTERNS:
        assert getattr(lex, field).pattern == NEVER and not getattr(lex, field).search("but that to the")
    assert lex.not_a_verb_after == frozenset() and lex.participle_endings == ()


@pytest.mark.parametrize("field, value", [
    ("adversatives", "but"),
    ("list_joiners", [True]),
    ("articles", ["..."]),
    ("negated_relative", ["who did not ..."]),
    ("not_a_verb_after", "the"),
    ("participle_endings", [""]),
    ("channels.addressee_prepositions", [["to"]]),
])
def test_a_malformed_grammar_key_names_the_file_and_the_field(monkeypatch, field, value):
    raw = _english_without()
    if field.startswith("channels."):
        raw["channels"][field.split(".")[1]] = value
    else:
        raw[field] = value
    with pytest.raises(CaseError) as error:
        _lexicon_from(monkeypatch, raw)
    assert field in str(error.value) and "en.yaml" in str(error.value) and "\n" not in str(error.value)


def test_shipped_yaml_reads_the_same_with_any_yaml_parser():
    """libyaml accepts a bare "mails?" in a flow list; the pure-Python parser (and other tools) do not."""
    import yaml

    from analyzer.resources import data_path
    for path in sorted(data_path("").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(
            text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), path.name


def _codebook_from(monkeypatch, raw):
    """The codebook compiled from `raw` instead of codebook.yaml (the process-wide cache untouched)."""
    monkeypatch.setattr(resources, "load_yaml", lambda name: raw)
    return resources.codebook.__wrapped__()


@pytest.mark.parametrize("elsewhere, message", [
    ("another company", "field 'elsewhere' must map"),
    ({"sometimes": {"en": ["another company"]}}, "field 'elsewhere' must map"),
    ({"anywhere": ["another company"]}, "elsewhere.anywhere must map languages"),
    ({"anywhere": {"en": "another company"}}, "elsewhere.anywhere.en"),
    ({"anywhere": {"en": ["{unknown_family} hit"]}}, "unknown concept"),
])
def test_a_malformed_elsewhere_names_the_file_and_the_field(monkeypatch, elsewhere, message):
    raw = dict(resources.load_yaml("codebook.yaml"), elsewhere=elsewhere)
    with pytest.raises(CaseError, match=re.escape(message)) as error:
        _codebook_from(monkeypatch, raw)
    assert "codebook.yaml" in str(error.value)


def test_elsewhere_patterns_expand_concepts_and_compile_per_language(monkeypatch):
    raw = dict(resources.load_yaml("codebook.yaml"),
               elsewhere={"anywhere": {"en": ["another {it_object} ... hit"]}, "opening": {"fr": ["il y a deux ans"]}})
    book = _codebook_from(monkeypatch, raw)
    anywhere, opening = book.elsewhere["en"]
    assert anywhere.search("another server was hit") and opening is None
    assert book.elsewhere["fr"][0] is None and book.elsewhere["fr"][1].search("il y a deux ans")


def test_a_fact_s_roles_are_checked(monkeypatch):
    raw = resources.load_yaml("codebook.yaml")
    facts = [dict(raw["facts"][0], roles=["management", "journalist"])] + raw["facts"][1:]
    with pytest.raises(CaseError, match=re.escape("roles: unknown role(s) ['journalist']")):
        _codebook_from(monkeypatch, dict(raw, facts=facts))
