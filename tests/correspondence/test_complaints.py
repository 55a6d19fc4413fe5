"""A registered complaint gets its acknowledgement of receipt drafted (issue #13.8)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guichet.correspondence.models import Letter
from guichet.servicerequests import services
from guichet.servicerequests.models import ServiceLevelRule
from guichet.servicerequests.services import RequestInput
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _complaint(**fields: Any) -> RequestInput:
    values: dict[str, Any] = {
        "kind": "complaint",
        "subject": "Two hours at the counter",
        "topic": "complaints",
        "channel": "counter",
        "seriousness": "serious",
        "language": "fr",
    }
    values.update(fields)
    return RequestInput(**values)


def test_a_complaint_gets_its_acknowledgement_drafted_with_reference_and_due_date(
    templates: int, writer: Any, person: Any
) -> None:
    ServiceLevelRule.objects.create(
        kind="complaint", first_answer_hours=Decimal(16), resolution_hours=Decimal(80)
    )
    complaint = services.request_create(
        actor=writer(), data=_complaint(person=str(person.uuid))
    )
    letter = Letter.objects.get(person=person)
    assert letter.template_version is not None
    assert (
        letter.template_version.template.letter_type.code == "complaint_acknowledgement"
    )
    assert letter.language == "fr"
    assert letter.free_values["request_reference"] == complaint.reference
    assert complaint.resolution_due is not None
    assert (
        letter.free_values["answer_by"] == complaint.resolution_due.date().isoformat()
    )
    note = complaint.events.get(kind="note")
    assert note.data == {"acknowledgement": "drafted", "letter": str(letter.uuid)}


def test_a_complaint_about_no_person_on_record_says_why_no_letter(
    templates: int, writer: Any
) -> None:
    complaint = services.request_create(
        actor=writer(), data=_complaint(organisation=str(OrganisationFactory().uuid))
    )
    assert not Letter.objects.exists()
    assert complaint.events.get(kind="note").data == {"acknowledgement": "no_person"}


def test_a_service_without_letterhead_still_registers_the_complaint(
    templates: int, make_agent: Any, person: Any
) -> None:
    agent = make_agent("front_office", teams=["visas"])
    complaint = services.request_create(
        actor=agent, data=_complaint(person=str(person.uuid))
    )
    assert not Letter.objects.exists()
    assert complaint.events.get(kind="note").data["acknowledgement"] == "not_drafted"
