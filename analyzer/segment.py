"""Sentence splitting: NLTK's Punkt algorithm, untrained, with our abbreviation lists.

Nothing is downloaded: an untrained `PunktSentenceTokenizer` given the abbreviations of the
language's lexicon splits French and English news text well, and any other language
reasonably. Line breaks always end a sentence: headings and list items carry no period.
"""
from __future__ import annotations

import functools
import re

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from .model import Document, Sentence
from .resources import LEXICON_LANGUAGES, lexicon

_LINE = re.compile(r"[^\n]+")
_OPENING_QUOTES = ("«", "“")
_OPENING_QUOTE_AT_END = re.compile(r"\s*[" + "".join(_OPENING_QUOTES) + r"]\s*$")
# Characters that end Punkt's word token right after a period: a space, or closing marks
# from its non-word characters. (Empty is not among them: "" is in every string.)
_ENDS_A_WORD_TOKEN = tuple(" )\"'’”»")
_MAX_SENTENCE = 2000  # characters; a longer run without punctuation is cut at spaces


class _Punkt(PunktSentenceTokenizer):
    """Punkt, deciding its most common case itself: "word. Next".

    For each period (or ? or !) that may end a sentence, Punkt splits the text around it
    into tokens and annotates them, in Python: most of its time. When the text starts with
    a word of two or more letters that is not a known abbreviation, then a period, then a
    space or a closing mark, that first token is "word." and untrained Punkt always breaks
    after it (it is not an initial nor a number, and a token follows), so the answer is
    given at once. Anything else goes to Punkt.
    """

    def text_contains_sentbreak(self, text: str) -> bool:
        """Punkt's decision for the context of one candidate break."""
        word, period, after = text.partition(".")
        if (period and after[:1] in _ENDS_A_WORD_TOKEN and len(word) >= 2 and word.isalpha()
                and word.lower() not in self._params.abbrev_types):
            return True
        return super().text_contains_sentbreak(text)


class _Realignment:
    """Punkt's realignment regex, not run where it cannot match.

    Between two sentences, Punkt moves closing marks that start the second one to the end of
    the first ("(Sent1.) Sent2."), with a regex run on every next sentence: a run of closing
    marks, then a space, "--" or the end. So a match starts with a character that matches on
    its own, and a sentence that starts with another character (nearly all do) does not
    match: that is told once per character, and the regex is not run.
    """

    def __init__(self, regex):
        self._regex = regex
        self._can_start: dict[str, bool] = {}  # character -> a match may start with it

    def match(self, text: str):
        """`regex.match(text)`, or None at once when `text` cannot match."""
        first = text[:1]
        can_start = self._can_start.get(first)
        if can_start is None:
            can_start = self._can_start[first] = self._regex.match(first) is not None
        return self._regex.match(text) if can_start else None


class _LanguageVars(PunktLanguageVars):
    """Punkt's language variables, with the realignment regex run only where it can match."""

    re_boundary_realignment = _Realignment(PunktLanguageVars.re_boundary_realignment)


@functools.lru_cache(maxsize=None)
def _tokenizer(language: str) -> PunktSentenceTokenizer:
    """An untrained Punkt tokenizer knowing the abbreviations of `language` (all ours if unknown)."""
    languages = (language,) if language in LEXICON_LANGUAGES else LEXICON_LANGUAGES
    params = PunktParameters()
    params.abbrev_types = set().union(*(lexicon(code).abbreviations for code in languages))
    return _Punkt(params, lang_vars=_LanguageVars())


def _cut_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut a span longer than _MAX_SENTENCE at the last space before the limit."""
    spans = []
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start + 1, start + _MAX_SENTENCE)
        cut = cut if cut > start else start + _MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans


def _opening_quotes_forward(line: str, spans) -> list[tuple[int, int]]:
    """Punkt may end a sentence with the « or “ that opens the next one: give it back."""
    spans = list(spans)
    for index in range(len(spans) - 1):
        start, end = spans[index]
        if not line[start:end].rstrip().endswith(_OPENING_QUOTES):
            continue  # the common case, told without a regex search over the sentence
        match = _OPENING_QUOTE_AT_END.search(line, start, end)
        if match and match.start() > start:
            spans[index] = (start, match.start())
            spans[index + 1] = (match.start() + len(match.group()) - len(match.group().lstrip()), spans[index + 1][1])
    return spans


# A sentence that opens with a closing quotation mark and a comma ("», s'interroge X") is the
# incise of the quotation before it: "« Pourquoi payer ? », s'interroge la CGT" is one sentence.
_INCISE_START = re.compile(r"\s*[»”\"]\s*,")
# ... and so is a lowercase word right after a question or exclamation that a quotation closes:
# "“Why should we pay?” asked the union."
_QUOTED_QUESTION_END = re.compile(r"[?!]\s*[»”\"]\s*$")
_LOWERCASE_START = re.compile(r"\s*[a-zà-ÿ]")  # a sentence or a line that goes on another's


def _incises_back(line: str, spans) -> list[tuple[int, int]]:
    """Punkt may end a sentence at the "?" or "!" inside a quotation, before its incise: join them."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and (_INCISE_START.match(line, start) or (
                _LOWERCASE_START.match(line, start) and _QUOTED_QUESTION_END.search(line, *joined[-1]))):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


_LINE_END = re.compile(r"[.!?:;…»”\"'’)\]]\s*$")  # a line that ends a sentence, a heading's colon, a quotation


def _wrapped_lines(text: str) -> list[tuple[int, int]]:
    """The lines of a text, a line wrapped in the middle of a sentence joined to the next.

    Pages and PDFs often break lines at a fixed width: "…qui vient de condamner\nla
    direction à une amende". A line that ends without a sentence's punctuation, followed
    by one that starts in lowercase, goes on the same sentence.
    """
    lines: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        if lines and text[lines[-1][1]:start] == "\n" and _LOWERCASE_START.match(text, start) \
                and not _LINE_END.search(text, lines[-1][0], lines[-1][1]):
            lines[-1] = (lines[-1][0], end)
        else:
            lines.append((start, end))
    return lines


# A date stamp that opens a line ("date 2023-09-14 The council said…", "2021-01-13 10:04 Acme…"):
# page metadata glued to the first sentence. It is the page's date, not what the sentence tells.
_STAMP = re.compile(r"\s*(?:[^\W\d]+\s*:?\s+)?\d{4}-\d{2}(?:-\d{2})?(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?=\s+(?:[\"«“(]\s*)?[A-ZÀ-Þ])")


def _line_parts(text: str) -> list[tuple[int, int]]:
    """The wrapped lines of a text, with a date stamp that opens one split off as a part of its own."""
    parts = []
    for start, end in _wrapped_lines(text):
        stamp = _STAMP.match(text, start, end)
        if stamp:
            parts.append((start, stamp.end()))
            start = stamp.end() + len(text[stamp.end():end]) - len(text[stamp.end():end].lstrip())
        parts.append((start, end))
    return parts


def split_sentences(document: Document) -> tuple[Sentence, ...]:
    """Split a document's text into sentences, in reading order.

    Args:
        document: a document with normalised text and its language.

    Returns:
        Sentences numbered from 1, with offsets into `document.text`; empty text gives ().
    """
    tokenizer = _tokenizer(document.language)
    text = document.text
    sentences: list[Sentence] = []
    for offset, line_end in _line_parts(text):
        line = text[offset:line_end]
        for start, end in _incises_back(line, _opening_quotes_forward(line, tokenizer.span_tokenize(line))):
            for a, b in _cut_long(offset + start, offset + end, text):
                sentence = text[a:b]
                if sentence and not sentence.isspace():
                    sentences.append(Sentence(document.meta.id, len(sentences) + 1, a, b, sentence))
    return tuple(sentences)
