"""Arbitrary text never crashes the pipeline (property-based)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.attribute import attribute
from analyzer.facts import detect_facts
from analyzer.segment import split_sentences
from analyzer.text import normalize
from conftest import make_case, make_document

CASE = make_case()
PIECES = st.sampled_from(["selon la CGT, ", "« ", " »", "“", "”", '"', ", a indiqué la direction", ": ", ";",
                          "aucune fuite de données ", "ransom not paid ", "Friday the 17th ", "30,000 hours ",
                          "\n", ". ", "the statement said ", "elle ajoute que ", "d'après ", "l'", "?", "…"])


def run(text, language):
    document = make_document(normalize(text), language)
    sentences = split_sentences(document)
    statements = attribute(document, sentences, CASE)
    mentions = detect_facts(document, sentences, statements, CASE)
    for mention in mentions:
        assert mention.sentence[mention.start:mention.end] == mention.cue
    for statement in statements:
        assert document.text[statement.start:statement.end] == statement.text
    return mentions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["fr", "en", "de", ""]))
def test_any_unicode(text, language):
    run(text, language)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40), st.sampled_from(["fr", "en"]))
def test_reported_speech_soup(pieces, language):
    run("".join(pieces), language)


@pytest.mark.parametrize("text", ["x" * 200_000, "« " * 5000, '"' * 3001, "mot " * 50_000, "." * 10_000,
                                  "selon " * 2000, "\n" * 1000])
def test_degenerate_inputs(text):
    run(text, "fr")
