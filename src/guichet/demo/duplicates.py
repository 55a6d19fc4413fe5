"""Two demo records of one citizen (issue #19, the duplicates report and the merge).

Lucie Vandenberghe called the contact center, who registered her with her national
number; later that day she wrote in, and another agent registered "Lucie Vandenberge"
(a letter missing, no national number) with the same birth date and e-mail. Each
record has its own contact, the second a request too: the Duplicates section finds
the pair, and merging it moves them all onto one person. Built through the services.
"""

from __future__ import annotations

import datetime as dt

from guichet.agents.models import Agent
from guichet.contacts.services import ContactInput, contact_register
from guichet.core import clock
from guichet.parties.models import Person
from guichet.parties.services import EmailInput, Identity, PhoneInput, person_create
from guichet.servicerequests.services import RequestInput, contact_with_request

from .identifiers import national_number

BIRTH_DATE = dt.date(1987, 3, 14)
EMAIL = "lucie.vdb@example.be"
FIRST = ("Lucie", "Vandenberghe")
SECOND = ("Lucie", "Vandenberge")
PERSONS = 2  # the persons this module adds to the demo


def build(agents: dict[str, Agent]) -> int:
    """Register the two records and their rows, unless they exist; return how
    many persons were created."""
    if Person.objects.filter(
        given_names=FIRST[0], surname__in=[FIRST[1], SECOND[1]], birth_date=BIRTH_DATE
    ).exists():
        return 0
    started = clock.now() - dt.timedelta(hours=3)
    first = person_create(
        actor=agents["first.fr"],
        identity=Identity(
            given_names=FIRST[0],
            surname=FIRST[1],
            birth_date=BIRTH_DATE,
            sex="F",
            national_number=national_number(BIRTH_DATE, 42),
        ),
        phones=[PhoneInput(number="+32470112233", kind="mobile", is_primary=True)],
        emails=[EmailInput(address=EMAIL, is_primary=True)],
        acknowledge_duplicates=True,
    )
    contact_register(
        actor=agents["first.fr"],
        data=ContactInput(
            channel="phone",
            started_at=started,
            ended_at=started + dt.timedelta(minutes=4),
            person=str(first.uuid),
            topic="general-information",
            summary="Demande les heures d'ouverture du guichet.",
            outcome="answered",
        ),
    )
    second = person_create(
        actor=agents["second.fr"],
        identity=Identity(
            given_names=SECOND[0], surname=SECOND[1], birth_date=BIRTH_DATE, sex="F"
        ),
        emails=[EmailInput(address=EMAIL, is_primary=True)],
        acknowledge_duplicates=True,
    )
    now = clock.now() - dt.timedelta(minutes=10)
    contact_with_request(
        actor=agents["second.fr"],
        contact=ContactInput(
            channel="email",
            started_at=now,
            ended_at=now + dt.timedelta(minutes=3),
            person=str(second.uuid),
            topic="general-information",
            summary="Demande une attestation de composition de ménage.",
        ),
        request=RequestInput(
            kind="question",
            subject="Attestation de composition de ménage",
            topic="general-information",
            channel="email",
            description="Demande une attestation de composition de ménage.",
            person=str(second.uuid),
            language="fr",
        ),
    )
    return 2
