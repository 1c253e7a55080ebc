"""Attribution: who says each clause of a document, to whom (public or internal channel).

A press article mixes the journalist's narration with reported speech: "selon X",
"X assure que", "« … », nous confie X", "the statement said", website notices, and
second-hand reports ("management told employee representatives that …" is management
speaking, on the internal channel). This stage cuts each sentence into clauses at the
places where the speaker can change (colons, quotations with their own reporting cue,
relative clauses that carry a "selon X"), finds the cue of each clause and resolves the
party it names. A clause without a cue belongs to the document's publisher, unless it sits
inside a quotation or a sentence whose opening "selon X," covers it.

All wording comes from the language's lexicon (`analyzer/data/lexicons/*.yaml`) and the
case's party aliases; this module only knows the grammar of reported speech.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import NamedTuple

from .model import Case, Document, Party, Sentence, Statement
from .patterns import (anchors, at_prefixes, finditer_from, first_words, fold, literal_regex, pattern_regex,
                       trie_regex)
from .resources import Lexicon, lexicon, load_yaml

_WORD = re.compile(r"\w+")
_LEADING_SPACE = re.compile(r"\s*")
_QUOTE = re.compile(r"«[^»\n]*»|“[^”\n]*”|\"[^\"\n]*\"")
# A quotation mark a paragraph never closes quotes it to its end: the convention of a
# quotation that runs over several paragraphs, whose last one alone closes. A straight mark
# counts only at the paragraph's start, where it cannot be a closing one.
_OPEN_PARAGRAPH_QUOTE = re.compile(r"(?m)(?:^[ \t]*([\"])[^»”\"\n]*$|([«“])[^»”\n]*$)")
_CLAUSE_MARK = re.compile(r"\s[:;]\s|[;:](?=\s)")
# Punctuation between a speaker and its cue that says they do not go together.
_CUE_BREAK = re.compile(r"[;:.!?«»“”\"]")
_INVERSION_BREAK = re.compile(r"[;:.!?,«»“”\"]")  # ", dit la direction, qui …": the comma too
_CAPITALISED = r"[A-ZÀ-Ý][\w’'\-]+"  # a word of a name: "Dupont", "Marie-Laure", "O'Neill"
# "Jean Dupont, " right before the party in apposition that says who he speaks for.
_PERSON_BEFORE = re.compile(r"(?:^|\s)(?:" + _CAPITALISED + r"\s+){1,3}?" + _CAPITALISED + r"\s*,\s*(?:\w+\s+){0,1}$")
# A comma closes an apposition (", a déclaré"), after up to three title words ("the union's branch secretary, said").
_APPOSITION_END = re.compile(r"(?:['’]s)?(?:\s+[\w\-]+){0,3}?[^\w,;:.!?«»“”\"]*,\s*(?:\w+\s+){0,2}")
# Between a party and its verb, a person's name in apposition: "the union's regional secretary, John Smith, said".
_NAME_APPOSITION = re.compile(r"[^,;:.!?«»“”\"]{0,40},\s*(?:" + _CAPITALISED + r"\s+){0,2}" + _CAPITALISED
                              + r"\s*,\s*(?:\w+\s+){0,2}")
# A name between two commas right before the verb closes an apposition, it is no inversion:
# "the insurer's head of claims, Jane Doe, said the outage had …".
_ENCLOSED_NAME = re.compile(r",\s*(?:" + _CAPITALISED + r"\s+){1,2}" + _CAPITALISED + r"\s*,\s*$")
_PERSON_NAME_END = re.compile(_CAPITALISED + r"\s+" + _CAPITALISED + r"\s*$")  # "Jeanne Martin" right before a comma
_APPOSITION_WORDS = 5  # words of an apposition before the party it names ("the union's regional")
_INCISE_BEFORE = re.compile(r"[,»”\"]\s*$")  # right before the pronoun of an incise: "”, it added"
_SUBJECT_DISTANCE = 3  # words allowed between a speaker and its verb ("la CGT, elle, affirme")
_OBJECT_DISTANCE = 6  # words allowed between an inverted verb and its speaker ("a indiqué jeudi matin sur RMC la direction")
_GOVERNED_WORDS = 2  # words between a preposition and the party it governs ("from the carrier Acme")
_MODIFIER_WORDS = 8  # words of a modifier between a speaker and its verb ("a source close to the negotiations")
_HEAD_DISTANCE = 10  # words between the head of a subject and its verb, over a governed party
_NEW_SUBJECT_WORDS = 2  # between a comma and a new subject: "some", "les", "the union's"
_AUXILIARY_WORDS = 2  # after a relative clause, before its head's verb: ", which …, has previously said"
_RESTRICTIVE_RELATIVE_WORDS = 8  # "who is not authorised to speak to the press": a longer one is not skipped


class _Mention(NamedTuple):
    """A party named in the text: by proper name, by role noun, or by a stand-in.

    (A named tuple, like `_Verb`: a document has dozens, and they are cheaper to make than
    frozen dataclasses.)
    """

    start: int
    end: int
    role: str
    name: str
    kind: str  # "alias" | "organisation" | "noun" | "pronoun" | "document" | "self" (we, nous)


class _Source(NamedTuple):
    """Who says a clause, and the words that say so (a named tuple too: one or more per clause)."""

    role: str
    name: str
    cue: str
    channel: str = ""  # "" means: the document's channel


class _Verb(NamedTuple):
    """A reporting verb used as a verb."""

    start: int
    end: int
    group: str  # "clause" | "say" | "content"
    participle: bool


class _Text:
    """A document's text with what the rules look up in it, found once."""

    def __init__(self, document: Document, case: Case, lex: Lexicon):
        self.document = document
        self.case = case
        self.lex = lex
        self.grammar = _grammar(lex.language)
        self.raw = document.text
        self.folded = fold(document.text)
        self.quotes = _quotations(self.raw)
        self.quote_at = {quote[0]: quote for quote in self.quotes}  # by where it opens
        search = _search(lex.language)
        matches = search.matches(self.folded)
        aliases = _alias_finders(case.parties)
        alias_matches = _alias_matches(self.folded, aliases)
        self.role_names = _RoleNames(case.parties)
        self.verbs = _find_verbs(self, matches[search.verbs])
        self._verb_starts = [verb.start for verb in self.verbs]
        self.mentions = _with_people(self, _find_mentions(self, aliases + search.finders, alias_matches + matches))
        self.according = [(m.start(), m.end()) for m in matches[search.according]]
        self.authors = _document_authors(self)  # (position, (role, name)): "un communiqué de l'hôpital"
        self.speakers: list[tuple[int, tuple[str, str]]] = []  # (position, (role, name)) of cues so far
        self.sentence_starts: list[int] = [0]  # where each sentence starts (set by `attribute`)
        self.publisher = _Source(document.meta.kind, document.meta.outlet or document.meta.id, "")  # (idem)
        # Each list above is in reading order and without overlaps: where its items start
        # (and, for mentions, end) are sorted, and a clause finds its own by bisection.
        self._quote_starts = [start for start, _ in self.quotes]
        self._mention_starts = [mention.start for mention in self.mentions]
        self._mention_ends = [mention.end for mention in self.mentions]
        self._according_starts = [start for start, _ in self.according]

    def sentence_start(self, position: int) -> int:
        """Where the sentence that contains `position` starts."""
        return self.sentence_starts[max(0, bisect_right(self.sentence_starts, position) - 1)]

    def words_between(self, start: int, end: int) -> int:
        """The number of words in text[start:end]."""
        return len(_WORD.findall(self.folded, start, end)) if end > start else 0

    def in_quote(self, position: int) -> tuple[int, int] | None:
        """The quotation that contains `position`, if any."""
        # Only the last quotation opening before `position` can contain it: they do not overlap.
        index = bisect_left(self._quote_starts, position) - 1
        if index >= 0 and position < self.quotes[index][1] - 1:
            return self.quotes[index]
        return None

    def quotes_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quotations that open in [start, end), in reading order."""
        return self.quotes[bisect_left(self._quote_starts, start):bisect_left(self._quote_starts, end)]

    def verbs_in(self, start: int, end: int) -> list[_Verb]:
        """The reporting verbs that start in [start, end), in reading order."""
        return self.verbs[bisect_left(self._verb_starts, start):bisect_left(self._verb_starts, end)]

    def according_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The "selon" cues that start in [start, end), in reading order."""
        return self.according[bisect_left(self._according_starts, start):bisect_left(self._according_starts, end)]

    def mentions_in(self, start: int, end: int) -> list[_Mention]:
        """The mentions that start in [start, end), in reading order."""
        return self.mentions[bisect_left(self._mention_starts, start):bisect_left(self._mention_starts, end)]

    def mentions_before(self, limit: int) -> list[_Mention]:
        """The mentions that end at or before `limit`, in reading order."""
        return self.mentions[:bisect_right(self._mention_ends, limit)]


def _after_spaces(folded: str, position: int) -> int:
    """Where the next word starts: `position` past any spaces."""
    return _LEADING_SPACE.match(folded, position).end()  # type: ignore[union-attr]


def _quotations(raw: str) -> list[tuple[int, int]]:
    """The quotations of a text, in reading order: closed ones, and paragraphs quoted to their end."""
    quotes = [(m.start(), m.end()) for m in _QUOTE.finditer(raw)]
    if "\n" in raw:
        taken = {start for start, _ in quotes}
        opened = [(m.start(m.lastindex), m.end()) for m in _OPEN_PARAGRAPH_QUOTE.finditer(raw)]
        quotes += [(start, end) for start, end in opened if start not in taken]
        quotes.sort()
    return quotes


class _RoleNames(dict):
    """role -> the party a role noun of that role names (see `_party_name`), worked out on first use."""

    def __init__(self, parties: tuple[Party, ...]):
        super().__init__()
        self.parties = parties

    def __missing__(self, role: str) -> str:
        self[role] = name = _party_name(role, self.parties)
        return name


_ROLES_NAMED_BY_NOUN = ("management", "union")


def _party_name(role: str, parties: tuple[Party, ...]) -> str:
    """The declared party a role noun refers to.

    "La direction" or "the union" is the case's management or union when it declares
    exactly one; "an expert" or "a source" is anyone, so it stays unnamed.
    """
    named = [party.name for party in parties if party.role == role]
    return named[0] if len(named) == 1 and role in _ROLES_NAMED_BY_NOUN else f"unnamed {role}"


def _find_mentions(text: _Text, finders: tuple["_Finder", ...], matches: list[list[re.Match[str]]]) -> list[_Mention]:
    """Every party mention, longest first where they overlap, adjacent ones merged.

    `matches[i]` are the matches of `finders[i]`: the case's aliases, then the lexicon's finders.
    """
    # Longest wins where mentions overlap ("une source syndicale" over "une source");
    # a proper name wins over a role noun of the same length. Among equals, the finder
    # order breaks ties, as it always has: no two of these tuples are equal up to the index.
    found = []
    for index, finder_matches in enumerate(matches):
        rank = _MENTION_RANK.get(finders[index].kind) if finder_matches else None  # most finders find nothing
        if rank is not None:
            found += [(match.start() - match.end(), rank, match.start(), match.end(), index)
                      for match in finder_matches]
    found.sort()
    kept = []
    taken = bytearray(len(text.folded))  # 1 where a kept mention lies: an overlap test without a loop
    for _, _, start, end, index in found:
        if taken.find(1, start, end) == -1:
            kept.append((start, end, index))
            taken[start:end] = b"\x01" * (end - start)
    kept.sort()  # by start: kept mentions do not overlap
    return _merge_adjacent(text, [_mention(text, finders[index], start, end) for start, end, index in kept])


# A person's name as the press writes it: two or three capitalised words ("Jeanne Martin",
# "Marie-Laure Denis", "Jon Lewis"), in the raw text.
_NAME = r"[A-ZÀ-Ý][a-zà-ÿ’'\-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ’'\-]+){1,2}"
_PERSON_NAME = re.compile(r"(?<![\w’'\-])" + _NAME + r"(?![\w’'\-])")
_APPOSITION_OPENS = re.compile(r"\s*,\s*")  # "Jeanne Martin, " before her title
_NAME_BREAK = re.compile(r"[.;:!?«»“”\"\n]")  # between a title and a name: they do not go together
_TITLE_WORDS = 6  # words between a title and the name that follows it ("director of ICT Rob Miller")
_NAME_OF_WORDS = 5  # words between a name and the party it is "of" ("Brett Callow of the security firm Zataz")


def _with_people(text: _Text, mentions: list[_Mention]) -> list[_Mention]:
    """The mentions, with every later mention of a person whom the text introduces with a party.

    "Hackney's director of ICT Rob Miller … Miller said", "Jeanne Martin, présidente de la
    Cnil, … a ajouté Mme Martin", "Brett Callow of the security firm Emsisoft … Callow
    said": the person speaks for the party named with them, by full name or surname.
    """
    raw = text.raw
    parties = [m for m in mentions if m.kind in ("alias", "organisation", "noun") and m.role]
    starts, ends = [m.start for m in parties], [m.end for m in parties]
    people: dict[str, tuple[str, str]] = {}  # a name or surname, as written -> (role, party name)
    declared = {fold(alias) for party in text.case.parties for alias in party.aliases}
    for person in _PERSON_NAME.finditer(raw):
        start, end = person.span()
        party = None
        following = bisect_left(starts, end)
        if following < len(parties):  # "Jeanne Martin, présidente de la Cnil", "Brett Callow of the firm Zataz"
            after = parties[following]
            gap = _APPOSITION_OPENS.match(raw, end, after.start)
            if gap and text.words_between(gap.end(), after.start) <= _APPOSITION_WORDS \
                    and not _CUE_BREAK.search(raw, gap.end(), after.start) and not text.verbs_in(gap.end(), after.start):
                party = after
            elif text.grammar.belonging.match(text.folded, end) \
                    and text.words_between(end, after.start) <= _NAME_OF_WORDS \
                    and not _MERGE_BLOCKER.search(text.folded, end, after.start):
                party = after
        preceding = bisect_right(ends, start) - 1
        if party is None and preceding >= 0:  # "Acme's IT director Rob Miller"
            before = parties[preceding]
            if text.words_between(before.end, start) <= _TITLE_WORDS \
                    and not _NAME_BREAK.search(raw, before.end, start) and not text.verbs_in(before.end, start):
                party = before
        own = [m for m in parties[max(0, preceding):following + 1] if m.start <= start < m.end]
        if own and own[0].kind == "alias" and own[0].end == end and fold(person.group()) in declared:
            party = own[0]  # a declared person ("Rob Miller"): later, "Miller" alone is them too
        elif party is None or own:
            continue  # no party with it, or the name is part of a party's own name
        for form in (person.group(), person.group().split()[-1]):
            if len(form) > 2 and fold(form) not in text.grammar.stopwords:
                people.setdefault(form, (party.role, party.name))
    if not people:
        return mentions
    taken = bytearray(len(raw))
    for mention in mentions:
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    found = list(mentions)
    names = sorted(people, key=len, reverse=True)  # "Rob Miller" before "Miller"
    for match in re.finditer(r"(?<![\w’'\-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w’'\-])", raw):
        if taken.find(1, match.start(), match.end()) == -1:
            role, name = people[match.group()]
            found.append(_Mention(match.start(), match.end(), role, name, "alias"))
            taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    found.sort()
    return found


_POSTED_WORDS = 4  # between a document and the page it was posted on ("un message publié sur le site du groupe")


def _document_authors(text: _Text) -> list[tuple[int, tuple[str, str]]]:
    """Where a text names a document with its author: "un communiqué de l'établissement",
    "a statement from Acme" (then "le communiqué précise" is the establishment's)."""
    authors = []
    for document, author in zip(text.mentions, text.mentions[1:]):
        if document.kind != "document" or author.kind not in ("alias", "organisation", "noun") or not author.role:
            continue
        of = text.grammar.belonging.match(text.folded, document.end) \
            and text.words_between(document.end, author.start) <= 2
        # where it was posted: "a statement on the council's website", "un message publié sur le site du groupe"
        posted = author.role != "other" \
            and text.lex.document_places.match(text.folded, _after_spaces(text.folded, document.end)) \
            and text.words_between(document.end, author.start) <= _POSTED_WORDS
        if (of or posted) and not _MERGE_BLOCKER.search(text.folded, document.end, author.start):
            authors.append((document.start, (author.role, author.name)))
    return authors


def _mention(text: _Text, finder: "_Finder", start: int, end: int) -> _Mention:
    """The mention a finder's match makes."""
    if finder.kind == "organisation":
        # A well-known organisation the case does not declare ("Reuters", "the CNIL", "CFDT"):
        # it is named as written, not merged into the case's party of the same role.
        return _Mention(start, end, finder.role, text.raw[start:end], finder.kind)
    if finder.kind == "noun":
        return _Mention(start, end, finder.role, text.role_names[finder.role], finder.kind)
    return _Mention(start, end, finder.role, finder.name, finder.kind)


_MENTION_RANK = {"alias": 0, "organisation": 1, "noun": 2, "document": 3, "pronoun": 4, "self": 5}
_NAMING_RANK = {"alias": 0, "organisation": 1, "noun": 2}  # which of two merged mentions names the party
_MERGE_BLOCKER = re.compile(r"[,;:.«»“”\"\n]")  # a line break too: a heading ends there


# A role noun of these roles followed by another party ("un salarié de MMA", "les élus du CSE
# de Covéa", "a customer of MMA") keeps its role: an employee, a customer or a staff
# representative of the company is not the company's voice. A role noun of any other role
# names a position in, or a part of, that party ("un porte-parole de la CGT", "le site de
# Zataz", "le directeur de la CNIL"): it speaks for the party.
_NOUN_KEEPS_ROLE = ("union", "other")


def _merge_adjacent(text: _Text, mentions: list[_Mention]) -> list[_Mention]:
    """One mention for "le site spécialisé Zataz" or "the CGT union branch" (same role, ≤ 1 word apart),
    and for a role noun and the party it belongs to ("un salarié de MMA", "a spokesperson for the CGT")."""
    merged: list[_Mention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if not (previous and previous.role and _adjacent(text, previous, mention)):
            merged.append(mention)
        elif previous.role == mention.role:
            # "le site spécialisé Zataz", "un délégué syndical de la CGT": the proper name names it.
            named = min((previous, mention), key=lambda m: _NAMING_RANK.get(m.kind, 3))
            merged[-1] = _Mention(previous.start, mention.end, named.role, named.name, named.kind)
        elif previous.kind == "noun" and mention.role and text.grammar.belonging.match(text.folded, previous.end):
            named = previous if previous.role in _NOUN_KEEPS_ROLE else mention
            merged[-1] = _Mention(previous.start, mention.end, named.role, named.name, named.kind)
        elif (previous.kind in ("alias", "organisation")
              or (previous.kind == "noun" and not text.folded[previous.end:mention.start].strip())) \
                and mention.kind == "noun" \
                and mention.role not in _NOUN_KEEPS_ROLE and not text.grammar.belonging.match(text.folded, previous.end) \
                and not text.verbs_in(previous.end, mention.start) \
                and not set(_WORD.findall(text.folded, previous.end, mention.start)) & text.grammar.stopwords:
            # "the Acme chief executive", "a CNIL spokesperson", "a union president": a position in the
            # party named before it (not "à l'AFP la direction", where an article opens another phrase).
            merged[-1] = _Mention(previous.start, mention.end, previous.role, previous.name, previous.kind)
        else:
            merged.append(mention)
    return merged


def _adjacent(text: _Text, previous: _Mention, mention: _Mention) -> bool:
    """True when no punctuation and at most one word (two stop words) separate two mentions."""
    if _MERGE_BLOCKER.search(text.folded, previous.end, mention.start):
        return False  # tested first: it is what usually separates mentions, and it is cheap
    between = _WORD.findall(text.folded, previous.end, mention.start)
    if between and text.verbs_in(previous.end, mention.start):
        return False  # "a spokesperson said the website …": subject and object, not one name
    return len(between) <= 1 or (len(between) <= 2 and set(between) <= text.grammar.stopwords)


def _find_verbs(text: _Text, matches: list[re.Match[str]]) -> list[_Verb]:
    """Reporting verbs used as verbs: not after an article (a noun) nor a be-auxiliary (a passive)."""
    lex = text.lex
    blocked = text.grammar.not_a_verb_after
    verbs = []
    for match in matches:
        before = _WORD.findall(text.folded, max(0, match.start() - 20), match.start())
        if before and before[-1] in blocked:
            continue
        word = match.group().split()[-1] if match.group().split() else ""
        participle = word.endswith(lex.participle_endings)
        verbs.append(_Verb(match.start(), match.end(), match.lastgroup or "say", participle))
    return verbs


# --- Where each cue regex can match ----------------------------------------------------


@dataclass(frozen=True)
class _Finder:
    """One regex a document is searched with, and what its matches are."""

    regex: re.Pattern[str]
    starts: tuple[str, ...] | None  # what every match starts with (None: unknown, scan the whole text)
    anchors: tuple[str, ...] | None  # what every match contains (None: unknown, always try it)
    kind: str  # a mention kind (see _Mention), "verb" or "according"
    role: str = ""
    name: str = ""  # an alias's party (a role noun names the case's party of its role: `_party_name`)


class _Search:
    """The lexicon's regexes that find party nouns, stand-ins, reporting verbs and "selon" cues.

    Every one of them opens with ``(?<!\\w)`` and each of its matches begins with one of a
    few known strings (see `_pattern_starts`): when those begin with a word character, the
    regex can only match where a word of the text begins with one of them. Most also
    contain an anchor (`patterns.anchors`), which likewise begins a word of the text:
    without any, they cannot match at all. One scan finds all those strings at once, and
    each regex is then tried only at its places, instead of scanning the whole text once
    per regex. (It is built once per language: a case's aliases are found apart.)
    """

    def __init__(self, lex: Lexicon):
        self.finders = _finders(lex)
        self.verbs = next(i for i, finder in enumerate(self.finders) if finder.kind == "verb")
        self.according = next(i for i, finder in enumerate(self.finders) if finder.kind == "according")
        self._everywhere = tuple(i for i, finder in enumerate(self.finders) if not _all_begin_words(finder.starts))
        self._always = frozenset(i for i, finder in enumerate(self.finders) if not _all_begin_words(finder.anchors))
        started: dict[str, set[int]] = {}  # string -> the finders whose matches may start with it
        anchored: dict[str, set[int]] = {}  # string -> the finders it is an anchor of
        for i, finder in enumerate(self.finders):
            if i not in self._everywhere:
                for start in finder.starts:
                    started.setdefault(start, set()).add(i)
            if i not in self._always:
                for anchor in finder.anchors:
                    # "cybermalveillance.gouv.fr": its first word is enough to tell.
                    anchored.setdefault(_WORD.match(anchor).group(), set()).add(i)
        # The scan finds the longest string at each word start: the others there are its prefixes.
        strings = set(started) | set(anchored)
        self._found_by = {string: (tuple(sorted(at_prefixes(string, started))),
                                   tuple(sorted(at_prefixes(string, anchored))))
                          for string in strings}
        # A non-word character, then a string (looked ahead at, so that a string with a dot,
        # "databreaches.net", hides no word start after it). The regex engine skips quickly to
        # the non-word characters, where a look-behind would have it stop at every letter;
        # `matches` puts a space in front of the text for a word at its very start.
        self._scan = re.compile(r"\W(?=(" + trie_regex(strings, _char_pattern) + "))")

    def matches(self, folded: str) -> list[list[re.Match[str]]]:
        """For each finder, the matches of `finder.regex.finditer(folded)`."""
        # The scan matches the character before a word: in " " + folded, it starts where the word does in folded.
        hits = [(match.start(), self._found_at(match.group(1))) for match in self._scan.finditer(" " + folded)]
        possible = set(self._always)
        for _, (_, anchored) in hits:
            possible.update(anchored)
        found: list[list[re.Match[str]]] = [[] for _ in self.finders]
        ends = [0] * len(self.finders)  # like finditer, no match overlaps the previous one
        for position, (started, _) in hits:
            for index in started:
                if index in possible and position >= ends[index]:
                    match = self.finders[index].regex.match(folded, position)
                    if match:
                        found[index].append(match)
                        ends[index] = match.end()
        for index in self._everywhere:
            found[index] = list(self.finders[index].regex.finditer(folded))
        return found

    def _found_at(self, string: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The finders that may start with the scanned `string`, and those it anchors."""
        found = self._found_by.get(string)
        if found is None:  # separated otherwise than by one space: "l'entreprise", "the  company"
            found = self._found_by[_SEPARATOR_RUN.sub(_SEPARATOR_MARK, string)]
        return found


def _finders(lex: Lexicon) -> tuple[_Finder, ...]:
    """The finders of a language's lexicon, mentions in the order their ties have always been broken."""
    raw = load_yaml(f"lexicons/{lex.language}.yaml")
    finders = []
    for pattern, role in lex.party_nouns:
        finders.append(_Finder(_noun_regex(lex.language, pattern), _pattern_starts([pattern]), anchors([pattern]),
                               "noun", role))
    for pattern, role in lex.organisations:
        finders.append(_Finder(_noun_regex(lex.language, pattern), _pattern_starts([pattern]), anchors([pattern]),
                               "organisation", role))
    verbs = raw["reporting_verbs"]
    for regex, patterns, kind in (
            (lex.pronouns, raw["pronouns"], "pronoun"),
            (lex.first_person, raw.get("first_person") or [], "self"),
            (lex.documents, raw["documents"], "document"),
            (lex.verbs, [p for group in ("clause", "say", "content") for p in verbs.get(group) or []], "verb"),
            (lex.according_to, raw["according_to"], "according")):
        finders.append(_Finder(regex, _pattern_starts(patterns), anchors(patterns), kind))
    return tuple(finders)


# In the strings a match starts with, a space stands for any run of separators ([\s'’\-]+,
# as between the words of a pattern or an alias): "l'entreprise" starts with "l entreprise".
_SEPARATOR_MARK = " "
_SEPARATOR_RUN = re.compile(r"[\s'’\-]+")


def _char_pattern(char: str) -> str:
    """A character of a start string as a pattern: the separator mark stands for any run of separators."""
    return _SEPARATOR_RUN.pattern if char == _SEPARATOR_MARK else re.escape(char)


def _pattern_starts(patterns: list[str]) -> tuple[str, ...] | None:
    """What every match of `compile_patterns(patterns)` starts with: up to two words, where literal.

    `patterns.first_words` gives the literal beginning of a pattern's first word ("the");
    when that word is literal to its end, the beginning of the second is added ("the
    company"), which rules out far more places. None when some pattern has no literal start.
    """
    starts: set[str] = set()
    for pattern in patterns:
        words = fold(pattern).split()
        firsts = [_literal_option(option) for option in words[0].split("|")] if words else [None]
        if None in firsts:
            found = first_words([pattern])
            if found is None:
                return None
            starts.update(found)
            continue
        seconds = first_words([" ".join(words[1:])]) if len(words) > 1 and words[1] != "..." else None
        if seconds:
            starts.update(first + _SEPARATOR_MARK + second for first in firsts for second in seconds)
        else:
            starts.update(firsts)
    return tuple(sorted(starts))


def _literal_option(option: str) -> str | None:
    """The text an option of a pattern word matches ("l'entreprise" -> "l entreprise"); None if it varies."""
    pieces = re.split(r"[_'’\-]+", option.strip("'’-"))  # as in `patterns`: _ ' ’ - separate words
    return _SEPARATOR_MARK.join(pieces) if all(piece.isalnum() for piece in pieces) else None


@functools.lru_cache(maxsize=None)
def _search(language: str) -> _Search:
    """The search of a lexicon language, built once per process."""
    return _Search(lexicon(language))


@functools.lru_cache(maxsize=64)
def _alias_finders(parties: tuple[Party, ...]) -> tuple[_Finder, ...]:
    """Each alias of each party, compiled once per case; its matches start with its first word."""
    finders = []
    for party in parties:
        for alias in dict.fromkeys((party.name, *party.aliases)):
            first_word = next(w for w in re.split(r"[\s'’\-]+", fold(alias)) if w)
            finders.append(_Finder(re.compile(literal_regex(alias)), (first_word,), None, "alias",
                                   party.role, party.name))
    return tuple(finders)


def _alias_matches(folded: str, aliases: tuple[_Finder, ...]) -> list[list[re.Match[str]]]:
    """The matches of each alias in a folded text; aliases alike once folded ("Covéa", "COVEA") are searched once."""
    found: dict[str, list[re.Match[str]]] = {}  # by regex source
    for alias in aliases:
        if alias.regex.pattern not in found:
            found[alias.regex.pattern] = list(finditer_from(alias.regex, folded, alias.starts))
    return [found[alias.regex.pattern] for alias in aliases]


def _all_begin_words(strings: tuple[str, ...] | None) -> bool:
    """True when `strings` are known and each begins with a word character."""
    return strings is not None and all(_WORD.match(string) for string in strings)


@functools.lru_cache(maxsize=None)
def _noun_regex(language: str, pattern: str) -> re.Pattern[str]:
    """The compiled regex of one party-noun pattern (compiled once per process)."""
    return re.compile(pattern_regex(pattern))


# --- The grammar of reported speech ---------------------------------------------------


class _Grammar(NamedTuple):
    """A language's rules of reported speech: the punctuation and order here, the words from its lexicon."""

    adversative: re.Pattern[str]  # ", mais " / " – but ": the speaker may change after it
    complement: re.Pattern[str]  # after a clause verb: "que", "whether", a colon, a quotation, an infinitive
    inverted_after: re.Pattern[str]  # right before an inverted verb: ", s'inquiète", "», nous confie"
    relative_before: re.Pattern[str]  # right before a verb: ", which represents 3,000 workers,"
    restrictive_relative: re.Pattern[str]  # right before a verb, no commas: "who asked not to be named"
    negated_relative: re.Pattern[str]  # right before a verb: "qui n'a" communiqué
    negated_speech: re.Pattern[str]  # right before a verb: "did not", "n'a pas" (said): no speech
    unknown_name: re.Pattern[str]  # over the raw text: "le Parisien", "Le Maine Libre"
    not_a_verb_after: frozenset[str]  # folded, as the words of the folded text they are compared with
    stopwords: frozenset[str]  # folded, likewise: "à", "même"
    belonging: re.Pattern[str]  # right after a role noun: "de", "of" (then its party)
    governed: re.Pattern[str]  # right before a party: "from the carrier", "à l'": it is not a subject
    preposition_before: re.Pattern[str]  # right before a party: "sur", "to the": where it was said
    infinitive_after: re.Pattern[str]  # right after a verb: "to" + a verb ("expected to cost")
    speech_noun: re.Pattern[str]  # "assurances", "l'annonce": a noun that reports speech
    speech_noun_anchor: re.Pattern[str]  # some text each of its matches contains
    complement_after_noun: re.Pattern[str]  # right after a speech noun: a few words, then "that" / "que"
    modifier: re.Pattern[str]  # right after a party: "close to the negotiations", before its verb
    coordinated: re.Pattern[str]  # right before a verb: "and", "et": it shares the verb before's subject
    # Some text that every match of the lexicon's channel regexes contains: a span without
    # any is not searched (those regexes open with a look-behind, and try every character).
    audience_anchor: re.Pattern[str]  # of `internal_audience`
    setting_anchor: re.Pattern[str]  # of `internal_setting`
    public_anchor: re.Pattern[str]  # of `public_channel`


@functools.lru_cache(maxsize=None)
def _grammar(language: str) -> _Grammar:
    """The grammar of a lexicon language, compiled once per process."""
    lex = lexicon(language)
    channels = load_yaml(f"lexicons/{language}.yaml")["channels"]

    def words(regex: re.Pattern[str]) -> str:
        """A lexicon word list as a group to build on (it never matches when the list is empty)."""
        return "(?:" + regex.pattern + ")"

    return _Grammar(
        adversative=re.compile(r"(?:,|\s[–—])\s+" + words(lex.adversatives) + r"\s"),
        complement=re.compile(
            r"[\s,]*(?:[\w'’]+[\s,]+){0,6}?(?:" + words(lex.complementizers) + r"|:|«|“|\"|,\s*[«“\"])"
            r"|\s*" + words(lex.infinitive_openers)),
        inverted_after=re.compile(r"[,»”\"]\s*(?:" + words(lex.inversion_fillers) + r"\s+){0,2}$"),
        relative_before=re.compile(
            r",\s*" + words(lex.relative_pronouns) + r"(?:[^,;:.]|(?<=\d)[,.](?=\d))*,\s*(?:[\w'’]+\s+){0,%d}$"
            % _AUXILIARY_WORDS),
        # Right after a word (not a comma), then a few words without any punctuation.
        restrictive_relative=re.compile(r"(?<=\w)\s+" + words(lex.relative_pronouns)
                                        + r"(?:[\s'’\-]+\w+){1,%d}\s*$" % _RESTRICTIVE_RELATIVE_WORDS),
        negated_relative=re.compile(words(lex.negated_relative) + r"\s*$"),
        negated_speech=re.compile(r"(?<!\w)" + words(lex.negated_speech) + r"(?:[\s'’]+\w+){0,1}[\s'’]*$"),
        # The articles are matched as written, lowercase: "Le Maine Libre" keeps its "Le".
        unknown_name=re.compile(r"\s*(?:" + words(lex.articles) + r"(?:['’]\s*|\s+))?((?:[A-ZÀ-Ý][\w.\-’']*\s?){1,4})"),
        not_a_verb_after=frozenset(fold(word) for word in lex.not_a_verb_after),
        stopwords=frozenset(fold(word) for word in lex.stopwords),
        belonging=re.compile(r"\s*" + words(lex.belonging)),
        governed=re.compile(r"(?<!\w)" + words(lex.prepositions)
                            + r"(?:\s+|['’]\s*)(?:[\w\-]+(?:\s+|['’]\s*)){0,%d}$" % _GOVERNED_WORDS),
        speech_noun=lex.speech_nouns,
        speech_noun_anchor=_anchor_regex(load_yaml(f"lexicons/{language}.yaml").get("speech_nouns") or []),
        complement_after_noun=re.compile(r"(?:[\s,]+[\w'’\-]+){0,5}?[\s,]+" + words(lex.complementizers) + r"(?!\w)"),
        infinitive_after=re.compile(r"\s+" + words(lex.infinitive_markers) + r"\s+(?!" + words(lex.articles)
                                    + r"\b)[a-z]+\b(?!['’])"),
        preposition_before=re.compile(r"(?<!\w)" + words(lex.prepositions) + r"(?:\s+|['’]\s*)(?:"
                                      + words(lex.articles) + r"(?:\s+|['’]\s*))?$"),
        modifier=re.compile(r"\s*" + words(lex.prepositions) + r"[^,;:.!?«»“”\"]*$"),
        coordinated=re.compile(r"(?<!\w)" + words(lex.verb_coordinators) + r"\s+$"),
        audience_anchor=_anchor_regex(channels.get("internal") or []),
        setting_anchor=_anchor_regex(channels.get("internal_setting") or []),
        public_anchor=_anchor_regex(channels.get("public") or []),
    )


def _anchor_regex(patterns: list[str]) -> re.Pattern[str]:
    """A regex finding the anchors of some cue patterns (`patterns.anchors`): where it finds none, they cannot match."""
    found = anchors(patterns) if patterns else ()
    if found is None:  # some pattern has no literal word: always search
        return re.compile("")
    return re.compile(trie_regex(found)) if found else re.compile(r"(?!x)x")


# --- Cues ------------------------------------------------------------------------------


def _resolve(text: _Text, mention: _Mention, before: int, incise: bool = False) -> tuple[str, str]:
    """Role and name of a mention.

    A pronoun ("elle ajoute que") stands for whichever came last: the last speaker, or the
    last party named as a subject since (a party after a preposition, "à l'AFP", "to
    Reuters", is not what a pronoun takes up). The pronoun of an incise ("…, a-t-il
    ajouté", "…”, she added") speaks the sentence it closes, so a party named in that
    sentence is what it says, not who says it: only speakers and earlier sentences count.
    "We" and "nous" are the publisher (inside a quotation, its speaker speaks anyway).
    A text ("the statement said", "le communiqué précise") stands for the author the text
    gave a document before ("un communiqué de l'hôpital"), else for the last party named,
    who is usually the one that wrote it (customers and other readers aside), else the
    last speaker.
    """
    if mention.kind == "self":  # "we" outside a quotation: the page's own voice
        return text.publisher.role, text.publisher.name
    if mention.kind not in ("pronoun", "document"):
        return mention.role, mention.name
    if mention.kind == "document":
        authors = [author for position, author in text.authors if position <= mention.start]
        if authors:  # "un communiqué de l'hôpital … selon le communiqué"
            return authors[-1]
    speaker_at, speaker = -1, ("", "")
    speakers = [(position, s) for position, s in text.speakers if position < before]
    if speakers:
        speaker_at, speaker = speakers[-1]
    named_before = text.sentence_start(mention.start) if incise else before
    for candidate in reversed(text.mentions_before(named_before)):
        if candidate.end <= speaker_at and mention.kind == "pronoun":
            break
        if candidate.kind not in ("alias", "organisation", "noun") or text.in_quote(candidate.start):
            continue
        if mention.kind == "pronoun" and not _governed(text, candidate, 0):
            return candidate.role, candidate.name
        if mention.kind == "document" and candidate.role != "other":  # customers do not issue statements
            return candidate.role, candidate.name
    return speaker


def _channel(text: _Text, verb: "_Verb | None", start: int, end: int) -> str:
    """The channel a cue names: internal audience right after the verb, or a setting in the clause."""
    lex, folded, grammar = text.lex, text.folded, text.grammar
    if verb is not None:
        window = folded[verb.end:min(end, verb.end + 60)]
        match = grammar.audience_anchor.search(window) and lex.internal_audience.search(window)
        if match and (lex.addressee_verbs.fullmatch(folded[verb.start:verb.end])
                      or lex.addressee_prepositions.match(window.lstrip())) \
                and len(_WORD.findall(window, 0, match.start())) <= 1:
            return "internal"
    if grammar.setting_anchor.search(folded, start, end) and lex.internal_setting.search(folded, start, end):
        return "internal"
    if grammar.public_anchor.search(folded, start, end) and lex.public_channel.search(folded, start, end):
        return "public"
    return ""


def _according_sources(text: _Text, cue_start: int, cue_end: int, limit: int) -> list[_Source]:
    """The parties named after "selon" / "according to": "Zataz et une source syndicale"."""
    sources: list[_Source] = []
    channel = None  # the cue's, the same for each party it names: worked out once
    position = cue_end
    for mention in text.mentions_in(cue_end, limit):  # mentions do not overlap: each starts after `position`
        gap = text.folded[position:mention.start]
        allowed = 3 if not sources else 4
        if text.words_between(position, mention.start) > allowed or _CUE_BREAK.search(gap) \
                or (sources and "," in gap
                    and not text.lex.list_joiners.search(gap)):
            break
        role, name = _resolve(text, mention, cue_start)
        if role and all((role, name) != (known.role, known.name) for known in sources):
            if channel is None:
                channel = _channel(text, None, cue_start, limit)
            sources.append(_Source(role, name, text.raw[cue_start:mention.end], channel))
        position = mention.end
    if not sources:
        # An outlet or person the lexicon does not know: "selon Le Maine Libre".
        match = text.grammar.unknown_name.match(text.raw[cue_end:limit])
        if match and match.group(1).strip():
            name = match.group(1).strip()
            sources.append(_Source("other", name, text.raw[cue_start:cue_end + match.end(1)].strip()))
    return sources


def _subject_of(text: _Text, verb: _Verb, start: int) -> _Mention | None:
    """The speaker right before a verb ("la direction assure", "the CGT thus mentions").

    A relative clause between them is skipped: "A spokesperson for the union, which
    represents 3,000 workers, said …" is the union's spokesperson speaking. So is a short
    one without commas, when no nearer party speaks: "a union official who asked not to
    be named said …" (but "the lawyer who represents the union said" stays the union's).
    """
    relative = _relative_before(text, verb, start)
    speaker = _speaker_before(text, verb, start, start + relative.start() if relative else verb.start)
    if speaker is None and relative is None:
        restrictive = text.grammar.restrictive_relative.search(text.folded, max(start, verb.start - 160), verb.start)
        if restrictive:
            speaker = _speaker_before(text, verb, start, restrictive.start())
    return speaker


def _speaker_before(text: _Text, verb: _Verb, start: int, limit: int) -> _Mention | None:
    """The subject before `limit`: the last mention in [start, limit) a few words before it, no punctuation between.

    A party governed by a preposition is not the subject: "customers of the carrier Acme
    say" is the customers speaking, so an earlier, ungoverned party is taken over it. A
    speaker may carry a longer modifier that opens with a preposition: "a source close
    to the negotiations told".
    """
    before = text.mentions_before(limit)
    if not before or before[-1].start < start:  # mentions do not overlap: the last one is the nearest
        return None
    mention = before[-1]
    if mention.kind == "self" and len(before) > 1 and before[-2].start >= start \
            and not text.folded[before[-2].end:mention.start].strip():
        mention = before[-2]  # "la direction nous a indiqué": "nous" is who was told
    if text.in_quote(mention.start) and not text.in_quote(verb.start):
        return None
    if _governed(text, mention, start):
        head = _head_before(text, before, mention, start, limit)
        if head is not None:
            return head
    if _joined_to(text, mention, limit, _SUBJECT_DISTANCE):
        return mention
    if _in_apposition(text, mention, start, limit):
        return mention
    gap = text.folded[mention.end:limit]
    if text.grammar.modifier.match(gap) and _joined_to(text, mention, limit, _MODIFIER_WORDS):
        return mention
    return None


def _dislocated_subject(text: _Text, verb: _Verb, start: int) -> _Mention | None:
    """The party before a parenthetical between commas, right before the verb: "La direction,
    elle, assure", "The union, for its part, said" (the lexicon's `parentheticals`)."""
    comma = text.folded.rfind(",", start, verb.start)
    opening = text.folded.rfind(",", start, comma) if comma != -1 else -1
    if opening == -1 or text.folded[comma + 1:verb.start].strip() \
            or not text.lex.parentheticals.fullmatch(text.folded[opening + 1:comma].strip()):
        return None
    before = [m for m in text.mentions_before(opening) if m.start >= start and m.kind in ("alias", "organisation", "noun")]
    if before and not text.folded[before[-1].end:opening].strip() and not text.in_quote(before[-1].start):
        return before[-1]
    return None


def _apposed_subject(text: _Text, verb: _Verb, start: int) -> _Mention | None:
    """The party in apposition to a person's name, right before the verb, if any."""
    before = text.mentions_before(verb.start)
    if not before or before[-1].start < start:
        return None
    mention = before[-1]
    if _in_apposition(text, mention, start, verb.start) or _NAME_APPOSITION.fullmatch(text.raw, mention.end, verb.start):
        return mention
    if _APPOSITION_END.fullmatch(text.folded, mention.end, verb.start) \
            and text.folded[max(start, mention.start - 3):mention.start].rstrip().endswith(","):
        return mention  # the mention is the apposition: "the union's secretary, John Smith, said"
    return None


def _in_apposition(text: _Text, mention: _Mention, start: int, limit: int) -> bool:
    """True when the mention ends an apposition to a person's name, right before the verb.

    "Jeanne Martin, présidente de la Cnil, a déclaré", "John Smith, the union's regional
    secretary, said": the person speaks for the party the apposition names.
    """
    if not _APPOSITION_END.fullmatch(text.folded, mention.end, limit):
        return False
    comma = text.folded.rfind(",", max(start, mention.start - 60), mention.start)
    if comma == -1 or _CUE_BREAK.search(text.folded, comma, mention.start) \
            or text.words_between(comma, mention.start) > _APPOSITION_WORDS:
        return False
    return bool(_PERSON_NAME_END.search(text.raw, max(start, comma - 60), comma))


def _joined_to(text: _Text, mention: _Mention, limit: int, words: int) -> bool:
    """True when at most `words` words and no punctuation part a mention from `limit`."""
    return text.words_between(mention.end, limit) <= words and not _CUE_BREAK.search(text.folded[mention.end:limit])


def _governed(text: _Text, mention: _Mention, start: int) -> bool:
    """True when a preposition governs the mention ("from the carrier Acme", "à l'AFP")."""
    return bool(text.grammar.governed.search(text.folded, max(start, mention.start - 40), mention.start))


def _head_before(text: _Text, before: list[_Mention], governed: _Mention, start: int, limit: int) -> _Mention | None:
    """The ungoverned mention that heads the subject a governed one modifies, if any."""
    for mention in reversed(before[:-1]):
        if mention.start < start or text.in_quote(mention.start):
            return None
        if not _governed(text, mention, start):
            return mention if _joined_to(text, mention, limit, _HEAD_DISTANCE) else None
    return None


def _object_of(text: _Text, verb: _Verb, end: int) -> _Mention | None:
    """The speaker right after an inverted verb ("a indiqué la direction", "said the company").

    A person's name may come first, with the party in apposition: "explique Jean Dupont,
    délégué CGT", "said John Smith, a union representative". A party governed by a
    preposition is where it was said, not who said it: "a indiqué mardi sur RMC Jean
    Dupont, président de la Cnil".
    """
    after = verb.end
    if text.grammar.infinitive_after.match(text.folded, after):
        return None  # ", expected to cost the company": the verb governs an infinitive, it reports no one
    for mention in text.mentions_in(after, end):
        if text.grammar.preposition_before.search(text.folded, max(after, mention.start - 30), mention.start):
            continue
        if text.lex.complementizers.search(text.folded, after, mention.start):
            return None  # "estime que la direction …": the party is in what is said
        if text.lex.auxiliaries.match(text.folded, _after_spaces(text.folded, mention.end)):
            return None  # "said staff were angry": the subject of what is said, not an inverted speaker
        person = _PERSON_BEFORE.search(text.raw[after:mention.start])
        start = after + person.start() if person else mention.start
        if text.words_between(after, start) <= _OBJECT_DISTANCE \
                and not _INVERSION_BREAK.search(text.folded[after:start]):
            return mention
        return None
    return None


def _inverted_pronoun(text: _Text, verb: _Verb, start: int) -> _Mention | None:
    """The pronoun of an inverted auxiliary right before the verb: ", a-t-il précisé"."""
    # Before the verb (", a-t-il précisé") or inside it (", fait-elle valoir").
    pronouns = [m for m in text.mentions_in(max(start, verb.start - 12), verb.end) if m.kind == "pronoun"]
    return pronouns[-1] if pronouns else None


def _negated_speech(text: _Text, verb: _Verb, start: int) -> bool:
    """True when a negation stands right before a reporting verb that is no refusal itself.

    "did not say", "n'a pas précisé", and a negated subject: "neither the FBI nor Acme has
    confirmed", "aucun responsable n'a confirmé".
    """
    if text.lex.negation.search(text.folded, verb.start, verb.end):
        return False
    window = text.folded[max(start, verb.start - 24):verb.start]
    if text.grammar.negated_speech.search(window):
        return True
    clause = text.folded[max(start, verb.start - 80):verb.start]
    clause = clause[max(clause.rfind(mark) for mark in ",;:.") + 1:]
    return bool(text.lex.negated_subjects.search(clause))


def _relative_before(text: _Text, verb: _Verb, start: int) -> re.Match[str] | None:
    """A relative clause that ends right before a verb: ", which represents 3,000 workers, said"."""
    return text.grammar.relative_before.search(text.folded[start:verb.start])


def _is_inverted(text: _Text, verb: _Verb, start: int) -> bool:
    """True when a verb follows a comma or a closing quote: ", s'inquiète un syndicat"."""
    before = text.folded[max(start, verb.start - 30):verb.start]
    return bool(text.grammar.inverted_after.search(before)) \
        and not _relative_before(text, verb, start)


def _verb_source(text: _Text, verb: _Verb, start: int, end: int) -> _Source | None:
    """The source a reporting verb gives the clause [start, end), if it is used as reported speech."""
    if text.grammar.negated_relative.search(text.folded, max(start, verb.start - 30), verb.start):
        return None  # "la direction, qui n'a communiqué ni aux salariés…" describes, it does not quote
    if _negated_speech(text, verb, start):
        return None  # "did not say whether", "n'a pas précisé": the publisher tells what was not said
    incise = _is_inverted(text, verb, start)
    dislocated = _dislocated_subject(text, verb, start) if incise else None
    if dislocated is not None:  # "La CGT, de son côté, affirme", "Management, however, insisted"
        speaker, incise = dislocated, False
    elif incise and _ENCLOSED_NAME.search(text.raw, max(start, verb.start - 60), verb.start):
        speaker, incise = _apposed_subject(text, verb, start), False
        if speaker is None:
            return None
    elif incise:
        speaker = _object_of(text, verb, end) or _inverted_pronoun(text, verb, start)
        if speaker is None:  # the comma closed an apposition: "Jeanne Martin, présidente de la Cnil, a déclaré"
            speaker, incise = _apposed_subject(text, verb, start), False
        if speaker is None:
            return None
    else:
        speaker = _subject_of(text, verb, start)
        if speaker is None:
            return None
        if verb.group == "clause" and not text.grammar.complement.match(text.folded, verb.end):
            return None  # "declared a complete blockade" is an action, not speech
        if verb.group == "content" and _publishes_nothing_said(text, verb, end):
            return None  # "issued a press release on Monday and filed a report": the act of telling, told by the press
        if text.lex.addressee_verbs.fullmatch(text.folded, verb.start, verb.end) \
                and not text.folded[verb.end:end].strip(" .!?\n"):
            return None  # "Come clean, Acme told": a headline's passive, Acme is who was told
        # "“…”, it added": a pronoun right after the quotation is an incise too
        incise = speaker.kind == "pronoun" and bool(_INCISE_BEFORE.search(text.folded, max(start, speaker.start - 4),
                                                                              speaker.start))
    role, name = _resolve(text, speaker, speaker.start, incise)
    if not role:
        return None
    cue_start, cue_end = min(speaker.start, verb.start), max(_apposition_end(text, speaker, end), verb.end)
    return _Source(role, name, text.raw[cue_start:cue_end], _channel(text, verb, start, end))


def _apposition_end(text: _Text, speaker: _Mention, limit: int) -> int:
    """Where the speaker's words end: past the apposition that says who a person speaks for.

    "a indiqué Jeanne Martin, la présidente de la Cnil, que …": the title is part of who
    speaks, not of what is said.
    """
    gap = _APPOSITION_OPENS.match(text.raw, speaker.end, limit)
    if not gap:
        return speaker.end
    after = [m for m in text.mentions_in(gap.end(), limit) if m.kind in ("alias", "organisation", "noun")]
    if after and text.words_between(gap.end(), after[0].start) <= _APPOSITION_WORDS \
            and not _CUE_BREAK.search(text.raw, gap.end(), after[0].start) and not text.verbs_in(gap.end(), after[0].start):
        return after[0].end
    return speaker.end


def _publishes_nothing_said(text: _Text, verb: _Verb, end: int) -> bool:
    """True when a verb's object is a document and nothing it says follows.

    "Acme put out a short press release on Tuesday" tells that something was published, not
    what; "issued a statement saying that …", "a publié un communiqué : « … »" report it.
    """
    document = text.lex.documents.match(text.folded, _after_spaces(text.folded, verb.end))
    if document is None:
        return False
    if text.grammar.complement.match(text.folded, document.end()):
        return False  # "a statement that …", "un communiqué : « … »"
    return not any(later.participle for later in text.verbs_in(document.end(), end))  # "… saying", "… précisant"


def _clause_sources(text: _Text, start: int, end: int) -> list[_Source]:
    """The source(s) a clause names itself, innermost speaker first; [] when it names none."""
    verb_sources: list[_Source] = []
    for verb in text.verbs_in(start, end):
        if text.in_quote(verb.start) and not _is_inverted(text, verb, start):
            continue
        if verb.participle:
            # "published a statement … denouncing": the participle shares the subject; alone
            # ("customers demanding answers") it reports no speech of its own.
            continue
        if verb_sources and text.grammar.coordinated.search(text.folded, max(start, verb.start - 12), verb.start):
            continue  # "the company said … and said …": the second verb shares the subject
        if verb_sources and not text.folded[verb.end:end].strip(" .!?\n"):
            continue  # "said the outage delayed payments customers expected": a clause-final verb inside what is said
        source = _verb_source(text, verb, start, end)
        if source:
            verb_sources.append(source)
    if verb_sources:
        return [verb_sources[-1]]
    for cue_start, cue_end in text.according_in(start, end):
        if not text.in_quote(cue_start):
            sources = _according_sources(text, cue_start, cue_end, end)
            if sources:
                return sources
    noun_source = _speech_noun_source(text, start, end)
    if noun_source:
        return [noun_source]
    opener = text.lex.framing.match(text.folded, start)
    if opener:  # "Pour la CGT, la direction cache l'ampleur du problème": only at the start
        comma = text.folded.find(",", opener.end(), end)
        named = text.mentions_in(opener.end(), comma) if comma != -1 else []
        # "Pour les patients hospitalisés à Vélines, …" is who it is for, not whose view it is:
        # the view is of the one party the opener names, right before the comma.
        if len(named) == 1 and text.words_between(named[-1].end, comma) == 0:
            return _according_sources(text, start, opener.end(), comma)
    return []


def _speech_noun_source(text: _Text, start: int, end: int) -> _Source | None:
    """The party whose speech a noun reports, with what it said: "assurances by management
    that …", "the company's confirmation that …", "l'annonce par la direction que …".

    The noun (the lexicon's `speech_nouns`) is followed within a few words by a
    complementizer; its party is named right after it with a preposition ("by", "from",
    "par", "de") or right before it ("the company's", "Acme's public").
    """
    grammar = text.grammar
    if not grammar.speech_noun_anchor.search(text.folded, start, end):
        return None  # most clauses have none: one cheap look
    for noun in grammar.speech_noun.finditer(text.folded, start, end):
        complement = grammar.complement_after_noun.match(text.folded, noun.end())
        if text.in_quote(noun.start()) or not complement:
            continue
        between = [m for m in text.mentions_in(noun.end(), complement.end()) if m.kind != "self"]
        if text.words_between(noun.end(), complement.end()) > 1 \
                and not (between and text.words_between(between[-1].end, complement.end()) <= 1):
            continue  # "new reporting rules that oblige …": a relative clause, not what was disclosed
        after = [m for m in text.mentions_in(noun.end(), min(end, noun.end() + 40))
                 if text.words_between(noun.end(), m.start) <= 2 and m.kind != "self"]
        if after and (grammar.belonging.match(text.folded, noun.end()) or grammar.preposition_before.search(
                text.folded, max(noun.end(), after[0].start - 12), after[0].start)):
            speaker = after[0]
        else:
            before = text.mentions_before(noun.start())
            speaker = before[-1] if before and before[-1].start >= start \
                and text.words_between(before[-1].end, noun.start()) <= 3 \
                and not _CUE_BREAK.search(text.folded, before[-1].end, noun.start()) else None
        if speaker is None:
            continue
        role, name = _resolve(text, speaker, speaker.start)
        if role:
            cue_start, cue_end = min(speaker.start, noun.start()), max(speaker.end, noun.end())
            return _Source(role, name, text.raw[cue_start:cue_end], _channel(text, None, start, end))
    return None


def _post_quote_sources(text: _Text, quote: tuple[int, int], limit: int) -> tuple[list[_Source], int]:
    """The speaker named right after a quotation, and where that cue ends (0 when none)."""
    after = quote[1]
    window_end = min(limit, after + 120)
    for verb in text.verbs_in(after, window_end):
        if text.words_between(after, verb.start) <= 4:
            source = _verb_source(text, verb, after, window_end)
            if source:
                return [source], verb.end
            break
    for cue_start, cue_end in text.according_in(after, window_end):
        if text.words_between(after, cue_start) == 0:
            sources = _according_sources(text, cue_start, cue_end, limit)
            if sources:
                return sources, cue_end
    return [], 0


# --- Segmenting and attributing --------------------------------------------------------


class _Segment(NamedTuple):
    """A clause of a sentence, with the sources it names itself."""

    start: int
    end: int
    sources: list[_Source]
    inherits: bool = False  # its sources cover the next segments of the sentence


def _cut_points(text: _Text, sentence: Sentence, after_quotes: dict[tuple[int, int], list[_Source]]) -> set[int]:
    """Where the speaker may change inside a sentence (`after_quotes`: see `_segments`)."""
    start, end = sentence.start, sentence.end
    folded = text.folded
    cuts: set[int] = set()
    # Most sentences have no colon, and many no comma: then the regex search is not needed.
    if folded.find(":", start, end) != -1 or folded.find(";", start, end) != -1:
        for match in _CLAUSE_MARK.finditer(folded, start, end):
            if not text.in_quote(match.start()):
                cuts.add(match.end())
    if folded.find(",", start, end) != -1 or folded.find("–", start, end) != -1 or folded.find("—", start, end) != -1:
        for match in text.grammar.adversative.finditer(folded, start, end):
            if not text.in_quote(match.start()):
                cuts.add(match.start() + 1)
    for quote, sources in after_quotes.items():
        if sources and _own_cue_before(text, start, quote[0]):
            cuts.add(quote[0])
    # "Acme says all is well, employees tell another story": after a clause with its own
    # reporting verb, a comma, then a subject and its reporting verb, open a new clause.
    free_verbs = [verb for verb in text.verbs_in(start, end) if not text.in_quote(verb.start)]
    for verb in free_verbs[1:] if folded.find(",", start, end) != -1 else ():
        if verb.participle or _is_inverted(text, verb, start):
            continue
        subject = _subject_of(text, verb, start)
        comma = text.folded.rfind(",", start, subject.start) if subject is not None else -1
        if comma != -1 and text.words_between(comma, subject.start) <= _NEW_SUBJECT_WORDS \
                and not text.verbs_in(comma, subject.start) and not text.in_quote(comma) \
                and free_verbs[0].start < comma and _verb_source(text, free_verbs[0], start, comma) is not None:
            cuts.add(comma + 1)  # (only after a speaker of its own: "…, a researcher told X" covers what precedes)
    for cue_start, _ in text.according_in(start + 1, end):
        if not text.in_quote(cue_start):
            comma = folded.rfind(",", start, cue_start)
            if comma != -1 and text.lex.clause_openers.fullmatch(folded[comma + 1:cue_start].strip()):
                cuts.add(comma + 1)
    return {cut for cut in cuts if start < cut < end}


def _own_cue_before(text: _Text, start: int, quote_start: int) -> bool:
    """Whether the words of a sentence before a quotation name a speaker of their own.

    "Les données publiées « concernent nos usagers », a annoncé l'hôpital": the words
    before the quotation are the hospital's too; "La CGT dénonce la situation, « … »,
    ajoute la direction" has two speakers, and so has a lead that turns ("mais", "but").
    """
    lead = text.folded[start:quote_start]
    if not lead.strip() or lead.rstrip().endswith((":", ";")) or text.lex.adversatives.search(lead):
        return True  # "Aucune date n'est donnée mais « … », confie la direction": the narration turns
    return bool(text.verbs_in(start, quote_start) or text.according_in(start, quote_start)
                or text.quotes_in(start, quote_start) or text.lex.framing.match(text.folded, start))


def _headline_speaker(text: _Text, start: int, end: int) -> list[_Source]:
    """The party a headline gives the floor to: "Acme : « nous ne paierons pas »", "Acme: no
    ransom will be paid" (the words before the colon are that party's name and nothing else)."""
    named = text.mentions_in(start, end)
    if len(named) != 1 or named[0].kind not in ("alias", "organisation", "noun") \
            or _WORD.search(text.folded, named[0].end, end):
        return []
    lead = text.folded[start:named[0].start].strip(" '’")
    if lead and not text.lex.articles.fullmatch(lead):
        return []
    role, name = _resolve(text, named[0], named[0].start)
    return [_Source(role, name, text.raw[start:end + 1].strip())] if role else []


def _segments(text: _Text, sentence: Sentence) -> list[_Segment]:
    """The clauses of a sentence, each with the sources it names itself."""
    # The speaker named after each quotation of the sentence, up to its end: a quotation with
    # one opens a clause, which often runs to the end too and then has that speaker.
    after_quotes = {quote: _post_quote_sources(text, quote, sentence.end)[0]
                    for quote in text.quotes_in(sentence.start, sentence.end)}
    bounds = [sentence.start, *sorted(_cut_points(text, sentence, after_quotes)), sentence.end]
    segments = []
    for a, b in zip(bounds, bounds[1:]):
        while a < b and text.raw[a].isspace():
            a += 1
        while b > a and text.raw[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        sources: list[_Source] = []
        quote = text.quote_at.get(a)
        if quote:
            sources = after_quotes[quote] if b == sentence.end else _post_quote_sources(text, quote, b)[0]
        if not sources:
            sources = _clause_sources(text, a, b)
        if not sources and text.raw[b - 1] == ":":
            sources = _headline_speaker(text, a, b - 1)
        initial_according = a == sentence.start and bool(
            text.according_in(a, a + 3) or text.lex.framing.match(text.folded, a))
        ends_with_colon = text.raw[b - 1] == ":" and bool(sources)
        segments.append(_Segment(a, b, sources, inherits=initial_according or ends_with_colon))
    return segments


def _quote_speakers(text: _Text, sentences: tuple[Sentence, ...]) -> dict[tuple[int, int], list[_Source]]:
    """The speakers of quotations that run over several sentences."""
    speakers = {}
    starts, ends = [s.start for s in sentences], [s.end for s in sentences]  # sorted: sentences do not overlap
    for quote in text.quotes:
        covering = sentences[bisect_right(ends, quote[0]):bisect_left(starts, quote[1])]  # s.end > q0, s.start < q1
        if len(covering) < 2:
            continue
        sources = _post_quote_sources(text, quote, covering[-1].end)[0]
        if not sources:
            lead = text.folded[covering[0].start:quote[0]]
            if lead.rstrip().endswith((":", ",")):
                sources = _clause_sources(text, covering[0].start, quote[0])
        if sources:
            speakers[quote] = sources
    return speakers


def attribute(document: Document, sentences: tuple[Sentence, ...], case: Case) -> tuple[Statement, ...]:
    """Split a document's sentences into statements and credit each to its source.

    Args:
        document: the document (its `meta.kind` is the publisher's role).
        sentences: its sentences, from `segment.split_sentences`.
        case: the case, for its parties and their aliases.

    Returns:
        Statements in reading order, numbered from 1. A clause credited to several
        sources at once gives one statement per source.
    """
    publisher = _publisher(document, case)
    lex = lexicon(document.language)
    channel = document.meta.channel
    if lex is None:
        return tuple(
            Statement(document.meta.id, i, (s.id,), publisher.role, publisher.name, channel, s.text, s.start, s.end)
            for i, s in enumerate(sentences, 1))
    text = _Text(document, case, lex)
    text.sentence_starts = [sentence.start for sentence in sentences]
    text.publisher = publisher
    quote_speakers = _quote_speakers(text, sentences)
    answers = _interview_answers(text, sentences) if document.meta.kind == "press" else {}
    statements: list[Statement] = []
    for sentence in sentences:
        inherited: list[_Source] = []
        text.publisher = answers.get(sentence.id, publisher)  # who speaks where no cue says: whose "we" it is
        reproduced = _reproduced_author(text, sentence, case)
        if reproduced is not None:
            # "Vous avez reçu le message suivant :", "The email reads as follows:": what follows
            # is that message, its author's words; the announcing sentence stays narration.
            statements.append(Statement(
                document.meta.id, len(statements) + 1, (sentence.id,), publisher.role, publisher.name,
                channel, sentence.text, sentence.start, sentence.end, ""))
            publisher = reproduced
            continue
        for segment in _segments(text, sentence):
            quote = text.in_quote(segment.start + 1)
            sources = segment.sources
            if not sources:
                sources = quote_speakers.get(quote, []) if quote else []
            if not sources:
                sources = inherited
            if not sources and statements:
                sources = _continued_quote(text, segment, sentence, statements[-1])
            if segment.sources and segment.inherits:
                inherited = segment.sources
            if segment.sources:
                text.speakers += [(segment.end, (s.role, s.name)) for s in segment.sources]
            for source in sources or [text.publisher]:
                previous = statements[-1] if statements else None
                if (quote in quote_speakers and previous and previous.start >= quote[0]
                        and (previous.source_role, previous.source_name) == (source.role, source.name)
                        and sentence.id not in previous.sentence_ids and len(sources) == 1):
                    # One statement for a quotation that runs over several sentences.
                    statements[-1] = replace(previous, sentence_ids=(*previous.sentence_ids, sentence.id),
                                             text=text.raw[previous.start:segment.end], end=segment.end)
                    continue
                statements.append(Statement(
                    document.meta.id, len(statements) + 1, (sentence.id,), source.role, source.name,
                    source.channel or channel, text.raw[segment.start:segment.end],
                    segment.start, segment.end, source.cue))
    return tuple(statements)


_OPENING_QUOTE = re.compile(r"\s*[«“\"]")
_QUOTE_MARK = re.compile(r"[«»“”\"]")


def _continued_quote(text: _Text, segment: _Segment, sentence: Sentence, previous: Statement) -> list[_Source]:
    """The speaker of a quotation that goes on in the next sentence or paragraph.

    A quoted clause that names no speaker, right after a statement whose speaker was
    named and which was quoted itself or announced the quotation with a colon, goes on
    quoting that speaker: "« … », a-t-il dit. « … »", "she said: \n“…”", and the
    quotation over several paragraphs whose closing mark comes in the last one. A
    sentence outside quotation marks after a quotation stays the publisher's narration,
    even when it quotes a few words of its own.
    """
    if not previous.cue or not {sentence.id - 1, sentence.id} & set(previous.sentence_ids):
        return []
    opens = segment.start == sentence.start and _OPENING_QUOTE.match(text.raw, segment.start)
    if not opens and text.in_quote(segment.start + 1) is None:
        return []
    if not (_QUOTE_MARK.search(previous.text) or previous.text.rstrip().endswith(":")
            or text.in_quote(previous.start + 1)):
        return []
    return [_Source(previous.source_role, previous.source_name, previous.cue, previous.channel)]


_QUESTION_WORDS = 40  # a question of an interview is a short paragraph that ends with "?"


def _interview_answers(text: _Text, sentences: tuple[Sentence, ...]) -> dict[int, _Source]:
    """In an interview, the interviewee speaking each answer: sentence id -> source.

    A press page with at least two paragraphs that are questions ("Combien de serveurs
    sont touchés ?") is an interview; the paragraphs after a question are the answers of
    the party named before the first question (the interviewee, presented in the
    introduction), unless they name a speaker of their own. No party there: no answers.
    """
    raw = text.raw
    questions = [m for m in re.finditer(r"(?m)^[^\n]+$", raw)
                 if m.group().rstrip().endswith("?") and len(_WORD.findall(m.group())) <= _QUESTION_WORDS]
    if len(questions) < 2:
        return {}
    named = [m for m in text.mentions_before(questions[0].start())
             if m.kind in ("alias", "organisation", "noun") and m.role not in ("press", "other", "")]
    if not named:
        return {}
    role, name = _resolve(text, named[-1], named[-1].start)
    if not role:
        return {}
    interviewee = _Source(role, name, "")
    question_spans = [(q.start(), q.end()) for q in questions]
    answers = {}
    for sentence in sentences:
        if sentence.start < question_spans[0][1]:
            continue
        if any(start <= sentence.start < end for start, end in question_spans):
            continue  # the journalist's question
        answers[sentence.id] = interviewee
    return answers


def _reproduced_author(text: _Text, sentence: Sentence, case: Case) -> _Source | None:
    """The author of a message a sentence announces it reproduces, if it does.

    The sentence ends with a colon and says a message follows, with one of the lexicon's
    `reproduced` words ("le courriel suivant", "as follows"), outside any quotation. The
    message runs to the end of the document (a later cue still names its own speaker).
    Its author is the speaker the sentence names, else the party it names, else the
    organisation in crisis (its declared management), which is who sends such messages.
    """
    if not sentence.text.rstrip().endswith(":") or text.in_quote(sentence.start + 1):
        return None
    start, end = sentence.start, sentence.end
    if not text.lex.reproduced.search(text.folded, start, end):
        return None
    sources = _clause_sources(text, start, end)
    if sources:  # "La direction a adressé aux clients le courriel suivant :"
        return sources[0]._replace(cue=sentence.text.strip())
    # Customers, employees and members are who receive such messages, not who write them.
    named = [m for m in text.mentions_in(start, end)
             if m.kind in ("alias", "organisation") or (m.kind == "noun" and m.role != "other")]
    if named:
        return _Source(named[-1].role, named[-1].name, sentence.text.strip())
    management = [party for party in case.parties if party.role == "management"]
    if len(management) == 1:
        return _Source("management", management[0].name, sentence.text.strip())
    return None


def _publisher(document: Document, case: Case) -> _Source:
    """Who speaks in a document's own narration.

    An outlet that begins with a declared party's name or alias is that party's own page
    ("Hackney Greens (party website)", "CWU (union site)"): its voice has the party's role,
    whatever the document's kind. Otherwise the publisher has the document's kind: the
    declared party of that kind when there is exactly one, else the outlet.
    """
    meta = document.meta
    outlet = fold(meta.outlet)
    owners = [(len(alias), party) for party in case.parties for alias in map(fold, (party.name, *party.aliases))
              if alias and re.match(re.escape(alias) + r"(?!\w)", outlet)]
    if owners:
        party = max(owners, key=lambda owner: owner[0])[1]
        return _Source(party.role, party.name, "")
    if meta.kind != "press":
        named = [party.name for party in case.parties if party.role == meta.kind]
        if len(named) == 1:
            return _Source(meta.kind, named[0], "")
    return _Source(meta.kind, meta.outlet or meta.id, "")
