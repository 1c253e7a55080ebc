"""Attribution: who says each clause, in French and English reported speech."""
import pytest

from analyzer.attribute import attribute
from analyzer.segment import split_sentences
from conftest import make_case, make_document


def sources(text, language, kind="press", channel="public"):
    document = make_document(text, language, kind=kind, channel=channel)
    return [(s.source_role, s.channel) for s in attribute(document, split_sentences(document), make_case())]


def roles(text, language, kind="press"):
    return [role for role, _ in sources(text, language, kind)]


@pytest.mark.parametrize("language, text, expected", [
    # selon / d'après / according to, at the start, the end or for two sources at once
    ("fr", "Selon la CGT, aucune rançon n'a été versée.", ["union"]),
    ("fr", "D'après le site spécialisé Zataz et une source syndicale, une rançon est exigée.", ["expert", "union"]),
    ("fr", "Une rançon a été exigée, selon la direction.", ["management"]),
    ("en", "According to the CGT, the ransom was not paid.", ["union"]),
    ("en", "The attackers got in through a phishing email, according to a person familiar with the matter.",
     ["other"]),
    # subject + reporting verb, with a complementizer for speech verbs
    ("fr", "Par ailleurs, la direction assure qu'aucune fuite n'a été constatée.", ["management"]),
    ("fr", "Le syndicat dénonce un manque de transparence.", ["union"]),
    ("en", "Acme said on Tuesday that it had detected a ransomware attack.", ["management"]),
    ("en", "The CGT also published a statement on its website denouncing the silence.", ["union"]),
    ("en", "Staff representatives denounced management's silence.", ["union"]),
    # an action is not speech: "declared a blockade", a passive is not a speaker
    ("en", "The group's management quickly declared a complete blockade of the infrastructure.", ["press"]),
    ("en", "The lack of communication from management is pointed out.", ["press"]),
    ("fr", "La direction a déclaré l'état d'urgence informatique.", ["press"]),
    # inverted verb after a quotation
    ("fr", "« Nous n'avons constaté aucune fuite », affirme le directeur général.", ["management"]),
    ("fr", "\"La reprise sera compliquée\", s'inquiète un syndicat car des heures sont perdues.", ["union"]),
    ("en", "\"No customer data was accessed,\" a spokesperson told Reuters.", ["management"]),
    # a quotation with its speaker inside a narrated sentence
    ("fr", "Aucune date n'est donnée mais \"on voit le bout du tunnel\", nous confie un membre de la direction, "
           "\"peut-être lundi\", d'après un syndicat.", ["press", "management", "union"]),
    # a colon starts a new clause, a relative clause can carry its own source
    ("en", "The attack was ransomware: Group management told employee representatives that servers were encrypted.",
     ["press", "management"]),
    ("fr", "Tout le système est ciblé, qui d'après une source syndicale serait chiffré.", ["press", "union"]),
    # narration belongs to the publisher, whatever its kind
    ("en", "The servers were encrypted.", ["press"]),
    # a person's name, then the party in apposition
    ("fr", "« La situation est grave », explique Jean Dupont, délégué du personnel.", ["union"]),
    ("en", "\"Staff were sent home,\" said John Smith, a union representative.", ["union"]),
    # a relative clause between the speaker and the verb
    ("en", "A spokesperson for the union, which represents about 3,000 workers, said employees were sent home.",
     ["union"]),
    # a negated relative clause describes the party, it does not quote it
    ("fr", "Nous dénonçons l'opacité de la direction, qui n'a communiqué ni aux salariés ni aux clients.", ["press"]),
    # "Pour la CGT, …" at the start of a sentence, over its colon
    ("fr", "Pour la CGT, la direction cache l'ampleur du problème : des centaines de serveurs sont touchés.",
     ["union", "union"]),
    # an infinitive complement reports speech too
    ("fr", "La direction affirme ne pas avoir payé de rançon.", ["management"]),
    # declining to comment is management's (non-)statement
    ("en", "The company declined to say whether it paid a ransom.", ["management"]),
    # ", mais" / ", but" turns to another view: the speaker may change there
    ("fr", "La direction assure que tout va bien, mais la CGT affirme que des données ont fuité.",
     ["management", "union"]),
    ("en", "The company said the systems were restored, but the union said staff were still idle.",
     ["management", "union"]),
    # a reporting verb after an article is a noun, after a be-auxiliary a passive
    ("fr", "La déclaration de la CGT a été relayée.", ["press"]),
    ("en", "The union's statement was confirmed.", ["press"]),
    ("fr", "Le syndicat a été averti que les serveurs étaient chiffrés.", ["press"]),  # "été", folded "ete"
    ("fr", "Le syndicat était informé que les serveurs étaient chiffrés.", ["press"]),
    ("fr", "Le syndicat a averti que les serveurs étaient chiffrés.", ["union"]),
])
def test_source_roles(language, text, expected):
    assert roles(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    # an unnamed source: a short restrictive relative clause (no commas) between speaker and verb
    ("en", "A union official who asked not to be named said the servers were encrypted.", ["union"]),
    ("en", "A company spokesperson who declined to be identified said the servers were encrypted.", ["management"]),
    ("en", "A union official who did not want to be named said the servers were encrypted.", ["union"]),
    ("fr", "Un délégué syndical qui a requis l'anonymat affirme que les serveurs sont chiffrés.", ["union"]),
    ("fr", "Un salarié qui souhaite garder l'anonymat explique que les serveurs sont chiffrés.", ["other"]),
    ("fr", "Un salarié qui n'a pas souhaité être nommé explique que les serveurs sont chiffrés.", ["other"]),
    # the relative clause's own verb is the speech verb: its antecedent speaks, as before
    ("en", "The union official who said the servers were encrypted was dismissed.", ["union"]),
    ("fr", "Un délégué syndical qui affirme que les serveurs sont chiffrés a été suspendu.", ["union"]),
    # a party named nearer the verb still comes first ("dont le délégué affirme": the delegate)
    ("fr", "L'entreprise dont le délégué syndical affirme que tout va bien a été piratée.", ["union"]),
    # a long relative clause, or one that opens with a comma and never closes, is not skipped
    ("en", "A union official who has worked at the plant for more than twenty years said the servers were "
           "encrypted.", ["press"]),
    ("fr", "Un délégué syndical qui travaille sur le site depuis plus de vingt ans et connaît bien les systèmes "
           "affirme que les serveurs sont chiffrés.", ["press"]),
    ("en", "A union official, who asked not to be named said the servers were encrypted.", ["press"]),
    # no party before the relative pronoun
    ("en", "The malware which encrypted the servers overnight said nothing.", ["press"]),
])
def test_a_speaker_across_a_restrictive_relative_clause(language, text, expected):
    assert roles(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    # an employee, a customer or a staff representative "of" the company is not the company's voice
    ("fr", "Un salarié d'Acme affirme que son poste est bloqué.", ["other"]),
    ("fr", "Un client d'Acme raconte que son dossier est bloqué.", ["other"]),
    ("fr", "Les élus du CSE d'Acme dénoncent le manque de transparence.", ["union"]),
    ("fr", "« Tout est bloqué », raconte un salarié du groupe.", ["other"]),
    ("fr", "Selon un salarié d'Acme, les serveurs sont chiffrés.", ["other"]),
    ("en", "An employee of Acme said the servers were down.", ["other"]),
    ("en", "\"Everything is down,\" said a customer of Acme.", ["other"]),
    ("en", "Union representatives at Acme said staff were sent home.", ["union"]),
    # a position in, or a part of, a party speaks for that party
    ("fr", "Un porte-parole de la CGT affirme que la direction a menti.", ["union"]),
    ("fr", "Le directeur de la CNIL indique que l'entreprise a notifié l'incident.", ["authority"]),
    ("en", "A spokesperson for Acme said no data was stolen.", ["management"]),
    ("en", "A spokesperson for the CGT said management lied.", ["union"]),
    # the noun and the party must be joined by "de"/"of": otherwise the nearest party speaks
    ("fr", "Les salariés et Acme affirment que tout va bien.", ["management"]),
    ("en", "Employees told Acme that the servers were down.", ["other"]),
])
def test_a_role_noun_of_a_party(language, text, expected):
    assert roles(text, language) == expected


@pytest.mark.parametrize("kind", ["management", "union", "expert", "authority", "other"])
def test_narration_belongs_to_the_publisher(kind):
    assert roles("Les serveurs ont été chiffrés.", "fr", kind) == [kind]


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Group management told employee representatives that the servers were encrypted.", "internal"),
    ("en", "Management also told employees that no data theft has been observed.", "internal"),
    ("en", "The union said employees were sent home.", "public"),
    ("fr", "La direction a indiqué aux représentants du personnel que les serveurs étaient chiffrés.", "internal"),
    ("fr", "La direction a annoncé en interne que la reprise serait progressive.", "internal"),
    ("en", "Acme announced on its site that it had been the victim of an attack.", "public"),
    ("fr", "\"On voit le bout du tunnel\", nous confie un membre de la direction.", "public"),
    # the audience after a preposition, whatever the verb
    ("en", "Management announced to employees that the servers were encrypted.", "internal"),
    ("fr", "La direction a confirmé aux salariés que les serveurs étaient chiffrés.", "internal"),
    ("fr", "La direction a confirmé que les serveurs étaient chiffrés.", "public"),
])
def test_channels(language, text, expected):
    assert sources(text, language)[-1][1] == expected


def test_an_internal_document_narrates_internally():
    assert sources("Les serveurs ont été chiffrés.", "fr", kind="management", channel="internal") == [
        ("management", "internal")]


@pytest.mark.parametrize("language, text, expected", [
    # "the statement said" stands for the last party named before it
    ("en", "Group management told employee representatives that the attack encrypted servers. "
           "“A ransom has been demanded,” the statement said.", ["management", "union"]),
    # a pronoun stands for the last speaker
    ("en", "The union said employees were sent home. It added that 200 servers were encrypted.", ["union", "union"]),
    ("fr", "La CGT affirme que les serveurs sont chiffrés. Elle ajoute que la reprise sera lente.", ["union", "union"]),
])
def test_stand_ins(language, text, expected):
    assert roles(text, language) == expected


def test_a_quotation_over_several_sentences_keeps_its_speaker():
    text = ("La directrice a déclaré : « Les serveurs ont été chiffrés. Aucune rançon ne sera payée. "
            "La reprise prendra du temps. »")
    document = make_document(text, "fr")
    statements = attribute(document, split_sentences(document), make_case())
    assert [(s.source_role, s.sentence_ids) for s in statements] == [("management", (1,)), ("management", (1, 2, 3))]
    assert statements[1].text.startswith("« Les serveurs") and statements[1].text.endswith("temps. »")


@pytest.mark.parametrize("language, text, name", [
    # a well-known organisation the case does not declare is named as written
    ("fr", "Selon un délégué syndical de la CFDT, la direction minimise la situation.", "CFDT"),
    ("en", "The hackers stole data, a researcher told BleepingComputer.", "unnamed expert"),
    # a role noun stands for the case's only party of that role
    ("fr", "Selon le syndicat, la rançon n'a pas été payée.", "CGT Acme"),
    # a name the lexicon does not know is taken as written, without its article
    ("fr", "Selon le Télégramme, la rançon a été payée.", "Télégramme"),
    ("en", "According to the Daily Bugle, the ransom was paid.", "Daily Bugle"),
])
def test_source_names(language, text, name):
    document = make_document(text, language)
    assert attribute(document, split_sentences(document), make_case())[0].source_name == name


def test_names_resolve_to_declared_parties():
    document = make_document("Selon la CGT, la rançon n'a pas été payée.", "fr")
    statement, = attribute(document, split_sentences(document), make_case())
    assert (statement.source_name, statement.cue) == ("CGT Acme", "Selon la CGT")


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "D'après Zataz ainsi que la CGT, la rançon a été payée.", ["expert", "union"]),
    ("en", "According to Zataz, as well as the CGT, the ransom was paid.", ["expert", "union"]),
    ("en", "According to Zataz, the CGT, the ransom was paid.", ["expert"]),  # no joiner: an apposition
])
def test_one_cue_names_several_parties_joined_by_the_lexicon_s_words(language, text, expected):
    assert roles(text, language) == expected


def test_a_lexicon_without_the_words_of_reported_speech_still_attributes(monkeypatch):
    from analyzer import attribute as stage
    from analyzer import resources

    grammar_keys = ("adversatives", "complementizers", "infinitive_openers", "not_a_verb_after", "inversion_fillers",
                    "relative_pronouns", "negated_relative", "list_joiners", "articles", "participle_endings")
    raw = {k: v for k, v in resources.load_yaml("lexicons/en.yaml").items() if k not in grammar_keys}
    raw["channels"] = {k: v for k, v in raw["channels"].items() if k != "addressee_prepositions"}
    monkeypatch.setattr(resources, "load_yaml", lambda name: raw)
    bare = resources.lexicon.__wrapped__("en")
    monkeypatch.setattr(stage, "lexicon", lambda language: bare)
    stage._grammar.cache_clear()
    stage._search.cache_clear()
    try:
        # The cues still work; without its adversatives, ", but" no longer starts a clause,
        # but a comma then a new subject with its own reporting verb still does.
        assert roles("According to the CGT, the ransom was not paid. Acme said that no data left, "
                     "but the union said that staff were idle.", "en") == ["union", "management", "union"]
        assert roles("Acme said that no data left, but then again staff were idle.", "en") == ["management"]
    finally:
        stage._grammar.cache_clear()
        stage._search.cache_clear()


def test_unknown_language_credits_the_publisher():
    document = make_document("Laut der Gewerkschaft wurde kein Lösegeld gezahlt.", "de")
    assert [s.source_role for s in attribute(document, split_sentences(document), make_case())] == ["press"]


@pytest.mark.parametrize("language, text", [
    ("fr", "D'après le site spécialisé Zataz.com, l'entreprise, la direction générale et le groupe se taisent."),
    ("fr", "« C'est faux », s'inquiète un délégué syndical de la CGT ; celle-ci et ce dernier l’assureur."),
    ("fr", "À en croire le communiqué, l'entreprise a informé les salariés. Pour reprendre les mots de Mme Durand."),
    ("en", "According to the parent company, the company's  spokesperson said that the group-management knew."),
    ("en", "The statement said it had told employee representatives; as reported by databreaches.net, the former."),
    ("en", "thethe companycompany the-company THE COMPANY the\ncompany a\u2019communique"),
])
def test_cue_regexes_are_tried_wherever_they_match(language, text):
    from analyzer.attribute import _search
    from analyzer.patterns import fold

    folded = fold(text)
    search = _search(language)
    expected = [[m.span() for m in finder.regex.finditer(folded)] for finder in search.finders]
    assert [[m.span() for m in found] for found in search.matches(folded)] == expected


def test_stop_words_are_compared_folded_like_the_text():
    from analyzer.attribute import _grammar
    assert {"ete", "meme", "ca"} <= _grammar("fr").stopwords  # "été", "même", "ça" in the lexicon


def test_a_name_after_an_elided_article_is_a_source():
    document = make_document("Selon l’Indépendant, une rançon a été exigée.", "fr")
    statements = attribute(document, split_sentences(document), make_case())
    assert [(s.source_role, s.source_name) for s in statements] == [("other", "Indépendant")]


# Reported speech in real coverage, phenomenon by phenomenon: (language, text, roles[, publisher kind]).
PHENOMENA = [
    # --- a quotation goes on over paragraphs
    # a paragraph opened by a quotation mark it never closes is quoted to its end, and goes on
    # with the speaker of the quotation before it; narration after the quotation does not
    ("en", "\"We acted fast,\" a spokesperson said.\n\"Our teams isolated the servers. Acme now believes "
           "no data left the network.\n\"We will keep customers informed.\"\nThe share price fell.",
     ["management", "management", "management", "management", "press"]),
    ("fr", "« Nous avons réagi vite », a indiqué la direction.\n« Les serveurs ont été isolés. Aucune donnée "
           "n'est sortie du réseau.\n« Les clients seront informés. »\nLe cours de bourse a baissé.",
     ["management", "management", "management", "management", "press"]),
    # a colon announces the quotation of the next paragraph
    ("en", "The union's regional secretary, John Smith, said:\n\"Staff were sent home without pay.\"",
     ["union", "union"]),
    ("fr", "Jean Dupont, délégué du personnel, a déclaré :\n« Les salariés ont été renvoyés chez eux. »",
     ["union", "union"]),
    # --- a person speaks for the party in apposition
    ("fr", "Jeanne Martin, présidente de la Cnil, a déclaré que les données étaient exposées.", ["authority"]),
    ("fr", "Paul Durand, délégué syndical, estime que la direction cache tout.", ["union"]),
    ("en", "Mary Jones, a spokesperson for the CNIL, said the data was exposed.", ["authority"]),
    ("en", "Jane Doe, the Acme chief executive, said systems were back.", ["management"]),
    ("en", "Pierre Martin, the CNIL president, said the data was exposed.", ["authority"]),
    # no person before the comma: an ordinary list, not an apposition
    ("en", "The servers, the laptops and the CNIL files, said to be encrypted, were lost.", ["press"]),
    # --- an incise pronoun takes up the last speaker
    # the pronoun of an incise speaks the sentence: a party named inside it is what it says
    ("fr", "La direction a tenu une conférence. La Cnil a été \"saisie sans délai\", a-t-elle ajouté.",
     ["press", "management"]),
    ("en", "Acme held a briefing. The CNIL was \"told at once\", it added.", ["press", "management"]),
    # a subject pronoun still takes up the last party named before it
    ("fr", "La CGT a réuni les salariés. Elle affirme que les serveurs sont chiffrés.", ["press", "union"]),
    # --- an inverted speaker past the channel
    # the speaker after an inverted verb, past the channel it spoke on
    ("fr", "« Les données sont exposées », a indiqué jeudi matin sur RMC la présidente de la Cnil.", ["authority"]),
    ("en", "\"The data is exposed,\" said a CNIL spokesperson to the BBC.", ["authority"]),
    ("fr", "« Tout est arrêté », a expliqué à l'AFP un délégué syndical.", ["union"]),
    # --- negated reporting discloses nothing for the speaker
    # what a party did not say is the publisher's narration
    ("en", "Acme did not say whether a ransom was paid.", ["press"]),
    ("en", "Nor did it say whether customer data was stolen.", ["press"]),
    ("en", "The company has not confirmed that the attack was ransomware.", ["press"]),
    ("fr", "La direction n'a pas précisé si une rançon avait été versée.", ["press"]),
    ("fr", "Le groupe ne confirme pas que des données ont été volées.", ["press"]),
    # a refusal is the party's own answer (the fact is withheld, see test_facts)
    ("en", "Acme declined to say how much the attackers demanded.", ["management"]),
    ("fr", "La direction n'a pas souhaité commenter le montant de la rançon.", ["management"]),
    # the affirmative stays the party's
    ("en", "Acme said a ransom was demanded.", ["management"]),
    ("fr", "La direction a précisé qu'une rançon avait été demandée.", ["management"]),
    # --- a sentence that ends with an incise is its speaker's
    # words before a quotation that name no speaker of their own are the quoted speaker's
    ("fr", "Les données publiées \"concernent nos usagers\", a annoncé la direction.", ["management"]),
    ("en", "The stolen files \"concern some of our staff\", the company said.", ["management"]),
    # a lead with its own speaker, or one that turns, keeps its own
    ("fr", "La CGT dénonce le silence, \"rien n'est dit\", ajoute la direction.", ["union", "management"]),
    ("en", "Nothing was disclosed but \"we are working hard\", a spokesperson said.", ["press", "management"]),
    # --- a subject over a relative clause and auxiliaries
    # a relative clause, then auxiliaries and adverbs, before the verb
    ("en", "The company, which runs services for hospitals, has previously said that data was taken.",
     ["management"]),
    ("fr", "La CGT, qui représente les salariés, a ensuite déclaré que les serveurs étaient arrêtés.", ["union"]),
    # a party's position taken with a verb of knowledge
    ("en", "Acme understands that some data was copied from its servers.", ["management"]),
    # --- a reproduced message is its author's
    # a message reproduced after a colon is its author's, to the end of the page
    ("fr", "Les clients ont reçu le courriel suivant :\nDes données ont été copiées. Une plainte a été déposée.",
     ["press", "management", "management"]),
    ("fr", "La CGT a diffusé le tract suivant :\nLes salariés sont renvoyés chez eux.", ["press", "union"]),
    ("fr", "Le syndicat a envoyé aux salariés le message suivant :\nLa direction se tait.", ["press", "union"]),
    ("fr", "La CGT a déclaré dans le tract suivant :\nLes salariés sont renvoyés chez eux.", ["press", "union"]),
    ("en", "Customers received an email that reads as follows:\nSome data was copied. We filed a complaint.",
     ["press", "management", "management"]),
    # a colon without a reproduced message announces nothing: narration goes on
    ("fr", "Le bilan est lourd :\nDes données ont été copiées.", ["press", "press"]),
    ("en", "The toll is heavy:\nSome data was copied.", ["press", "press"]),
    # --- definite descriptions and turns
    # a definite description of the organisation in crisis speaks for it
    ("en", "Services remain down, the council said.", ["management"]),
    ("en", "The hospital trust said patients were diverted.", ["management"]),
    ("fr", "La mairie a indiqué que les services étaient fermés.", ["management"]),
    ("fr", "Le conseil départemental précise que le site est arrêté.", ["management"]),
    # a dash before "but" turns to another speaker
    ("en", "Acme says all is back to normal – but employees say the systems are still down.",
     ["management", "other"]),
    ("fr", "Acme affirme que tout fonctionne — mais des salariés disent que rien ne marche.",
     ["management", "other"]),
    # --- what is not a speaker
    # a participle on its own reports no speech ("customers demanding answers")
    ("en", "The outage leaves customers demanding answers.", ["press"]),
    ("fr", "La panne laisse des clients réclamant des réponses.", ["press"]),
    # a verb that governs an infinitive names no inverted speaker
    ("en", "The outage lasted days, expected to drain the firm of millions.", ["press"]),
    # "Pour X, …" is X's view only when X ends the opener
    ("fr", "Pour les patients hospitalisés au centre, les soins continuent.", ["press"]),
    ("fr", "Pour la CGT, les soins continuent.", ["union"]),
    # a clause verb over an adverbial between commas
    ("fr", "La direction assure, par ailleurs, que les soins continuent.", ["management"]),
    ("en", "Acme insisted, however, that no data was taken.", ["management"]),
    # a statement is its author's, not its readers'
    ("fr", "Acme a écrit à ses clients. Le communiqué précise que les soins continuent.", ["press", "management"]),
    ("fr", "Selon un communiqué de la CGT, tout est arrêté. La Cnil a été saisie. Le communiqué précise que "
           "les soins continuent.", ["union", "press", "union"]),
    ("en", "A statement from Acme said servers were down. The CNIL was told. The statement said staff were sent home.",
     ["management", "press", "management"]),
    # --- the first person
    # "we" / "nous" as a subject: the publisher's own voice, not a party named before it
    ("en", "Files of past employees were accessed, we have established that names were taken.",
     ["management"], "management"),
    ("fr", "Les salariés sont inquiets, nous estimons que la direction cache tout.", ["union"], "union"),
    ("en", "We asked Acme whether data was taken.", ["press"], "press"),
    # inside a quotation, the first person is its speaker's
    ("en", "\"We have established that names were taken,\" Acme said.", ["management"], "press"),
    # "nous" right after a party is who was told
    ("fr", "La direction nous a indiqué que les serveurs étaient arrêtés.", ["management"], "press"),
    # --- a person introduced with a party speaks for it
    # a person introduced with a party speaks for it wherever they are named again
    ("en", "Acme's director of information technology Rob Miller was at home.\nMiller said:\n\"It was a shock.\"",
     ["press", "management", "management"]),
    ("en", "Brett Callow of the security firm Zataz was asked. Callow said data had leaked.", ["press", "expert"]),
    ("fr", "Jeanne Martin, présidente de la CGT, a réuni les élus. « Tout est arrêté », a déclaré Mme Martin.",
     ["press", "union"]),
    ("fr", "Le délégué syndical Paul Durand était présent. Durand affirme que tout est arrêté.", ["press", "union"]),
    # a person named with no party stays nobody's
    ("en", "Rob Miller was at home. Miller said it was a shock.", ["press", "press"]),
    # --- calls and modified descriptions
    # calls and advice report what a party asks of people
    ("fr", "Acme appelle, dès ce lundi, ses clients à la vigilance.", ["management"]),
    ("fr", "La CGT a appelé à la grève.", ["union"]),
    ("fr", "Il s'appelle Jean.", ["press"]),
    # a head noun with a modifier before it still names the organisation
    ("en", "The breach will cost millions, the Texas-based company said.", ["management"]),
    ("en", "The ransomware group said it had the files.", ["press"]),
    # --- nobody said it
    # a negated subject: nobody said it
    ("en", "Rumours say the attack was ransomware, but neither the police nor Acme has confirmed that.",
     ["press", "press"]),
    ("fr", "Aucun responsable d'Acme n'a confirmé le montant.", ["press"]),
    # a headline's passive: the party is who was told
    ("en", "Come clean on the data breach, Acme told", ["press"]),
    ("fr", "Une source policière a parlé. Une enquête a été ouverte, a-t-elle précisé.", ["press", "authority"]),
    ("en", "Acme told employees that servers were down.", ["management"]),
    # --- incises after questions and inside verbs
    # a question or exclamation inside a quotation does not end the sentence before its incise
    ("fr", "« Pourquoi payer ? », s'interroge Paul Durand, délégué syndical.", ["union"]),
    ("en", "\"Why should staff pay?\", said a union representative.", ["union"]),
    # an inverted pronoun inside the verb: "fait-elle valoir"
    ("fr", "La CGT a réuni les salariés. « Tout est arrêté », fait-elle valoir.", ["press", "union"]),
    # a union body named by its kind
    ("fr", "La centrale syndicale estime que les salariés paient le prix.", ["union"]),
    # a party that ends a heading is not merged with the one that opens the next line
    ("fr", "Une ligne d'assistance ouverte par Acme\n\nSelon Acme, une cyberattaque a visé un outil.",
     ["press", "management"]),
    # a noun that reports speech, with its party and "that": the complement is the party's
    ("en", "Despite assurances by management that the hacking was limited, worry has grown.", ["management"]),
    ("en", "The company's public confirmation that some data might be exposed came late.", ["management"]),
    ("fr", "L'annonce par la direction que les serveurs étaient arrêtés a surpris.", ["management"]),
    ("fr", "Les assurances du syndicat que la grève serait courte ont rassuré.", ["union"]),
    # without "that", the noun reports nothing
    ("en", "The company's statement came late.", ["press"]),
    # a headline that gives the floor to a party before a colon
    ("fr", "Acme : « nous ne paierons pas la rançon »", ["management", "management"]),
    ("en", "The CGT: staff were sent home without pay", ["union", "union"]),
    ("fr", "Cyberattaque : les serveurs sont chiffrés.", ["press", "press"]),
    # in an interview, the answers are the interviewee's, the questions the journalist's
    ("fr", "Jean Dupont, directeur général d'Acme, répond à nos questions.\nCombien de serveurs sont touchés ?\n"
           "Tous les serveurs sont chiffrés.\nAvez-vous payé ?\nNon, nous estimons que payer serait une erreur.",
     ["management", "press", "management", "press", "management"]),
    ("en", "We spoke to Jane Doe, a CGT delegate.\nHow are staff coping?\nThey are exhausted.\nWhat next?\n"
           "A strike.", ["press", "press", "union", "press", "union"]),
    # one question does not make an interview
    ("en", "Acme was hit on Monday.\nWhat happens next?\nNobody knows.", ["press", "press", "press"]),
    # after a clause with its own speaker, a comma and a new subject with its verb open another clause
    ("en", "Acme says it has recovered, employees tell a different story.", ["management", "other"]),
    ("fr", "La direction affirme que tout va bien, les syndicats dénoncent un mensonge.", ["management", "union"]),
    # a sentence-final speaker covers what precedes the comma
    ("en", "The hackers stole data, a researcher told reporters.", ["expert"]),
    # associations and campaign groups are other voices
    ("fr", "Le collectif souligne que les victimes n'ont rien reçu. Il déplore ce silence.",
     ["other", "other"]),
    ("fr", "L'association affirme que les victimes ne sont pas informées.", ["other"]),
    ("en", "A campaign group said victims were not told.", ["other"]),
    # --- titles of several words are one noun: the longest wording names the party
    ("en", "A cabinet member said the libraries were closed.", ["management"]),
    ("en", "The deputy mayor told residents that payments were late.", ["management"]),
    ("fr", "L'adjointe au maire a précisé que les écoles restaient ouvertes.", ["management"]),
    ("fr", "Une source proche des enquêteurs affirme que la rançon est élevée.", ["authority"]),
    # --- a name between two commas before the verb is in apposition to the subject, not an inversion
    ("en", "Acme's director of finance, Paula Green, said the outage had delayed payments customers expected.",
     ["management"]),
    ("fr", "Le délégué de la CGT, Paul Durand, a indiqué que les clients attendaient leurs colis.", ["union"]),
    # a title noun before "de"/"of" and an organisation in full: the organisation's role
    ("fr", "« Restez vigilants », a insisté la patronne de la Commission nationale de l'informatique et des libertés.",
     ["authority"]),
    ("en", "The boss of the Information Commissioner's Office said the data was exposed.", ["authority"]),
    ("fr", "Selon un hackeur éthique qui suit le dossier, la faille viendrait d'un prestataire.", ["expert"]),
    ("en", "According to an ethical hacker who found the leak, the flaw came from a supplier.", ["expert"]),
    # "explains why", "explique pourquoi": an indirect question is what is said
    ("fr", "Acme explique pourquoi le télétravail est suspendu", ["management"]),
    ("en", "Acme explains how the attackers got in", ["management"]),
    # a speech noun reports speech only with its party and "that" right after it, not a relative clause
    ("en", "The regulator adopted disclosure rules last year that require more transparency.", ["press"]),
    # a narrated sentence after a quotation stays narration, even with words of its own in quotation marks
    ("en", "\"Our stores are open,\" the company said. The \"open\" stores had no tills.", ["management", "press"]),
    # the channel before an inverted speaker, and the verb "assure" (which folds like "assuré")
    ("fr", "« Tout est rétabli », assure à l'AFP la direction d'Acme.", ["management"]),
    ("fr", "« Les dossiers sont récupérés », assure à Reuters la cellule de crise d'Acme.", ["management"]),
    ("en", "\"Files are safe,\" the Acme crisis team told Reuters.", ["management"]),
    ("fr", "Les assurés attendent leurs remboursements, affirme un adhérent.", ["other"]),
    # a commitment is speech: what the party undertakes to do
    ("fr", "Acme s'est engagé à rembourser chaque client touché.", ["management"]),
    ("fr", "La direction promet de rétablir la paie avant la fin du mois.", ["management"]),
    ("en", "Acme pledged to reimburse every affected customer.", ["management"]),
    ("en", "The union promised to support members who lost pay.", ["union"]),
    # publishing a document tells that something was said, not what: the rest is narration
    ("en", "Acme issued a press release on Monday and filed a report with the regulator.", ["press"]),
    ("fr", "Acme a publié un communiqué lundi et a porté plainte.", ["press"]),
    ("en", "Acme issued a statement saying that no data was taken.", ["management"]),
    ("fr", "Acme a publié un communiqué précisant que les serveurs sont chiffrés.", ["management"]),
    # the trade of the organisation in crisis names it; several sources are other voices
    ("en", "The carmaker said in a statement that two plants had halted production.", ["management"]),
    ("fr", "Le fabricant a indiqué que deux usines étaient à l'arrêt.", ["management"]),
    ("fr", "Selon plusieurs sources, la rançon dépasserait un million.", ["other"]),
    # a document on a party's page is that party's; a message it was posted in does not cut the sentence
    ("en", "A statement on the council's website reads: \"Our phone lines are down.\"", ["management", "management"]),
    ("en", "A statement posted on the company's website said the plants were idle.", ["management"]),
    ("fr", "Dans un message publié sur LinkedIn, le PDG a expliqué que les usines redémarraient.", ["management"]),
    # staff and their trades speak as other voices
    ("fr", "« On travaille au papier depuis une semaine », confie une infirmière.", ["other"]),
    ("en", "Staff told the Herald they had been sent home without pay.", ["other"]),
    # a party noun before a title is whose title it is; subject and object of a verb are not one name
    ("en", "Union president Jane Doe told the Star that workers were angry.", ["union"]),
    ("en", "A police spokesperson said two people had been questioned.", ["authority"]),
    ("en", "In an email to CBC News, a spokesperson said the website was back.", ["management"]),
    # commissioners and local elected officials
    ("en", "The province's privacy commissioner said she had been notified.", ["authority"]),
    ("fr", "La commissaire à la protection de la vie privée a indiqué avoir été avisée.", ["authority"]),
    ("fr", "Un élu municipal estime que la réaction a été trop lente.", ["management"]),
    # a parenthetical between commas keeps the subject before it; the subject of what is said is no inverted speaker
    ("en", "The CGT, for its part, said workers were sent home.", ["union"]),
    ("fr", "La CGT, de son côté, affirme que les salariés ont été renvoyés chez eux.", ["union"]),
    ("en", "Management, however, insisted that no data was lost.", ["management"]),
    ("fr", "La direction, elle, assure qu'aucune donnée n'a été perdue.", ["management"]),
    ("en", "Jane Doe, the union's branch secretary, said staff were angry. She added that pay was late.",
     ["union", "union"]),
    ("fr", "Les pirates exigent deux millions, a précisé une source policière à Reuters.", ["authority"]),
    # "Pour X," gives X's view only when X is the one party it names: not whom it is for, nor where they are
    ("fr", "Pour les patients hospitalisés chez Acme, les services fonctionnent.", ["press"]),
    ("en", "For patients staying at the Acme clinic, meals are served in the rooms.", ["press"]),
    # a real inversion after a comma still takes the speaker after the verb
    ("en", "Deliveries are late across Acme Group, said a CGT delegate.", ["union"]),
]


@pytest.mark.parametrize("row", PHENOMENA)
def test_reported_speech_phenomena(row):
    language, text, expected, kind = (*row, "press")[:4]
    assert roles(text, language, kind) == expected


@pytest.mark.parametrize("outlet, kind, expected", [
    # an outlet that is a declared party's own page speaks with that party's role
    ("Riverside Residents' Association (campaign website)", "press", ("other", "Riverside Residents' Association")),
    ("CGT Acme (site du syndicat)", "press", ("union", "CGT Acme")),
    # a press outlet that merely mentions a party further on stays the press
    ("The Daily, reporting on the CGT", "press", ("press", "The Daily, reporting on the CGT")),
    ("Le Journal", "management", ("management", "Acme Group")),
])
def test_an_outlet_that_is_a_declared_party_speaks_for_it(outlet, kind, expected):
    from dataclasses import replace

    from analyzer.model import Party
    from conftest import PARTIES
    case = make_case((*PARTIES, Party("Riverside Residents' Association", "other", ("Riverside Residents",))))
    document = make_document("The servers were encrypted.", "en", kind=kind)
    document = replace(document, meta=replace(document.meta, outlet=outlet))
    assert [(s.source_role, s.source_name) for s in attribute(document, split_sentences(document), case)] \
        == [expected]


@pytest.mark.parametrize("language, text, expected", [
    # a quotation opened inside a paragraph and never closed there runs to its end, and on into
    # the next paragraphs that open with a quotation mark; the surname alone is the declared person
    ("en", "Acme's network chief Paula Green was on leave.\nGreen said: “It was a shock. Every screen went dark.\n"
           "“We rebuilt the servers. It took weeks.”\nThe share price fell.",
     ["press", "management", "management", "management", "management", "press"]),  # the last quotation: two sentences
    ("fr", "Le responsable réseau d'Acme, Paul Durand, était en congé.\nDurand a déclaré : « Ce fut un choc. "
           "Tous les écrans se sont éteints.\n« Nous avons reconstruit les serveurs. »\nLe cours a baissé.",
     ["press", "management", "management", "management", "press"]),
    # a quotation closed on its line stays a plain quotation
    ("en", "Paula Green said: “It was a shock.” The share price fell.", ["management", "management", "press"]),
])
def test_a_quotation_opened_in_a_paragraph_runs_to_its_end(language, text, expected):
    from analyzer.model import Party
    from conftest import PARTIES
    case = make_case((*PARTIES, Party("Acme network team", "management", ("Paula Green", "Paul Durand"))))
    document = make_document(text, language)
    assert [s.source_role for s in attribute(document, split_sentences(document), case)] == expected
