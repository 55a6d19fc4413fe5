"""Demo correspondence: a letterhead per team, the shipped templates, two letters.

Idempotent like the rest of the demo: letterheads are keyed by team, templates by
type and language, and the two letters by their author, recipient and type.
"""

from __future__ import annotations

from typing import Any

from guichet.agents.models import Agent, Team
from guichet.correspondence.models import Letter, Letterhead
from guichet.correspondence.services import (
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
        Person.objects.filter(
            confidential_team__isnull=True, postaladdresss__isnull=False
        )
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


def build(agents: dict[str, Agent]) -> dict[str, int]:
    return {
        "letterheads": letterheads(),
        "templates": templates_load(actor=None),
        "letters": letters(agents),
    }
