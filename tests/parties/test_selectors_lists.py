"""Several persons by id, as a duplicate warning lists them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.parties import selectors
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_lists_only_the_visible_persons_by_name_and_logs_the_read(
    first_line: Any,
) -> None:
    zoe = PersonFactory(surname="Zeebroek", given_names="Zoé")
    anne = PersonFactory(surname="Aerts", given_names="Anne")
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))

    found = selectors.person_list_for_agent(
        agent=first_line,
        person_ids=[str(zoe.uuid), hidden.uuid, "not-an-id", anne.uuid, uuid.uuid4()],
        purpose="duplicate-check",
    )

    assert found == [anne, zoe]
    read = AuditEvent.objects.filter(chain="access", action="person.search").get()
    assert read.summary["purpose"] == "duplicate-check"
    assert sorted(read.summary["results"]) == sorted([str(anne.uuid), str(zoe.uuid)])


def test_nothing_visible_logs_nothing(first_line: Any) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))

    found = selectors.person_list_for_agent(
        agent=first_line, person_ids=[hidden.uuid], purpose="duplicate-check"
    )

    assert found == []
    assert not AuditEvent.objects.filter(chain="access").exists()
