"""Writes train.jsonl and test.jsonl from the messages below (written for Guichet's
tests; public domain, no third-party data). Run from this folder if you edit them.
Per topic and language: the first three messages train, the last two test."""

import json

MESSAGES = {
    "legalisation": {
        "fr": [
            "Je dois faire légaliser mon acte de naissance pour l'étranger.",
            "Combien coûte la légalisation d'un diplôme ?",
            "Où faire apostiller un document officiel belge ?",
            "Mon acte de mariage doit être légalisé, que dois-je apporter ?",
            "Pouvez-vous légaliser la signature sur ce document ?",
        ],
        "nl": [
            "Ik moet mijn geboorteakte laten legaliseren voor het buitenland.",
            "Hoeveel kost de legalisatie van een diploma?",
            "Waar kan ik een apostille krijgen op een Belgisch document?",
            "Mijn huwelijksakte moet gelegaliseerd worden, wat moet ik meebrengen?",
            "Kunt u de handtekening op dit document legaliseren?",
        ],
        "de": [
            "Ich muss meine Geburtsurkunde für das Ausland legalisieren lassen.",
            "Wie viel kostet die Legalisation eines Diploms?",
            "Wo bekomme ich eine Apostille für eine belgische Urkunde?",
            "Meine Heiratsurkunde muss legalisiert werden, was muss ich mitbringen?",
            "Können Sie die Unterschrift auf diesem Dokument legalisieren?",
        ],
        "en": [
            "I need my birth certificate legalised for use abroad.",
            "How much does the legalisation of a diploma cost?",
            "Where can I get an apostille on a Belgian document?",
            "My marriage certificate must be legalised, what should I bring?",
            "Can you legalise the signature on this document?",
        ],
    },
    "travel-documents": {
        "fr": [
            "Mon passeport expire le mois prochain, comment le renouveler ?",
            "J'ai perdu ma carte d'identité pendant mon voyage.",
            "Quel est le délai pour obtenir un nouveau passeport ?",
            "On m'a volé mon passeport, que faire pour rentrer en Belgique ?",
            "Je voudrais demander un passeport pour mon enfant.",
        ],
        "nl": [
            "Mijn paspoort vervalt volgende maand, hoe vernieuw ik het?",
            "Ik ben mijn identiteitskaart verloren tijdens mijn reis.",
            "Hoe lang duurt het om een nieuw paspoort te krijgen?",
            "Mijn paspoort is gestolen, hoe kan ik terug naar België?",
            "Ik wil een paspoort aanvragen voor mijn kind.",
        ],
        "de": [
            "Mein Reisepass läuft nächsten Monat ab, wie kann ich ihn erneuern?",
            "Ich habe meinen Personalausweis auf der Reise verloren.",
            "Wie lange dauert es, einen neuen Reisepass zu bekommen?",
            "Mein Reisepass wurde gestohlen, wie komme ich zurück nach Belgien?",
            "Ich möchte einen Reisepass für mein Kind beantragen.",
        ],
        "en": [
            "My passport expires next month, how do I renew it?",
            "I lost my identity card while travelling.",
            "How long does it take to get a new passport?",
            "My passport was stolen, how can I get back to Belgium?",
            "I would like to apply for a passport for my child.",
        ],
    },
    "benefit-payment": {
        "fr": [
            "Mes allocations de chômage n'ont pas été versées ce mois-ci.",
            "Quand le paiement de mes allocations arrive-t-il sur mon compte ?",
            "Le montant versé est plus bas que le mois dernier, pourquoi ?",
            "Je n'ai toujours rien reçu sur mon compte pour le mois de mars.",
            "J'ai changé de compte bancaire, où sera versée mon allocation ?",
        ],
        "nl": [
            "Mijn werkloosheidsuitkering is deze maand niet betaald.",
            "Wanneer komt de betaling van mijn uitkering op mijn rekening?",
            "Het betaalde bedrag is lager dan vorige maand, waarom?",
            "Ik heb nog steeds niets ontvangen op mijn rekening voor maart.",
            "Ik heb een nieuwe bankrekening, waar wordt mijn uitkering betaald?",
        ],
        "de": [
            "Mein Arbeitslosengeld wurde diesen Monat nicht ausgezahlt.",
            "Wann kommt die Zahlung meines Arbeitslosengeldes auf mein Konto?",
            "Der gezahlte Betrag ist niedriger als letzten Monat, warum?",
            "Ich habe für März immer noch nichts auf meinem Konto erhalten.",
            "Ich habe ein neues Bankkonto, wohin wird mein Geld überwiesen?",
        ],
        "en": [
            "My unemployment benefit was not paid this month.",
            "When does the payment of my benefit reach my account?",
            "The amount paid is lower than last month, why?",
            "I still have not received anything on my account for March.",
            "I changed bank account, where will my benefit be paid?",
        ],
    },
    "garnishment-debts": {
        "fr": [
            "Un huissier a fait une saisie sur mes allocations.",
            "Pourquoi retenez-vous une partie de mon allocation pour une dette ?",
            "Je reçois une lettre de saisie sur salaire, est-ce légal ?",
            "Combien peut-on saisir au maximum sur mes revenus ?",
            "J'ai des dettes et on retient de l'argent chaque mois, que faire ?",
        ],
        "nl": [
            "Een gerechtsdeurwaarder heeft beslag gelegd op mijn uitkering.",
            "Waarom houdt u een deel van mijn uitkering in voor een schuld?",
            "Ik krijg een brief over loonbeslag, is dat wettelijk?",
            "Hoeveel mag er maximaal in beslag genomen worden op mijn inkomen?",
            "Ik heb schulden en er wordt elke maand geld ingehouden, wat nu?",
        ],
        "de": [
            "Ein Gerichtsvollzieher hat mein Arbeitslosengeld gepfändet.",
            "Warum behalten Sie einen Teil meines Geldes für eine Schuld ein?",
            "Ich habe einen Brief über eine Lohnpfändung bekommen, ist das rechtens?",
            "Wie viel darf man von meinem Einkommen höchstens pfänden?",
            "Ich habe Schulden und jeden Monat wird Geld einbehalten, was tun?",
        ],
        "en": [
            "A bailiff has garnished my unemployment benefit.",
            "Why do you withhold part of my benefit for a debt?",
            "I received a letter about wage garnishment, is that legal?",
            "How much can be garnished at most from my income?",
            "I have debts and money is withheld every month, what can I do?",
        ],
    },
    "attestations": {
        "fr": [
            "J'ai besoin d'une attestation de chômage pour ma banque.",
            "Pouvez-vous m'envoyer une attestation des allocations reçues l'an dernier ?",
            "Il me faut un certificat pour ma déclaration d'impôts.",
            "Mon propriétaire demande une attestation de revenus.",
            "Comment obtenir une attestation pour la mutuelle ?",
        ],
        "nl": [
            "Ik heb een attest van werkloosheid nodig voor mijn bank.",
            "Kunt u mij een attest sturen van de uitkeringen van vorig jaar?",
            "Ik heb een attest nodig voor mijn belastingaangifte.",
            "Mijn verhuurder vraagt een attest van inkomsten.",
            "Hoe krijg ik een attest voor het ziekenfonds?",
        ],
        "de": [
            "Ich brauche eine Bescheinigung über die Arbeitslosigkeit für meine Bank.",
            "Können Sie mir eine Bescheinigung über das Geld vom letzten Jahr schicken?",
            "Ich brauche eine Bescheinigung für meine Steuererklärung.",
            "Mein Vermieter verlangt eine Einkommensbescheinigung.",
            "Wie bekomme ich eine Bescheinigung für die Krankenkasse?",
        ],
        "en": [
            "I need an unemployment attestation for my bank.",
            "Can you send me an attestation of the benefits I received last year?",
            "I need a certificate for my tax return.",
            "My landlord asks for an attestation of income.",
            "How do I get an attestation for the health insurance fund?",
        ],
    },
    "appointments": {
        "fr": [
            "Je voudrais prendre rendez-vous au guichet mardi matin.",
            "Puis-je déplacer mon rendez-vous de jeudi ?",
            "Je dois annuler mon rendez-vous de demain.",
            "Quelles sont les heures disponibles pour un rendez-vous la semaine prochaine ?",
            "Est-il possible d'avoir un rendez-vous plus tôt ?",
        ],
        "nl": [
            "Ik wil graag een afspraak maken aan het loket dinsdagochtend.",
            "Kan ik mijn afspraak van donderdag verplaatsen?",
            "Ik moet mijn afspraak van morgen annuleren.",
            "Welke uren zijn vrij voor een afspraak volgende week?",
            "Is het mogelijk om vroeger een afspraak te krijgen?",
        ],
        "de": [
            "Ich möchte am Dienstagmorgen einen Termin am Schalter vereinbaren.",
            "Kann ich meinen Termin am Donnerstag verschieben?",
            "Ich muss meinen Termin von morgen absagen.",
            "Welche Zeiten sind nächste Woche für einen Termin frei?",
            "Ist es möglich, einen früheren Termin zu bekommen?",
        ],
        "en": [
            "I would like to book an appointment at the counter on Tuesday morning.",
            "Can I move my appointment on Thursday?",
            "I have to cancel my appointment tomorrow.",
            "Which times are free for an appointment next week?",
            "Is it possible to get an earlier appointment?",
        ],
    },
}

with (
    open("train.jsonl", "w", encoding="utf-8") as train,
    open("test.jsonl", "w", encoding="utf-8") as test,
):
    for label, languages in MESSAGES.items():
        for lang, texts in languages.items():
            for number, text in enumerate(texts):
                line = json.dumps(
                    {"text": text, "label": label, "lang": lang}, ensure_ascii=False
                )
                (train if number < 3 else test).write(line + "\n")
