"""The cue pattern language of the lexicons and the codebook, compiled to regular expressions.

A pattern is a few words, written as a researcher would say them:

    ``chiffrement*``            a word and any ending (chiffrement, chiffrements)
    ``ransom|rançon``           one of these words
    ``fuite* de données``       words that follow one another
    ``hors_service|offline``    ``_`` joins words inside an alternative
    ``serveurs?``               ``?`` makes the letter before it optional
    ``servers ... encrypted``   up to six other words in between, in the same clause
    ``d'heures``                an apostrophe or hyphen is a word separator

Matching ignores case and accents ("Covea" matches "Covéa"), because texts are often
typed without them. Text is folded with `fold`, which keeps one character for one
character, so match offsets point into the original text.
"""
from __future__ import annotations

import functools
import re
import unicodedata

GAP_WORDS = 6
# Between two pattern words: spaces, apostrophes, hyphens (d'heures, cyber-attaque).
_SEPARATOR = r"[\s'’\-]+"
# A gap: up to GAP_WORDS words, never across a clause boundary.
_GAP = r"(?:[^\w.;:!?]+\w+){0,%d}?[^\w.;:!?]+" % GAP_WORDS


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """The lowercase, accentless form of one character (one character long)."""
    lowered = char.lower()
    if len(lowered) != 1:  # "İ".lower() has two characters: keep offsets aligned
        return char
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if base.isalnum() or base.isspace() or not lowered.isalnum() else lowered


def fold(text: str) -> str:
    """Lowercase and strip accents, one character for one character.

    Args:
        text: any text.

    Returns:
        A string of the same length, so offsets in it are offsets in `text`.
    """
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


def _plain_word_regex(word: str) -> str:
    """The regex of one word: ``?`` makes the previous letter optional, ``*`` any ending."""
    wildcard = word.endswith("*")
    word = word.rstrip("*").strip("'’-")  # "d'" and "l'": the separator after them does the work
    pieces = []
    for char in word:
        if char == "?" and pieces:
            pieces[-1] += "?"
        elif char in "'’-":
            pieces.append(_SEPARATOR)
        else:
            pieces.append(re.escape(char))
    if not pieces:
        raise ValueError("empty word")
    return "".join(pieces) + (r"\w*" if wildcard else "")


def _word_regex(word: str) -> str:
    """The regex of one pattern word: alternatives (``|``), multi-word options (``_``)."""
    options = []
    for option in word.split("|"):
        words = [w for w in option.split("_") if w]
        if not words:
            raise ValueError(f"empty alternative in pattern word {word!r}")
        options.append(_SEPARATOR.join(_plain_word_regex(w) for w in words))
    return "(?:" + "|".join(options) + ")" if len(options) > 1 else options[0]


def pattern_regex(pattern: str) -> str:
    """Translate one cue pattern into a regex over folded text (see the module docstring).

    Args:
        pattern: e.g. ``"fuite* de|des données"``.

    Returns:
        The regex source, bounded by word boundaries on both sides.

    Raises:
        ValueError: the pattern is empty or malformed.
    """
    words = fold(pattern).split()
    if not words or words[0] == "..." or words[-1] == "...":
        raise ValueError(f"pattern {pattern!r} must start and end with a word")
    out: list[str] = []
    pending_separator = ""
    for word in words:
        if word == "...":
            pending_separator = _GAP
            continue
        separator = pending_separator or (_SEPARATOR if out else "")
        pending_separator = ""
        out.append(separator + _word_regex(word))
    source = "".join(out)
    return r"(?<!\w)" + source + r"(?!\w)"


def compile_patterns(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of `patterns` (longest alternatives first)."""
    ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
    return re.compile("|".join(f"(?:{pattern_regex(p)})" for p in ordered))


def literal_regex(phrase: str) -> str:
    """A regex matching `phrase` word for word (a proper name), over folded text."""
    words = [w for w in re.split(r"[\s'’\-]+", fold(phrase)) if w]
    if not words:
        raise ValueError(f"empty phrase {phrase!r}")
    return r"(?<!\w)" + _SEPARATOR.join(re.escape(w) for w in words) + r"(?!\w)"
