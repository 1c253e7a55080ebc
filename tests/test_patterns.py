import re

import pytest

from analyzer.patterns import compile_patterns, fold, literal_regex, pattern_regex


@pytest.mark.parametrize("text", ["Covéa", "İstanbul", "Œuvre", "straße", "", "ÉÈÊ àç", "ﬁn"])
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("pattern, text, expected", [
    ("fuite* de|des données", "Aucune fuite de données sensibles", "fuite de données"),
    ("fuite* de|des données", "aucune fuite des donnees", "fuite des donnees"),
    ("rançon", "une RANCON", "RANCON"),
    ("ransom", "ransomware attack", None),
    ("ransomware*", "Ransomware attack", "Ransomware"),
    ("servers ... encrypted", "the servers were all quickly encrypted", "servers were all quickly encrypted"),
    ("servers ... encrypted", "the servers. They were encrypted", None),
    ("serveurs? ... hors_service|à_l'arrêt", "le serveur est à l’arrêt", "serveur est à l’arrêt"),
    ("d'heures", "des milliers d’heures", "d’heures"),
    ("heure*|jour* de|d' travail|activité", "d'heures d'activité", "heures d'activité"),
    ("cyber attack*", "a cyber-attack", "cyber-attack"),
    ("couldn't work", "they couldn’t work", "couldn’t work"),
    ("emails?", "two email", "email"),
])
def test_pattern_matches(pattern, text, expected):
    match = re.compile(pattern_regex(pattern)).search(fold(text))
    assert (text[match.start():match.end()] if match else None) == expected


@pytest.mark.parametrize("pattern", ["", "...", "... word", "word ...", "a||b"])
def test_bad_patterns_raise(pattern):
    with pytest.raises(ValueError):
        pattern_regex(pattern)


def test_compile_patterns_prefers_longest():
    regex = compile_patterns(["attaque", "attaque informatique"])
    assert regex.search(fold("une attaque informatique")).group() == "attaque informatique"


@pytest.mark.parametrize("alias, text, found", [
    ("Zataz.com", "le site Zataz.com", True),
    ("CGT", "la CGT Covéa", True),
    ("CGT", "CGTX", False),
    ("Covéa", "COVEA group", True),
])
def test_literal_regex(alias, text, found):
    assert bool(re.search(literal_regex(alias), fold(text))) is found
