"""One row of every kind that points at a person, written directly (the merge
tests count rows per key; the services that write them are tested in their apps)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import models
from django.utils import timezone

from guichet.agenda.models import Appointment, Offer
from guichet.agents.models import Agent, Team
from guichet.casetypes.models import CaseType, CaseTypeVersion
from guichet.contacts.models import Contact, Topic
from guichet.correspondence.models import IncomingMail, Letter
from guichet.debts.models import Debt
from guichet.documents.models import Document
from guichet.dossiers.models import Dossier, DossierParty
from guichet.inbox.models import InboundMessage
from guichet.parties.models import (
    EmailAddress,
    Organisation,
    PartyLink,
    Person,
    PhoneNumber,
    PostalAddress,
)
from guichet.payments.models import Beneficiary

_N = itertools.count(1)


def _named(code: str) -> dict[str, str]:
    return {f"name_{lang}": code for lang in ("fr", "nl", "de", "en")}


def _dossier(person: Person, agent: Agent, team: Team) -> Dossier:
    n = next(_N)
    case_type = CaseType.objects.create(code=f"merge-{n}", team=team, **_named("x"))
    version = CaseTypeVersion.objects.create(
        case_type=case_type,
        number=1,
        valid_from=dt.date(2020, 1, 1),
        definition={},
        source="",
        source_filename="x.yaml",
        source_sha256="0" * 64,
    )
    return Dossier.objects.create(
        case_type=case_type,
        case_type_version=version,
        team=team,
        created_by=agent,
        status="received",
        received_on=dt.date(2025, 1, 2),
        person=person,
    )


def one_of_each(person: Person, agent: Agent, team: Team) -> None:
    """Write one row of every key to `Person` (but the ledger's postings), and
    contact points, for `person`."""
    n = next(_N)
    now = timezone.now()
    PhoneNumber.objects.create(person=person, e164=f"+3247{n:07d}")
    EmailAddress.objects.create(
        person=person, address=f"p{n}@example.org", address_key=f"p{n}@example.org"
    )
    PostalAddress.objects.create(
        person=person,
        street="Rue Haute",
        house_number=str(n),
        postal_code="1000",
        municipality="Bruxelles",
    )
    PartyLink.objects.create(
        person=person,
        organisation=Organisation.objects.create(
            name=f"Org {n}", search_name=f"org {n}"
        ),
        kind="employer",
    )
    Contact.objects.create(
        channel="phone",
        started_at=now,
        agent=agent,
        team=team,
        person=person,
        caller_person=person,
    )
    from guichet.servicerequests.models import Request

    topic = Topic.objects.create(code=f"merge-{n}", **_named("t"))
    Request.objects.create(
        kind="information",
        subject="s",
        topic=topic,
        channel="phone",
        reply_channel="email",
        language="fr",
        team=team,
        created_by=agent,
        received_at=now,
        person=person,
        requester_person=person,
    )
    dossier = _dossier(person, agent, team)
    DossierParty.objects.create(dossier=dossier, role="beneficiary", person=person)
    Document.objects.create(
        person=person,
        document_type="passport",
        content_sha256=f"{n:064d}",
        content_type="application/pdf",
        size=10,
        uploaded_by=agent,
    )
    Debt.objects.create(
        person=person, team=team, kind="seizure", notified_on=dt.date(2024, 3, 1)
    )
    Letter.objects.create(team=team, author=agent, person=person, language="fr")
    IncomingMail.objects.create(
        team=team,
        number=f"IN-{n}",
        year=2025,
        sequence=n,
        received_on=dt.date(2025, 1, 3),
        sender_name="x",
        subject="x",
        scan_sha256="0" * 64,
        scan_name="x.pdf",
        scan_content_type="application/pdf",
        scan_size=1,
        registered_by=agent,
        sender_person=person,
    )
    offer = Offer.objects.create(
        team=team, code=f"merge-{n}", slot_minutes=15, **_named("o")
    )
    Appointment.objects.create(
        offer=offer,
        person=person,
        year=2025,
        number=n,
        start=now,
        end=now + dt.timedelta(minutes=15),
        booked_by=agent,
    )
    Beneficiary.objects.create(person=person, team=Team.objects.create(code=f"po-{n}"))
    InboundMessage.objects.create(
        message_id=f"<{n}@example.org>",
        raw=b"x",
        raw_size=1,
        source="imap",
        team=team,
        sender_person=person,
    )


def person_keys() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) that is a key to `Person`, hidden ones included."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.auto_created and not relation.concrete
    ]


def rows_per_key(*persons: Person) -> dict[str, int]:
    """How many rows point at any of `persons`, per key."""
    return {
        f"{model._meta.label_lower}.{name}": model._default_manager.filter(
            **{f"{name}__in": persons}
        ).count()
        for model, name in person_keys()
    }
