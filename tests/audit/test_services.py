"""The audit trail in the database: append-only, chained, verifiable."""

from __future__ import annotations

import json
from typing import Any

from django.db import DatabaseError, connection, transaction

import pytest

from guichet.audit.models import AppendOnlyError, AuditEvent, ChainHead
from guichet.audit.services import (
    Entry,
    access_record,
    audit_record,
    audit_record_many,
    chain_verify,
)
from tests.factories import AgentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    actor = AgentFactory()
    person = PersonFactory()
    return [
        audit_record(
            actor=actor,
            action="person.update",
            obj=person,
            summary={"changes": {"surname": ["A", "B"]}},
            reason=f"r{i}",
        )
        for i in range(3)
    ]


def test_records_are_chained_in_sequence() -> None:
    events = _three_events()
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get(chain="changes")
    assert (head.seq, head.hash) == (3, events[2].hash)
    assert chain_verify(chain="changes").is_intact


def test_many_records_are_chained_as_if_appended_one_by_one() -> None:
    first = _three_events()
    actor = AgentFactory()
    person = PersonFactory()
    assert audit_record_many(actor=actor, entries=[]) == []
    events = audit_record_many(
        actor=actor,
        entries=[
            Entry(action="letter.submit", obj=person, summary={"n": i}, reason=f"m{i}")
            for i in range(3)
        ],
    )
    assert [event.seq for event in events] == [4, 5, 6]
    assert events[0].prev_hash == first[2].hash
    assert [event.prev_hash for event in events[1:]] == [e.hash for e in events[:2]]
    head = ChainHead.objects.get(chain="changes")
    assert (head.seq, head.hash) == (6, events[2].hash)
    assert audit_record(actor=actor, action="after", obj=person).seq == 7
    assert chain_verify(chain="changes").is_intact
    stored = AuditEvent.objects.get(chain="changes", seq=5)
    assert (stored.object_id, stored.summary, stored.reason) == (
        str(person.uuid),
        {"n": 1},
        "m1",
    )


def test_access_log_is_its_own_chain_and_holds_no_names() -> None:
    actor = AgentFactory()
    person = PersonFactory(surname="Secretname")
    event = access_record(
        actor=actor, action="person.view", obj=person, context={"purpose": "view"}
    )
    assert (event.chain, event.seq) == ("access", 1)
    assert event.object_id == str(person.uuid)
    assert "Secretname" not in json.dumps(event.summary)


def test_the_application_cannot_update_or_delete_a_row() -> None:
    event = _three_events()[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "r0"


@pytest.mark.postgres
def test_postgres_trigger_refuses_raw_updates_and_deletes() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = _three_events()[0]
    for statement in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "r0"


def _tamper(sql: str, params: list[Any]) -> None:
    """Change rows as someone with database access would, bypassing the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session: the trigger is
            # a guard against the application, not against the database owner.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_command_names_the_first_altered_row(cli: Any) -> None:
    events = _three_events()
    assert cli("audit", "verify", "--json")[0] == 0
    _tamper(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s",
        ["rewritten", events[1].pk],
    )
    code, out, _ = cli("audit", "verify", "--json")
    assert code == 1
    report = json.loads(out)
    changes = next(entry for entry in report["chains"] if entry["chain"] == "changes")
    assert report["intact"] is False
    assert changes["first_broken"] == {
        "seq": 2,
        "row_id": events[1].pk,
        "problem": "altered",
    }


def test_verify_command_names_a_deleted_row(cli: Any) -> None:
    events = _three_events()
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    code, _, err = cli("audit", "verify", "--chain", "changes")
    assert code == 1
    assert "sequence number 1" in err
