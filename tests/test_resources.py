"""The shipped knowledge: codebook ids match the shared codebook, lexicons compile, bad data is named."""
import re

import pytest

from analyzer import resources
from analyzer.errors import CaseError
from analyzer.model import POLARITIES
from conftest import REPO

SHARED_CODEBOOK = REPO.parent / "shared" / "codebook.md"


def test_codebook_has_every_shared_fact_id_in_order():
    if not SHARED_CODEBOOK.exists():
        pytest.fail(f"{SHARED_CODEBOOK} is missing: the shared folder must sit beside the repository")
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
