"""The permission matrix over API writes (issue #12): every role at every level the
grant tables distinguish, against every write operation of the API (POST, PUT,
PATCH, DELETE), compared with what `access.policy` answers, on a person everyone
may see, a person confidential to another team (with the home team's own objects
about them), and another team's objects about the person everyone sees (another
payment office's debt, another service's letters, mail, requests, minutes,
dossiers and counters, with the counters' payments and days).

django-ninja validates a body before the handler asks the policy, so each write is
sent with a valid body, built for the object it acts on (`WRITES`): a write that is
refused is refused by the policy, not by the parser. Each call runs in a savepoint
rolled back afterwards, so every call meets the same objects (a draft still a
draft, a request still unowned) without building them again; a refused call must
have written nothing but the token's last use and the access log (the SQL it sent is
captured and its writes listed, and the changes chain counted), and an allowed one
that wrote must have recorded it in the changes chain.

The operations come from the OpenAPI description: a new write operation fails the
first test until it says here which action guards it and how to call it validly.

Time (2026-12-05, on this machine shared by five engineers, load 3 to 9): over
2,800 calls. SQLite: about 50 s of one core for the module (12 s of them starting
pytest and migrating the test database, about 2 s building the world once), 66 s
of wall time at load 3 to 4 (100 s at load 4 earlier). PostgreSQL: about 94 s of one core for this module and
tests/access/test_matrix.py run together, six and a half minutes of wall time at
load 8 to 9 (earlier, at load 3 to 5, 80 to 180 s for this module alone). The world is built once
per module and put back in each test by `tests.snapshot` (milliseconds); nearly all
the rest is the calls themselves.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

import pikepdf
import pytest
import yaml

from guichet.access import policy
from guichet.access.domains.dossiers import DOSSIER_ROLES
from guichet.agenda.absences import services as absence_services
from guichet.agenda.appointments import services as appointment_services
from guichet.agenda.meetings import services as agenda_services
from guichet.agenda.minutes.services import ActionInput, minutes_create
from guichet.agenda.models import FeedToken, Resource
from guichet.agents.models import Agent, Team
from guichet.audit.models import AuditEvent
from guichet.calendars.business_time import belgian_public_holidays
from guichet.casetypes.services import SHIPPED, casetype_import
from guichet.cashbook import services as cashbook_services
from guichet.contacts import services as contact_services
from guichet.contacts.models import Topic
from guichet.core import clock
from guichet.correspondence import pdf
from guichet.correspondence import selectors as letter_selectors
from guichet.correspondence.services import (
    incoming_mail_register,
    letter_approve,
    letter_draft_create,
    letter_submit,
    request_reply,
    templates_load,
)
from guichet.demo.identifiers import national_number
from guichet.documents import storage
from guichet.dossiers import services as dossier_services
from guichet.dossiers.models import DossierFee
from guichet.knowledge import services as knowledge_services
from guichet.parties.models import EmailAddress, Person
from guichet.payments import runs as payment_runs
from guichet.payments import services as payment_services
from guichet.payments.models import (
    Payment,
    PaymentRun,
    PaymentState,
    RunState,
    SepaFile,
)
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import RoutingRule, ServiceLevelRule
from tests import snapshot
from tests.access.test_matrix import ROLES, home_agents
from tests.checks import zones
from tests.conftest import ApiClient
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.debts.factories import DebtFactory, load_shipped_tables
from tests.documents.factories import (
    PDF,
    PNG,
    DocumentFactory,
    SigningOfficialFactory,
    SpecimenFactory,
)
from tests.factories import AgentFactory, OrganisationFactory, TeamFactory
from tests.servicerequests.conftest import shipped_reference_data

pytestmark = [pytest.mark.django_db, pytest.mark.any_database, pytest.mark.untraced]

Objects = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """A valid request: a JSON body, or a multipart form; and the object whose
    version goes in `If-Match`."""

    json: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    if_match: str | None = None


@dataclass(frozen=True)
class Write:
    """An API write: the action that guards it, the object it acts on (the key of
    the object in a case's `Objects`; None: no object), and a valid call.

    `in_body`: the object is named in the body, not the path; a refusal may then
    be exactly what the same call naming a missing object gets (a 422 on that
    field).
    `named`: another object named in the body, which the agent must see as well
    (the person a request or contact from an anonymous caller turns out to be
    about); one they may not see must be refused exactly as a missing one.
    """

    action: str
    subject: str | None
    call: Callable[[Objects], Call]
    ok: frozenset[int] = frozenset({200})
    in_body: bool = False
    named: str | None = None


_NUMBERS = itertools.count(1)


def _new_person(objects: Objects) -> Call:
    """A person nobody registered: a valid national number of their own (a new
    one at each call, though each call is rolled back)."""
    born = dt.date(1991, 2, 3)
    counter = next(_NUMBERS) % 499 * 2 + 1
    return Call(
        json={
            "given_names": "Matrix",
            "surname": f"Newcomer{counter}",
            "birth_date": born.isoformat(),
            "sex": "M",
            "national_number": national_number(born, counter),
        }
    )


def _scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


def _request_body(objects: Objects) -> dict[str, Any]:
    return {
        "kind": "question",
        "subject": "Matrix question",
        "topic": "legalisation",
        "channel": "phone",
        "person": str(objects["person"].uuid),
    }


def _another(objects: Objects) -> str:
    """The team that does not keep the objects: where to send them on."""
    return "home" if objects["office"] == "other" else "other"


def _json(body: dict[str, Any], if_match: str | None = None) -> Callable[..., Call]:
    return lambda objects: Call(json=body, if_match=if_match)


def _absence(writer: Agent) -> Any:
    """An absence of `writer`, on days of its own (one per case)."""
    day = dt.date(2030, 2, 1) + dt.timedelta(days=7 * next(_NUMBERS))
    return absence_services.absence_create(
        actor=writer, agent=writer, kind="sick", starts_on=day, ends_on=day
    )


def _identify(action: str, subject: str) -> Write:
    """Name the case's person as the one `subject` (from an anonymous caller) is
    about: a person the agent must see."""
    return Write(
        action,
        subject,
        lambda objects: Call(
            json={"person": str(objects["person"].uuid)}, if_match=subject
        ),
        named="person",
    )


def _appointment_start(days: int) -> dt.datetime:
    """10:00 in Brussels on the first day `days` from today that is no holiday."""
    day = clock.today() + dt.timedelta(days=days)
    while day in belgian_public_holidays(day.year):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Europe/Brussels"))


AGENDA_OFFER = {
    "team": "home",
    "code": "matrix-offer",
    "names": {"fr": "Offre", "nl": "Aanbod", "de": "Angebot", "en": "Offer"},
    "purpose": "biometrics",
    "slot_minutes": 60,
    "places": 5,
    "hours": ["00:00-24:00"] * 7,
}


def _offer_input(code: str) -> Any:
    return appointment_services.OfferInput(
        code=code,
        names=AGENDA_OFFER["names"],
        purpose="biometrics",
        slot_minutes=60,
        places=5,
        hours=["00:00-24:00"] * 7,
    )


# What the till of a counter's open day holds: the payment made there (`_tills`).
PAID = "20.00"
TILL = {"card": "0.00", "cash": PAID, "transfer": "0.00"}

# Every write operation of the API, with the action the policy grants it by.
MEETING = {
    "title": "Planning",
    "start": "2027-03-10T10:00:00+01:00",
    "end": "2027-03-10T11:00:00+01:00",
}

WRITES: dict[tuple[str, str], Write] = {
    ("post", "/persons"): Write("person.create", None, _new_person, frozenset({201})),
    ("patch", "/persons/{person_id}"): Write(
        "person.edit_identity", "person", _json({"surname": "Renamed"}, "person")
    ),
    ("post", "/persons/{person_id}/phones"): Write(
        "person.edit_contact",
        "person",
        _json({"number": "0470 12 34 56", "kind": "mobile"}, "person"),
        frozenset({201}),
    ),
    ("post", "/persons/{person_id}/emails"): Write(
        "person.edit_contact",
        "person",
        _json({"address": "matrix@example.be"}, "person"),
        frozenset({201}),
    ),
    ("post", "/persons/{person_id}/addresses"): Write(
        "person.edit_contact",
        "person",
        _json(
            {
                "street": "Rue Neuve",
                "house_number": "1",
                "postal_code": "1000",
                "municipality": "Bruxelles",
            },
            "person",
        ),
        frozenset({201}),
    ),
    ("put", "/persons/{person_id}/addresses/{address_id}"): Write(
        "person.edit_contact",
        "person",
        _json(
            {
                "street": "Rue Neuve",
                "house_number": "2",
                "postal_code": "1000",
                "municipality": "Bruxelles",
            },
            "person",
        ),
    ),
    ("delete", "/persons/{person_id}/contact-points/{contact_point_id}"): Write(
        "person.edit_contact", "person", _json({}, "person")
    ),
    ("post", "/persons/{person_id}/links"): Write(
        "person.edit_contact",
        "person",
        lambda objects: Call(
            json={
                "organisation_id": str(objects["organisation"].uuid),
                "kind": "employer",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/organisations"): Write(
        "organisation.create", None, _json({"name": "Matrix Works"}), frozenset({201})
    ),
    ("patch", "/organisations/{organisation_id}"): Write(
        "organisation.edit",
        "organisation",
        _json({"name": "Matrix Renamed"}, "organisation"),
    ),
    ("post", "/letters"): Write(
        "letter.draft",
        "person",
        lambda objects: Call(
            json={
                "person_id": str(objects["person"].uuid),
                "letter_type": "acknowledgement",
                "team": "home",
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("patch", "/letters/{letter_id}"): Write(
        "letter.draft",
        "draft",
        _json({"is_flagged": True, "flag_reason": "Out of the ordinary."}, "draft"),
    ),
    ("post", "/letters/{letter_id}/docx"): Write(
        "letter.draft",
        "draft",
        lambda objects: Call(
            form={"file": SimpleUploadedFile("letter.docx", objects["docx"])},
            if_match="draft",
        ),
    ),
    ("post", "/letters/{letter_id}/submit"): Write(
        "letter.draft", "draft", _json({}, "draft")
    ),
    ("post", "/letters/{letter_id}/approve"): Write(
        "letter.approve", "pending", _json({"note": ""}, "pending")
    ),
    ("post", "/letters/{letter_id}/reject"): Write(
        "letter.approve", "pending", _json({"reason": "Say more."}, "pending")
    ),
    ("post", "/letters/{letter_id}/cancel"): Write(
        "letter.draft", "draft", _json({"reason": ""}, "draft")
    ),
    ("post", "/letters/{letter_id}/email"): Write(
        "letter.dispatch", "issued", _json({}), frozenset({202})
    ),
    ("post", "/letters/{letter_id}/hand-over"): Write(
        "letter.dispatch", "issued", _json({}), frozenset({201})
    ),
    ("post", "/print-batches"): Write(
        "letter.dispatch",
        "issued",
        lambda objects: Call(
            json={"team": "home", "letter_ids": [str(objects["issued"].uuid)]}
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/incoming-mail"): Write(
        "mail.register",
        "person",
        lambda objects: Call(
            form={
                "received_on": "2026-11-02",
                "subject": "Matrix mail",
                "team": "home",
                "sender_person_id": str(objects["person"].uuid),
                "scan": _scan(),
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/incoming-mail/{mail_id}/dispatch"): Write(
        "mail.dispatch",
        "mail",
        lambda objects: Call(json={"team": _another(objects)}, if_match="mail"),
    ),
    ("post", "/minutes"): Write(
        "minutes.create",
        None,
        _json(
            {
                "title": "Matrix meeting",
                "meeting_date": "2026-11-02",
                "language": "fr",
                "attendees": ["Ann"],
                "agenda": ["Queues"],
                "team": "home",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/action-items/{item_id}/complete"): Write(
        "action_item.complete", "item", _json({}, "item")
    ),
    # Absences and the agenda feed (issue #17): one's own, or as a supervisor
    # of one's teams; a feed is its agent's alone.
    ("post", "/absences"): Write(
        "absence.manage",
        None,
        _json({"kind": "leave", "starts_on": "2030-01-07", "ends_on": "2030-01-07"}),
        frozenset({201}),
    ),
    ("post", "/absences/{absence_id}/cancel"): Write(
        "absence.manage", "absence", _json({})
    ),
    ("post", "/agenda/feeds"): Write(
        "agenda_feed.manage", None, _json({}), frozenset({201})
    ),
    ("post", "/agenda/feeds/{feed_id}/revoke"): Write(
        "agenda_feed.manage", "feed", _json({})
    ),
    ("post", "/garnishment/compute"): Write(
        "garnishment.compute", None, _json({"on": "2024-06-01", "earned": "2000.00"})
    ),
    ("post", "/garnishment/allocate"): Write(
        "garnishment.compute",
        None,
        _json(
            {
                "on": "2024-06-01",
                "earned": "2000.00",
                "children": 0,
                "claims": [
                    {
                        "id": 1,
                        "kind": "seizure",
                        "notified_on": "2024-01-02",
                        "balance": "500.00",
                    }
                ],
            }
        ),
    ),
    ("post", "/persons/{person_id}/debts"): Write(
        "debt.register",
        "person",
        _json(
            {
                "kind": "seizure",
                "notified_on": "2024-03-01",
                "principal": "800.00",
                "creditor_name": "Bailiff Matrix",
                "team": "home",
            }
        ),
        frozenset({201}),
    ),
    ("patch", "/debts/{debt_id}"): Write(
        "debt.edit", "debt", _json({"comment": "Checked."}, "debt")
    ),
    ("post", "/debts/{debt_id}/entries"): Write(
        "debt.entry_add",
        "debt",
        _json({"kind": "costs", "amount": "10.00", "booked_on": "2024-04-01"}, "debt"),
        frozenset({201}),
    ),
    ("post", "/debts/{debt_id}/comments"): Write(
        "debt.comment", "debt", _json({"text": "Checked."}), frozenset({201})
    ),
    ("post", "/debts/{debt_id}/plans"): Write(
        "debt.plan_set",
        "debt",
        _json({"amount": "50.00", "starts_on": "2024-05-01"}, "debt"),
        frozenset({201}),
    ),
    ("post", "/persons/{person_id}/debts/postings"): Write(
        "debt.allocation_post",
        "person",
        _json(
            {
                "paid_on": "2024-06-01",
                "period": "2024-06",
                "earned": "2000.00",
                "children": 0,
                "team": "home",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/checks/{kind}"): Write(
        "check.run", None, _json({"value": "85.07.30-033.28"})
    ),
    ("post", "/persons/{person_id}/documents"): Write(
        "document.upload",
        "person",
        lambda objects: Call(form={"document_type": "passport", "file": _scan()}),
        frozenset({201}),
    ),
    ("post", "/documents/{document_id}/verifications"): Write(
        "document.verify",
        "document",
        _json({"kind": "mrz", "value": zones.td3(), "on": "2026-01-10"}),
        frozenset({201}),
    ),
    # The register of specimens: reference data, no person behind it.
    ("post", "/signing-officials"): Write(
        "specimen.manage",
        None,
        lambda objects: Call(
            json={
                "authority_id": str(objects["organisation"].uuid),
                "country": "CD",
                "name": "Matrix Official",
                "function": "Chef de division",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/specimens"): Write(
        "specimen.manage",
        "official",
        lambda objects: Call(
            form={
                "official_id": str(objects["official"].uuid),
                "kind": "seal",
                "valid_from": "2025-01-01",
                "valid_until": "2027-12-31",
                "file": SimpleUploadedFile("seal.png", PNG, content_type="image/png"),
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/specimens/{specimen_id}/withdrawal"): Write(
        "specimen.manage",
        "specimen",
        _json({"reason": "Registered in error."}, "specimen"),
    ),
    # On a document the agent must see, with a specimen in force on its issue date.
    ("post", "/documents/{document_id}/specimen-comparisons"): Write(
        "specimen.compare",
        "signed",
        lambda objects: Call(
            json={"specimen_id": str(objects["specimen"].uuid), "outcome": "matches"}
        ),
        frozenset({201}),
    ),
    ("post", "/contacts"): Write(
        "contact.register",
        "person",
        lambda objects: Call(
            json={
                "channel": "phone",
                "person": str(objects["person"].uuid),
                "summary": "Asked about the matrix.",
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("patch", "/contacts/{contact_id}"): Write(
        "contact.edit", "contact", _json({"summary": "Corrected."}, "contact")
    ),
    ("post", "/contacts/{contact_id}/end"): Write("contact.edit", "contact", _json({})),
    ("post", "/requests"): Write(
        "request.create",
        "person",
        lambda objects: Call(json=_request_body(objects)),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/requests/with-contact"): Write(
        "request.create",
        "person",
        lambda objects: Call(
            json={
                "contact": {"channel": "phone", "person": str(objects["person"].uuid)},
                "request": _request_body(objects),
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/contacts/{contact_id}/identify"): _identify(
        "contact.edit", "anonymous_contact"
    ),
    ("post", "/requests/from-contact/{contact_id}"): Write(
        "request.create",
        "contact",
        _json({"kind": "question", "subject": "Matrix call", "topic": "legalisation"}),
        frozenset({201}),
    ),
    ("post", "/requests/{key}/identify"): _identify(
        "request.work", "anonymous_request"
    ),
    ("post", "/requests/{key}/contacts"): Write(
        "request.work",
        "request",
        _json({"contact": {"channel": "phone", "summary": "Called about it."}}),
        frozenset({201}),
    ),
    ("post", "/requests/{key}/replies"): Write(
        "request.work", "request", _json({"answer": "Yes, it can."}), frozenset({201})
    ),
    ("post", "/requests/{key}/replies/{letter_id}/dispatch"): Write(
        "request.work", "replied", _json({})
    ),
    ("post", "/requests/take-next"): Write("request.work", None, _json({})),
    ("post", "/requests/{key}/take"): Write("request.work", "request", _json({})),
    ("post", "/requests/{key}/transitions"): Write(
        "request.work", "request", _json({"status": "in_progress"}, "request")
    ),
    ("post", "/requests/{key}/notes"): Write(
        "request.work", "request", _json({"text": "Called back."}), frozenset({201})
    ),
    ("post", "/requests/{key}/handover"): Write(
        "request.handover",
        "request",
        lambda objects: Call(
            json={"team": _another(objects), "reason": "Theirs."}, if_match="request"
        ),
    ),
    ("post", "/requests/{key}/assign"): Write(
        "request.assign",
        "request",
        lambda objects: Call(json={"owner": objects["writer"]}, if_match="request"),
    ),
    ("post", "/requests/{key}/link"): Write(
        "request.work",
        "request",
        lambda objects: Call(json={"parent": objects["request2"].reference}),
    ),
    ("post", "/requests/{key}/merge"): Write(
        "request.work",
        "request",
        lambda objects: Call(
            json={"into": objects["request2"].reference, "reason": "The same."}
        ),
    ),
    ("post", "/dossiers"): Write(
        "dossier.open",
        "person",
        lambda objects: Call(
            json={
                "case_type": f"matrix-{objects['office']}",
                "person": str(objects["person"].uuid),
            }
        ),
        frozenset({201}),
        in_body=True,
    ),
    ("post", "/dossiers/{key}/transitions"): Write(
        "dossier.work",
        "dossier",
        _json(
            {"transition": "withdraw", "text": "Withdrawn.", "result": "withdrawn"},
            "dossier",
        ),
    ),
    ("post", "/dossiers/{key}/facts"): Write(
        "dossier.work", "dossier", _json({"facts": {"x": 1}}, "dossier")
    ),
    ("post", "/dossiers/{key}/tasks"): Write(
        "dossier.work", "dossier", _json({"title": "Call back"}), frozenset({201})
    ),
    ("post", "/dossiers/{key}/tasks/{task_id}"): Write(
        "dossier.work", "dossier", _json({"done": True})
    ),
    ("post", "/dossiers/{key}/notes"): Write(
        "dossier.work", "dossier", _json({"text": "Called."}), frozenset({201})
    ),
    ("post", "/dossiers/{key}/document-requests"): Write(
        "dossier.work",
        "dossier",
        lambda objects: Call(
            json={
                "description": "Proof of address",
                "due_on": (clock.today() + dt.timedelta(days=30)).isoformat(),
            }
        ),
        frozenset({201}),
    ),
    ("post", "/dossiers/{key}/document-requests/{request_id}/answer"): Write(
        "dossier.work", "dossier", _json({})
    ),
    ("post", "/dossiers/{key}/suspend"): Write(
        "dossier.work", "dossier", _json({"reason": "Waiting."}, "dossier")
    ),
    ("post", "/dossiers/{key}/resume"): Write(
        "dossier.work", "suspended", _json({}, "suspended")
    ),
    ("post", "/dossiers/{key}/extend"): Write(
        "dossier.work", "dossier", _json({"reason": "Late."}, "dossier")
    ),
    ("post", "/dossiers/{key}/decision"): Write(
        "dossier.work",
        "awaiting",
        _json(
            {"decision_type": "quick", "result": "granted", "motivation": "Fine."},
            "awaiting",
        ),
    ),
    ("post", "/dossiers/{key}/decision/approve"): Write(
        "dossier.approve", "proposed", _json({}, "proposed")
    ),
    ("post", "/dossiers/{key}/decision/refuse"): Write(
        "dossier.approve", "proposed", _json({"text": "No."}, "proposed")
    ),
    ("post", "/dossiers/{key}/external-decision"): Write(
        "dossier.work",
        "transmitted",
        lambda objects: Call(
            json={
                "decision_type": "quick",
                "result": "granted",
                "decided_on": clock.today().isoformat(),
                "body": "The deciding body",
            },
            if_match="transmitted",
        ),
    ),
    ("post", "/dossiers/{key}/close"): Write(
        "dossier.work",
        "dossier",
        _json({"result": "withdrawn", "text": "Withdrawn."}, "dossier"),
    ),
    ("post", "/counters/{counter_id}/payments"): Write(
        "cashbook.payment_record",
        "counter",
        lambda objects: Call(
            json={"fee": str(objects["fee"].uuid), "amount": "5.00", "means": "card"}
        ),
        frozenset({201}),
        named="fee",
    ),
    ("post", "/payments/{payment_id}/refunds"): Write(
        "cashbook.refund_record",
        "payment",
        _json({"amount": "1.00", "reason": "Paid twice."}),
        frozenset({201}),
    ),
    # Benefit payments (issue #18). A run is prepared for a month of its own (no one
    # is due then); a person already a beneficiary of the office, or with a change
    # of account waiting, is refused on that (422) once the policy let the call in.
    ("post", "/payment-runs"): Write(
        "payment.run_prepare",
        None,
        _json({"month": "2032-01", "team": "home"}),
        frozenset({201}),
    ),
    ("post", "/payment-runs/{run_id}/review"): Write(
        "payment.run_review", "run", _json({}, "run")
    ),
    ("post", "/payment-runs/{run_id}/approve"): Write(
        "payment.run_approve", "reviewed", _json({}, "reviewed")
    ),
    ("post", "/payment-runs/{run_id}/execute"): Write(
        "payment.run_execute", "approved", _json({})
    ),
    # Bank rejects: a transfer executed in a file is rejected (201); a transfer not
    # rejected is not paid again (409) once the policy let the call in.
    ("post", "/payments/{payment_id}/reject"): Write(
        "payment.run_execute",
        "transfer",
        _json({"reason": "AC04", "received_on": "2026-02-06"}),
        frozenset({201}),
    ),
    ("post", "/payments/{payment_id}/retry"): Write(
        "payment.run_execute", "transfer", _json({}), frozenset({409})
    ),
    ("post", "/beneficiaries"): Write(
        "payment.beneficiary_manage",
        "person",
        lambda objects: Call(json={"person": str(objects["person"].uuid)}),
        frozenset({422}),
        in_body=True,
    ),
    ("post", "/beneficiaries/{beneficiary_id}/account-changes"): Write(
        "payment.account_change",
        "beneficiary",
        _json(
            {
                "iban": "BE71096123456769",
                "holder": "Matrix Holder",
                "effective_on": "2026-02-01",
            }
        ),
        frozenset({422}),
    ),
    ("post", "/account-changes/{change_id}/confirm"): Write(
        "payment.account_confirm", "beneficiary", _json({})
    ),
    ("post", "/account-changes/{change_id}/refuse"): Write(
        "payment.account_confirm", "beneficiary", _json({"reason": "Not the holder."})
    ),
    ("post", "/beneficiaries/{beneficiary_id}/entitlements"): Write(
        "payment.beneficiary_manage",
        "beneficiary",
        _json(
            {
                "category": "insertion",
                "daily_amount": "30.00",
                "starts_on": "2026-01-01",
                "decided_on": "2026-01-01",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/entitlements/{entitlement_id}/end"): Write(
        "payment.beneficiary_manage",
        "beneficiary",
        _json({"ends_on": "2026-12-31"}, "entitlement"),
    ),
    ("post", "/beneficiaries/{beneficiary_id}/declarations"): Write(
        "payment.beneficiary_manage",
        "beneficiary",
        _json(
            {
                "month": "2026-05",
                "days_payable": 20,
                "received_on": "2026-06-01",
                "signed": True,
                "dated_on": "2026-05-31",
            }
        ),
        frozenset({201}),
    ),
    ("put", "/debts/{debt_id}/creditor-account"): Write(
        "payment.beneficiary_manage",
        "debt",
        _json({"name": "Huissier Dupont", "iban": "BE43068999999501"}),
    ),
    ("post", "/cash-days/{day_id}/close"): Write(
        "cashbook.day_close", "cashday", _json({"counted": TILL}, "cashday")
    ),
    ("post", "/knowledge/articles/{article_id}/proposals"): Write(
        "knowledge.propose",
        "article",
        _json(
            {
                "language": "en",
                "title": "Legalisation fee",
                "body": "Paid at the counter, by card or in cash.",
                "reason": "Citizens ask how to pay.",
            }
        ),
        frozenset({201}),
    ),
    ("post", "/knowledge/feedback"): Write(
        "knowledge.feedback_report",
        None,
        _json({"kind": "incident", "text": "The queue screen froze."}),
        frozenset({201}),
    ),
    ("post", "/cash-days/{day_id}/check"): Write(
        "cashbook.day_check", "closed", _json({"note": "Counted again."}, "closed")
    ),
    ("post", "/agenda/offers"): Write(
        "agenda.offer_manage", None, _json(AGENDA_OFFER), frozenset({201})
    ),
    ("patch", "/agenda/offers/{offer_id}"): Write(
        "agenda.offer_manage", "offer", _json(AGENDA_OFFER, "offer")
    ),
    ("post", "/agenda/offers/{offer_id}/deactivate"): Write(
        "agenda.offer_manage", "offer", _json({}, "offer")
    ),
    ("post", "/agenda/appointments"): Write(
        "agenda.appointment_book",
        "offer",
        lambda objects: Call(
            json={
                "offer": str(objects["offer"].uuid),
                "person": str(objects["person"].uuid),
                "start": _appointment_start(9).isoformat(),
            }
        ),
        frozenset({201}),
        in_body=True,
        named="person",
    ),
    ("post", "/agenda/appointments/{key}/move"): Write(
        "agenda.appointment_book",
        "appointment",
        lambda objects: Call(
            json={"start": _appointment_start(10).isoformat()},
            if_match="appointment",
        ),
    ),
    ("post", "/agenda/appointments/{key}/cancel"): Write(
        "agenda.appointment_book", "appointment", _json({}, "appointment")
    ),
    ("post", "/agenda/appointments/{key}/no-show"): Write(
        "agenda.appointment_book",
        "appointment",
        _json({}, "appointment"),
        frozenset({409}),  # allowed, but the appointment has not started
    ),
    ("post", "/agenda/appointments/{key}/served"): Write(
        "agenda.appointment_book", "appointment", _json({}, "appointment")
    ),
    # The agenda's meetings, rooms and equipment, events (their objects are in
    # the public case only: no person is behind them).
    ("post", "/agenda/meetings"): Write(
        "agenda.meeting_organise", None, _json(MEETING), frozenset({201})
    ),
    ("put", "/agenda/meetings/{meeting_id}"): Write(
        "agenda.meeting_edit", "meeting", _json(MEETING, "meeting")
    ),
    ("post", "/agenda/meetings/{meeting_id}/cancel"): Write(
        "agenda.meeting_edit", "meeting", _json({}, "meeting")
    ),
    ("post", "/agenda/meetings/{meeting_id}/answer"): Write(
        "agenda.meeting_answer", "meeting", _json({"answer": "accepted"})
    ),
    ("post", "/agenda/meetings/{meeting_id}/bookings"): Write(
        "agenda.meeting_edit",
        "meeting",
        lambda objects: Call(json={"resource": str(objects["resource2"].uuid)}),
        frozenset({201}),
        named="resource2",
    ),
    ("post", "/agenda/meetings/{meeting_id}/release"): Write(
        "agenda.meeting_edit",
        "meeting",
        lambda objects: Call(json={"resource": str(objects["resource"].uuid)}),
        named="resource",
    ),
    ("post", "/agenda/resources"): Write(
        "agenda.resource_manage",
        None,
        _json({"code": "new-room", "name": "New room", "kind": "room"}),
        frozenset({201}),
    ),
    ("put", "/agenda/resources/{resource_id}"): Write(
        "agenda.resource_manage",
        "resource",
        _json({"name": "Room", "kind": "room", "capacity": 6}, "resource"),
    ),
    ("post", "/agenda/events"): Write(
        "agenda.event_organise",
        None,
        _json({**MEETING, "kind": "training", "capacity": 10}),
        frozenset({201}),
    ),
    ("post", "/agenda/events/{event_id}/bookings"): Write(
        "agenda.event_manage",
        "event",
        lambda objects: Call(json={"resource": str(objects["resource2"].uuid)}),
        frozenset({201}),
        named="resource2",
    ),
    ("post", "/agenda/events/{event_id}/release"): Write(
        "agenda.event_manage",
        "event",
        lambda objects: Call(json={"resource": str(objects["resource"].uuid)}),
        named="resource",
    ),
    ("post", "/agenda/events/{event_id}/cancel"): Write(
        "agenda.event_manage", "event", _json({}, "event")
    ),
    ("post", "/agenda/events/{event_id}/registrations"): Write(
        "agenda.event_register", "event", _json({}), frozenset({201})
    ),
    # Nobody of the matrix is registered: their own registration is not there.
    ("post", "/agenda/events/{event_id}/unregister"): Write(
        "agenda.event_register", "event", _json({}), frozenset({409})
    ),
}


@dataclass
class World:
    """The objects of the matrix, seen from the team `home`, per case."""

    cases: dict[str, Objects] = field(default_factory=dict)


def _blank_page() -> bytes:
    """A valid one-page PDF: print batches count the pages of what they print."""
    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _request_input(subject: str, person: Person | None = None) -> Any:
    return request_services.RequestInput(
        kind="question",
        subject=subject,
        topic="legalisation",
        channel="phone",
        person=str(person.uuid) if person else "",
    )


def _request(actor: Agent, person: Person, subject: str, team: Team) -> Any:
    """A request in `team`'s queue (routing sends every request to `home`)."""
    created = request_services.request_create(
        actor=actor, data=_request_input(subject, person), team=team
    )
    return _queued(actor, created, team)


def _anonymous(actor: Agent, team: Team) -> tuple[Any, Any]:
    """A contact from a caller nobody identified yet, registered by `team`, and the
    request it turned into, in `team`'s queue: both about nobody yet."""
    contact, created = request_services.anonymous_contact_with_request(
        actor=actor,
        contact=contact_services.ContactInput(
            channel="counter", anonymous_details="Tall woman, red coat"
        ),
        request=_request_input("Anonymous question"),
        team=team,
    )
    return contact, _queued(actor, created, team)


def _waiting_reply(
    author: Agent, approver: Agent, person: Person, team: Team
) -> tuple[Any, Any]:
    """A request of `team`'s queue and its reply, which waited for approval (its
    author's level does not cover it), approved since: waiting to go out."""
    replied = _request(author, person, "Replied", team)
    reply = request_reply(actor=author, request=replied, answer="Yes.")
    assert not reply.dispatched, "the reply must wait for its approval"
    approved = letter_approve(
        actor=approver,
        letter_id=reply.letter.uuid,
        expected_version=reply.letter.version,
    )
    return replied, approved


def _queued(actor: Agent, created: Any, team: Team) -> Any:
    if created.team_id == team.pk:
        return created
    return request_services.request_handover(
        actor=actor,
        request=created,
        expected_version=created.version,
        team=team,
        reason="Theirs.",
    )


@contextmanager
def _media_without_rendering(media: Path) -> Iterator[None]:
    """Files under `media`; and no WeasyPrint: who may write is the question here,
    not how a PDF looks."""
    blank = pdf.Rendered(data=_blank_page(), pages=1)
    with (
        override_settings(MEDIA_ROOT=media, PAYMENTS_OUT_DIR=media / "payments"),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(pdf, "render_pdfa", lambda *args, **kwargs: blank)
        patch.setattr(pdf, "render_form", lambda *args, **kwargs: blank)
        yield


@pytest.fixture(scope="module")
def world_state(
    django_db_setup: snapshot.Rows,
    rolled_back: Callable[[], AbstractContextManager[None]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, snapshot.State]:
    """The world, built once for the module (its rows rolled back, kept by
    `tests.snapshot`); its files stay under the returned media directory."""
    media = tmp_path_factory.mktemp("media")
    with _media_without_rendering(media), rolled_back():
        snapshot.fill(django_db_setup)
        return media, snapshot.take(_build_world)


@pytest.fixture
def world(db: Any, world_state: tuple[Path, snapshot.State]) -> Iterator[World]:
    """The world's rows in this test's database, in milliseconds."""
    media, state = world_state
    with _media_without_rendering(media):
        snapshot.fill(state.tables)
        yield state.result


def _matrix_case_type(team: str) -> None:
    """A case type of `team` whose every step is open to every role that works on
    dossiers, from level D, with no guard but those the services look for: here
    the policy alone decides (the case types' own rules are tested in
    tests/dossiers)."""
    source = yaml.safe_load(
        (SHIPPED / "consular-legalisation.yaml").read_text(encoding="utf-8")
    )
    source.update(code=f"matrix-{team}", team=team)
    for transition in source["transitions"]:
        transition["roles"] = sorted(str(role) for role in DOSSIER_ROLES)
        transition["min_level"] = "D"
        transition["guards"] = [
            guard
            for guard in transition.get("guards", [])
            if guard in ("decision_approved", "external_decision_recorded")
        ]
    source["decisions"][0]["approval"] = {"min_level": "D"}
    source["decisions"].append(
        {**source["decisions"][0], "code": "quick", "approval": None}
    )
    source["deadlines"]["processing"] = {"amount": 30, "unit": "days"}
    source["deadlines"]["extension"] = {"amount": 30, "unit": "days"}
    casetype_import(
        agent=None, source=yaml.safe_dump(source), filename=f"matrix-{team}.yaml"
    )


def _dossiers(writer: Agent, person: Person, team: Team) -> Objects:
    """Dossiers of `team` about `person` at the steps the writes need."""

    def opened() -> Any:
        return dossier_services.dossier_open(
            actor=writer, case_type=f"matrix-{team.code}", applicant=person
        )

    def moved(dossier: Any, *codes: str) -> Any:
        for code in codes:
            dossier = dossier_services.dossier_transition(
                actor=writer,
                dossier=dossier,
                expected_version=dossier.version,
                transition=code,
            )
        return dossier

    dossier = opened()
    awaiting = moved(opened(), "conclude_complete", "request_payment")

    def propose(decision_type: str) -> Any:
        ready = moved(opened(), "conclude_complete", "request_payment")
        return dossier_services.decision_propose(
            actor=writer,
            dossier=ready,
            expected_version=ready.version,
            decision_type=decision_type,
            result="granted",
            motivation="Fine.",
        )

    def fee() -> DossierFee:
        """The unpaid fee of a dossier at its payment step."""
        due = moved(opened(), "conclude_complete", "request_payment")
        return DossierFee.objects.get(dossier=due)

    proposed = propose("legalisation")
    quick = propose("quick")
    transmitted = moved(quick, "approve_decision", "transmit")
    suspended = opened()
    suspended = dossier_services.dossier_suspend(
        actor=writer,
        dossier=suspended,
        expected_version=suspended.version,
        reason="Waiting.",
    )
    return {
        "fee": fee(),
        **_tills(writer, team, fee(), fee()),
        "dossier": dossier,
        "awaiting": awaiting,
        "proposed": proposed,
        "transmitted": transmitted,
        "suspended": suspended,
        "task": dossier_services.task_create(
            actor=writer, dossier=dossier, title="Check"
        ),
        "docrequest": dossier_services.document_request_create(
            actor=writer,
            dossier=dossier,
            description="Proof",
            due_on=clock.today() + dt.timedelta(days=30),
            body="A body",
        ),
    }


_TILLS = itertools.count(1)


def _tills(writer: Agent, team: Team, paid: DossierFee, closed: DossierFee) -> Objects:
    """Two counters of `team`: one whose day is open, holding a payment of `paid`
    (in cash: `TILL`); one whose day, holding a payment of `closed`, was closed
    balanced by `writer` (so another supervisor may check it)."""

    def counter() -> Any:
        number = next(_TILLS)
        return cashbook_services.counter_create(
            actor=writer, team=team, code=f"till-{number}", name=f"Till {number}"
        )

    def payment(fee: DossierFee, at: Any) -> Any:
        return cashbook_services.payment_record(
            actor=writer, counter=at, fee=fee, amount=PAID, means="cash"
        )

    open_till, closed_till = counter(), counter()
    taken = payment(paid, open_till)
    day = payment(closed, closed_till).day
    return {
        "counter": open_till,
        "payment": taken,
        "cashday": taken.day,
        "closed": cashbook_services.cash_day_close(
            actor=writer, day=day, counted=TILL, expected_version=day.version
        ),
    }


def _published_article(author: Agent, reviewer: Agent) -> Any:
    """A published FAQ entry (its reviewer is not its author: four eyes)."""
    article = knowledge_services.article_create(
        actor=author,
        topic=Topic.objects.get(team__isnull=True, code="legalisation"),
        kind="faq",
        language="en",
        title="Legalisation fee",
        body="Paid at the counter.",
    )
    article = knowledge_services.article_transition(
        actor=author, article=article, expected_version=article.version, move="submit"
    )
    return knowledge_services.article_transition(
        actor=reviewer,
        article=article,
        expected_version=article.version,
        move="publish",
    )


def _agenda(writer: Agent, person: Person, team: Team) -> Objects:
    """An offer of `team` and `person`'s appointment on it, booked by `writer`."""
    offer = appointment_services.offer_create(
        actor=writer, team=team, data=_offer_input(f"offer-{next(_NUMBERS)}")
    )
    appointment = appointment_services.appointment_book(
        actor=writer, offer=offer, person=person, start=_appointment_start(8)
    )
    return {"offer": offer, "appointment": appointment}


_RUN_MONTHS = itertools.count(1)


def _payments(writer: Agent, approver: Agent, person: Person, team: Team) -> Objects:
    """A beneficiary of `team` with an entitlement and a change of account waiting
    for a second agent; three runs of the team, prepared, reviewed and approved
    (each of its own month, none with anybody to pay)."""
    beneficiary = payment_services.beneficiary_register(
        actor=writer, person_id=person.uuid, team_code=team.code
    )
    entitlement = payment_services.entitlement_add(
        actor=writer,
        beneficiary_id=beneficiary.uuid,
        category="full_unemployment",
        daily_amount=Decimal("50.00"),
        starts_on=dt.date(2026, 1, 1),
        ends_on=None,
        withholding_rate=Decimal(0),
        decided_on=dt.date(2026, 1, 1),
    )
    change = payment_services.account_change_request(
        actor=writer,
        beneficiary_id=beneficiary.uuid,
        iban="BE68539007547034",
        holder="Matrix Holder",
        effective_on=dt.date(2026, 1, 1),
    )

    def run() -> Any:
        return payment_runs.run_prepare(
            actor=writer, month=f"2031-{next(_RUN_MONTHS):02d}", team_code=team.code
        )

    reviewed = payment_services.run_review(actor=writer, run_id=run().uuid)
    approved = payment_services.run_approve(
        actor=approver,
        run_id=payment_services.run_review(actor=writer, run_id=run().uuid).uuid,
    )
    beneficiary.refresh_from_db()
    return {
        "transfer": _executed_transfer(writer, approver, beneficiary, entitlement),
        "beneficiary": beneficiary,
        "entitlement": entitlement,
        "change": change,
        "run": run(),
        "reviewed": reviewed,
        "approved": approved,
    }


def _executed_transfer(
    writer: Agent, approver: Agent, beneficiary: Any, entitlement: Any
) -> Any:
    """A transfer to `beneficiary` released in a file of an executed run (written
    directly: the world's beneficiary has no confirmed account to run with)."""
    run = PaymentRun.objects.create(
        team=beneficiary.team,
        month=f"2031-{next(_RUN_MONTHS):02d}",
        paid_on=dt.date(2026, 2, 3),
        state=RunState.EXECUTED,
        prepared_by=writer,
        approved_by=approver,
    )
    sepa_file = SepaFile.objects.create(
        run=run,
        sequence=0,
        path="/dev/null",
        message_id=f"MATRIX-{run.pk}",
        version="pain.001.001.09",
        count=1,
        total=Decimal("10.00"),
        sha256="0" * 64,
        first_payment=0,
        last_payment=0,
    )
    return Payment.objects.create(
        run=run,
        beneficiary=beneficiary,
        month=run.month,
        entitlement=entitlement,
        payee="beneficiary",
        kind="beneficiary",
        amount=Decimal("10.00"),
        creditor_name="Matrix Holder",
        iban="BE68539007547034",
        end_to_end_id=f"MATRIX-{run.pk}",
        state=PaymentState.RELEASED,
        file=sepa_file,
    )


def _build_world() -> World:
    stored = storage.store([PDF], max_bytes=len(PDF))
    image = storage.store([PNG], max_bytes=len(PNG))
    load_shipped_tables()
    shipped_reference_data()
    home, other = TeamFactory(code="home"), TeamFactory(code="other")
    LetterheadFactory(team=home, prefix="HOM")
    LetterheadFactory(team=other, prefix="OTH")
    RoutingRule.objects.create(team=home, order=10)
    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=Decimal(8), resolution_hours=Decimal(24)
    )
    templates_load(actor=None)
    for team in (home, other):
        _matrix_case_type(team.code)
    # Writes the home team's objects, on confidential persons too: a member of both.
    writer = AgentFactory(
        username="writer",
        roles=["support_agent", "supervisor"],
        level="B",
        teams=[home, other],
    )

    # Approves the payment runs `writer` prepared (four eyes).
    pay_approver = AgentFactory(
        username="pay.approver", roles=["supervisor"], level="B", teams=[home, other]
    )

    # Replies at level D: the reply waits for `writer`'s approval.
    replier = AgentFactory(
        username="replier", roles=["support_agent"], level="D", teams=[home, other]
    )

    def objects(person: Person, team: Team) -> Objects:
        """The objects `team` keeps about `person`, as its member `writer` made them."""

        def letter(**flag: Any) -> Any:
            return letter_draft_create(
                actor=writer,
                person_id=person.uuid,
                letter_type="acknowledgement",
                team=team.code,
                **flag,
            )

        draft = letter()
        official = SigningOfficialFactory(authority=organisation, registered_by=writer)
        requests = [_request(writer, person, subject, team) for subject in "AB"]
        anonymous_contact, anonymous_request = _anonymous(writer, team)
        replied, reply = _waiting_reply(replier, writer, person, team)
        minutes = minutes_create(
            actor=writer,
            title="Team meeting",
            meeting_date=dt.date(2026, 11, 2),
            language="fr",
            attendees=["Ann"],
            agenda=["Queues"],
            team=team.code,
            actions=[
                ActionInput(
                    description="Call back",
                    owner=writer.username,
                    due_date=dt.date(2026, 11, 30),
                )
            ],
        )
        return {
            "office": team.code,
            "person": person,
            "address": person.addresses.get(),
            "email": EmailAddress.objects.get(person=person),
            "organisation": organisation,
            "draft": draft,
            "docx": letter_selectors.letter_docx(agent=writer, letter_id=draft.uuid),
            "pending": letter_submit(
                actor=writer,
                letter_id=letter(
                    is_flagged=True, flag_reason="Out of the ordinary."
                ).uuid,
                expected_version=1,
            ),
            "issued": letter_submit(
                actor=writer, letter_id=letter().uuid, expected_version=1
            ),
            "document": DocumentFactory(
                person=person, content_sha256=stored.sha256, size=stored.size
            ),
            "debt": DebtFactory(person=person, team=team, recovery=True),
            # Signed on a day the specimen was in force (2024-01-01 to 2026-12-31).
            "signed": DocumentFactory(
                person=person,
                issued_on=dt.date(2025, 3, 14),
                content_sha256=stored.sha256,
                size=stored.size,
            ),
            "official": official,
            "specimen": SpecimenFactory(
                official=official,
                content_sha256=image.sha256,
                size=image.size,
                registered_by=writer,
            ),
            "mail": incoming_mail_register(
                actor=writer,
                received_on=dt.date(2026, 11, 2),
                subject="A letter",
                scan=PDF,
                scan_name="scan.pdf",
                sender_person_id=person.uuid,
                team=team.code,
            ),
            "contact": contact_services.contact_register(
                actor=writer,
                data=contact_services.ContactInput(
                    channel="phone", person=str(person.uuid)
                ),
                team=team,
            ),
            "request": requests[0],
            "request2": requests[1],
            "anonymous_contact": anonymous_contact,
            "anonymous_request": anonymous_request,
            "replied": replied,
            "reply": reply,
            "item": minutes.actions.get(),
            "absence": _absence(writer),
            "feed": FeedToken.objects.create(
                agent=writer, token_sha256=f"{next(_NUMBERS):064d}"
            ),
            "writer": writer.username,
            "article": article,
            **_dossiers(writer, person, team),
            **_agenda(writer, person, team),
            **_payments(writer, pay_approver, person, team),
        }

    organisation = OrganisationFactory()
    article = _published_article(
        writer, AgentFactory(username="kreviewer", roles=["supervisor"], teams=[home])
    )
    public = person_with_address()
    secret = person_with_address(confidential_team=other, email="secret@example.be")
    cases = {
        "public": {**objects(public, home), **_agenda_meetings(home)},
        "confidential": objects(secret, home),
        "elsewhere": objects(public, other),
    }
    for objects_of_case in cases.values():
        for obj in objects_of_case.values():
            if hasattr(obj, "refresh_from_db"):
                obj.refresh_from_db()
    return World(cases=cases)


def _agenda_meetings(home: Team) -> Objects:
    """A meeting and an event (with a room booked) organised by a support agent
    of `home`, and a second room nobody booked."""
    organiser = AgentFactory(
        username="meetorganiser", roles=["support_agent"], level="C", teams=[home]
    )
    room = Resource.objects.create(code="matrix-room", name="Room", kind="room")
    other = Resource.objects.create(
        code="matrix-beamer", name="Beamer", kind="equipment"
    )
    meeting = agenda_services.meeting_create(
        actor=organiser,
        title="Planning",
        start=dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC),
        end=dt.datetime(2027, 3, 10, 10, tzinfo=dt.UTC),
        resources=[room],
    )
    event = agenda_services.event_create(
        actor=organiser,
        kind="training",
        title="Training",
        start=dt.datetime(2027, 3, 11, 9, tzinfo=dt.UTC),
        end=dt.datetime(2027, 3, 11, 12, tzinfo=dt.UTC),
        capacity=5,
        resources=[room],
    )
    return {"meeting": meeting, "event": event, "resource": room, "resource2": other}


def _path(template: str, write: Write, objects: Objects) -> str:
    subject = objects.get(write.subject or "")
    ids = {
        "person_id": objects["person"].uuid,
        "address_id": objects["address"].uuid,
        "contact_point_id": objects["email"].uuid,
        "kind": "niss",
        "key": getattr(subject, "reference", None),
        # A request's reply: the one waiting to go out.
        "letter_id": objects["reply"].uuid if "/replies/" in template else None,
        "task_id": getattr(objects.get("task"), "uuid", None),
        "request_id": getattr(objects.get("docrequest"), "uuid", None),
        "change_id": getattr(objects.get("change"), "uuid", None),
        "entitlement_id": getattr(objects.get("entitlement"), "uuid", None),
    }
    if template.endswith(("/reject", "/retry")):  # a benefit transfer: its number
        ids["payment_id"] = subject.pk
    return re.sub(
        r"\{(\w+)\}",
        lambda m: str(ids.get(m.group(1)) or subject.uuid),
        template,
    )


# Objects no person is behind, seen alike in every case.
REFERENCE_DATA = (
    "organisation",
    "official",
    "specimen",
    "article",
    "meeting",
    "resource",
    "resource2",
    "event",
)


def _cases(write: Write) -> tuple[str, ...]:
    """A write about no object, or about reference data, is asked once; one about
    a person's data on the confidential person too; one about a team's object
    (a letter, a debt, a request, mail...) also on another team's about the
    person everyone sees."""
    if write.subject in (None, *REFERENCE_DATA):
        return ("public",)
    if write.subject == "person":
        return ("public", "confidential")
    return ("public", "confidential", "elsewhere")


@dataclass(frozen=True)
class Verdict:
    """What the policy says of a write: `allowed`; `hidden`, its object is one the
    agent may look for but not see (then a refusal must look like a missing
    object's); `unseen`, refused only because the agent may not see the object
    named in the body as `Write.named` (then the refusal must be exactly the same
    call's naming a missing one)."""

    allowed: bool
    hidden: bool = False
    unseen: bool = False


def _sees(agent: Agent, obj: Any) -> bool:
    if isinstance(obj, DossierFee):  # no kind of its own: seen with its dossier
        obj = obj.dossier
    return policy.may(agent, policy.KINDS[obj._meta.label_lower].view_action, obj)


def _may(agent: Agent, write: Write, objects: Objects) -> Verdict:
    if write.subject is None:
        return Verdict(policy.may(agent, write.action))
    obj = objects[write.subject]
    kind = policy.KINDS[obj._meta.label_lower]
    # Refused whatever the object (no grant of the action) tells nothing about it.
    hidden = (
        policy.may(agent, write.action)
        and policy.may(agent, kind.view_action)
        and not policy.may(agent, kind.view_action, obj)
    )
    if write.action not in kind.actions:
        # About an object of another kind (a person, a contact a request is opened
        # from): the agent must see it and hold the action.
        allowed = _sees(agent, obj) and policy.may(agent, write.action)
    else:
        allowed = policy.may(agent, write.action, obj)
    if allowed and write.named is not None and not _sees(agent, objects[write.named]):
        return Verdict(False, hidden=True, unseen=True)
    return Verdict(allowed, hidden)


_WRITE_SQL = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
# What a refused call may still write: the token's last use, and the access log
# (an agent refused a write on a request they see has read it); the changes chain
# is counted apart, and must not grow.
MAY_WRITE_WHEN_REFUSED = frozenset({"agents_apitoken", "audit_auditevent"})


def _written(queries: CaptureQueriesContext) -> set[str]:
    return {
        match.group(1)
        for query in queries.captured_queries
        if (match := _WRITE_SQL.match(query["sql"]))
    }


def _changes() -> int:
    return AuditEvent.objects.filter(chain="changes").count()


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    written: set[str]
    changes: int  # rows added to the changes chain


def _send(
    api: ApiClient, method: str, path: str, call: Call, objects: Objects
) -> Answer:
    """Send the call in a savepoint rolled back afterwards: the next call meets the
    same objects."""
    headers = {}
    if call.if_match is not None:
        headers["HTTP_IF_MATCH"] = f'"{objects[call.if_match].version}"'
    with transaction.atomic():
        before = _changes()
        with CaptureQueriesContext(connection) as queries:
            if call.form is not None:
                response = api.client.post("/api/v1" + path, call.form, **headers)
            else:
                response = api.client.generic(
                    method.upper(),
                    "/api/v1" + path,
                    json.dumps(call.json or {}),
                    content_type="application/json",
                    **headers,
                )
        answer = Answer(
            status=response.status_code,
            body=_body(response),
            written=_written(queries),
            changes=_changes() - before,
        )
        transaction.set_rollback(True)
    return answer


def _body(response: Any) -> Any:
    if response["Content-Type"].startswith(("application/json", "application/problem")):
        return response.json()
    return None


def _missing(
    api: ApiClient, method: str, template: str, write: Write, objects: Objects, key: str
) -> Callable[[], Answer]:
    """The same call with the object `key` one that does not exist."""
    ghost = SimpleNamespace(uuid=uuid.uuid4(), reference="REQ-2026-9999999", version=1)
    others = {**objects, key: ghost}
    return lambda: _send(
        api, method, _path(template, write, others), write.call(others), others
    )


def _problem(answer: Answer) -> tuple[int, set[tuple[str, str]]]:
    """The status and the (field, code) pairs of an answer: what a caller learns."""
    errors = (
        (answer.body or {}).get("errors", []) if isinstance(answer.body, dict) else []
    )
    return answer.status, {(error["field"], error["code"]) for error in errors}


def _refusal_is_right(
    answer: Answer,
    hidden: bool,
    missing: Callable[[], Answer] | None,
    *,
    exactly: bool = False,
) -> bool:
    """Refused as the house does, with nothing written: 403 or 404, only 404 for
    an object the agent may not see; an object named in the body may instead get
    exactly what the same call naming an object that does not exist gets (a 422
    on that field), and must get it when `exactly`."""
    quiet = answer.changes == 0 and answer.written <= MAY_WRITE_WHEN_REFUSED
    if exactly:
        assert missing is not None
        return quiet and _problem(answer) == _problem(missing())
    if missing is not None and answer.status == 422:
        return quiet and _problem(answer) == _problem(missing())
    if hidden:
        return quiet and answer.status == 404
    return quiet and answer.status in (403, 404)


def test_every_write_of_the_api_is_in_the_matrix() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    writes = {
        (method, path.removeprefix("/api/v1"))
        for path, methods in schema["paths"].items()
        for method in methods
        if method in ("post", "put", "patch", "delete")
    }
    missing = sorted(writes - set(WRITES))
    assert not missing, (
        f"add to WRITES in {__name__} these write operations, each with the action "
        f"that guards it and a valid call: {missing}"
    )
    assert set(WRITES) <= writes, sorted(set(WRITES) - writes)
    unknown = {write.action for write in WRITES.values()} - set(policy.GRANTS)
    assert not unknown, f"actions no grant table knows: {sorted(unknown)}"


def _answer(
    status: int, written: frozenset[str] = frozenset(), changes: int = 0
) -> Answer:
    return Answer(status=status, body=None, written=set(written), changes=changes)


@pytest.mark.parametrize(
    ("_case", "answer", "hidden", "right"),
    [
        ("403 for an object seen", _answer(403), False, True),
        ("404 for an object seen", _answer(404), False, True),
        ("404 for a hidden object", _answer(404), True, True),
        ("403 for a hidden object says it exists", _answer(403), True, False),
        (
            "refused after a write",
            _answer(404, frozenset({"parties_person"})),
            False,
            False,
        ),
        (
            "refused, a change recorded",
            _answer(403, frozenset({"audit_auditevent"}), 1),
            False,
            False,
        ),
        (
            "refused, only the token's use",
            _answer(403, frozenset({"agents_apitoken"})),
            False,
            True,
        ),
        ("a 409 is not a refusal", _answer(409), False, False),
        ("a 422 on a path object", _answer(422), False, False),
        ("a 500", _answer(500), False, False),
    ],
)
def test_what_counts_as_a_refusal(
    _case: str, answer: Answer, hidden: bool, right: bool
) -> None:
    assert _refusal_is_right(answer, hidden, None) is right


def test_a_422_is_a_refusal_only_when_a_missing_object_gets_the_same() -> None:
    hidden = Answer(
        status=422,
        body={"errors": [{"field": "person", "code": "not_found", "message": "x"}]},
        written=set(),
        changes=0,
    )
    other = Answer(
        status=422,
        body={"errors": [{"field": "person", "code": "confidential", "message": "x"}]},
        written=set(),
        changes=0,
    )
    assert _refusal_is_right(hidden, True, lambda: hidden)
    assert not _refusal_is_right(hidden, True, lambda: other)


def test_an_unseen_named_object_is_refused_exactly_as_a_missing_one() -> None:
    """A person named in the body whom the agent may not see: even a 404, right
    for a hidden object in the path, tells them apart from a missing person's 422."""
    missing = Answer(
        status=422,
        body={"errors": [{"field": "person", "code": "not_found", "message": "x"}]},
        written=set(),
        changes=0,
    )
    assert _refusal_is_right(missing, True, lambda: missing, exactly=True)
    assert not _refusal_is_right(_answer(404), True, lambda: missing, exactly=True)
    assert _refusal_is_right(_answer(404), True, None)


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_follow_the_policy(
    world: World, api_for: Callable[..., Any], role: str
) -> None:
    wrong = []
    for level, agent in home_agents(role):
        api = api_for(agent)
        for (method, template), write in WRITES.items():
            for case in _cases(write):
                objects = world.cases[case]
                verdict = _may(agent, write, objects)
                path = _path(template, write, objects)
                answer = _send(api, method, path, write.call(objects), objects)
                if verdict.allowed:
                    # Every write is recorded in the changes chain, in its transaction.
                    audited = answer.changes > 0 or answer.written <= (
                        MAY_WRITE_WHEN_REFUSED
                    )
                    right = answer.status in write.ok and audited
                else:
                    ghost = write.named if verdict.unseen else write.subject
                    right = _refusal_is_right(
                        answer,
                        verdict.hidden,
                        _missing(api, method, template, write, objects, ghost)
                        if ghost and (write.in_body or verdict.unseen)
                        else None,
                        exactly=verdict.unseen,
                    )
                if not right:
                    wrong.append(
                        f"{level} {case} {method.upper()} {template}: "
                        f"{'allowed' if verdict.allowed else 'refused'} by the policy, "
                        f"answered {_problem(answer)}, wrote {sorted(answer.written)}"
                        f" and {answer.changes} change(s)"
                    )
    assert not wrong, "\n".join(wrong)
