"""Fact detection: cues, polarity and values, in French and English."""
import pytest

from analyzer.attribute import attribute
from analyzer.facts import detect_facts
from analyzer.segment import split_sentences
from conftest import make_case, make_document


def detect(text, language, date="2020-07-27"):
    document = make_document(text, language, date=date)
    sentences = split_sentences(document)
    return detect_facts(document, sentences, attribute(document, sentences, make_case()), make_case())


def facts(text, language, **kwargs):
    return {m.fact: m for m in detect(text, language, **kwargs)}


@pytest.mark.parametrize("language, text, fact, polarity", [
    # data breach: stolen, not stolen, none observed
    ("fr", "Des données clients ont été dérobées par les pirates.", "data_breach", "affirmed"),
    ("fr", "Par ailleurs, la direction assure qu'aucune fuite de données sensibles n'a été constatée.",
     "data_breach", "not_observed"),
    ("en", "Management also told employees that no data theft has been observed.", "data_breach", "not_observed"),
    ("en", "Data was not stolen, the company said.", "data_breach", "negated"),
    ("en", "The hackers stole files from the HR department.", "data_breach", "affirmed"),
    # data said to be unaffected or intact: the breach is denied
    ("en", "The council says nearly all the records it keeps on tenants were unaffected.", "data_breach", "negated"),
    ("fr", "Les données des patients sont intactes, assure la direction.", "data_breach", "negated"),
    ("fr", "Les fichiers des clients ont été épargnés.", "data_breach", "negated"),
    # a negative determiner opening a long subject negates its predicate, not what follows it
    ("en", "She said that no customer names or passport scans or card details were exposed in the incident.",
     "data_breach", "negated"),
    ("en", "No patient records or staff files were stolen in the cyberattack on the clinic.", "incident_acknowledged",
     "affirmed"),
    # ransom demanded / paid / amount
    ("fr", "Les cybercriminels exigeraient une rançon en échange de données.", "ransom_demanded", "affirmed"),
    ("en", "No ransom was demanded.", "ransom_demanded", "negated"),
    ("fr", "Selon la CGT, aucune rançon n'a été versée.", "ransom_paid", "negated"),
    ("fr", "Selon la CGT, aucune rançon n'a été versée.", "ransom_demanded", "affirmed"),
    ("en", "A ransom, the amount of which has not been disclosed, has been demanded, but has not been paid.",
     "ransom_paid", "negated"),
    ("en", "A ransom, the amount of which has not been disclosed, has been demanded, but has not been paid.",
     "ransom_amount", "withheld"),
    ("fr", "Le montant de la rançon n'a pas été communiqué.", "ransom_amount", "withheld"),
    ("fr", "Le montant de la rançon n'a pas été communiqué.", "ransom_demanded", "affirmed"),
    ("en", "The company declined to say whether it paid a ransom.", "ransom_paid", "withheld"),
    # an explicit refusal withholds the fact for the party that refuses
    ("fr", "La direction n'a pas souhaité communiquer le montant de la rançon.", "ransom_amount", "withheld"),
    ("fr", "Le groupe a refusé de révéler le montant de la rançon.", "ransom_amount", "withheld"),
    ("en", "Acme declined to give the amount of the ransom.", "ransom_amount", "withheld"),
    ("en", "The insurer paid the hackers a ransom to recover its files.", "ransom_paid", "affirmed"),
    ("fr", "Les pirates exigent une rançon. La direction a indiqué qu'elle ne paierait pas.", "ransom_paid", "negated"),
    ("en", "The company did not say whether any data had been stolen.", "data_breach", "withheld"),
    ("fr", "Aucune donnée de patient n'aurait été dérobée à ce stade.", "data_breach", "not_observed"),
    # recovery withheld, affirmed
    ("fr", "Aucune date de reprise n'est communiquée pour le moment.", "recovery_status", "withheld"),
    ("en", "Services are gradually being reactivated.", "recovery_status", "affirmed"),
    # "sans doute" / "not only" are not negations
    ("fr", "Les salariés seront sans doute appelés à faire des heures supplémentaires.", "employee_impact", "affirmed"),
    ("en", "Not only employees were sent home.", "employee_impact", "affirmed"),
    # a negation stops at the lexicon's clause boundaries ...
    ("fr", "Rien n'a été payé mais les serveurs ont été chiffrés.", "systems_affected", "affirmed"),
    ("fr", "Les salariés ne sont pas informés et les serveurs sont chiffrés.", "systems_affected", "affirmed"),
    ("en", "Staff were not informed but customer data was stolen.", "data_breach", "affirmed"),
    ("en", "Nothing was stolen and the servers were encrypted.", "systems_affected", "affirmed"),
    # ... and a cue beyond one does not take the negation away from the cue before it
    ("en", "No ransom has been paid, while the servers are encrypted.", "ransom_paid", "negated"),
    ("fr", "Aucune rançon n'a été versée, tandis que les serveurs sont chiffrés.", "ransom_paid", "negated"),
])
def test_polarity(language, text, fact, polarity):
    found = facts(text, language)
    assert fact in found, f"{fact} not found in {text!r}: {sorted(found)}"
    assert found[fact].polarity == polarity


@pytest.mark.parametrize("language, text, fact, value", [
    ("en", "The attack targeting MMA was indeed ransomware.", "attack_type", "ransomware"),
    ("fr", "Les serveurs ont été chiffrés par un rançongiciel.", "attack_type", "ransomware; encryption"),
    ("en", "The only information evoked “an attempt of malicious act”.", "attack_type", "malicious act"),
    ("fr", "Il faut éviter que le virus s'infiltre de nouveau.", "attack_type", "virus"),
    ("en", "The attack was discovered in the morning of Friday the 17th.", "incident_date", "2020-07-17"),
    ("en", "The cyberattack began on 3 March, the company said.", "incident_date", "2020-03-03"),
    ("fr", "La cyberattaque, survenue le 3 mars, a touché le siège.", "incident_date", "2020-03-03"),
    ("fr", "L'attaque a été découverte dans la nuit de jeudi à vendredi.", "incident_date", "2020-07-24"),
    ("en", "The CGT mentions a “loss of 30,000 hours of work”.", "business_impact", "30000 hours"),
    ("fr", "Des dizaines de milliers d'heures d'activité ont été perdues.", "business_impact", "tens of thousands hours"),
    ("fr", "La majorité des 3.000 salariés est invitée à rester à la maison.", "employee_impact", "3000 employees"),
    ("en", "The blockade of the infrastructure lasted for a week.", "service_disruption", "P7D"),
    ("fr", "Les pirates réclament une rançon de 50 000 euros.", "ransom_amount", "50000 EUR"),
    ("en", "The hackers demanded a ransom of $4.4 million.", "ransom_amount", "4400000 USD"),
    ("en", "MAAF, GMF and Fidélia were affected to a lesser extent.", "entities_affected", "MAAF; GMF; Fidélia"),
    ("en", "Researchers said the LockBit gang claimed the attack.", "attribution", "LockBit"),
    ("fr", "Le groupe a notifié la CNIL.", "regulator_notified", "CNIL"),
    ("fr", "L'Anssi a été saisie, indique le groupe.", "regulator_notified", "Anssi"),
    ("en", "The company said it had notified the ICO.", "regulator_notified", "ICO"),
])
def test_values(language, text, fact, value):
    found = facts(text, language)
    assert fact in found, f"{fact} not found in {text!r}: {sorted(found)}"
    assert value in found[fact].value


@pytest.mark.parametrize("language, text, fact", [
    # whose data: "their" personal details; details said stolen are a breach
    ("en", "Some 3,000 subscribers fear their personal details were stolen by the gang.", "personal_data"),
    ("en", "Some 3,000 subscribers fear their personal details were stolen by the gang.", "data_breach"),
    # systems of every sector: ticketing, production lines, booking and payment systems
    ("en", "Ticket machines and the scheduling systems were down for days.", "systems_affected"),
    ("fr", "Les chaînes de production ont été stoppées après l'attaque.", "systems_affected"),
    ("fr", "La billetterie est perturbée depuis lundi.", "systems_affected"),
    ("en", "Its booking systems remained offline on Tuesday.", "systems_affected"),
    # staff of every trade, and what the attack does to their work and pay
    ("en", "Bus drivers filed work refusals over safety concerns after the attack.", "employee_impact"),
    ("fr", "Les ouvriers de l'usine ont été mis au repos forcé.", "employee_impact"),
    ("en", "Payroll for hospital staff was delayed by the outage.", "employee_impact"),
    ("fr", "Les plannings des conducteurs sont faits à la main.", "employee_impact"),
    # the attack said to be contained; losses by the day; an incident called an issue
    ("en", "We believe the attack is now contained.", "containment_measures"),
    ("fr", "La direction estime que l'intrusion est désormais maîtrisée.", "containment_measures"),
    ("en", "The chain could be losing up to $2m per day.", "business_impact"),
    ("fr", "Le groupe perdrait deux millions d'euros par jour.", "business_impact"),
    ("en", "Halvern said it had detected a security issue on its network.", "incident_acknowledged"),
    ("fr", "Depuis une semaine, l'assureur est touché par une attaque informatique.", "incident_acknowledged"),
    ("en", "The insurer announced that it had been the victim of a computer attack.", "incident_acknowledged"),
    ("fr", "C'est tout l'univers informatique de MMA qui a été ciblé.", "systems_affected"),
    ("en", "The attack consisted of encrypting servers.", "systems_affected"),
    ("fr", "L'activité est quasiment à l'arrêt.", "service_disruption"),
    ("en", "The department was unable to work during the week.", "service_disruption"),
    ("fr", "Les dossiers des clients prennent du retard.", "customer_impact"),
    ("en", "Customers may experience delays in processing their claims.", "customer_impact"),
    ("en", "Employees stayed at home for the most part.", "employee_impact"),
    ("fr", "Les services informatiques travaillent jour et nuit pour nettoyer le système.", "containment_measures"),
    ("en", "As a precaution, the company took its systems offline.", "containment_measures"),
    ("fr", "Le groupe a porté plainte.", "legal_action"),
    ("en", "Police have opened a criminal investigation.", "legal_action"),
    ("en", "The firm is working with external cybersecurity experts.", "external_support"),
    ("fr", "Le groupe est accompagné par l'ANSSI.", "external_support"),
    ("fr", "Les clients sont invités à contacter leur agent habituel.", "customer_contact_point"),
    ("en", "Customers can call a dedicated hotline.", "customer_contact_point"),
    ("fr", "Vos agents restent joignables par téléphone.", "customer_contact_point"),
    ("fr", "MMA a été victime d'une tentative d'acte malveillant.", "incident_acknowledged"),
    ("en", "The company detected unauthorized activity on its network.", "incident_acknowledged"),
    ("fr", "Des opérations ont dû être déprogrammées.", "service_disruption"),
    ("fr", "Pour la CGT, la direction cache l'ampleur du problème.", "communication_criticism"),
    ("en", "The attackers got in through a phishing email.", "root_cause"),
    ("fr", "Les pirates sont entrés par une faille du VPN.", "root_cause"),
    ("en", "The CGT denounced the lack of transparency of management.", "communication_criticism"),
    ("fr", "Le syndicat dénonce un manque de transparence de la direction.", "communication_criticism"),
    # an attack named as such and told as an event acknowledges it ({cyber_attack} with {attack_event} ...)
    ("fr", "La cyberattaque qui a frappé la mutuelle Bellerive perturbe ses agences.", "incident_acknowledged"),
    ("fr", "Depuis la cyberattaque, les équipes de Nordia travaillent sur papier.", "incident_acknowledged"),
    ("fr", "L'attaque s'est produite dans la nuit, selon la direction de Vantis.", "incident_acknowledged"),
    ("en", "The cyberattack on Harlow Logistics disrupted deliveries.", "incident_acknowledged"),
    ("en", "Last month's cyberattack still weighs on the Pemberton group.", "incident_acknowledged"),
    ("en", "Orwell Bank is still recovering from the ransomware attack.", "incident_acknowledged"),
    # a system word with a state word, in either order ({it_object}, {down_state}, {down_action})
    ("fr", "Les postes de travail et la messagerie de Corlane sont inopérants.", "systems_affected"),
    ("fr", "Le rançongiciel a paralysé une partie des serveurs de production.", "systems_affected"),
    ("en", "The attack left the booking website and phone lines unavailable.", "systems_affected"),
    ("en", "Hackers encrypted dozens of servers at the Dunmore plant.", "systems_affected"),
    # people served with what happens to them, or what they are told ({people}, {people_effect}, {appointment}, ...)
    ("fr", "Les patients des urgences sont réorientés vers d'autres établissements.", "customer_impact"),
    ("fr", "Plusieurs interventions chirurgicales ont été reportées.", "customer_impact"),
    ("fr", "La mutuelle appelle à la plus grande prudence face aux courriels frauduleux.", "customer_impact"),
    ("en", "Guests faced long queues at the front desk.", "customer_impact"),
    ("en", "Dozens of surgeries were postponed at the clinic.", "customer_impact"),
    ("en", "Policyholders should remain vigilant against phishing messages.", "customer_impact"),
    ("en", "The insurer will contact the affected customers by letter.", "customer_impact"),
    # staff with what happens to them ({staff}, {staff_effect}), remote work
    ("fr", "Le télétravail est suspendu pour les conseillers de la plateforme.", "employee_impact"),
    ("fr", "Les soignants, épuisés, remplissent les dossiers à la main.", "employee_impact"),
    ("en", "Nurses are exhausted after a week of paper records.", "employee_impact"),
    ("en", "Remote working has been suspended for call-centre agents.", "employee_impact"),
    # data taken, in either order ({data})
    ("fr", "Les pirates ont pu dérober les dossiers de plusieurs milliers d'adhérents.", "data_breach"),
    ("fr", "La fuite porte sur deux millions de données clients.", "data_breach"),
    ("fr", "Des informations personnelles ont été extraites.", "data_breach"),
    ("en", "The union says the company lost employee data.", "data_breach"),
    # categories of personal data
    ("en", "The files held names, residential addresses and payroll details of staff.", "personal_data"),
    ("fr", "Les fichiers contenaient les prénoms et les salaires des agents.", "personal_data"),
    # outside help ({expert})
    ("en", "Engineers are working closely with outside forensic specialists.", "external_support"),
    ("en", "The council has engaged the services of a security firm.", "external_support"),
    ("fr", "Les équipes travaillent en lien avec des experts en cybersécurité.", "external_support"),
    # where to look for help
    ("en", "For updates, please visit the company's website.", "customer_contact_point"),
    ("fr", "Les clients peuvent consulter la page dédiée sur le site de l'assureur.", "customer_contact_point"),
    # containment: a crisis cell set up, systems scanned
    ("fr", "Une cellule de crise a été activée dès dimanche.", "containment_measures"),
    ("en", "Technicians are scanning every laptop before reconnecting it.", "containment_measures"),
    ("en", "Engineers contained the intrusion within hours.", "containment_measures"),
    ("fr", "La société a mis fin aux accès à distance de ses prestataires.", "containment_measures"),
    # services hit, appointments cancelled
    ("en", "The outage has hampered services the tenants depend on.", "service_disruption"),
    ("fr", "Des dysfonctionnements majeurs touchent la clinique Saint-Aubin.", "service_disruption"),
    ("fr", "La direction a décidé de reporter les consultations de jeudi.", "service_disruption"),
    # back to normal
    ("en", "All branches are now operational again.", "recovery_status"),
    ("fr", "Les données des adhérents ont été restaurées.", "recovery_status"),
    # a demand for openness is a criticism of the communication
    ("en", "The union urged the board to come clean about the breach.", "communication_criticism"),
    ("fr", "Les élus réclament davantage de transparence à la direction.", "communication_criticism"),
    # a regulator told or worked with
    ("fr", "La mutuelle Orvalis a notifié l'incident à la CNIL dès lundi.", "regulator_notified"),
    ("en", "Brantwick Homes informed the Information Commissioner's Office of the leak.", "regulator_notified"),
    # a group named or placed; a claim of the attack
    ("en", "A gang calling itself Nightjar has posted the files online.", "attribution"),
    ("fr", "Un groupe de hackers russophones a revendiqué l'attaque contre la clinique.", "attribution"),
    # a way in by a remote-access tool
    ("en", "The intruders got in through a VPN account with a stolen password.", "root_cause"),
    ("fr", "Les pirates se sont introduits via le bureau à distance d'un prestataire.", "root_cause"),
    # a precaution that cuts or shuts something
    ("en", "As a precaution, Halvern shut down its booking systems.", "containment_measures"),
    ("fr", "Par précaution, les serveurs de la mairie de Vélines ont été coupés.", "containment_measures"),
    # a call centre people are told to call
    ("en", "Customers can call our call centre on 0800 123 456.", "customer_contact_point"),
    # personal data with the people it belongs to, or a count of people whose data leaked
    ("en", "The personal details of 4,000 tenants were stolen.", "personal_data"),
    ("en", "Staff personal information was exposed in the breach.", "personal_data"),
    ("fr", "Les données personnelles de milliers d'adhérents ont fuité.", "personal_data"),
    ("fr", "Deux millions de clients sont concernés par la fuite de données.", "personal_data"),
    # sending people to another site, "years ago" late in the sentence: this incident still
    ("en", "Patients were diverted to another hospital after the servers were encrypted.", "systems_affected"),
    ("fr", "Des malades sont redirigés vers d'autres cliniques depuis la cyberattaque.", "incident_acknowledged"),
    ("en", "The council is still dealing with a cyber attack that encrypted its servers two years ago.", "systems_affected"),
    # the day an attack named in other words hit
    ("en", "On 4 March the retailer Dorvale was hit with a cybersecurity incident that froze its tills.", "incident_date"),
    ("fr", "Le 4 mars, l'enseigne Dorvale a été frappée par un incident de cybersécurité.", "incident_date"),
    # the data of many people, customers able to use a service again, the line they call shut
    ("fr", "La fuite porte sur des données concernant près de deux millions de patients.", "personal_data"),
    ("en", "Online shoppers can now track their parcels again.", "customer_impact"),
    ("fr", "Les abonnés peuvent à nouveau consulter leurs factures en ligne.", "customer_impact"),
    ("en", "The customer service hotline stayed closed all weekend.", "customer_impact"),
    ("fr", "Le service client est injoignable depuis lundi.", "customer_impact"),
    # "nous sommes attaqués": an attack told in the present passive
    ("fr", "C'est la troisième fois cette année que nous sommes attaqués, dit la CGT.", "incident_acknowledged"),
    # national agencies informed
    ("en", "By Sunday night the council had notified national agencies.", "regulator_notified"),
    ("fr", "La mairie a prévenu les autorités nationales dès dimanche.", "regulator_notified"),
    # production halted, workers and riders, social insurance numbers, other sites hit, work resumed
    ("fr", "Plusieurs usines du groupe ont dû arrêter leur production samedi.", "service_disruption"),
    ("en", "The attack forced the carmaker to halt production at several sites.", "service_disruption"),
    ("en", "Assembly lines at three plants were halted on Saturday.", "service_disruption"),
    ("en", "Riders could not see real-time arrival information on screens.", "customer_impact"),
    ("en", "Commuters faced long lines at ticket machines.", "customer_impact"),
    ("fr", "Les numéros d'assurance sociale de milliers d'employés auraient été dérobés.", "personal_data"),
    ("en", "The social insurance numbers of former staff may have been taken.", "personal_data"),
    ("fr", "Des sites en Slovénie et en Roumanie ont aussi été touchés.", "entities_affected"),
    ("fr", "La production a repris lundi dans la plupart des usines.", "recovery_status"),
    ("en", "The hackers demanded $300 in bitcoin per computer.", "ransom_amount"),
    ("fr", "Les pirates réclamaient 300 dollars en bitcoins par ordinateur.", "ransom_amount"),
    # pupils and ambulances, what staff were told not to do, a slowness to inform
    ("en", "Pupils were told to stay at home while the school's network was rebuilt.", "customer_impact"),
    ("en", "Ambulances were diverted to neighbouring hospitals.", "customer_impact"),
    ("fr", "Les ambulances sont redirigées vers les hôpitaux voisins.", "customer_impact"),
    ("fr", "Les élèves ne peuvent plus accéder à leur espace numérique.", "customer_impact"),
    ("en", "Staff were told not to turn on their computers.", "employee_impact"),
    ("fr", "La direction reconnaît avoir tardé à informer les salariés.", "communication_criticism"),
    ("en", "The union said the trust had been slow to inform patients.", "communication_criticism"),
    # screens gone blank, transport services, a privacy commissioner, a grievance or a collective action
    ("en", "Real-time arrival screens at stations went blank.", "systems_affected"),
    ("fr", "Les écrans d'information en gare sont restés noirs.", "systems_affected"),
    ("en", "The attack did not affect buses or subway service.", "service_disruption"),
    ("fr", "Les bus et le métro n'ont pas été affectés.", "service_disruption"),
    ("en", "The breach was reported to the province's privacy commissioner.", "regulator_notified"),
    ("en", "The union filed a grievance over the breach.", "legal_action"),
    ("fr", "Le syndicat a déposé un recours contre l'employeur.", "legal_action"),
    # a ransom in other words
    ("fr", "En échange de deux millions d'euros, les pirates rendraient les données volées.", "ransom_demanded"),
    ("fr", "En échange d'un paiement en bitcoins, les pirates libéreraient les serveurs.", "ransom_demanded"),
    ("en", "The gang offered to unlock the servers in exchange for a payment in bitcoin.", "ransom_demanded"),
    # the attack's reach over systems
    ("en", "The company insists the intrusion was limited to its billing servers.", "systems_affected"),
    ("fr", "L'intrusion serait circonscrite aux serveurs de messagerie.", "systems_affected"),
    # money spent on the aftermath, security failings named by a regulator
    ("en", "The trust spent £250,000 on agency staff to clear the backlog left by the attack.", "business_impact"),
    ("fr", "La mairie a dépensé 400 000 euros pour reconstruire son réseau.", "business_impact"),
    ("en", "The regulator found dormant accounts whose username and password were identical.", "root_cause"),
    ("fr", "L'enquête a relevé des comptes dormants et des mots de passe identiques.", "root_cause"),
    ("en", "The watchdog criticised the insurer for failing to patch its remote servers.", "root_cause"),
    # encryption of the victim's machines, phishing as the way in
    ("en", "The attackers encrypted hundreds of servers overnight.", "attack_type"),
    ("en", "By morning every file on the shared drives was locked.", "attack_type"),
    ("en", "The intruders got in through a phishing email sent to an accountant.", "attack_type"),
    ("fr", "Les pirates sont entrés grâce à un courriel d'hameçonnage reçu par un comptable.", "attack_type"),
    # ... and does with it
    ("fr", "L'intrusion a été détectée dimanche vers 3 heures.", "incident_date"),
    ("en", "The breach was detected on Sunday night.", "incident_date"),
    # an investigation with the police named in the sentence
    ("en", "The FBI told reporters that it was investigating the break-in.", "legal_action"),
    ("fr", "Les gendarmes de la section de recherches enquêtent sur l'intrusion.", "legal_action"),
])
def test_cues(language, text, fact):
    assert fact in facts(text, language)


@pytest.mark.parametrize("language, text, fact", [
    # a halt or a disruption of something that is no system
    ("en", "The company halted its dividend.", "systems_affected"),
    ("fr", "Le trafic a été perturbé par la grève.", "systems_affected"),
    # a trade named with no effect on its work is no employee impact
    ("en", "The drivers said the buses were running late.", "employee_impact"),
    ("fr", "Les conducteurs ont rappelé les horaires du réseau aux voyageurs.", "employee_impact"),
    # referring back to "the attack" does not acknowledge it again
    ("en", "The attack targeted the headquarters.", "incident_acknowledged"),
    # a bare "cyberattack" names no kind of attack
    ("fr", "L'assureur est victime d'une cyberattaque.", "attack_type"),
    # "ransomware" is not a ransom, "chiffre d'affaires" is not encryption
    ("en", "It was a ransomware attack.", "ransom_demanded"),
    ("fr", "Le chiffre d'affaires du groupe progresse.", "attack_type"),
    # a website that is mentioned is not a system hit
    ("en", "The website always displays the same message.", "systems_affected"),
    # "en échange de données" is not a data breach
    ("fr", "Les pirates exigent une rançon en échange de données.", "data_breach"),
    # a demanded payment is not a payment; "sommes" is a verb here; "pirates" names people, not a kind
    ("fr", "Les pirates exigent le paiement d'une rançon en bitcoins.", "ransom_paid"),
    ("en", "The hackers demanded that the company pay a ransom.", "ransom_paid"),
    ("fr", "Une attaque au rançongiciel. « Nous sommes revenus au papier », dit-il.", "ransom_amount"),
    ("fr", "Les pirates réclament une rançon.", "attack_type"),
    # the day something was said is not the day of the attack
    ("en", "Acme said on Thursday that a ransomware attack disrupted its operations.", "incident_date"),
    # ... nor is a date far from the attack in the clause
    ("en", "Workers will vote on 26 September on whether to authorise an open-ended strike as the cyberattack "
           "still weighs on the resort.", "incident_date"),
    # a cyberattack in general, or a bare "attack", is no incident told
    ("en", "Cyberattacks are a growing threat for every hospital.", "incident_acknowledged"),
    ("fr", "La cybersécurité est une priorité pour le groupe Alvea.", "incident_acknowledged"),
    # an attack is no system named; shutting systems down is containment, not a system hit
    ("fr", "Le groupe Alvea a subi une attaque informatique.", "systems_affected"),
    ("en", "Staff shut down the servers as a precaution.", "systems_affected"),
    # customers counted, data that "concern" them: no impact on them
    ("en", "The company has two million customers in Europe.", "customer_impact"),
    ("fr", "Les fichiers mis en ligne porteraient sur des abonnés de la mutuelle.", "customer_impact"),
    # a headcount is no impact on staff
    ("en", "The company employs 4,000 people in Wales.", "employee_impact"),
    ("fr", "Le groupe compte 3 000 salariés en France.", "employee_impact"),
    # information published by the company is no leak
    ("fr", "La direction a publié des informations sur l'incident.", "data_breach"),
    # a group's name, a postal service: no personal data
    ("fr", "Le nom du groupe de pirates reste inconnu.", "personal_data"),
    ("en", "Experts said the attack was sophisticated.", "external_support"),
    ("en", "The minister will visit the plant on Monday.", "customer_contact_point"),
    # securing a deal, a crisis cell that speaks, a blockage the attackers keep: no containment
    ("en", "Negotiations aimed to secure the best price for the new contract.", "containment_measures"),
    ("fr", "Selon la cellule de crise, les soins continuent.", "containment_measures"),
    ("fr", "Les pirates menacent de garder le système bloqué.", "containment_measures"),
    # an intrusion names no kind of attack; "à hacker" is not "a hacké"
    ("fr", "Une intrusion a été repérée dans le réseau de la mairie.", "attack_type"),
    ("fr", "Personne ne sait comment ils arrivent à hacker nos serveurs.", "attack_type"),
    # files that "contain" data contain no attack
    ("en", "The stolen files contained the impact assessments of the project.", "containment_measures"),
    # services offered, a report restored to the agenda: no disruption, no recovery
    ("en", "The firm offers services to thirty councils.", "service_disruption"),
    ("fr", "Le rapport annuel a été publié hier.", "recovery_status"),
    # a regulator's advice, findings or a complaint to it: nobody notified it
    ("fr", "La CNIL recommande de changer régulièrement ses mots de passe.", "regulator_notified"),
    ("en", "The regulator said the council had failed to protect its systems.", "regulator_notified"),
    ("en", "Members can complain to the ICO if they are unhappy.", "regulator_notified"),
    # a group left unnamed, a union's demands: nobody named
    ("en", "A criminal group has posted documents stolen from the council.", "attribution"),
    ("fr", "Le syndicat revendique une prime pour les agents.", "attribution"),
    # a VPN hit by the attack, remote access ended: no way in told
    ("en", "The VPN and email systems were among those taken offline.", "root_cause"),
    ("fr", "L'opérateur a mis fin aux accès à distance de ses conseillers.", "root_cause"),
    # a letter written as a precaution, a failure to secure: no containment
    ("en", "As a precaution, the firm sent letters to its former staff.", "containment_measures"),
    ("fr", "Incapable de sécuriser ses systèmes, la direction multiplie les erreurs.", "containment_measures"),
    # call-centre staff, a company that will contact people: no place to ask for help
    ("en", "I feel sorry for the call centre staff who answer the same thing all day.", "customer_contact_point"),
    ("en", "The company will reach out to affected guests by email.", "customer_contact_point"),
    # "personal data" alone says neither which data nor whose
    ("en", "There is no evidence that personal data had been compromised.", "personal_data"),
    ("fr", "La direction dit prendre très au sérieux la protection des données personnelles.", "personal_data"),
    # the day an attack was made public is not the day it began
    ("en", "The cyberattack on Dorvale, made public on Wednesday, worries its clients.", "incident_date"),
    ("fr", "La cyberattaque contre la mutuelle Orvalis, dévoilée mercredi, inquiète les adhérents.", "incident_date"),
    # who speaks is not what is said: a regulator named in the speaker's title was not notified by it
    ("fr", "Un numéro d'aide sera ouvert lundi, a indiqué Jeanne Martin, présidente de la Cnil, qui suit l'affaire.",
     "regulator_notified"),
    ("en", "A helpline will open on Monday, said Mary Jones, the head of the ICO's cyber unit.", "regulator_notified"),
    # a word of happening dates the attack only with the attack in view
    ("fr", "L'hôpital a déclenché son plan blanc dimanche.", "incident_date"),
    ("en", "The store chain started its summer sale on Monday.", "incident_date"),
    # hackers are no action on a system: "les pirates … le réseau"
    ("fr", "Les pirates promettent de laisser le réseau tranquille contre une somme.", "systems_affected"),
    # card readers are not card data
    ("en", "Credit card machines and ticket kiosks stopped working at every branch.", "personal_data"),
    # encryption that is not done to the victim's systems, phishing that customers are warned of
    ("en", "Stolen files are traded on forums reached only through encrypted browsers.", "attack_type"),
    ("en", "Customers should beware of phishing emails pretending to come from the bank.", "attack_type"),
    ("fr", "Les adhérents risquent des tentatives d'hameçonnage dans les prochains mois.", "attack_type"),
    # a quick word to customers is no criticism
    ("en", "The firm was quick to inform its customers by email.", "communication_criticism"),
    # an investigation of the company's own is no legal action
    ("en", "The company said it is investigating the incident with outside experts.", "legal_action"),
    ("fr", "L'entreprise enquête en interne sur l'origine de la panne.", "legal_action"),
    # a page's date stamp is not the incident's date
    ("en", "date 2022-05-03 Investigators said the incident is still being handled.", "incident_date"),
])
def test_no_false_cue(language, text, fact):
    assert fact not in facts(text, language)


@pytest.mark.parametrize("language, text", [
    ("fr", "Lire aussi : Cyberattaque : l'hôpital de Dax paralysé par un rançongiciel"),
    ("en", "Read more: Hospital hit by ransomware attack, patient data stolen"),
])
def test_links_to_other_stories_disclose_nothing(language, text):
    assert detect(text, language) == ()


def test_a_short_voice_answers_its_neighbours_question():
    text = ("Aucune date de reprise n'est communiquée mais \"on voit le bout du tunnel\", nous confie un membre "
            "de la direction, \"peut-être le début de la semaine\", d'après un syndicat.")
    by_role = {(m.source_role, m.fact): m for m in detect(text, "fr")}
    assert {("press", "recovery_status"), ("management", "recovery_status"), ("union", "recovery_status")} <= set(by_role)
    assert by_role[("union", "recovery_status")].value == "peut-être le début de la semaine"


@pytest.mark.parametrize("language, text", [
    ("en", "Acme says it has recovered from the attack, employees tell another story"),
    ("fr", "Acme affirme avoir surmonté l'attaque, les salariés racontent autre chose"),
])
def test_a_short_unquoted_voice_answers_nothing(language, text):
    assert not [m for m in detect(text, language) if m.source_role == "other"]


def test_mentions_point_at_their_cue():
    for mention in detect("Selon la CGT, la rançon n'a pas été payée et les serveurs ont été chiffrés.", "fr"):
        assert mention.sentence[mention.start:mention.end] == mention.cue


def test_hedged_and_specific_flags():
    vague, = [m for m in detect("Le site évoque une tentative d'acte malveillant.", "fr") if m.fact == "attack_type"]
    precise, = [m for m in detect("Les serveurs ont été chiffrés par un rançongiciel.", "fr") if m.fact == "attack_type"]
    assert (vague.hedged, vague.specific) == (True, False)
    assert precise.specific is True


def test_unknown_language_has_no_facts():
    assert detect("Die Server wurden verschlüsselt und ein Lösegeld gefordert.", "de") == ()


@pytest.mark.parametrize("language, text", [
    ("en", "Three years ago, Dorvale admitted that the records of a million customers had been stolen."),
    ("en", "Last spring, another council - the borough of Easton - was hit by ransomware, which cost it £8m."),
    ("en", "It recalls events like the attack on a Belgian port, where servers were encrypted."),
    ("fr", "Il y a quatre ans, la mutuelle Orvalis avait déjà vu ses serveurs chiffrés."),
    ("fr", "En 2019, une autre collectivité du département avait été victime d'un rançongiciel."),
])
def test_another_or_an_earlier_incident_discloses_nothing(language, text):
    assert detect(text, language) == ()


@pytest.mark.parametrize("language, text, roles", [
    # an incident is acknowledged by the parties to it (the organisation, its unions, the press),
    # not by the experts or sources who describe it
    ("en", "Acme said it was hit by a cyberattack.", {"management"}),
    ("en", "This may prove the most expensive ransomware attack ever, an analyst said.", set()),
    ("fr", "Selon un expert, il s'agit d'une cyberattaque d'ampleur.", set()),
    ("fr", "La CGT confirme une cyberattaque contre le groupe.", {"union"}),
])
def test_incident_acknowledged_by_the_parties_to_it(language, text, roles):
    assert {m.source_role for m in detect(text, language) if m.fact == "incident_acknowledged"} == roles


@pytest.mark.parametrize("language, text", [
    ("en", "The town's computer systems were hacked in the spring and residents still wait for answers."),
    ("fr", "Les serveurs de la mairie ont été piratés au printemps et les habitants attendent toujours."),
])
def test_a_page_of_its_own_acknowledges_the_incident_in_its_publishers_voice(language, text):
    # a residents' association's own page: its narration is its voice, whatever its role
    document = make_document(text, language, kind="other")
    sentences = split_sentences(document)
    found = detect_facts(document, sentences, attribute(document, sentences, make_case()), make_case())
    assert {m.source_role for m in found if m.fact == "incident_acknowledged"} == {"other"}


@pytest.mark.parametrize("language, text, told", [
    # an opening dated years before the case's first document sets an earlier scene
    ("en", "In 2017, a shipping firm lost $300 million after refusing to pay a ransom.", False),
    ("fr", "En 2017, un armateur avait perdu 300 millions de dollars après avoir refusé de payer une rançon.", False),
    # the year the case's documents start, or the year before, is this incident's
    ("en", "In 2022, the hackers demanded a ransom from Acme.", True),
])
def test_an_opening_years_before_the_case_tells_an_earlier_story(language, text, told):
    from dataclasses import replace

    document = make_document(text, language, date="2023-10-05")
    case = replace(make_case(), documents=(document.meta,))
    sentences = split_sentences(document)
    found = detect_facts(document, sentences, attribute(document, sentences, case), case)
    assert bool(found) is told
