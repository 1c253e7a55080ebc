"""Tests for analyzer.values: counts, money, dates and durations in French and English."""
from __future__ import annotations

import datetime
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.values import Value, extract_values

FR_REF = datetime.date(2020, 7, 24)  # France Bleu article, a Friday
EN_REF = datetime.date(2020, 7, 27)  # geeky.news article, a Monday


def _found(text: str, language: str, reference: datetime.date | None) -> list[tuple[str, str, str]]:
    return [(v.kind, v.text, v.normalized) for v in extract_values(text, language, reference)]


# (language, text, reference, expected (kind, text, normalized) values in order)
NUMBERS = [
    ("en", "the CGT thus mentions a “loss of 30,000 hours of work” for the Compensation department",
     EN_REF, [("number", "30,000 hours", "30000 hours")]),
    ("fr", "se sont des dizaines de milliers d'heures d'activité qui ont été perdues", FR_REF,
     [("number", "des dizaines de milliers d'heures", "tens of thousands hours")]),
    ("fr", "la grande majorité des 3.000 salariés", FR_REF,
     [("number", "3.000 salariés", "3000 employees")]),
    ("fr", "30 000 heures de travail", FR_REF, [("number", "30 000 heures", "30000 hours")]),
    ("fr", "30\u202f000 heures perdues", FR_REF, [("number", "30\u202f000 heures", "30000 hours")]),
    ("fr", "30\u00a0000 clients", FR_REF, [("number", "30\u00a0000 clients", "30000 customers")]),
    ("fr", "des centaines de salariés", FR_REF,
     [("number", "des centaines de salariés", "hundreds employees")]),
    ("fr", "plusieurs milliers de dossiers", FR_REF,
     [("number", "plusieurs milliers de dossiers", "several thousands files")]),
    ("fr", "plusieurs milliers", FR_REF, [("number", "plusieurs milliers", "several thousands")]),
    ("fr", "trois serveurs chiffrés", FR_REF, [("number", "trois serveurs", "3 servers")]),
    ("fr", "2,5 millions de données", FR_REF,
     [("number", "2,5 millions de données", "2500000 records")]),
    ("fr", "1,5 To de fichiers", FR_REF, [("number", "1,5 To", "1.5 TB")]),
    ("fr", "300 postes de travail", FR_REF,
     [("number", "300 postes de travail", "300 workstations")]),
    ("fr", "12 agences fermées", FR_REF, [("number", "12 agences", "12 branches")]),
    ("fr", "2020 salariés", FR_REF, [("number", "2020 salariés", "2020 employees")]),
    ("fr", "30 % des postes", FR_REF, [("number", "30 %", "30 percent")]),
    ("fr", "150 ambulances", FR_REF, [("number", "150 ambulances", "150 ambulances")]),
    ("en", "dozens of servers", EN_REF, [("number", "dozens of servers", "dozens servers")]),
    ("en", "hundreds of employees", EN_REF,
     [("number", "hundreds of employees", "hundreds employees")]),
    ("en", "thousands of customers", EN_REF,
     [("number", "thousands of customers", "thousands customers")]),
    ("en", "tens of thousands of claims", EN_REF,
     [("number", "tens of thousands of claims", "tens of thousands files")]),
    ("en", "ten servers and two workstations", EN_REF,
     [("number", "ten servers", "10 servers"), ("number", "two workstations", "2 workstations")]),
    ("en", "1.2 million records", EN_REF, [("number", "1.2 million records", "1200000 records")]),
    ("en", "10k customers", EN_REF, [("number", "10k customers", "10000 customers")]),
    ("en", "1,500 staff", EN_REF, [("number", "1,500 staff", "1500 employees")]),
    ("en", "500 GB of data", EN_REF, [("number", "500 GB", "500 GB")]),
    ("en", "1.5 percent", EN_REF, [("number", "1.5 percent", "1.5 percent")]),
    ("en", "in 2020 the group", EN_REF, []),
    ("en", "30 of the servers", EN_REF, [("number", "30", "30")]),
    ("en", "at 10:30 the attack", EN_REF, []),
    ("fr", "à 10h30 l'attaque", FR_REF, []),
]

MONEY = [
    ("fr", "une rançon de 50 000 €", FR_REF, [("money", "50 000 €", "50000 EUR")]),
    ("fr", "4,4 millions d'euros", FR_REF, [("money", "4,4 millions d'euros", "4400000 EUR")]),
    ("fr", "2 millions de dollars", FR_REF, [("money", "2 millions de dollars", "2000000 USD")]),
    ("fr", "une rançon de 1 bitcoin", FR_REF, [("money", "1 bitcoin", "1 BTC")]),
    ("fr", "deux millions d'euros", FR_REF, [("money", "deux millions d'euros", "2000000 EUR")]),
    ("fr", "des millions d'euros", FR_REF, [("money", "des millions d'euros", "millions EUR")]),
    ("fr", "€1,5 million", FR_REF, [("money", "€1,5 million", "1500000 EUR")]),
    ("en", "a ransom of €50,000", EN_REF, [("money", "€50,000", "50000 EUR")]),
    ("en", "$4.4 million", EN_REF, [("money", "$4.4 million", "4400000 USD")]),
    ("en", "10 BTC", EN_REF, [("money", "10 BTC", "10 BTC")]),
    ("en", "USD 5 million", EN_REF, [("money", "USD 5 million", "5000000 USD")]),
    ("en", "50k€", EN_REF, [("money", "50k€", "50000 EUR")]),
    ("en", "2.5 million euros", EN_REF, [("money", "2.5 million euros", "2500000 EUR")]),
]

DATES = [
    ("en", "The attack was discovered in the morning of Friday the 17th", EN_REF,
     [("date", "Friday the 17th", "2020-07-17")]),
    ("fr", "Lundi 27 juillet, les salariés sont invités", FR_REF,
     [("date", "Lundi 27 juillet", "2020-07-27")]),
    ("fr", "mardi 27 juillet", FR_REF, [("date", "mardi 27 juillet", "2020-07-27 (weekday mismatch)")]),
    ("fr", "le 17 juillet 2020", FR_REF, [("date", "17 juillet 2020", "2020-07-17")]),
    ("fr", "le 17 juillet", FR_REF, [("date", "17 juillet", "2020-07-17")]),
    ("fr", "vendredi 17 juillet", FR_REF, [("date", "vendredi 17 juillet", "2020-07-17")]),
    ("fr", "le 1er août", FR_REF, [("date", "1er août", "2020-08-01")]),
    ("fr", "le 1er aout", FR_REF, [("date", "1er aout", "2020-08-01")]),
    ("fr", "le 17/07/2020", FR_REF, [("date", "17/07/2020", "2020-07-17")]),
    ("fr", "le 2020-07-17", FR_REF, [("date", "2020-07-17", "2020-07-17")]),
    ("fr", "le 20 décembre", FR_REF, [("date", "20 décembre", "2019-12-20")]),
    ("fr", "vendredi dernier", FR_REF, [("date", "vendredi dernier", "2020-07-17")]),
    ("fr", "vendredi", FR_REF, [("date", "vendredi", "2020-07-24")]),
    ("fr", "hier", FR_REF, [("date", "hier", "2020-07-23")]),
    ("fr", "avant-hier", FR_REF, [("date", "avant-hier", "2020-07-22")]),
    ("fr", "dans la nuit de jeudi à vendredi", FR_REF,
     [("date", "dans la nuit de jeudi à vendredi", "2020-07-24")]),
    ("fr", "dans la nuit du jeudi 16 au vendredi 17 juillet", FR_REF,
     [("date", "dans la nuit du jeudi 16 au vendredi 17 juillet", "2020-07-17")]),
    ("fr", "ce week-end", FR_REF, []),
    ("fr", "Du côté du siège au Mans", FR_REF, []),
    ("fr", "en mai 2020", FR_REF, [("date", "mai 2020", "2020-05")]),
    ("en", "Friday, July 17", EN_REF, [("date", "Friday, July 17", "2020-07-17")]),
    ("en", "July 17th", EN_REF, [("date", "July 17th", "2020-07-17")]),
    ("en", "the 17th of July", EN_REF, [("date", "17th of July", "2020-07-17")]),
    ("en", "July 17, 2020", EN_REF, [("date", "July 17, 2020", "2020-07-17")]),
    ("en", "on the 17th, the site", EN_REF, [("date", "on the 17th", "2020-07-17")]),
    ("en", "last Friday", EN_REF, [("date", "last Friday", "2020-07-24")]),
    ("en", "on Friday morning", EN_REF, [("date", "Friday", "2020-07-24")]),
    ("en", "yesterday", EN_REF, [("date", "yesterday", "2020-07-26")]),
    ("en", "07/17/2020", EN_REF, [("date", "07/17/2020", "2020-07-17")]),
    ("en", "07/08/2020", EN_REF, [("date", "07/08/2020", "2020-08-07")]),
    ("en", "Friday the 13th", EN_REF, [("date", "Friday the 13th", "2020-03-13")]),
    ("en", "Friday the 31st", datetime.date(2021, 9, 15),
     [("date", "Friday the 31st", "2021-08-31 (weekday mismatch)")]),
    ("en", "in the night from Thursday to Friday", EN_REF,
     [("date", "in the night from Thursday to Friday", "2020-07-24")]),
    ("en", "over the weekend", EN_REF, []),
    ("en", "the attack targeted MMA, based in Le Mans", EN_REF, []),
    ("en", "it may be the case", EN_REF, []),
    ("en", "the 17th century", EN_REF, []),
    # Without a reference: year-less dates keep month and day, relative ones are dropped.
    ("fr", "le 17 juillet", None, [("date", "17 juillet", "--07-17")]),
    ("fr", "vendredi dernier, hier", None, []),
    ("en", "Friday the 17th", None, [("date", "Friday the 17th", "---17")]),
]

DURATIONS = [
    ("en", "which lasted for a week", EN_REF, [("duration", "for a week", "P7D")]),
    ("fr", "pendant une semaine", FR_REF, [("duration", "pendant une semaine", "P7D")]),
    ("fr", "Depuis une semaine, l'assureur", FR_REF, [("duration", "Depuis une semaine", "P7D")]),
    ("fr", "une semaine", FR_REF, [("duration", "une semaine", "P7D")]),
    ("fr", "trois jours", FR_REF, [("duration", "trois jours", "P3D")]),
    ("fr", "depuis dix jours", FR_REF, [("duration", "depuis dix jours", "P10D")]),
    ("fr", "48 heures", FR_REF, [("duration", "48 heures", "PT48H")]),
    ("fr", "en 48h", FR_REF, [("duration", "en 48h", "PT48H")]),
    ("fr", "deux semaines", FR_REF, [("duration", "deux semaines", "P14D")]),
    ("fr", "un mois", FR_REF, [("duration", "un mois", "P1M")]),
    ("fr", "vingt-quatre heures", FR_REF, [("duration", "vingt-quatre heures", "PT24H")]),
    ("en", "ten days later", EN_REF, [("duration", "ten days", "P10D")]),
    ("en", "48 hours", EN_REF, [("duration", "48 hours", "PT48H")]),
    ("en", "a month", EN_REF, [("duration", "a month", "P1M")]),
    ("en", "two weeks", EN_REF, [("duration", "two weeks", "P14D")]),
    ("en", "Early last week, the insurer", EN_REF, []),
    ("en", "during the week", EN_REF, []),
    ("en", "hundreds of hours", EN_REF, [("number", "hundreds of hours", "hundreds hours")]),
]

NEUTRAL = [
    ("de", "30,000 Stunden und 3 000 Server", EN_REF,
     [("number", "30,000 Stunden", "30000 stunden"), ("number", "3 000 Server", "3000 server")]),
    ("de", "Lösegeld €50,000 am 2020-07-17", EN_REF,
     [("money", "€50,000", "50000 EUR"), ("date", "2020-07-17", "2020-07-17")]),
    ("", "Freitag, 17. Juli, drei Tage", EN_REF, [("number", "17", "17")]),
]


@pytest.mark.parametrize("language, text, reference, expected",
                         NUMBERS + MONEY + DATES + DURATIONS + NEUTRAL)
def test_extract_values(language: str, text: str, reference: datetime.date | None,
                        expected: list[tuple[str, str, str]]) -> None:
    assert _found(text, language, reference) == expected


@pytest.mark.parametrize("language, text, unit", [
    ("en", "30,000 hours of work", "hours"),
    ("fr", "des dizaines de milliers d'heures", "hours"),
    ("fr", "3.000 salariés", "employees"),
    ("fr", "50 000 €", "EUR"),
    ("en", "for a week", "weeks"),
    ("fr", "150 ambulances", "ambulances"),
])
def test_unit_is_canonical(language: str, text: str, unit: str) -> None:
    assert [v.unit for v in extract_values(text, language, None)] == [unit]


@pytest.mark.parametrize("language", ["fr", "en", "xx"])
def test_empty_text(language: str) -> None:
    assert extract_values("", language) == []


def test_long_line_without_digits_is_fast() -> None:
    line = ("la direction assure qu'aucune fuite de données n'a été constatée " * 2000)[:100_000]
    started = time.perf_counter()
    assert extract_values(line, "fr", FR_REF) == []
    assert time.perf_counter() - started < 2.0


def test_values_are_sorted_and_disjoint() -> None:
    text = ("Lundi 27 juillet, 3.000 salariés ont perdu 30 000 heures pendant une semaine, "
            "rançon de 50 000 €")
    values = extract_values(text, "fr", FR_REF)
    assert [v.kind for v in values] == ["date", "number", "number", "duration", "money"]
    assert all(a.end <= b.start for a, b in zip(values, values[1:]))


def test_value_is_frozen() -> None:
    value = Value("number", "3", "3", 0, 1)
    with pytest.raises(AttributeError):
        value.kind = "date"  # type: ignore[misc]


_TOKENS = st.sampled_from([
    "juillet", "July", "vendredi", "Friday", "the", "le", "de", "d'", "heures", "hours",
    "millions", "des", "dizaines", "milliers", "semaine", "week", "a", "une", "dernier",
    "last", "hier", "avant-hier", "dans la nuit", "du", "au", "on", "17th", "1er", "mai", "May",
    "30,000", "3.000", "30 000", "2020", "17/07/2020", "2020-07-17", "€", "$", "%", "k", "h",
    "İ", "ß", "ﬁ", "\u00a0", "\u202f", "\n",
]) | st.text(max_size=4)
_SEPARATORS = st.sampled_from([" ", "", ", ", "-", "'", "’", "."])
_TEXTS = st.lists(st.tuples(_TOKENS, _SEPARATORS), max_size=16).map(
    lambda parts: "".join(token + separator for token, separator in parts)) | st.text()


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, language=st.sampled_from(["fr", "en", "de"]),
       reference=st.none() | st.dates() | st.dates(datetime.date(2015, 1, 1), datetime.date(2025, 12, 31)))
def test_never_raises_and_offsets_point_into_text(text: str, language: str,
                                                   reference: datetime.date | None) -> None:
    values = extract_values(text, language, reference)
    for value in values:
        assert text[value.start:value.end] == value.text
        assert value.kind in {"number", "money", "date", "duration"}
    assert all(a.end <= b.start for a, b in zip(values, values[1:]))


@pytest.mark.parametrize("language, text", [
    ("fr", "Une centaine d'agents, mardi 12mai : les agences ré-ouvrent, dès le 3 juin."),
    ("fr", "Les salariés_bis et l'agence_x n'ont rien ; vingt-quatre heures plus tard"),
    ("en", "A few hundred customers' accounts, on Monday: the agency's branches reopened"),
    ("en", "an_employee amid 2million clients... hours_later, today"),
])
def test_quick_words_are_the_vocabulary_among_the_words(language, text):
    from analyzer.patterns import fold
    from analyzer.values import _WORD, _grammar
    grammar = _grammar(language)
    vocabulary = grammar.approximate_words | grammar.count_words | grammar.unit_words | grammar.date_words
    folded = fold(text)
    assert set(grammar.quick_words.findall(folded)) == set(_WORD.findall(folded)) & vocabulary
