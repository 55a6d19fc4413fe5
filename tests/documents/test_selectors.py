"""Reads of documents: through the policy, and written to the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound
from guichet.documents import selectors, services
from tests.documents.factories import PDF, DocumentFactory, upload
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_lists_a_persons_documents_newest_first_with_their_verifications(
    front_office: Any, django_assert_num_queries: Any
) -> None:
    person = PersonFactory()
    older = DocumentFactory(person=person)
    newer = DocumentFactory(person=person, document_type="identity_card")
    DocumentFactory()  # another person's
    services.document_verify(
        actor=front_office,
        document_id=older.uuid,
        kind="mrz",
        values=["nope"],
        on=dt.date(2026, 1, 1),
    )
    # person, documents, verifications; the access log: one insert.
    with django_assert_num_queries(4):
        documents = selectors.document_list_for_person(
            agent=front_office, person_id=person.uuid
        )
        verifications = [list(document.verifications.all()) for document in documents]
    assert documents == [newer, older]
    assert [len(items) for items in verifications] == [0, 1]
    assert verifications[1][0].verified_by == front_office
    event = AuditEvent.objects.get(chain="access", action="document.list")
    assert event.object_id == str(person.uuid)
    assert event.summary["results"] == [str(newer.uuid), str(older.uuid)]


def test_the_contact_center_sees_the_list(contact_center: Any) -> None:
    document = DocumentFactory()
    assert selectors.document_list_for_person(
        agent=contact_center, person_id=document.person.uuid
    ) == [document]


def test_an_administrator_sees_no_documents(make_agent: Any) -> None:
    admin = make_agent("admin", teams=("it",), username="root")
    document = DocumentFactory()
    with pytest.raises(NotFound):
        selectors.document_list_for_person(agent=admin, person_id=document.person.uuid)
    with pytest.raises(NotFound):
        selectors.document_get_for_agent(agent=admin, document_id=document.uuid)
    assert not AuditEvent.objects.filter(chain="access").exists()


def test_a_confidential_persons_documents_stay_in_their_team(make_agent: Any) -> None:
    team = TeamFactory(code="social")
    document = DocumentFactory(person=PersonFactory(confidential_team=team))
    outsider = make_agent("front_office", teams=("consular",), username="outsider")
    insider = make_agent("front_office", teams=("social",), username="insider")
    with pytest.raises(NotFound):
        selectors.document_list_for_person(
            agent=outsider, person_id=document.person.uuid
        )
    with pytest.raises(NotFound):
        selectors.document_get_for_agent(agent=outsider, document_id=document.uuid)
    assert (
        selectors.document_get_for_agent(agent=insider, document_id=document.uuid)
        == document
    )


@pytest.mark.parametrize(
    "document_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"]
)
def test_a_missing_document_is_not_found(front_office: Any, document_id: str) -> None:
    with pytest.raises(NotFound):
        selectors.document_get_for_agent(agent=front_office, document_id=document_id)


def test_reading_one_document_is_logged_with_its_purpose(front_office: Any) -> None:
    document = DocumentFactory()
    selectors.document_get_for_agent(
        agent=front_office, document_id=document.uuid, purpose="verify"
    )
    event = AuditEvent.objects.get(chain="access", action="document.view")
    assert (event.actor_id, event.object_id) == (front_office.pk, str(document.uuid))
    assert event.summary == {"purpose": "verify"}


def test_downloads_the_stored_bytes_for_a_document_handler(front_office: Any) -> None:
    document = services.document_upload(
        actor=front_office,
        person_id=PersonFactory().uuid,
        file=upload(PDF),
        details=services.DocumentDetails(document_type="other"),
    )
    content = selectors.document_content_for_agent(
        agent=front_office, document_id=document.uuid
    )
    with content.handle as handle:
        assert handle.read() == PDF
    assert (
        AuditEvent.objects.filter(chain="access", action="document.download").count()
        == 1
    )


def test_the_contact_center_may_not_open_the_file(contact_center: Any) -> None:
    document = DocumentFactory()
    with pytest.raises(Forbidden):
        selectors.document_content_for_agent(
            agent=contact_center, document_id=document.uuid
        )
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_checks_run_for_agents_who_serve_citizens(
    contact_center: Any, make_agent: Any
) -> None:
    result = selectors.check_run(
        agent=contact_center, kind="ogm", values=["+++010/8068/17183+++"]
    )
    assert result.valid is True
    admin = make_agent("admin", teams=("it",), username="root")
    with pytest.raises(Forbidden):
        selectors.check_run(agent=admin, kind="ogm", values=["+++010/8068/17183+++"])
