import re

import pytest

from analyzer.patterns import (Prefilter, StartFinder, compile_patterns, finditer_from, fold, literal_regex,
                               pattern_regex)


@pytest.mark.parametrize("text", ["Covéa", "İstanbul", "Œuvre", "straße", "", "ÉÈÊ àç", "ﬁn"])
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("text", ["Covéa", "İstanbul à l’İle", "ΟΔΟΣ ΣΑΣ", "\u212a KELVIN", "Œuvre straße ﬁn",
                                  "Déjà « vu », NOËL", "ǅemal ǈ Ⅻ ①", "plain ASCII"])
def test_fold_is_the_fold_of_each_character(text):
    assert fold(text) == "".join(fold(char) for char in text)


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


# --- Speed structures must never change what matches --------------------------------

def _lexicon_patterns(language):
    from analyzer.resources import load_yaml
    raw = load_yaml(f"lexicons/{language}.yaml")
    groups = [raw[key] for key in ("negation", "observation", "withholding", "withheld", "hedges", "according_to")]
    groups += [raw["reporting_verbs"][g] for g in ("clause", "say", "content") if raw["reporting_verbs"].get(g)]
    return groups


_SAMPLES = {
    "fr": ["D'après le site spécialisé Zataz, aucune rançon n'a été versée, a indiqué mardi la direction.",
           "La CGT affirme que des données auraient été dérobées ; le groupe dément toute fuite.",
           "Le montant n'a pas été communiqué et aucune fuite n'a été constatée à ce stade."],
    "en": ["According to the union, no ransom was paid, the company said on Tuesday.",
           "Management declined to say whether data had been stolen; it denied any leak.",
           "The amount was not disclosed and no exfiltration has been observed so far."],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_look_behind_gives_the_matches_of_one_per_pattern(language):
    for patterns in _lexicon_patterns(language):
        ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
        reference = re.compile("|".join(f"(?:{pattern_regex(p)})" for p in ordered))
        compiled = compile_patterns(patterns)
        for text in _SAMPLES[language]:
            folded = fold(text)
            assert [m.span() for m in compiled.finditer(folded)] == [m.span() for m in reference.finditer(folded)]


def _cue_texts(language):
    """Every sample sentence and the codebook's questions, and sliding windows of their words."""
    from analyzer.resources import codebook
    texts = _SAMPLES[language] + [fact.question for fact in codebook().facts]
    words = [w for text in texts for w in fold(text).split()]
    return texts + [" ".join(words[i:i + 12]) for i in range(0, len(words), 5)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_prefilter_never_rules_out_a_matching_cue(language):
    from analyzer.resources import codebook
    cues = codebook().cues[language]
    texts = _cue_texts(language)
    prefilter = Prefilter([cue.anchors for cue in cues])
    for text in texts:
        folded = fold(text)
        matching = {i for i, cue in enumerate(cues) if cue.regex is not None and cue.regex.search(folded)}
        assert matching <= prefilter.hits(folded), text


@pytest.mark.parametrize("anchors, text, expected", [
    ((("rancon",), ("chiffr", "crypt")), "une rancon chiffree", [0, 1]),
    ((("rancon",), ("chiffr", "crypt")), "le transfert", []),
    ((("rancon",), ("chiffr", "crypt")), "ils ont dechiffre", []),  # an anchor starts a word in any match
    ((("lapsus$",), None), "lapsus$ revendique", [0, 1]),  # None: always tried
    ((("cybermalveillance.gouv.fr",),), "sur cybermalveillance.gouv.fr", [0]),
    (((".net",),), "un site .net", [0]),  # an anchor that does not start with a letter: always tried
])
def test_prefilter_candidates(anchors, text, expected):
    assert sorted(Prefilter(list(anchors)).hits(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("une rancon", [0, 1]),  # a word starting with several anchors, prefixes of one another
    ("la rance", [0, 2]),
    ("le ranch", [0]),
    ("le transfert", []),
])
def test_prefilter_reads_every_anchor_a_word_starts_with(text, expected):
    assert sorted(Prefilter([("ran",), ("rancon",), ("rance",)]).hits(text)) == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_finditer_from_a_pattern_s_first_words_is_finditer(language):
    from analyzer.resources import codebook
    for cue in (cue for cue in codebook().cues[language] if cue.regex is not None):
        for text in _cue_texts(language):
            folded = fold(text)
            expected = [m.span() for m in cue.regex.finditer(folded)]
            assert [m.span() for m in finditer_from(cue.regex, folded, cue.starts)] == expected, (text, cue.fact)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_start_finder_matches_in_one_pass_as_finditer(language):
    from analyzer.resources import codebook
    cues = [cue for cue in codebook().cues[language] if cue.regex is not None]
    finder = StartFinder([cue.starts for cue in cues])
    regexes = {index: cue.regex for index, cue in enumerate(cues) if index not in finder.anywhere}
    for text in _cue_texts(language):
        folded = fold(text)
        found = finder.matches(folded, regexes)
        for index, regex in regexes.items():
            expected = [m.span() for m in regex.finditer(folded)]
            assert [m.span() for m in found.get(index, [])] == expected, (text, cues[index].fact)
