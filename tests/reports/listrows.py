"""Rows of every source app for the lists' tests, built directly (no services:
the lists only read), as few as each test needs."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from guichet.agenda.models import Appointment, Offer
from guichet.casetypes.models import CaseType, CaseTypeVersion
from guichet.contacts.models import Topic
from guichet.correspondence.models import IncomingMail, Letter
from guichet.dossiers.models import Dossier
from guichet.payments.models import (
    Beneficiary,
    Entitlement,
    Payment,
    PaymentRun,
)
from guichet.servicerequests.models import Request
from tests.debts.factories import DebtFactory

_numbers = itertools.count(1)
NOON = dt.time(12, 0, tzinfo=dt.UTC)


def complaint(
    *, team: Any, agent: Any, person: Any, on: dt.date, **fields: Any
) -> Request:
    return Request.objects.create(
        kind="complaint",
        subject=fields.pop("subject", "Too slow"),
        topic=Topic.objects.get(team__isnull=True, code="general-information"),
        channel="phone",
        reply_channel="phone",
        language="fr",
        team=team,
        created_by=agent,
        received_at=dt.datetime.combine(on, NOON),
        person=person,
        **fields,
    )


def dossier(*, team: Any, agent: Any, person: Any, **fields: Any) -> Dossier:
    number = next(_numbers)
    case_type = CaseType.objects.filter(team=team).first() or CaseType.objects.create(
        code=f"case-{number}",
        name_fr="Cas",
        name_nl="Zaak",
        name_de="Fall",
        name_en="Case",
        team=team,
    )
    version = CaseTypeVersion.objects.get_or_create(
        case_type=case_type,
        number=1,
        defaults={
            "valid_from": dt.date(2026, 1, 1),
            "definition": {},
            "source": "",
            "source_filename": "x.yaml",
            "source_sha256": "0" * 64,
        },
    )[0]
    return Dossier.objects.create(
        case_type=case_type,
        case_type_version=version,
        team=team,
        created_by=agent,
        person=person,
        status=fields.pop("status", "received"),
        received_on=fields.pop("received_on", dt.date(2026, 3, 2)),
        **fields,
    )


def incoming(*, team: Any, agent: Any, person: Any, on: dt.date) -> IncomingMail:
    number = next(_numbers)
    return IncomingMail.objects.create(
        team=team,
        number=f"IN/2026/{number:06d}",
        year=2026,
        sequence=number,
        received_on=on,
        sender_name="Sender",
        sender_person=person,
        status="registered",
        subject="A letter",
        scan_sha256="0" * 64,
        scan_name="scan.pdf",
        scan_content_type="application/pdf",
        scan_size=1,
        registered_by=agent,
    )


def letter(*, team: Any, agent: Any, person: Any, on: dt.date) -> Letter:
    number = next(_numbers)
    return Letter.objects.create(
        team=team,
        author=agent,
        person=person,
        language="fr",
        body_text="x",
        subject_text="x",
        status="issued",
        number=f"OUT/2026/{number:06d}",
        year=2026,
        sequence=number,
        issued_at=dt.datetime.combine(on, NOON),
    )


def appointment(*, team: Any, agent: Any, person: Any, on: dt.date) -> Appointment:
    offer = Offer.objects.filter(team=team).first() or Offer.objects.create(
        team=team,
        code=f"offer-{next(_numbers)}",
        purpose="other",
        name_fr="Rendez-vous",
        name_nl="Afspraak",
        name_de="Termin",
        name_en="Appointment",
        slot_minutes=30,
    )
    start = dt.datetime.combine(on, NOON)
    return Appointment.objects.create(
        offer=offer,
        person=person,
        year=on.year,
        number=next(_numbers),
        start=start,
        end=start + dt.timedelta(minutes=30),
        booked_by=agent,
    )


def pensioner(
    *, team: Any, agent: Any, person: Any, month: str, paid: str | None
) -> Beneficiary:
    """A beneficiary on pre-pension in `month`, paid `paid` (booked) if given."""
    beneficiary = Beneficiary.objects.create(team=team, person=person)
    entitlement = Entitlement.objects.create(
        beneficiary=beneficiary,
        category="bridge_pension",
        daily_amount=Decimal("50.00"),
        starts_on=dt.date(2026, 1, 1),
        decided_on=dt.date(2026, 1, 1),
    )
    if paid is not None:
        run = PaymentRun.objects.get_or_create(
            team=team,
            month=month,
            defaults={"paid_on": dt.date(2026, 3, 2), "prepared_by": agent},
        )[0]
        debt = DebtFactory(team=team, person=person)
        for kind, amount in (("beneficiary", paid), ("creditor", "5.00")):
            Payment.objects.create(
                run=run,
                beneficiary=beneficiary,
                month=month,
                entitlement=entitlement,
                payee="beneficiary" if kind == "beneficiary" else f"debt:{debt.pk}",
                debt=None if kind == "beneficiary" else debt,
                kind=kind,
                amount=Decimal(amount),
                creditor_name="Holder",
                iban="BE68539007547034",
                end_to_end_id=f"T-{next(_numbers)}",
                state="booked",
            )
    return beneficiary
