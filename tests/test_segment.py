import pytest

from analyzer.segment import split_sentences
from conftest import make_document


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
    ("fr", "La grande majorité des 3.000 salariés reste à la maison. Le siège est fermé.",
     ["La grande majorité des 3.000 salariés reste à la maison.", "Le siège est fermé."]),
    ("fr", "Selon Zataz.com, une rançon est exigée. Résultat : tout est figé.",
     ["Selon Zataz.com, une rançon est exigée.", "Résultat : tout est figé."]),
    ("en", "Mr. Smith said so. The U.S. agency agreed.", ["Mr. Smith said so.", "The U.S. agency agreed."]),
    ("en", "Les dossiers s'accumulent\nThe next line.", ["Les dossiers s'accumulent", "The next line."]),
    ("en", "“A ransom has been demanded,” the statement said. It was not paid.",
     ["“A ransom has been demanded,” the statement said.", "It was not paid."]),
    ("de", "Der Angriff wurde entdeckt. Die Server sind verschlüsselt.",
     ["Der Angriff wurde entdeckt.", "Die Server sind verschlüsselt."]),
    # a question inside a quotation does not end the sentence before its incise
    ("fr", "« Pourquoi payer ? », s'interroge la CGT. La direction se tait.",
     ["« Pourquoi payer ? », s'interroge la CGT.", "La direction se tait."]),
    ("en", "“Why should we pay?” asked the union. “Who knows?” Nobody answered.",
     ["“Why should we pay?” asked the union.", "“Who knows?”", "Nobody answered."]),
    ("en", "“Why should we pay?”, the union asked.", ["“Why should we pay?”, the union asked."]),
    # a line wrapped in the middle of a sentence goes on the sentence; a heading does not
    ("fr", "La Cnil vient de condamner\nla direction à une amende. Une autre phrase.\nTitre\nSuite du texte.",
     ["La Cnil vient de condamner\nla direction à une amende.", "Une autre phrase.", "Titre", "Suite du texte."]),
    ("en", "The regulator fined\nthe council last week.\n\nnext paragraph.",
     ["The regulator fined\nthe council last week.", "next paragraph."]),
    # a date stamp that opens a line is page metadata, not part of the sentence it is glued to
    ("en", "date 2022-05-03 The hotel chain said its systems were down.",
     ["date 2022-05-03", "The hotel chain said its systems were down."]),
    ("fr", "Publié : 2022-05-03 10:15 « Tout est arrêté », dit la CGT.",
     ["Publié : 2022-05-03 10:15", "« Tout est arrêté », dit la CGT."]),
    ("en", "In 2022-05 the servers went down.", ["In 2022-05 the servers went down."]),
    ("en", "", []),
    ("en", "   \n\n  ", []),
])
def test_split_sentences(language, text, expected):
    assert [s.text for s in split_sentences(make_document(text, language))] == expected


def test_offsets_point_into_the_text():
    document = make_document("First one. Second one!\n\nThird, a heading\nFourth?")
    for sentence in split_sentences(document):
        assert document.text[sentence.start:sentence.end] == sentence.text
    assert [s.id for s in split_sentences(document)] == [1, 2, 3, 4]


def test_a_huge_line_without_punctuation_is_cut():
    document = make_document("mot " * 5000)
    sentences = split_sentences(document)
    assert len(sentences) > 1 and all(len(s.text) <= 2000 for s in sentences)


@pytest.mark.parametrize("language, line", [
    ("fr", "Il est parti. Elle reste."),
    ("fr", "M. Dupont et Mme. Durand sont là. Tél. 01 02."),
    ("fr", "« C'est fini. » Puis il s'en va.) Et après ?"),
    ("fr", "Les 3.000 salariés. US..[#(12 ab.)cd. Suite"),
    ("en", "He said so.\" Then he left.’ Etc. and so on."),
    ("en", "The U.S. agency agreed. Mr. Smith, Inc. Co. left. ab. Xy. no. No. x_y. İs. Next"),
    ("en", "Really?! Yes. ... Fine.. Done. . . End"),
    ("fr", "(Il est parti.) Elle reste. « Non. » Oui. ’Ah. » -- Fin."),
    ("en", "He said \"no.\" \"Yes.\" (Fine.) ) End.) ]} Next.'' Done."),
])
def test_punkt_shortcut_gives_punkt_spans(language, line):
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from analyzer.segment import _tokenizer

    ours = _tokenizer(language)
    assert list(ours.span_tokenize(line)) == list(PunktSentenceTokenizer(ours._params).span_tokenize(line))


@pytest.mark.parametrize("first", list("\"')]}‘’“”«»(x.- ") + ["", "\u00a0"])
@pytest.mark.parametrize("rest", ["", " Next", "--", "x", ")", "\nNext", "\u00a0Next", "\"  "])
def test_realignment_matches_only_where_its_first_character_does(first, rest):
    """The assumption that lets segment skip Punkt's realignment regex (see `_Realignment`)."""
    from nltk.tokenize.punkt import PunktLanguageVars

    regex, text = PunktLanguageVars.re_boundary_realignment, first + rest
    if regex.match(text):
        assert regex.match(text[:1])
