"""Concrete values in a sentence: counts, amounts of money, dates and durations.

A fact is disclosed *specifically* when the text gives a value: "30,000 hours lost",
"a ransom of 50,000 €", "the attack of 17 July", "blocked for a week". `extract_values`
finds such values in one sentence of French or English and gives each a canonical form,
resolving relative dates ("last Friday", "hier") against the document's publication date.

The words (months, weekdays, number words, units, currencies) live in
`analyzer/data/values.yaml`; this module only holds the grammar. Matching runs on the
text folded by `analyzer.patterns.fold` (lowercase, no accents, same length), so offsets
found in the folded text are offsets in the original.
"""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .patterns import fold, trie_regex
from .resources import load_yaml

KINDS = ("number", "money", "date", "duration")
# When two candidates cover the same span, the more specific reading wins.
_PRIORITY = {"date": 0, "money": 1, "duration": 2, "number": 3}
# Above this, "hours" or "days" are a quantity of work, not how long something lasted.
_MAX_DURATION = Decimal(1000)
# A year-less date more than this after the publication date is from the previous year.
_FUTURE_DAYS = 62
_MONTHS_BACK = 12
_WEEKDAY_MISMATCH = " (weekday mismatch)"
_S = r"[^\S\n]"  # a space inside a sentence: never a line break
_NO_MATCH = r"(?!)"
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT_OR_SIGN = re.compile(r"[\d€$£]")
_FIRST_WORD = re.compile(r"\w+")
# After a currency sign ("€50,000", "$4.4 million") the writer follows English habits
# whatever the language, so either "," or "." groups thousands when three digits follow.
_PREFIXED_AMOUNT = (r"(?P<pint>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)|\d+)"
                    r"(?P<pfrac>[.,]\d+)?")


@dataclass(frozen=True)
class Value:
    """A value found in a text: what it is, as written, canonical, and where."""

    kind: str  # "number" | "money" | "date" | "duration"
    text: str  # the words as written, e.g. "30,000 hours", "vendredi 17 juillet"
    normalized: str  # "30000 hours", "tens of thousands hours", "50000 EUR", "2020-07-17", "P7D"
    start: int  # offsets in the input text
    end: int
    unit: str = ""  # canonical unit: "hours", "employees", "EUR", "weeks", ...


@dataclass(frozen=True)
class _Grammar:
    """The compiled regexes and folded vocabularies of one language."""

    quantity: re.Pattern[str]
    preposition_before: re.Pattern[str]  # "pendant", "for" just before a duration
    # A quantity without digits has an approximate word, or a count word and a unit word.
    approximate_words: frozenset[str]
    count_words: frozenset[str]
    unit_words: frozenset[str]
    date_words: frozenset[str]  # a date without digits has one of these words
    quick_words: re.Pattern[str]  # the words above, where a whole word of a text is one
    scale_after: re.Pattern[str]
    unit_after: re.Pattern[str]
    date: re.Pattern[str]
    thousands: str
    decimal: str
    number_words: dict[str, Decimal]
    scales: dict[str, Decimal]
    attached_scales: dict[str, Decimal]
    approximate: dict[str, str]
    units: dict[str, str]
    currencies: dict[str, str]
    time_units: dict[str, dict[str, Any]]
    not_units: frozenset[str]
    ordinals: frozenset[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    shift_last: frozenset[str]
    shift_next: frozenset[str]
    relative_days: dict[str, int]
    numeric_orders: tuple[str, ...]
    capitalized_only: frozenset[str]


@functools.lru_cache(maxsize=4096)
def _key(phrase: str) -> str:
    """The lookup form of a phrase: folded, hyphens as spaces, one space, one apostrophe.

    Cached: the phrases are words of the vocabularies, as matched (a few hundred forms).
    """
    folded = fold(phrase).replace("’", "'").replace("-", " ")
    return re.sub(r"'\s+", "'", " ".join(folded.split()))


def _phrase_regex(phrase: str) -> str:
    """A regex for a phrase: any spacing, either apostrophe, a hyphen or a space."""
    out = []
    for char in " ".join(fold(phrase).replace("’", "'").split()):
        if char == " ":
            out.append(_S + "+")
        elif char == "'":
            out.append("['’]" + _S + "*")
        elif char == "-":
            out.append(f"(?:{_S}*-{_S}*|{_S}+)")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _alternation(phrases: Any) -> str:
    """One group matching any of `phrases`, longest first so "avant-hier" beats "hier"."""
    keys = sorted({" ".join(fold(p).split()) for p in phrases if p.strip()},
                  key=lambda k: (-len(k), k))
    if not keys:
        return _NO_MATCH
    return "(?:" + "|".join(_phrase_regex(k) for k in keys) + ")"


def _vocabulary(language: str) -> dict[str, Any]:
    """The `common` block of values.yaml merged with the language's block."""
    data = load_yaml("values.yaml") or {}
    common = data.get("common") or {}
    specific = (data.get(language) or {}) if language != "common" else {}
    merged: dict[str, Any] = {}
    for key in set(common) | set(specific):
        base, extra = common.get(key), specific.get(key)
        if isinstance(base, dict) or isinstance(extra, dict):
            merged[key] = {**(base or {}), **(extra or {})}
        elif isinstance(base, list) or isinstance(extra, list):
            merged[key] = [*(base or []), *(extra or [])]
        else:
            merged[key] = extra if extra is not None else base
    return merged


def _last_words(phrases: Any) -> frozenset[str]:
    """The last word of each phrase: a word any match of the phrase must contain."""
    return frozenset(_WORD.findall(fold(p))[-1] for p in phrases if _WORD.search(fold(p)))


def _whole_words_regex(words: frozenset[str]) -> re.Pattern[str]:
    """A regex finding, among the words of a text (runs of letters, see `_WORD`), those in `words`."""
    if not words:
        return re.compile(_NO_MATCH)
    return re.compile(r"(?<![^\W\d_])(?:" + trie_regex(sorted(words)) + r")(?![^\W\d_])")


def _shift_words(vocab: dict[str, Any], direction: str) -> frozenset[str]:
    """The words before or after a weekday that shift it ("last", "dernier")."""
    words = [*((vocab.get("weekday_before") or {}).get(direction) or []),
             *((vocab.get("weekday_after") or {}).get(direction) or [])]
    return frozenset(_key(word) for word in words)


def _folded_table(table: dict[str, Any] | None, convert: Callable[[Any], Any] = str) -> dict:
    """A vocabulary table with folded keys."""
    return {_key(str(word)): convert(value) for word, value in (table or {}).items()}


def _number_regex(thousands: str, decimal: str) -> str:
    """Digits with the language's grouping: "30,000", "3.000", "30 000", "1,5"."""
    group = "[" + "".join(re.escape(sep) for sep in thousands) + "]" if thousands else _NO_MATCH
    fraction = f"(?:{re.escape(decimal)}\\d+)?" if decimal else ""
    return rf"(?:\d{{1,3}}(?:{group}\d{{3}})+(?!\d)|\d+){fraction}"


def _date_regex(vocab: dict[str, Any], neutral: bool) -> str:
    """The date grammar: ISO, numeric, written-out and relative dates (see `_resolve_date`)."""
    iso = r"(?<![\d/.\-])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d/\-])"
    if neutral:
        return iso
    ordinal = _alternation(vocab.get("ordinal_suffixes") or [])
    weekday = _alternation(vocab.get("weekdays") or {})
    month = _alternation(vocab.get("months") or {}) + r"\.?"
    day_number = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
    day = day_number + f"(?:{ordinal})?(?!\\w)"
    year = r"(?:19|20)\d\d(?!\d)"
    sep = rf"(?:{_S}*,{_S}*|{_S}+)"
    of = f"(?:{_alternation(vocab.get('month_of') or [])}{_S}+)?"
    article = f"(?:{_alternation(vocab.get('day_articles') or [])}{_S}+)?"
    before = _alternation(vocab.get("weekday_before", {}).get("last", []) +
                          vocab.get("weekday_before", {}).get("next", []))
    after = _alternation(vocab.get("weekday_after", {}).get("last", []) +
                         vocab.get("weekday_after", {}).get("next", []))
    night = (rf"(?:{_alternation(vocab.get('night_prefixes') or [])}{_S}+"
             rf"(?:{weekday}(?:{_S}+{day_number})?|{day_number})(?:{_S}+{month})?{_S}+"
             rf"{_alternation(vocab.get('night_connectors') or [])}{_S}+)?")
    day_only_end = rf"(?:(?P<o6>{ordinal})(?!\w)|(?={_S}*(?:[,.;:!?)]|$)))"
    alternatives = [
        iso,
        r"(?<![\d/.\-])(?P<na>\d{1,2})(?P<ns>[/.\-])(?P<nb>\d{1,2})(?P=ns)(?P<nc>\d{4}|\d{2})"
        r"(?![\d/.\-]\d)",
        rf"(?P<w1>{weekday}){sep}{article}(?P<d1>{day})"
        rf"(?:{_S}+{of}(?P<m1>{month})(?:{sep}(?P<y1>{year}))?)?",
        rf"(?P<w2>{weekday}){sep}(?P<m2>{month}){_S}+(?P<d2>{day})(?:{sep}(?P<y2>{year}))?",
        rf"(?P<d3>{day}){_S}+{of}(?P<m3>{month})(?:{sep}(?P<y3>{year}))?",
        rf"(?P<m4>{month}){_S}+(?P<d4>{day})(?:{sep}(?P<y4>{year}))?",
        rf"(?P<m5>{month}){_S}+(?P<y5>{year})",
        rf"{_alternation(vocab.get('day_only_prefixes') or [])}{_S}+"
        rf"(?P<d6>{day_number}){day_only_end}",
        rf"(?:(?P<wb>{before}){_S}+)?(?P<w3>{weekday})(?!\w)(?:{_S}+(?P<wa>{after})(?!\w))?",
        rf"(?P<rel>{_alternation(vocab.get('relative_days') or {})})(?!\w)",
    ]
    starters = [*(vocab.get("night_prefixes") or []), *(vocab.get("weekdays") or {}),
                *(vocab.get("months") or {}), *(vocab.get("day_only_prefixes") or []),
                *(vocab.get("weekday_before", {}).get("last", [])),
                *(vocab.get("weekday_before", {}).get("next", [])), *(vocab.get("relative_days") or {})]
    return (r"(?<!\w)" + _starts_with(starters) + night
            + "(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")(?!\w)")


def _starts_with(starters: list[str]) -> str:
    """A look-ahead for a digit or the literal start of one of `starters` (words, phrases).

    sre tries a regex at every position of the text; a trie of the starters' first words
    up front turns most positions away at once, before the alternatives are tried. A
    starter that does not open with a word opens with one literal character ("€");
    the look-ahead is empty (no quick test) when one opens with an apostrophe or a hyphen,
    which `_phrase_regex` does not match literally.
    """
    firsts = set()
    for starter in starters:
        key = " ".join(fold(starter).split())
        if not key:
            continue
        word = _FIRST_WORD.match(key)
        if word is None and key[0] in "'’-":
            return ""
        firsts.add(word.group() if word else key[0])
    return rf"(?=\d|{trie_regex(sorted(firsts))})"


@functools.lru_cache(maxsize=None)
def _grammar(language: str) -> _Grammar:
    """Compile the regexes of one language once ("" or unknown: language-neutral anchors)."""
    data = load_yaml("values.yaml") or {}
    neutral = language not in data or language == "common"
    vocab = _vocabulary("common" if neutral else language)
    thousands = "".join(vocab.get("thousands_separators") or [" ", "\u00a0", "\u202f", ","])
    decimal = vocab.get("decimal_separator", ".")
    units = _folded_table(vocab.get("units"))
    currencies = _folded_table(vocab.get("currencies"))
    number_words = _folded_table(vocab.get("number_words"), lambda v: Decimal(str(v)))
    scales = _folded_table(vocab.get("scales"), lambda v: Decimal(str(v)))
    time_units = vocab.get("time_units") or {}
    raw_units = vocab.get("units") or {}
    time_words = [word for word, unit in raw_units.items() if unit in time_units]
    connectors = _alternation(vocab.get("connectors") or [])
    known_regex = _alternation([*raw_units, *(vocab.get("currencies") or {})])
    scales_regex = _alternation(vocab.get("scales") or {})
    number = _number_regex(thousands, decimal)
    prepositions = _alternation(vocab.get("duration_prepositions") or [])
    starters = [*(vocab.get("currency_prefixes") or []), *(vocab.get("approximate") or {}),
                *(vocab.get("number_words") or {}), *(vocab.get("articles") or [])]
    # sre tries every alternative at every word start; a trie of first words turns most
    # word starts away at once.
    quantity = (
        r"(?<!\w)" + _starts_with(starters) +
        "(?:"
        rf"(?P<cpre>{_alternation(vocab.get('currency_prefixes') or [])}){_S}?"
        rf"(?P<pnum>{_PREFIXED_AMOUNT})(?!\d)"
        rf"|(?<![.,/:\-])(?P<num>{number})(?![/:]?\d)(?P<att>[^\W\d_]+)?"
        rf"|(?P<approx>{_alternation(vocab.get('approximate') or {})})(?!\w)"
        rf"|(?P<word>{_alternation(vocab.get('number_words') or {})})"
        rf"(?={_S}+(?:{scales_regex}{_S}+)?(?:{connectors}{_S}*)?{known_regex}(?!\w))"
        rf"|(?P<art>{_alternation(vocab.get('articles') or [])})"
        rf"(?={_S}+{_alternation(time_words)}(?!\w))"
        ")"
    )
    unit_after = (rf"(?:{_S}*(?:{connectors}{_S}*)?)"
                  rf"(?:(?P<known>{known_regex})(?!\w)|(?P<generic>[^\W\d_][\w\-]*))")
    not_units = {_key(w) for w in vocab.get("not_units") or []}
    not_units |= set(_folded_table(vocab.get("months"))) | set(_folded_table(vocab.get("weekdays")))
    # Quick checks: which words can start a match without a digit (see `extract_values`).
    approximate_words = _last_words(vocab.get("approximate") or {})
    count_words = _last_words([*(vocab.get("number_words") or {}), *(vocab.get("articles") or [])])
    unit_words = _last_words([*raw_units, *(vocab.get("currencies") or {})])
    date_words = _last_words([*(vocab.get("weekdays") or {}), *(vocab.get("months") or {}),
                              *(vocab.get("relative_days") or {})])
    return _Grammar(
        quantity=re.compile(quantity),
        preposition_before=re.compile(rf"(?<!\w){prepositions}{_S}+$"),
        approximate_words=approximate_words,
        count_words=count_words,
        unit_words=unit_words,
        date_words=date_words,
        quick_words=_whole_words_regex(approximate_words | count_words | unit_words | date_words),
        scale_after=re.compile(rf"{_S}*(?P<scale>{scales_regex})(?!\w)"),
        unit_after=re.compile(unit_after),
        date=re.compile(_date_regex(vocab, neutral)),
        thousands=thousands,
        decimal=decimal,
        number_words=number_words,
        scales=scales,
        attached_scales=_folded_table(vocab.get("attached_scales"), lambda v: Decimal(str(v))),
        approximate=_folded_table(vocab.get("approximate")),
        units=units,
        currencies=currencies,
        time_units=time_units,
        not_units=frozenset(not_units),
        ordinals=frozenset(_key(w) for w in vocab.get("ordinal_suffixes") or []),
        months=_folded_table(vocab.get("months"), int),
        weekdays=_folded_table(vocab.get("weekdays"), int),
        shift_last=_shift_words(vocab, "last"),
        shift_next=_shift_words(vocab, "next"),
        relative_days=_folded_table(vocab.get("relative_days"), int),
        numeric_orders=tuple(vocab.get("numeric_date_orders") or ()),
        capitalized_only=frozenset(_key(w) for w in vocab.get("capitalized_only") or []),
    )


# ---------------------------------------------------------------- numbers, money, durations


def _parse_number(digits: str, grammar: _Grammar) -> Decimal | None:
    """The value of digits written with the language's separators."""
    cleaned = "".join(c for c in digits if c not in grammar.thousands)
    if grammar.decimal and grammar.decimal not in grammar.thousands:
        cleaned = cleaned.replace(grammar.decimal, ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _parse_prefixed(integer: str, fraction: str | None) -> Decimal:
    """The value of an amount written after a currency sign (see `_PREFIXED_AMOUNT`)."""
    digits = "".join(c for c in integer if c.isdigit())
    return Decimal(digits + ("." + fraction[1:] if fraction else ""))


def _format_number(value: Decimal) -> str:
    """A canonical decimal: "30000", "1.5", never an exponent."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _is_year(digits: str, value: Decimal) -> bool:
    """Four bare digits that read as a year ("en 2020")."""
    return len(digits) == 4 and digits.isdigit() and 1900 <= value <= 2100


def _duration(value: Decimal, unit: str, grammar: _Grammar) -> str:
    """An ISO-8601 duration: 1 week -> "P7D", 48 hours -> "PT48H"."""
    spec = grammar.time_units[unit]
    amount = _format_number(value * Decimal(str(spec.get("factor", 1))))
    prefix = "PT" if spec.get("time") else "P"
    return f"{prefix}{amount}{spec['designator']}"


def _unit_after(folded: str, pos: int, grammar: _Grammar) -> tuple[str, int]:
    """The canonical unit of the noun after a number (or the noun itself), and where it ends."""
    match = grammar.unit_after.match(folded, pos)
    if match is None:
        return "", pos
    if match.group("known") is not None:
        word = _key(match.group("known"))
        return grammar.currencies.get(word) or grammar.units[word], match.end()
    generic = match.group("generic")
    if generic in grammar.not_units:
        return "", pos
    return generic, match.end()


def _quantity(match: re.Match[str], text: str, folded: str, grammar: _Grammar) -> Value | None:
    """The value of one quantity match: a count, an amount of money or a duration."""
    group = match.group
    core = next(name for name in ("cpre", "num", "approx", "word", "art")
                if group(name) is not None)
    start, pos = match.start(core), match.end()
    value: Decimal | None = None
    approx = ""
    unit = ""
    digits = ""
    if core == "cpre":
        value = _parse_prefixed(group("pint"), group("pfrac"))
        unit = grammar.currencies.get(_key(group("cpre")), "")
    elif core == "num":
        digits = group("num")
        value = _parse_number(digits, grammar)
        attached = group("att")
        if attached:
            after = match.end("att")
            if attached in grammar.ordinals or folded[after:after + 1].isdigit():
                return None  # "17th", "1er" are days of a month; "10h30" is a time of day
            if attached in grammar.attached_scales and value is not None:
                value *= grammar.attached_scales[attached]
            else:
                unit = grammar.currencies.get(attached) or grammar.units.get(attached, attached)
    elif core == "approx":
        approx = grammar.approximate[_key(group("approx"))]
    elif core == "word":
        value = grammar.number_words[_key(group("word"))]
    else:
        value = Decimal(1)
    if value is None and not approx:
        return None
    if value is not None and (core == "cpre" or not unit):
        scale = grammar.scale_after.match(folded, pos)
        if scale:
            value *= grammar.scales[_key(scale.group("scale"))]
            pos = scale.end()
            digits = ""
    if not unit:
        found, end = _unit_after(folded, pos, grammar)
        if found:
            unit, pos = found, end
    if core == "num" and digits and _is_year(digits, value) and unit not in {
            *grammar.units.values(), *grammar.currencies.values()}:
        return None
    return _classify(text, folded, start, pos, value, approx, unit, grammar)


def _classify(text: str, folded: str, start: int, end: int, value: Decimal | None,
              approx: str, unit: str, grammar: _Grammar) -> Value | None:
    """Decide between money, duration and count, and build the Value."""
    amount = approx or _format_number(value)  # type: ignore[arg-type]
    if unit in grammar.currencies.values():
        return Value("money", text[start:end], f"{amount} {unit}", start, end, unit)
    if unit in grammar.time_units and value is not None and not approx and value <= _MAX_DURATION:
        # "pendant une semaine": the preposition says it is a duration, keep it in the text.
        before = grammar.preposition_before.search(folded, max(0, start - 40), start)
        phrase_start = before.start() if before else start
        return Value("duration", text[phrase_start:end], _duration(value, unit, grammar),
                     phrase_start, end, unit)
    normalized = f"{amount} {unit}" if unit else amount
    return Value("number", text[start:end], normalized, start, end, unit)


# ---------------------------------------------------------------- dates


def _day(token: str) -> int:
    """The day number of "17", "17th", "1er"."""
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """A date, or None when it does not exist (31 June)."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month_day(day: int, month: int, reference: datetime.date) -> datetime.date | None:
    """A year-less date near the reference: its year, or the previous one if too far ahead."""
    limit = reference + datetime.timedelta(days=_FUTURE_DAYS)
    for year in (reference.year, reference.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= limit:
            return candidate
    return None


def _weekday_day(weekday: int, day: int,
                 reference: datetime.date) -> tuple[datetime.date | None, bool]:
    """The latest date on or before the reference with this day number and weekday.

    Returns the date and whether the weekday had to be ignored (no month matched).
    """
    year, month = reference.year, reference.month
    fallback = None
    for _ in range(_MONTHS_BACK + 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= reference:
            fallback = fallback or candidate
            if candidate.weekday() == weekday:
                return candidate, False
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return fallback, True


def _day_only(day: int, reference: datetime.date) -> datetime.date | None:
    """The latest date on or before the reference with this day number."""
    year, month = reference.year, reference.month
    for _ in range(3):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= reference:
            return candidate
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _bare_weekday(weekday: int, shift: str, reference: datetime.date) -> datetime.date:
    """The weekday nearest the reference: on or before, strictly before ("last"), after ("next")."""
    if shift == "next":
        return reference + datetime.timedelta(days=(weekday - reference.weekday() - 1) % 7 + 1)
    back = (reference.weekday() - weekday) % 7
    if shift == "last" and back == 0:
        back = 7
    return reference - datetime.timedelta(days=back)


def _numeric_date(match: re.Match[str], grammar: _Grammar) -> datetime.date | None:
    """A date written with digits only, read in the language's orders ("17/07/2020")."""
    first, second, year = int(match.group("na")), int(match.group("nb")), match.group("nc")
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    for order in grammar.numeric_orders:
        day, month = (first, second) if order == "dmy" else (second, first)
        candidate = _safe_date(full_year, month, day)
        if candidate is not None:
            return candidate
    return None


def _checked(found: datetime.date, weekday: int | None) -> str:
    """ISO form of a date, flagged when the weekday written next to it is wrong."""
    flag = _WEEKDAY_MISMATCH if weekday is not None and found.weekday() != weekday else ""
    return found.isoformat() + flag


def _calendar_date(day: int, month: int, year: str | None, weekday: int | None,
                   reference: datetime.date | None) -> str | None:
    """Normalize a day + month (+ year, + weekday) date."""
    if year:
        found = _safe_date(int(year), month, day)
        return _checked(found, weekday) if found else None
    if reference is None:
        return f"--{month:02d}-{day:02d}" if _safe_date(2000, month, day) else None
    found = _month_day(day, month, reference)
    return _checked(found, weekday) if found else None


def _resolve_date(match: re.Match[str], text: str, grammar: _Grammar,
                  reference: datetime.date | None) -> str | None:
    """The normalized form of a date match, or None when it is not a usable date."""
    group = match.group
    if group("iy"):
        found = _safe_date(int(group("iy")), int(group("im")), int(group("id")))
        return found.isoformat() if found else None
    if group("na"):
        found = _numeric_date(match, grammar)
        return found.isoformat() if found else None
    for index in "12345":
        month_word = group(f"m{index}")
        if month_word is not None and not _capitalized_enough(match, f"m{index}", text, grammar):
            return None
    weekday = next((grammar.weekdays[_key(group(g))] for g in ("w1", "w2", "w3") if group(g)), None)
    for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3"), ("d4", "m4", "y4")):
        if group(d) and group(m):
            month = grammar.months[_key(group(m).rstrip("."))]
            return _calendar_date(_day(group(d)), month, group(y), weekday, reference)
    if group("m5"):
        return f"{int(group('y5')):04d}-{grammar.months[_key(group('m5').rstrip('.'))]:02d}"
    if group("d1") or group("d6"):
        day = _day(group("d1") or group("d6"))
        if not 1 <= day <= 31:
            return None
        if reference is None:
            return f"---{day:02d}"
        if group("d1"):
            found, mismatch = _weekday_day(weekday, day, reference)  # type: ignore[arg-type]
            return found.isoformat() + (_WEEKDAY_MISMATCH if mismatch else "") if found else None
        found = _day_only(day, reference)
        return found.isoformat() if found else None
    if reference is None:
        return None  # "vendredi", "hier": meaningless without the publication date
    if group("w3"):
        shift_word = _key(group("wb") or group("wa") or "")
        shift = ("last" if shift_word in grammar.shift_last else
                 "next" if shift_word in grammar.shift_next else "")
        return _bare_weekday(weekday, shift, reference).isoformat()  # type: ignore[arg-type]
    offset = grammar.relative_days[_key(group("rel"))]
    return (reference + datetime.timedelta(days=offset)).isoformat()


def _capitalized_enough(match: re.Match[str], name: str, text: str, grammar: _Grammar) -> bool:
    """False for a month name that is also a common word written in lowercase ("it may")."""
    word = _key(match.group(name).rstrip("."))
    return word not in grammar.capitalized_only or text[match.start(name)].isupper()


# ---------------------------------------------------------------- public API


def _select(candidates: list[Value]) -> list[Value]:
    """Non-overlapping values, longest first, then the most specific kind; sorted by start."""
    if not candidates:
        return []  # most sentences
    chosen: list[Value] = []
    ranked = sorted(candidates, key=lambda v: (v.start - v.end, _PRIORITY[v.kind], v.start))
    for value in ranked:
        if all(value.end <= other.start or value.start >= other.end for other in chosen):
            chosen.append(value)
    return sorted(chosen, key=lambda v: v.start)


def extract_values(text: str, language: str,
                   reference: datetime.date | None = None, folded: str | None = None) -> list[Value]:
    """Find the numbers, amounts of money, dates and durations in a sentence.

    Args:
        text: one sentence (any text works; long texts are just slower).
        language: "fr", "en"; any other code finds only language-neutral values
            (digits, money with a currency symbol or code, ISO dates).
        reference: the document's publication date, against which year-less and
            relative dates are resolved. Without it, year-less dates are given as
            "--MM-DD" and bare weekdays or "yesterday" are not reported.
        folded: `fold(text)`, when the caller has it already (it is computed otherwise).

    Returns:
        Values sorted by start, never overlapping (the longest reading wins).
        `normalized` is "30000 hours" / "tens of thousands hours" for counts,
        "50000 EUR" for money, "2020-07-17" (with " (weekday mismatch)" when the
        written weekday contradicts the date) for dates, "P7D" / "PT48H" for durations.
    """
    if not text:
        return []
    grammar = _grammar(language)
    if folded is None:
        folded = fold(text)
    # Most sentences hold no value: a set of words and one digit search rule them out
    # before the large regexes, which cost far more per character. Only the words of the
    # quick checks are read (the same checks as on all the words, in less time).
    has_digit = _DIGIT_OR_SIGN.search(folded) is not None
    words = set() if has_digit else set(grammar.quick_words.findall(folded))
    candidates: list[Value] = []
    if (has_digit or not words.isdisjoint(grammar.approximate_words)
            or (not words.isdisjoint(grammar.count_words)
                and not words.isdisjoint(grammar.unit_words))):
        for match in grammar.quantity.finditer(folded):
            value = _quantity(match, text, folded, grammar)
            if value is not None and value.end > value.start:
                candidates.append(value)
    if has_digit or not words.isdisjoint(grammar.date_words):
        candidates.extend(_dates(text, folded, grammar, reference))
    return _select(candidates)


def _dates(text: str, folded: str, grammar: _Grammar,
           reference: datetime.date | None) -> list[Value]:
    """The dates of a text (see `extract_values`)."""
    found = []
    for match in grammar.date.finditer(folded):
        try:
            normalized = _resolve_date(match, text, grammar, reference)
        except OverflowError:  # a reference at the ends of the calendar (year 1 or 9999)
            normalized = None
        if normalized is not None:
            found.append(Value("date", text[match.start():match.end()], normalized,
                               match.start(), match.end()))
    return found
