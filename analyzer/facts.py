"""Fact detection: which codebook facts each statement discloses, with polarity and value.

Every cue of the language's codebook is matched against each sentence (case- and
accent-insensitive, see `analyzer.patterns`); a match belongs to the statement (clause)
it falls in. Around the match, the lexicon's negation, observation and withholding words
decide the polarity ("aucune fuite … n'a été constatée" -> not_observed; "has not been
paid" -> negated; "the amount has not been disclosed" -> withheld), and `analyzer.values`
supplies concrete values: figures with units, money, dates resolved against the
document date, durations. Proper names of the clause fill name-valued facts.
"""
from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from typing import NamedTuple

from .model import Case, Document, Mention, Sentence, Statement
from .patterns import Prefilter, StartFinder, fold
from .resources import Codebook, Cue, Fact, Lexicon, codebook, lexicon
from .values import Value, extract_values

_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_BOUNDARY_MARKS = r"[,;:()«»“”\"]"  # end the clause around a cue, in every language, with the lexicon's words
_PROPER_NAME = re.compile(r"(?<![\w.])[A-ZÀ-Ý][\w’'\-]*(?:[ \-](?:de |du |des |of )?[A-ZÀ-Ý][\w’'\-]*)*")
_ACRONYM = re.compile(r"[A-ZÀ-Ý]{2,}\b")
_ELIDED = re.compile(r"[LDldj]['’](?=[A-ZÀ-Ý])")  # "L'Anssi", "d'Orange": the name follows
_BEFORE_WORDS = 6
_SUBJECT_WORDS = 14  # a subject a negative determiner opens may be this long ("no customer names or passport scans or card details were …")
_AFTER_WORDS = 8
_ELLIPSIS_WORDS = 12  # a voice this short, with no cue of its own, answers its neighbour's question
_CUE_VALUE_CHARS = 80
_NAME_WINDOW = 80  # characters around a cue where the names of a name-valued fact are taken
# A value a fact requires (the date of an incident) is the cue's only when at most this many
# words stand between them: "the attack of 17 July", not "on 26 September staff vote, as the attack …".
_REQUIRED_VALUE_WORDS = 8
_QUOTATION_MARK = re.compile(r"[«»“”\"]")


def reference_date(date: str) -> datetime.date | None:
    """A document's date as a `datetime.date`, when it is a full YYYY-MM-DD date."""
    try:
        return datetime.date.fromisoformat(date) if len(date) == 10 else None
    except ValueError:
        return None


_OPENING = re.compile(r"[,;:]")


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _tells_of_another_incident(elsewhere: tuple[re.Pattern[str] | None, re.Pattern[str] | None], folded: str,
                               earlier_than: int | None = None) -> bool:
    """Whether a sentence is about another organisation's, or an earlier, incident (see codebook `elsewhere`).

    Besides the codebook's patterns, an opening that dates the sentence before `earlier_than`
    ("In 2019, a manufacturer …" in a case whose documents start in 2023) sets an earlier scene.
    """
    anywhere, opening = elsewhere
    if anywhere is not None and anywhere.search(folded):
        return True
    comma = _OPENING.search(folded)
    if comma is None:
        return False
    if earlier_than is not None:
        years = [int(year) for year in _YEAR.findall(folded, 0, comma.start())]
        if years and max(years) < earlier_than:
            return True
    return opening is not None and opening.search(folded, 0, comma.start()) is not None


def _earlier_than(case: Case) -> int | None:
    """The year before which a sentence's opening tells an earlier story: a year before the case's first document."""
    year = case.earliest_year()
    return year - 1 if year is not None else None


@functools.lru_cache(maxsize=None)
def _boundary(language: str) -> re.Pattern[str]:
    """What ends the clause around a cue: punctuation, or one of the lexicon's `clause_boundaries`."""
    return re.compile(f"{_BOUNDARY_MARKS}|(?:{lexicon(language).clause_boundaries.pattern})")


def _words_before(lex: Lexicon, folded: str, start: int, floor: int) -> list[str]:
    """The words of folded[floor:start] after its last clause boundary."""
    text = folded[floor:start]
    boundaries = list(_boundary(lex.language).finditer(text))
    if boundaries:
        text = text[boundaries[-1].end():]
    return _WORD.findall(text)


def _window_before(lex: Lexicon, folded: str, start: int, floor: int) -> str:
    """The words before `start` back to the clause boundary, at most _BEFORE_WORDS."""
    return " ".join(_words_before(lex, folded, start, floor)[-_BEFORE_WORDS:])


def _negated_subject(lex: Lexicon, folded: str, start: int, floor: int) -> bool:
    """Whether a negative determiner opens the subject the cue is in or ends: "no customer names
    or passport scans or card details were exposed". No verb, relative pronoun or
    "that" between them: in "no data was stolen in the attack", the attack is not negated."""
    words = _words_before(lex, folded, start, floor)[-_SUBJECT_WORDS:]
    last = max((i for i, word in enumerate(words) if lex.negative_determiners.fullmatch(word)), default=None)
    if last is None:
        return False
    rest = " ".join(words[last + 1:])
    return not (lex.relative_pronouns.search(rest) or lex.complementizers.search(rest) or lex.auxiliaries.search(rest))


def _window_after(lex: Lexicon, folded: str, end: int, ceiling: int) -> str:
    """The words after `end` up to the clause boundary, at most _AFTER_WORDS."""
    text = folded[end:ceiling]
    boundary = _boundary(lex.language).search(text)
    if boundary:
        text = text[:boundary.start()]
    return " ".join(_WORD.findall(text)[:_AFTER_WORDS])


def _blank_false_negations(lex: Lexicon, folded: str, ceiling: int) -> str:
    """`folded` with the negation words that negate nothing ("sans doute", "not only") blanked out.

    Only folded[:ceiling] is searched, as if the text ended there: the clause's end.
    """
    return lex.not_negation.sub(lambda m: " " * len(m.group()), folded[:ceiling]) + folded[ceiling:]


def _polarity(lex: Lexicon, blanked: str, start: int, end: int, floor: int, ceiling: int,
              next_cue: int | None = None, unless: re.Pattern[str] | None = None,
              may_negate: bool = True) -> str:
    """How the clause answers the question: affirmed, negated, not_observed or withheld.

    `blanked` is the folded sentence through `_blank_false_negations(lex, folded, ceiling)`.
    `next_cue` is where another fact's cue starts later in the same clause: a negation
    before this cue then belongs to that predicate ("aucune rançon n'a été versée" negates
    the payment, not the ransom), and the words after this cue stop there.
    `may_negate` False says that no word around the cue can begin a negation or a withheld
    phrase (see `_SentenceFacts._may_negate`): the answer is then affirmed, unless `unless`
    cancels it, and the rest of the clause need not be looked at.
    """
    folded = blanked
    if not may_negate:
        cancelled = unless is not None and unless.search(_window_before(lex, folded, start, floor))
        return "" if cancelled else "affirmed"
    before = _window_before(lex, folded, start, floor)
    inside = folded[start:end]
    after = _window_after(lex, folded, end, next_cue if next_cue is not None else ceiling)
    negated = bool(lex.negation.search(inside) or (next_cue is None and lex.negation.search(before))
                   or ((next_cue is None or lex.auxiliaries.search(inside)) and _negated_subject(lex, folded, start, floor)))
    if not negated and unless is not None and unless.search(before):
        return ""  # "exigent que le groupe paie": asked for, not done
    around = f"{before} {inside} {after}"
    if lex.withheld.search(around) or (
            (negated or lex.negation.search(after)) and lex.withholding.search(after)):
        return "withheld"
    if negated and lex.observation.search(around):
        return "not_observed"
    return "negated" if negated else "affirmed"


_POLARITY_VALUE = {"negated": "no", "not_observed": "none observed", "withheld": "undisclosed"}


def _allowed(fact: Fact, polarity: str) -> str:
    """The polarity to record for a fact that cannot take `polarity` ('' to drop the mention)."""
    if polarity in fact.polarities:
        return polarity
    if polarity in ("not_observed", "withheld") and "negated" in fact.polarities:
        return "negated"
    if polarity == "withheld":
        return "affirmed"  # "the amount was not disclosed" still says there was a ransom
    return ""


def _names(sentence: str, start: int, end: int, exclude: set[str]) -> list[str]:
    """Proper names in sentence[start:end], not the sentence's first word nor a speaker's name."""
    names = []
    for match in _PROPER_NAME.finditer(sentence, start, end):
        elided = _ELIDED.match(match.group())
        first_word = match.start() == 0 or sentence[:match.start()].strip() in {'"', "«", "“"}
        if first_word and not elided and not _ACRONYM.match(match.group()):
            continue  # a capital at the start of a sentence says nothing; an acronym does
        name = match.group()[elided.end():] if elided else match.group()
        name = name.strip(" -’'")
        if len(name) > 1 and name.lower() not in exclude and name not in names:
            names.append(name)
    return names


class _WordFilter:
    """What one look at a sentence's words rules out, for one language (see `patterns.Prefilter`).

    A sentence none of whose words starts with an anchor of a regex cannot match it: one pass
    over the words tells which cues, which cues' requirements, and whether the hedges, the
    false negations ("sans doute") and the negation or withheld phrases may match; the
    others' regexes are never run.
    A second pass tells where the cues that may match can start (`patterns.StartFinder`).
    """

    def __init__(self, cues: tuple[Cue, ...], lex: Lexicon):
        self.cues = cues
        count = len(cues)
        # Indices in the Prefilter: the cues, their requirements, then three lexicon lists.
        self._requires = count
        self._hedges, self._not_negation, self._negation = 2 * count, 2 * count + 1, 2 * count + 2
        negation = (None if lex.negation_anchors is None or lex.withheld_anchors is None
                    else lex.negation_anchors + lex.withheld_anchors)
        self._cue_indices = frozenset(range(count))
        self._prefilter = Prefilter([cue.anchors for cue in cues] + [cue.requires_anchors for cue in cues]
                                    + [lex.hedges_anchors, lex.not_negation_anchors, negation])
        self._starts = StartFinder([cue.starts for cue in cues])

    def look(self, folded: str) -> set[int]:
        """The indices of what may match the folded sentence (give them to the methods below)."""
        return self._prefilter.hits(folded)

    def candidates(self, hits: set[int]) -> list[tuple[int, Cue]]:
        """The cues that may match, with their index, in codebook order."""
        # `hits` holds the other indices too, many of them always: one C-level intersection drops them.
        return [(index, self.cues[index]) for index in sorted(hits & self._cue_indices)]

    def cue_matches(self, folded: str, cues: list[tuple[int, Cue]]) -> dict[int, list[re.Match[str]]]:
        """The matches in `folded` of `cues` (pattern cues, with their index), by index; none: no entry.

        A cue's regex is tried only where the cue may start (`patterns.StartFinder.matches`).
        """
        if not cues:
            return {}
        anywhere = self._starts.anywhere  # cues whose first word has no literal start: scanned whole
        found = {index: list(cue.regex.finditer(folded))  # type: ignore[union-attr]
                 for index, cue in cues if index in anywhere}
        regexes = {index: cue.regex for index, cue in cues if index not in anywhere}
        found.update(self._starts.matches(folded, regexes))  # type: ignore[arg-type]
        return found

    def may_require(self, hits: set[int], index: int) -> bool:
        """Whether the requirement of cue `index` may be met."""
        return self._requires + index in hits

    def may_hedge(self, hits: set[int]) -> bool:
        """Whether a hedge may occur."""
        return self._hedges in hits

    def may_negate(self, hits: set[int]) -> bool:
        """Whether a negation or a withheld phrase ("not disclosed", "inconnu") may occur."""
        return self._negation in hits

    def may_negate_falsely(self, hits: set[int]) -> bool:
        """Whether a negation word that negates nothing ("sans doute", "not only") may occur."""
        return self._not_negation in hits


@functools.lru_cache(maxsize=None)
def _word_filter(language: str) -> _WordFilter:
    """The `_WordFilter` of a language that has a lexicon."""
    return _WordFilter(codebook().cues.get(language, ()), lexicon(language))


class _Reading(NamedTuple):
    """What every sentence of a document is read with."""

    document: Document
    lex: Lexicon  # its language's wording
    book: Codebook
    reference: datetime.date | None  # its date, which resolves "mardi" or "last Tuesday"
    exclude: set[str]  # the case's party names: not a fact's named entities
    words: _WordFilter  # its language's cues, as one look at a sentence's words rules them out


class _SentenceFacts:
    """The mentions found in one sentence, one per (statement, fact)."""

    def __init__(self, reading: _Reading, sentence: Sentence, folded: str, statements: list[Statement],
                 hits: set[int], previous_folded: str = "", previous_hits: set[int] | frozenset[int] = frozenset()):
        self.document, self.lex, self.book, self.reference, self.exclude, words = reading
        self.sentence, self.statements = sentence, statements
        self.folded = folded
        # "Les pirates exigent une rançon. La direction refuse de payer.": a cue's
        # requirement may be met by the sentence before.
        self.context = previous_folded + " " + folded
        # What `words` found in this sentence and in the one before (the context's words are theirs).
        self.words, self.hits, self.previous_hits = words, hits, previous_hits
        # Whether a negation (or withheld) word, a hedge may occur in the sentence: looked up once.
        self._negation_words = words.may_negate(hits)
        self._hedge_words = words.may_hedge(hits)
        self._values: list[Value] | None = None
        self._spans: list[tuple[int, int, list[Statement]]] | None = None
        self._hedged: dict[tuple[int, int], bool] = {}
        self._blanked_by_end: dict[int, str] = {}
        self.found: dict[tuple[int, str], Mention] = {}

    @property
    def values(self) -> list[Value]:
        """The sentence's values, less the dates of speech ("said on Thursday", "a expliqué mardi")."""
        if self._values is None:
            values = extract_values(self.sentence.text, self.lex.language, self.reference, self.folded)
            self._values = [v for v in values if v.kind != "date" or not self._after_a_verb(v.start)]
        return self._values

    def _after_a_verb(self, position: int) -> bool:
        """True when a reporting verb, or a word of disclosure ("made public", "rendue publique"),
        ends at most two words before `position`: the date is the day it was told."""
        window = self.folded[max(0, position - 40):position]
        return any(len(_WORD.findall(window, m.end())) <= 1
                   for verbs in (self.lex.verbs, self.lex.withholding) for m in verbs.finditer(window))

    @property
    def spans(self) -> list[tuple[int, int, list[Statement]]]:
        """The clauses of the sentence (offsets in the sentence) and their statements."""
        # Worked out on first use (a plain attribute: cached_property takes a lock on each first use).
        if self._spans is None:
            by_span: dict[tuple[int, int], list[Statement]] = defaultdict(list)
            for statement in self.statements:
                a = max(statement.start, self.sentence.start) - self.sentence.start
                b = min(statement.end, self.sentence.end) - self.sentence.start
                by_span[(a, b)].append(statement)
            self._spans = [(a, b, group) for (a, b), group in sorted(by_span.items())]
        return self._spans

    def matches(self) -> list[tuple[Cue, int, int]]:
        """Where the cues match in the sentence: in codebook order of cues, then by position."""
        found: list[tuple[Cue, int, int]] = []
        candidates = [(index, cue) for index, cue in self.words.candidates(self.hits)
                      if cue.requires is None or self._required(index, cue)]
        matched = self.words.cue_matches(self.folded, [(index, cue) for index, cue in candidates if not cue.when_value])
        for index, cue in candidates:
            if cue.when_value:
                found += [(cue, v.start, v.end) for v in self.values if v.kind == cue.when_value]
            else:
                found += [(cue, m.start(), m.end()) for m in matched.get(index, ())]
        return found

    def _required(self, index: int, cue: Cue) -> bool:
        """Whether the requirement of a cue is met in the sentence or the one before."""
        words, hits = self.words, self.hits
        if not words.may_require(hits, index) and not words.may_require(self.previous_hits, index):
            return False
        return cue.requires.search(self.context) is not None  # type: ignore[union-attr]

    def add(self, cue: Cue, start: int, end: int, others: list[tuple[str, int, int]]) -> None:
        """Record the mention a cue match makes in the clause(s) it falls in.

        `others` are the matches of other facts in the sentence: a cue inside another
        fact's phrase is presupposed (affirmed), and a negation before a cue that another
        fact's cue follows belongs to that one.
        """
        fact = self.book.fact(cue.fact)
        for a, b, group in self.spans:
            if not a <= start < b:
                continue
            if fact.roles:  # "an incident happened" is acknowledged by the parties to it, not by onlookers
                # quoted or reported; a page's own narration speaks for its publisher, whoever that is
                group = [statement for statement in group if statement.source_role in fact.roles or not statement.cue]
            # Who speaks is not what is said: "the CNIL's president said" discloses no notification.
            group = [statement for statement in group if not self._in_cue(statement, start, end)]
            if not group or self._adds_nothing(cue, group):
                return
            values = [v for v in self.values if a <= v.start < b] if fact.value_kinds or fact.requires_value else []
            if fact.requires_value:
                values = [v for v in values if v.kind != fact.requires_value or self._near(v, start, end)]
                if not any(v.kind == fact.requires_value for v in values):
                    return
            polarity = self._cue_polarity(cue, fact, start, end, a, b, others) if fact.polar else "affirmed"
            polarity = _allowed(fact, polarity) if polarity else ""
            if not polarity:
                return
            typed = [v.normalized for v in values if v.kind in fact.value_kinds]
            names = _names(self.sentence.text, max(a, start - _NAME_WINDOW), min(b, end + _NAME_WINDOW),
                       self.exclude) if fact.names else []
            parts = [cue.value] if cue.value else []
            parts += [_POLARITY_VALUE[polarity]] if polarity in _POLARITY_VALUE else []
            cue_text = self.sentence.text[start:end]
            if fact.names and cue_text[:1].isupper() and cue_text not in names:
                names.insert(0, cue_text)  # the cue is itself a name ("CNIL", "LockBit")
            parts += typed + names
            value = ("; ".join(dict.fromkeys(p for p in parts if p))
                     or self.sentence.text[start:end][:_CUE_VALUE_CHARS])  # the cue's words, when nothing else
            specific = bool(typed or names or cue.specific)
            hedged = self._hedged_clause(a, b)
            for statement in group:
                key = (statement.id, fact.id)
                previous = self.found.get(key)
                if previous is not None:
                    if cue.value and cue.value not in previous.value.split("; "):
                        merged = f"{previous.value}; {cue.value}"
                        self.found[key] = _replace(previous, value=merged, specific=previous.specific or specific)
                    continue
                self.found[key] = Mention(
                    self.document.meta.id, self.sentence.id, statement.id, fact.id, statement.source_role,
                    statement.source_name, statement.channel, polarity, value, self.sentence.text[start:end],
                    start, end, self.sentence.text, specific, hedged)
            return

    def _in_cue(self, statement: Statement, start: int, end: int) -> bool:
        """Whether sentence[start:end] lies inside the words that attribute the statement."""
        if not statement.cue:
            return False
        at = self.sentence.text.find(statement.cue)
        return at != -1 and at <= start and end <= at + len(statement.cue)

    def _near(self, value: Value, start: int, end: int) -> bool:
        """Whether at most _REQUIRED_VALUE_WORDS words stand between a value and the cue sentence[start:end]."""
        text = self.sentence.text
        gap = text[end:value.start] if value.start >= end else text[value.end:start] if value.end <= start else ""
        return len(_WORD.findall(gap)) <= _REQUIRED_VALUE_WORDS

    def _cue_polarity(self, cue: Cue, fact: Fact, start: int, end: int, a: int, b: int,
                      others: list[tuple[str, int, int]]) -> str:
        """The polarity of a polar fact's cue match in the clause sentence[a:b] (see `add`)."""
        outer = [(o_fact, o_start, o_end) for o_fact, o_start, o_end in others
                 if o_start <= start and end <= o_end and (o_start, o_end) != (start, end)]
        if outer and fact.id in self.book.fact(outer[0][0]).presupposes:
            return "affirmed"  # "le montant de la rançon": the ransom is taken for granted
        # "aucune donnée de patient n'a été dérobée": the phrase's polarity is this cue's too.
        read_start, read_end = (outer[0][1], outer[0][2]) if outer else (start, end)
        may_negate = self._may_negate(a, read_start, read_end)
        if not may_negate and cue.unless is None:
            return "affirmed"  # what `_polarity` says then, without a look at the clause
        # (`_polarity` ignores the next cue when nothing may negate; a phrase has none)
        next_cue = self._next_cue(end, b, others) if may_negate and not outer else None
        return _polarity(self.lex, self._blanked(b), read_start, read_end, a, b, next_cue, cue.unless, may_negate)

    def _next_cue(self, end: int, ceiling: int, others: list[tuple[str, int, int]]) -> int | None:
        """Where the first of `others` after `end` starts, when it is in the same clause (before `ceiling`)."""
        following = [o_start for _, o_start, _ in others if end <= o_start < ceiling]
        next_cue = min(following) if following else None
        if next_cue is not None and _boundary(self.lex.language).search(self.folded, end, next_cue):
            next_cue = None  # "no ransom was paid, while servers are encrypted": the next cue is another clause's
        return next_cue

    def _adds_nothing(self, cue: Cue, group: list[Statement]) -> bool:
        """True when every statement of the clause has the cue's fact already, with the cue's value.

        Such a match changes no mention (see the end of `add`), so its polarity and values
        need not be worked out.
        """
        for statement in group:
            previous = self.found.get((statement.id, cue.fact))
            if previous is None or (cue.value and cue.value not in previous.value.split("; ")):
                return False
        return True

    def _may_negate(self, floor: int, start: int, end: int) -> bool:
        """Whether `_polarity` may find a negation or withheld phrase around sentence[start:end].

        Its windows are cut from the clause starting at `floor` at `start` and `end`; their
        words are the sentence's words (or their beginnings), which `self.words` looked at,
        unless a cut falls inside a word: a negation is then not ruled out.
        """
        if self._negation_words:
            return True  # whatever the cuts
        folded = self.folded
        for cut in (floor, start, end):
            if 0 < cut < len(folded) and _WORD_CHAR.match(folded, cut - 1) and _WORD_CHAR.match(folded, cut):
                return True
        return False

    def _blanked(self, ceiling: int) -> str:
        """The folded sentence for `_polarity` in a clause ending at `ceiling` (blanked once per clause)."""
        blanked = self._blanked_by_end.get(ceiling)
        if blanked is None:
            if self.words.may_negate_falsely(self.hits):
                blanked = _blank_false_negations(self.lex, self.folded, ceiling)
            else:
                blanked = self.folded
            self._blanked_by_end[ceiling] = blanked
        return blanked

    def _hedged_clause(self, a: int, b: int) -> bool:
        """Whether the clause sentence[a:b] is hedged (searched once per clause, not once per cue)."""
        if not self._hedge_words:
            return False
        hedged = self._hedged.get((a, b))
        if hedged is None:
            hedged = self.lex.hedges.search(self.folded, a, b) is not None
            self._hedged[(a, b)] = hedged
        return hedged

    def fill_ellipses(self) -> None:
        """A short quoted voice with no cue of its own answers the question its neighbour asked.

        "aucune date de reprise n'est communiquée mais « on voit le bout du tunnel », nous
        confie un membre de la direction, « peut-être le début de la semaine », d'après un
        syndicat": the union's words are about the restart date too.
        """
        spans = self.spans
        for index, (a, b, group) in enumerate(spans):
            if index == 0:
                continue
            voiced = [s for s in group if s.cue]
            if not voiced:
                continue
            with_mentions = self._statements_with_mentions()
            if any(s.id in with_mentions for s in group):
                continue
            if len(_WORD.findall(self.sentence.text[a:b])) > _ELLIPSIS_WORDS or not _QUOTATION_MARK.search(
                    self.sentence.text, a, b):
                continue  # "employees tell a different story" answers no question: only a quoted fragment does
            previous = spans[index - 1][2]
            inherited = [m for (sid, _), m in sorted(self.found.items()) if sid in {s.id for s in previous}]
            for mention in inherited:
                for statement in voiced:
                    key = (statement.id, mention.fact)
                    if key not in self.found:
                        self.found[key] = _replace(
                            mention, statement_id=statement.id, source_role=statement.source_role,
                            source_name=statement.source_name, channel=statement.channel,
                            polarity="affirmed", value=_quoted(self.sentence.text[a:b]),
                            cue=self.sentence.text[a:b], start=a, end=b, specific=False)

    def _statements_with_mentions(self) -> set[int]:
        """The ids of the statements that already have a mention (of any fact)."""
        return {statement_id for statement_id, _ in self.found}


def _quoted(clause: str) -> str:
    """The words of a quotation in a clause, or the clause itself."""
    match = re.search(r"[«“\"]([^»”\"]+)[»”\"]", clause)
    return (match.group(1) if match else clause).strip(" ,.")


def _replace(mention: Mention, **changes) -> Mention:
    """A copy of a mention with some fields changed."""
    from dataclasses import replace
    return replace(mention, **changes)


def _party_names(case: Case) -> set[str]:
    """The case's party names and aliases, lowercased: not named entities of a fact."""
    return {p.name.lower() for p in case.parties} | {a.lower() for p in case.parties for a in p.aliases}


def detect_facts(document: Document, sentences: tuple[Sentence, ...], statements: tuple[Statement, ...],
                 case: Case) -> tuple[Mention, ...]:
    """Find the codebook facts each statement of a document discloses.

    Args:
        document: the document (its language picks the cues; its date resolves dates).
        sentences: its sentences.
        statements: its statements, from `attribute.attribute`.
        case: the case (party names are not counted as named entities of a fact).

    Returns:
        Mentions ordered by sentence, statement and codebook order of facts. A language
        without a lexicon gives none.
    """
    lex = lexicon(document.language)
    if lex is None:
        return ()
    book = codebook()
    order = {fact.id: index for index, fact in enumerate(book.facts)}
    by_sentence: dict[int, list[Statement]] = defaultdict(list)
    for statement in statements:
        for sentence_id in statement.sentence_ids:
            by_sentence[sentence_id].append(statement)
    words = _word_filter(document.language)
    reading = _Reading(document, lex, book, reference_date(document.meta.date), _party_names(case), words)
    elsewhere = book.elsewhere.get(document.language, (None, None))
    earlier_than = _earlier_than(case)
    mentions: list[Mention] = []
    previous, previous_hits = "", frozenset()
    for sentence in sentences:
        folded = fold(sentence.text)
        hits = words.look(folded)
        found = _SentenceFacts(reading, sentence, folded, by_sentence[sentence.id], hits, previous, previous_hits)
        previous, previous_hits = folded, hits
        if lex.boilerplate.match(folded.lstrip(" \"«“-–—•*")):
            continue  # "Lire aussi : …" links to another story
        matches = found.matches()
        if matches and _tells_of_another_incident(elsewhere, folded, earlier_than):
            continue  # "Three years ago, X admitted that ...": not this incident
        located = [(cue.fact, start, end) for cue, start, end in matches]
        for cue, start, end in matches:
            others = [match for match in located if match[0] != cue.fact]
            found.add(cue, start, end, others)
        found.fill_ellipses()
        mentions.extend(sorted(found.found.values(), key=lambda m: (m.statement_id, order[m.fact])))
    return tuple(mentions)
