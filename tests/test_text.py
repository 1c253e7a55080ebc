"""Tests for analyzer.text: normalisation and language detection."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from analyzer.text import SUPPORTED_LANGUAGES, detect_language, normalize


@pytest.mark.parametrize("label, raw, expected", [
    ("BOM", "\ufeffBonjour", "Bonjour"),
    ("zero-width chars", "cy\u200bber\u200c\u200datt\u2060aque\ufeff", "cyberattaque"),
    ("CRLF and CR", "a\r\nb\rc", "a\nb\nc"),
    ("no-break spaces", "« Aucune\u00a0fuite\u202f» ; 1\u2007000", "« Aucune fuite » ; 1 000"),
    ("tabs", "a\tb\t\tc", "a b c"),
    ("space runs", "The   insurer  said", "The insurer said"),
    ("trailing spaces per line", "ligne un   \nligne deux \t", "ligne un\nligne deux"),
    ("3+ newlines to one blank line", "a\n\n\n\nb\n \n \n\nc", "a\n\nb\n\nc"),
    ("single blank line kept", "para one\n\npara two", "para one\n\npara two"),
    ("outer whitespace", "\n\n  text \n\n", "text"),
    ("NFC", "e\u0301te\u0301", "été"),
    ("NFC across removed zero-width", "e\u200b\u0301", "é"),
    ("typographic quotes kept", "L’assureur « affirme » “this” ‘that’",
     "L’assureur « affirme » “this” ‘that’"),
    ("empty", "", ""),
    ("whitespace only", " \n\t\r\n ", ""),
])
def test_normalize(label: str, raw: str, expected: str) -> None:
    assert normalize(raw) == expected, label


@given(st.text())
def test_normalize_is_idempotent_and_canonical(raw: str) -> None:
    text = normalize(raw)
    assert normalize(text) == text
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\t" not in text and "\n\n\n" not in text
    assert text == text.strip()


@pytest.mark.parametrize("text, language", [
    ("Depuis une semaine, l'assureur mutualiste MMA est touché par une attaque informatique.",
     "fr"),
    ("« Aucune fuite de données n’a été constatée », assure la direction.", "fr"),
    ("Early last week, the insurer announced on its site that it had been the victim of a "
     "computer attack.", "en"),
    ("The ransom was not paid, according to the union.", "en"),
    ("Die Versicherung wurde Opfer eines Cyberangriffs, teilte das Unternehmen mit.", "de"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   \n\t", "ab", "12 345 !!", "a1 b2 -"])
def test_detect_language_needs_three_letters(text: str) -> None:
    assert detect_language(text) == ""


def test_detect_language_is_deterministic() -> None:
    text = "Le syndicat dénonce un manque de transparence."
    assert {detect_language(text) for _ in range(5)} == {"fr"}


def test_supported_languages() -> None:
    assert SUPPORTED_LANGUAGES == ("en", "fr")
