"""Sentence splitting: NLTK's Punkt algorithm, untrained, with our abbreviation lists.

Nothing is downloaded: an untrained `PunktSentenceTokenizer` given the abbreviations of the
language's lexicon splits French and English news text well, and any other language
reasonably. Line breaks always end a sentence: headings and list items carry no period.
"""
from __future__ import annotations

import functools
import re

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from .model import Document, Sentence
from .resources import LEXICON_LANGUAGES, lexicon

_LINE = re.compile(r"[^\n]+")
# Punkt keeps a sentence whole up to a closing quote; these split it after "…" and "»" too.
_MAX_SENTENCE = 2000  # characters; a longer run without punctuation is cut at spaces


@functools.lru_cache(maxsize=None)
def _tokenizer(language: str) -> PunktSentenceTokenizer:
    """An untrained Punkt tokenizer knowing the abbreviations of `language` (all ours if unknown)."""
    languages = (language,) if language in LEXICON_LANGUAGES else LEXICON_LANGUAGES
    params = PunktParameters()
    params.abbrev_types = set().union(*(lexicon(code).abbreviations for code in languages))
    return PunktSentenceTokenizer(params)


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
    for line in _LINE.finditer(text):
        for start, end in tokenizer.span_tokenize(line.group()):
            for a, b in _cut_long(line.start() + start, line.start() + end, text):
                if text[a:b].strip():
                    sentences.append(Sentence(document.meta.id, len(sentences) + 1, a, b, text[a:b]))
    return tuple(sentences)
