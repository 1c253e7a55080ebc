"""Values as people read them: dates, durations, fact values, regulatory items, counts.

The tables keep canonical forms (ISO dates, ISO 8601 durations, item ids) so that they sort,
join and compare; every page shows them through these functions. Anything undefined (None,
NaN, an empty string) is shown as EMPTY, never as "None" or "nan".

A fact value that only repeats the words of the cue that found it ("salariés sont invités
à", "rançon") carries nothing beyond the fact itself: it is shown as the mention's polarity
in words ("stated", "denied", "none observed", "withheld"), not as a fragment of a sentence.
"""
from __future__ import annotations

import functools
import math
import re

EMPTY = "—"
"""What an undefined cell shows."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

POLARITY_WORDS = {"affirmed": "stated", "negated": "denied", "not_observed": "none observed",
                  "withheld": "withheld"}
"""A mention's polarity as a reader says it (the value shown when the value is only the cue)."""

STATUS_WORDS = {
    "disclosed": "disclosed",
    "exclusive": "disclosed, only by this party",
    "internal only": "told to staff only",
    "contradicted": "contradicted by another party",
    "omitted": "left out (others disclosed it)",
    "unknown": "not known in the case (nobody disclosed it)",
}
"""A matrix cell's status as a sentence, for tooltips and the evidence line."""

_FULL_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
_MONTH_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})")
_YEAR = re.compile(r"\d{4}")
_NO_YEAR = re.compile(r"--(?P<m>\d{2})-(?P<d>\d{2})")
_DAY_ONLY = re.compile(r"---(?P<d>\d{2})")
_DATE_FLAG = re.compile(r"^(?P<date>\S+)(?P<flag> \(.*\))?$")
_DURATION = re.compile(r"P(?:(?P<Y>[\d.]+)Y)?(?:(?P<M>[\d.]+)M)?(?:(?P<W>[\d.]+)W)?(?:(?P<D>[\d.]+)D)?"
                       r"(?:T(?:(?P<H>[\d.]+)H)?(?:(?P<TM>[\d.]+)M)?(?:(?P<S>[\d.]+)S)?)?")
_DURATION_UNITS = (("Y", "year"), ("M", "month"), ("W", "week"), ("D", "day"), ("H", "hour"), ("TM", "minute"),
                   ("S", "second"))
_LONG_NUMBER = re.compile(r"(?<![\d.,])\d{5,}(?![\d.,])")


def is_blank(value: object) -> bool:
    """Whether a cell is undefined: None, NaN, pandas' NA or an empty string."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not items(value)
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def items(value: object, separator: str = " | ") -> list[str]:
    """The items of a multi-valued cell: a list (the API's typed tables) or a joined string (the CSV's)."""
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    if is_blank(value):
        return []
    return [part.strip() for part in str(value).split(separator) if part.strip()]


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """'1 document', '2 documents', '0 documents' (plural_noun for irregular nouns)."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def _day_month(day: str, month: str) -> str | None:
    """'17 July' from '17', '07'; None when the month is not one."""
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return None
    return f"{int(day)} {MONTHS[int(month) - 1]}"


def format_date(value: object) -> str:
    """An ISO date as a reader writes it.

    '2020-07-17' -> '17 July 2020', '2020-07' -> 'July 2020', '2020' -> '2020', '--07-17'
    (no year) -> '17 July', '---17' (day only) -> 'the 17th'; a weekday-mismatch flag is kept
    ('17 July 2020 (weekday mismatch)'). Undefined -> EMPTY; anything else is returned as is.
    """
    if is_blank(value):
        return EMPTY
    text = str(value).strip()
    if hasattr(value, "strftime") and not isinstance(value, str):  # a date or Timestamp
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    parts = _DATE_FLAG.match(text)
    date, flag = (parts["date"], parts["flag"] or "") if parts else (text, "")
    shown = None
    if match := _FULL_DATE.fullmatch(date):
        day_month = _day_month(match["d"], match["m"])
        shown = day_month and f"{day_month} {match['y']}"
    elif match := _NO_YEAR.fullmatch(date):
        shown = _day_month(match["d"], match["m"])
    elif match := _MONTH_DATE.fullmatch(date):
        shown = f"{MONTHS[int(match['m']) - 1]} {match['y']}" if 1 <= int(match["m"]) <= 12 else None
    elif _YEAR.fullmatch(date):
        shown = date
    elif match := _DAY_ONLY.fullmatch(date):
        shown = f"the {_ordinal(int(match['d']))} of the month"
    return shown + flag if shown else text


def _ordinal(day: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _amount(text: str) -> str:
    """'7' -> '7', '1.50' -> '1.5'."""
    number = float(text)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def format_duration(value: object) -> str:
    """An ISO 8601 duration in words: 'P7D' -> '7 days', 'PT36H' -> '36 hours', 'P1DT2H' -> '1 day 2 hours'.

    Anything that is not such a duration is returned unchanged (undefined -> EMPTY).
    """
    if is_blank(value):
        return EMPTY
    text = str(value).strip()
    match = _DURATION.fullmatch(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return text
    words = []
    for group, unit in _DURATION_UNITS:
        if match[group] is not None:
            amount = _amount(match[group])
            words.append(f"{amount} {unit}" + ("" if float(match[group]) == 1 else "s"))
    return " ".join(words) if words else text


def _group_thousands(text: str) -> str:
    """'30000 hours' -> '30,000 hours' (digits in a long run only; years have four)."""
    return _LONG_NUMBER.sub(lambda m: f"{int(m.group()):,}", text)


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split()).strip(" .,;:!?\"'«»“”")


def is_cue_only(value: object, cue: object) -> bool:
    """Whether a value only repeats (part of) the words of its cue: no value beyond the fact."""
    if is_blank(value) or is_blank(cue):
        return False
    folded = _fold(value)
    return bool(folded) and folded in _fold(cue)


def format_value(value: object, cue: object = None, polarity: object = None) -> str:
    """One fact value for people.

    A date is written as a date, a duration in words, a long number grouped by thousands. A
    value that only repeats its cue's words is replaced by the polarity in words ('stated',
    'denied'...), or EMPTY when the polarity is not given.
    """
    if is_blank(value):
        return POLARITY_WORDS.get(str(polarity), EMPTY) if not is_blank(polarity) else EMPTY
    if is_cue_only(value, cue):
        return POLARITY_WORDS.get(str(polarity), EMPTY) if not is_blank(polarity) else EMPTY
    text = str(value).strip()
    dated = format_date(text)
    if dated != text:
        return dated
    spelled = format_duration(text)
    if spelled != text:
        return spelled
    return _group_thousands(text)


def answer(polarities) -> str:
    """What some mentions answer to a yes/no fact: 'yes', 'no', 'yes and no', or EMPTY."""
    found = set(polarities)
    yes, no = "affirmed" in found, bool(found & {"negated", "not_observed"})
    return {(True, False): "yes", (False, True): "no", (True, True): "yes and no"}.get((yes, no), EMPTY)


def format_values(values: object, separator: str = " | ") -> str:
    """A ' | '-joined list of values, each through format_value, joined by '; ' (EMPTY when none)."""
    shown = [format_value(v) for v in items(values, separator)]
    shown = list(dict.fromkeys(v for v in shown if v != EMPTY))
    return "; ".join(shown) if shown else EMPTY


def mention_values(mentions, separator: str = "; ") -> str:
    """The values of some mentions (a frame with value, cue, polarity) as one line, each once."""
    shown = [format_value(v, c, p) for v, c, p in zip(mentions["value"], mentions["cue"], mentions["polarity"])]
    shown = list(dict.fromkeys(v for v in shown if v != EMPTY))
    return separator.join(shown) if shown else EMPTY


@functools.lru_cache(maxsize=1)
def _regulatory_labels() -> dict[str, str]:
    from analyzer.scores import regulatory_items

    return {item.id: item.label for item in regulatory_items()}


def regulatory_label(item_id: object) -> str:
    """A checklist item's label from analyzer/data/regulations.yaml ('gdpr_nature' -> 'Nature of the breach…')."""
    if is_blank(item_id):
        return EMPTY
    return _regulatory_labels().get(str(item_id), str(item_id))


@functools.lru_cache(maxsize=1)
def _fact_labels() -> dict[str, str]:
    from analyzer.serve import fact_labels

    return fact_labels()


def fact_label(fact_id: object) -> str:
    """A codebook fact's label ('data_breach' -> 'Data breach'); unknown ids are returned as is."""
    if is_blank(fact_id):
        return EMPTY
    return _fact_labels().get(str(fact_id), str(fact_id))


def fact_list(fact_ids: object, separator: str = " | ") -> str:
    """A ' | '-joined list of fact ids as their labels, joined by ', ' (EMPTY when none)."""
    return ", ".join(fact_label(f) for f in items(fact_ids, separator)) or EMPTY


def format_cell(value: object) -> str:
    """Any table cell as text: undefined -> EMPTY, booleans as yes/no, dates and durations in words."""
    if is_blank(value):
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return format_value(value)


def format_share(value: object) -> str:
    """A ratio in [0, 1] as a percentage; undefined -> EMPTY."""
    return EMPTY if is_blank(value) else f"{float(value):.0%}"


_MONTH_NAMES = {name: number for number, names in enumerate((
    ("january", "jan", "janvier", "janv"), ("february", "feb", "fevrier", "février", "fev", "fév", "févr"),
    ("march", "mar", "mars"), ("april", "apr", "avril", "avr"), ("may", "mai"), ("june", "jun", "juin"),
    ("july", "jul", "juillet", "juil"), ("august", "aug", "aout", "août"),
    ("september", "sep", "sept", "septembre"), ("october", "oct", "octobre"),
    ("november", "nov", "novembre"), ("december", "dec", "décembre", "decembre", "déc")), start=1)
    for name in names}
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})")
_ISO_INPUT = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?")
_MONTH_YEAR = re.compile(r"(?P<m>\d{1,2})[/.\-](?P<y>\d{4})")
_WORDS_DATE = re.compile(r"(?:(?P<d>\d{1,2})(?:er|st|nd|rd|th)?\s+)?(?P<month>[^\W\d_]+)\.?\s+(?P<y>\d{4})")


def parse_date_input(text: str) -> str:
    """A date typed by a person, day first, as the case format's ISO date ('' when blank).

    Accepted: '21/07/2020', '21.07.2020', '21-07-2020', '2020-07-21', '21 July 2020',
    '21 juillet 2020', 'July 2020' or '07/2020' (-> '2020-07') and '2020'.

    Raises:
        ValueError: anything else, or a day that does not exist ('31/02/2020').
    """
    import datetime

    typed = " ".join(str(text or "").split())
    if not typed:
        return ""
    day = month = year = None
    if match := _DAY_FIRST.fullmatch(typed):
        day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
    elif match := _ISO_INPUT.fullmatch(typed):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"]) if match["d"] else None
    elif match := _MONTH_YEAR.fullmatch(typed):
        month, year = int(match["m"]), int(match["y"])
    elif match := _WORDS_DATE.fullmatch(typed):
        month = _MONTH_NAMES.get(match["month"].casefold())
        day, year = (int(match["d"]) if match["d"] else None), int(match["y"])
    elif _YEAR.fullmatch(typed):
        return typed
    if month is None or year is None:
        raise ValueError(f"'{typed}' is not a real date")
    try:
        found = datetime.date(year, month, day or 1)
    except ValueError:
        raise ValueError(f"'{typed}' is not a real date") from None
    return found.isoformat() if day else found.isoformat()[:7]
