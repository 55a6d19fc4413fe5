"""Demo knowledge base: a few FAQ entries and procedure guides in four languages,
attached to the shipped case types' steps and topics, and one feedback item.

The texts describe how the demo service works; they quote no legal figure (the
fees themselves are the case types' own, read on the dossier's fee).
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet.agents.models import Agent
from guichet.contacts.models import Topic
from guichet.knowledge import services
from guichet.knowledge.models import Article


@dataclass(frozen=True)
class DemoArticle:
    key: str
    kind: str
    topic: str
    author: str
    reviewer: str
    texts: dict[str, tuple[str, str]]
    statuses: tuple[tuple[str, str], ...] = ()
    screens: tuple[str, ...] = ()


ARTICLES = [
    DemoArticle(
        key="legalisation-fees",
        kind="procedure",
        topic="legalisation",
        author="front.legal",
        reviewer="supervisor.consular",
        statuses=(("consular-legalisation", "awaiting_payment"),),
        screens=("ui:cashbook",),
        texts={
            "fr": (
                "Légalisation : encaisser les frais",
                "1. Ouvrez le dossier et vérifiez le montant dû affiché sous « Frais ».\n"
                "2. Encaissez au guichet (carte, espèces) ou donnez la communication "
                "structurée pour un virement.\n"
                "3. Remettez le reçu numéroté ; le dossier passe à l'étape suivante "
                "quand les frais sont payés.\n"
                "Un remboursement demande le niveau C ou un superviseur.",
            ),
            "nl": (
                "Legalisatie: de kosten innen",
                "1. Open het dossier en controleer het verschuldigde bedrag onder "
                "'Kosten'.\n"
                "2. Int aan het loket (kaart, contant) of geef de gestructureerde "
                "mededeling voor een overschrijving.\n"
                "3. Overhandig het genummerde ontvangstbewijs; het dossier gaat naar "
                "de volgende stap zodra de kosten betaald zijn.\n"
                "Een terugbetaling vraagt niveau C of een supervisor.",
            ),
            "de": (
                "Legalisation: Gebühren kassieren",
                "1. Öffnen Sie die Akte und prüfen Sie den unter „Gebühren“ "
                "angezeigten Betrag.\n"
                "2. Kassieren Sie am Schalter (Karte, bar) oder geben Sie die "
                "strukturierte Mitteilung für eine Überweisung.\n"
                "3. Übergeben Sie die nummerierte Quittung; die Akte geht weiter, "
                "sobald die Gebühren bezahlt sind.\n"
                "Eine Erstattung erfordert Stufe C oder einen Vorgesetzten.",
            ),
            "en": (
                "Legalisation: taking the fees",
                "1. Open the dossier and check the amount due under 'Fees'.\n"
                "2. Take the payment at the counter (card, cash) or give the "
                "structured reference for a transfer.\n"
                "3. Hand over the numbered receipt; the dossier moves on once the "
                "fees are paid.\n"
                "A refund needs level C or a supervisor.",
            ),
        },
    ),
    DemoArticle(
        key="passport-biometrics",
        kind="faq",
        topic="travel-documents",
        author="front.travel",
        reviewer="supervisor.consular",
        statuses=(("consular-passport", "appointment_planned"),),
        texts={
            "fr": (
                "Passeport : rendez-vous pour les données biométriques",
                "La demande de passeport se fait en personne : la photo et les "
                "empreintes digitales sont prises au poste. Proposez un rendez-vous, "
                "rappelez d'apporter l'ancien passeport et une pièce d'identité, et "
                "notez la présence au rendez-vous dans le dossier.",
            ),
            "nl": (
                "Paspoort: afspraak voor de biometrische gegevens",
                "Een paspoort wordt persoonlijk aangevraagd: de foto en de "
                "vingerafdrukken worden op de post genomen. Stel een afspraak voor, "
                "vraag het oude paspoort en een identiteitsbewijs mee te brengen en "
                "noteer de aanwezigheid in het dossier.",
            ),
            "de": (
                "Reisepass: Termin für die biometrischen Daten",
                "Der Reisepass wird persönlich beantragt: Foto und Fingerabdrücke "
                "werden im Konsulat aufgenommen. Schlagen Sie einen Termin vor, "
                "erinnern Sie an den alten Pass und ein Ausweisdokument und "
                "vermerken Sie die Anwesenheit in der Akte.",
            ),
            "en": (
                "Passport: appointment for the biometric data",
                "A passport is applied for in person: the photo and fingerprints are "
                "taken at the post. Offer an appointment, remind the citizen to bring "
                "the old passport and an identity document, and record their "
                "presence in the dossier.",
            ),
        },
    ),
    DemoArticle(
        key="benefit-admissibility",
        kind="procedure",
        topic="benefit-application",
        author="payment.c",
        reviewer="supervisor.consular",
        statuses=(("unemployment-benefit", "checking"),),
        texts={
            "fr": (
                "Allocations de chômage : vérifier la recevabilité de la demande",
                "Avant de conclure, vérifiez que la demande est complète : formulaire "
                "signé, attestation de l'employeur, carte d'identité, et composition "
                "du ménage. Toute demande incomplète fait l'objet d'une demande de "
                "documents au citoyen, avec un délai. Le dossier est ensuite transmis "
                "à l'organisme qui décide.",
            ),
            "nl": (
                "Werkloosheidsuitkering: de ontvankelijkheid van de aanvraag nagaan",
                "Ga vóór de conclusie na of de aanvraag volledig is: ondertekend "
                "formulier, attest van de werkgever, identiteitskaart en "
                "gezinssamenstelling. Bij een onvolledige aanvraag vraagt u de "
                "documenten op bij de burger, met een termijn. Daarna gaat het "
                "dossier naar de instelling die beslist.",
            ),
            "de": (
                "Arbeitslosengeld: Zulässigkeit des Antrags prüfen",
                "Prüfen Sie vor dem Abschluss, ob der Antrag vollständig ist: "
                "unterschriebenes Formular, Bescheinigung des Arbeitgebers, "
                "Personalausweis und Haushaltszusammensetzung. Fehlt etwas, fordern "
                "Sie die Unterlagen mit einer Frist beim Bürger an. Danach geht die "
                "Akte an die entscheidende Einrichtung.",
            ),
            "en": (
                "Unemployment benefit: checking the application is admissible",
                "Before concluding, check the application is complete: signed form, "
                "employer's certificate, identity card and household composition. "
                "When something is missing, ask the citizen for the documents with a "
                "deadline. The dossier then goes to the body that decides.",
            ),
        },
    ),
    DemoArticle(
        key="address-change",
        kind="faq",
        topic="general-information",
        author="first.fr",
        reviewer="supervisor.cc",
        screens=("ui:request_detail",),
        texts={
            "fr": (
                "Changement d'adresse : que répondre ?",
                "Le citoyen qui déménage en Belgique déclare sa nouvelle adresse à sa "
                "commune. Chez nous, enregistrez la nouvelle "
                "adresse sur la fiche de la personne (onglet Aperçu) pour que nos "
                "courriers suivent.",
            ),
            "nl": (
                "Adreswijziging: wat antwoorden?",
                "Wie in België verhuist, geeft zijn nieuwe adres door "
                "aan zijn gemeente. Registreer bij ons het nieuwe adres op de "
                "fiche van de persoon (tabblad Overzicht), zodat onze brieven volgen.",
            ),
            "de": (
                "Adressänderung: Was antworten?",
                "Wer in Belgien umzieht, meldet die neue Adresse "
                "seiner Gemeinde. Erfassen Sie bei uns die neue Adresse in der "
                "Personenakte (Reiter Übersicht), damit unsere Briefe ankommen.",
            ),
            "en": (
                "Change of address: what to answer",
                "A citizen who moves within Belgium declares the new address to "
                "their municipality. Here, record the new address on the "
                "person's page (Overview tab) so our letters follow.",
            ),
        },
    ),
]


def _build_article(agents: dict[str, Agent], item: DemoArticle) -> Article:
    author = agents[item.author]
    topic = Topic.objects.get(team__isnull=True, code=item.topic)
    first, *others = item.texts.items()
    article = services.article_create(
        actor=author,
        topic=topic,
        kind=item.kind,
        language=first[0],
        title=first[1][0],
        body=first[1][1],
        note="First version",
    )
    for language, (title, body) in others:
        services.article_text_save(
            actor=author,
            article=article,
            expected_version=article.version,
            language=language,
            title=title,
            body=body,
            note="Translation",
        )
    for case_type, status in item.statuses:
        services.article_place_add(
            actor=author,
            article=article,
            kind="status",
            case_type_code=case_type,
            status_code=status,
        )
    for screen in item.screens:
        services.article_place_add(
            actor=author, article=article, kind="screen", screen=screen
        )
    article = services.article_transition(
        actor=author, article=article, expected_version=article.version, move="submit"
    )
    return services.article_transition(
        actor=agents[item.reviewer],
        article=article,
        expected_version=article.version,
        move="publish",
    )


def build(agents: dict[str, Agent]) -> int:
    """The articles and the feedback item, once (a second run adds nothing)."""
    if Article.objects.exists():
        return 0
    built = [_build_article(agents, item) for item in ARTICLES]
    services.feedback_report(
        actor=agents["first.fr"],
        kind="recurring_problem",
        text_value=(
            "Plusieurs citoyens demandent chaque semaine si les frais de "
            "légalisation peuvent être payés par virement avant le rendez-vous ; "
            "l'article ne le dit pas clairement."
        ),
        screen="ui:knowledge_search",
        path="/knowledge/",
        article=built[0],
    )
    return len(built)
