"""Demo correspondence: a letterhead per team, the shipped templates, two letters.

Idempotent like the rest of the demo: letterheads are keyed by team, templates by
type and language, and the two letters by their author, recipient and type.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from guichet.agenda.minutes.services import ActionInput, minutes_create
from guichet.agenda.models import Minutes
from guichet.agents.models import Agent, Team
from guichet.core import clock
from guichet.correspondence.models import IncomingMail, Letter, Letterhead
from guichet.correspondence.services import (
    incoming_mail_dispatch,
    incoming_mail_register,
    letter_draft_create,
    letter_submit,
    letterhead_ensure,
    templates_load,
)
from guichet.parties.models import Person

PLACES = {"fr": "Bruxelles", "nl": "Brussel", "de": "Brüssel", "en": "Brussels"}
ADDRESS = "Boulevard du Guichet 1 / Loketlaan 1\n1000 Bruxelles / Brussel"

# team code -> number prefix, and the service's name in fr, nl, de, en.
LETTERHEADS: dict[str, tuple[str, tuple[str, str, str, str]]] = {
    "cc-fr": (
        "CCF",
        ("Centre de contact", "Contactcenter", "Kontaktzentrum", "Contact centre"),
    ),
    "cc-nl": (
        "CCN",
        ("Centre de contact", "Contactcenter", "Kontaktzentrum", "Contact centre"),
    ),
    "legalisations": (
        "LEG",
        ("Légalisations", "Legalisaties", "Legalisationen", "Legalisations"),
    ),
    "travel-documents": (
        "DOC",
        ("Documents de voyage", "Reisdocumenten", "Reisedokumente", "Travel documents"),
    ),
    "visas": ("VIS", ("Visas", "Visa", "Visa", "Visas")),
    "payment-office": (
        "PAY",
        ("Bureau des paiements", "Betaalbureau", "Zahlungsbüro", "Payment office"),
    ),
    "support": (
        "SUP",
        (
            "Support administratif",
            "Administratieve ondersteuning",
            "Verwaltungsunterstützung",
            "Administrative support",
        ),
    ),
}


def letterheads() -> int:
    created = 0
    for team in Team.objects.filter(code__in=LETTERHEADS):
        if Letterhead.objects.filter(team=team).exists():
            continue
        prefix, names = LETTERHEADS[team.code]
        letterhead_ensure(
            actor=None,
            team=team,
            prefix=prefix,
            names=dict(zip(("fr", "nl", "de", "en"), names, strict=True)),
            places=PLACES,
            address_lines=ADDRESS,
            phone="+32 2 000 00 00",
            email=f"{team.code}@guichet.example",
            website="https://guichet.example",
        )
        created += 1
    return created


def letters(agents: dict[str, Agent]) -> int:
    """An issued acknowledgement, and an adapted letter waiting for approval."""
    writer = agents["front.legal"]
    recipients = list(
        Person.objects.filter(confidential_team__isnull=True, addresses__isnull=False)
        .order_by("national_number")
        .distinct()[:2]
    )
    if len(recipients) < 2:
        return 0
    created = 0
    specs: list[tuple[Person, str, dict[str, Any]]] = [
        (recipients[0], "acknowledgement", {}),
        (
            recipients[1],
            "information",
            {
                "free_values": {
                    "information": "Votre légalisation nécessite une traduction jurée."
                },
                "is_flagged": True,
                "flag_reason": "Demo: an unusual answer, for the supervisor's queue.",
            },
        ),
    ]
    for person, code, extra in specs:
        exists = Letter.objects.filter(
            author=writer,
            person=person,
            template_version__template__letter_type__code=code,
        ).exists()
        if exists:
            continue
        draft = letter_draft_create(
            actor=writer,
            person_id=person.uuid,
            letter_type=code,
            language="fr",
            **extra,
        )
        letter_submit(
            actor=writer, letter_id=draft.uuid, expected_version=draft.version
        )
        created += 1
    return created


def _blank_scan() -> bytes:
    """A one-page PDF standing in for a scanned letter."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


# subject, sender, days ago, team it is dispatched to (None: still waiting)
MAIL: list[tuple[str, str, int, str | None]] = [
    ("Demande de légalisation d'un diplôme", "Marc Dupont", 2, None),
    ("Vraag om een nieuw paspoort", "Ann Peeters", 3, "travel-documents"),
    # A bailiff's notice of seizure for the payment office: the debt workbench
    # registers the seizure from it (issue #18).
    (
        "Avis de saisie sur allocations de chômage",
        "Étude Lambert & Associés, huissiers de justice",
        1,
        "payment-office",
    ),
]


def incoming_mail(agents: dict[str, Agent]) -> int:
    """Paper mail in the register: one piece waiting, two already dispatched."""
    clerk = agents["support.c"]
    created = 0
    for subject, sender, days_ago, target in MAIL:
        if IncomingMail.objects.filter(subject=subject).exists():
            continue
        mail = incoming_mail_register(
            actor=clerk,
            received_on=clock.today() - dt.timedelta(days=days_ago),
            subject=subject,
            sender_name=sender,
            scan=_blank_scan(),
            scan_name="scan.pdf",
        )
        if target:
            incoming_mail_dispatch(
                actor=clerk,
                mail_id=mail.uuid,
                expected_version=mail.version,
                team=target,
            )
        created += 1
    return created


def minutes(agents: dict[str, Agent]) -> int:
    """The support team's weekly meeting, with an action for each of two agents."""
    title = "Réunion d'équipe du support administratif"
    if Minutes.objects.filter(title=title).exists():
        return 0
    meeting = clock.today() - dt.timedelta(days=7)
    minutes_create(
        actor=agents["support.b"],
        title=title,
        meeting_date=meeting,
        language="fr",
        place="Salle 2.14",
        attendees=["Anna Schmitz", "Els Jacobs", "Kevin Dubois"],
        agenda=["Courrier entrant en retard", "Nouveaux modèles de lettres"],
        decisions=["Le courrier est dispatché le jour même de sa réception."],
        actions=[
            ActionInput(
                description="Relire les modèles de lettres en néerlandais",
                owner="support.c",
                due_date=meeting + dt.timedelta(days=14),
            ),
            ActionInput(
                description="Classer le courrier de la semaine passée",
                owner="support.d",
                due_date=meeting + dt.timedelta(days=10),
            ),
        ],
    )
    return 1


def build(agents: dict[str, Agent]) -> dict[str, int]:
    return {
        "letterheads": letterheads(),
        "templates": templates_load(actor=None),
        "letters": letters(agents),
        "incoming_mail": incoming_mail(agents),
        "minutes": minutes(agents),
    }
