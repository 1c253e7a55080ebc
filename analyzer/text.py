"""Text normalisation and language identification, shared by every stage that reads text.

`normalize` gives every document the same shape whatever it was extracted from (one space
between words, "\\n" line breaks, a blank line between paragraphs) so that character
offsets, sentence splitting and similarity do not depend on the source format.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable

__all__ = ["SUPPORTED_LANGUAGES", "detect_language", "normalize"]

SUPPORTED_LANGUAGES = ("en", "fr")
"""Languages that have cue lexicons; other languages get publisher-only attribution."""

# Invisible characters that split words for a regex without showing on screen.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Fixed-width and no-break spaces (French typography puts U+202F before « ; : ? !).
_SPACE_CHARS = "\u00a0\u202f\u2007\t"
_SPACES = re.compile(f"[{_SPACE_CHARS}]")
# Written to begin with their literal text ("  ", "\n\n\n"): the regex engine then jumps from one
# occurrence to the next instead of trying every space or line break.
_SPACE_RUN = re.compile(r"  +")
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)
_NEWLINE_RUN = re.compile(r"\n\n\n+")
_MIN_LETTERS = 3


def normalize(text: str) -> str:
    """Give text one canonical form, keeping typographic quotes and apostrophes.

    Args:
        text: text as extracted from a document.

    Returns:
        NFC text without BOM or zero-width characters, with "\\n" line breaks, single plain
        spaces, no trailing spaces, paragraphs separated by exactly one blank line, and no
        leading or trailing whitespace.
    """
    # Invisible characters go first: one between a letter and its accent blocks composition.
    # (Regex substitutions: str.translate with a table is slow on non-ASCII text.)
    text = _replace_chars(_INVISIBLE, _INVISIBLE_CHARS, "", text)
    text = _replace_chars(_SPACES, _SPACE_CHARS, " ", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or text.endswith(" "):  # else no space ends a line: no regex attempt at every space
        text = _TRAILING_SPACES.sub("", text)
    text = _NEWLINE_RUN.sub("\n\n", text)
    return text.strip()


def _replace_chars(regex: re.Pattern[str], chars: str, replacement: str, text: str) -> str:
    """`regex.sub(replacement, text)` for a regex matching any one of `chars`, skipped when none occurs.

    Most texts have none of them, and a substring test per character is much faster
    than a regex scan that finds nothing.
    """
    return regex.sub(replacement, text) if any(char in text for char in chars) else text


def detect_language(text: str) -> str:
    """Identify the language of a text.

    Args:
        text: any text; normalised or not.

    Returns:
        An ISO 639-1 code such as "fr" or "en", or "" when the text has fewer than three
        letters (too little to tell).
    """
    if sum(character.isalpha() for character in text) < _MIN_LETTERS:
        return ""
    language, _score = _classifier()(text)
    return str(language)


@functools.lru_cache(maxsize=1)
def _classifier() -> Callable[[str], tuple[str, float]]:
    """py3langid's classifier, imported on first use: its model takes a while to load."""
    import py3langid

    return py3langid.classify
