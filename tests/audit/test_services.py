"""The audit trail in the database: signed at once, sealed later, append-only."""

from __future__ import annotations

import json
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.audit import chain as chain_math
from guichet.audit.database import flushing
from guichet.audit.keys import DEVELOPMENT_KEY
from guichet.audit.models import (
    AppendOnlyError,
    AuditEvent,
    AuditPending,
    AuditSeal,
    ChainHead,
)
from guichet.audit.services import (
    Entry,
    access_record,
    audit_record,
    audit_record_many,
    chain_seal,
)
from guichet.audit.verification import (
    EVENT_FIELDS,
    audit_verify,
    chain_verify,
    event_row,
)
from guichet.core.logging import request_id_var
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


def _seals(chain: str) -> list[tuple[int, int]]:
    return list(
        AuditSeal.objects.filter(chain=chain)
        .order_by("seq")
        .values_list("seq", "event_id")
    )


def test_a_record_is_signed_at_once_and_queued_for_its_seal() -> None:
    token = request_id_var.set("req-1")
    try:
        event = _three_events()[0]
    finally:
        request_id_var.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.key_id, stored.request_id, stored.seq) == (
        DEVELOPMENT_KEY.id,
        "req-1",
        None,
    )
    assert (
        chain_math.event_problem(
            event_row([getattr(stored, name) for name in EVENT_FIELDS]),
            {DEVELOPMENT_KEY.id: DEVELOPMENT_KEY},
        )
        is None
    )
    assert AuditPending.objects.get(event=event).chain == "changes"
    assert not AuditSeal.objects.exists()
    assert ChainHead.objects.get(chain="changes").seq == 0


def test_an_append_is_one_statement(django_assert_num_queries: Any) -> None:
    actor = AgentFactory()
    person = PersonFactory()
    with django_assert_num_queries(1):
        audit_record(actor=actor, action="person.update", obj=person)
    with django_assert_num_queries(1):
        audit_record_many(
            actor=actor, entries=[Entry(action="a", obj=person) for _ in range(3)]
        )
    with django_assert_num_queries(0):
        assert audit_record_many(actor=actor, entries=[]) == []


def test_the_sealer_numbers_queued_rows_in_order_and_moves_the_head() -> None:
    events = _three_events()
    assert chain_seal() == 3
    assert _seals("changes") == [
        (1, events[0].pk),
        (2, events[1].pk),
        (3, events[2].pk),
    ]
    assert not AuditPending.objects.exists()
    later = audit_record_many(
        actor=None,
        entries=[Entry(action="letter.submit", summary={"n": i}) for i in range(2)],
    )
    assert chain_seal(batch_size=1) == 2
    assert _seals("changes")[3:] == [(4, later[0].pk), (5, later[1].pk)]
    head = ChainHead.objects.get(chain="changes")
    last = AuditSeal.objects.get(chain="changes", seq=5)
    assert (head.seq, head.link) == (5, last.link)
    assert chain_verify(chain="changes").is_intact
    assert chain_seal() == 0


def test_the_sealer_recreates_a_missing_head() -> None:
    ChainHead.objects.all().delete()
    _three_events()
    assert chain_seal() == 3
    assert ChainHead.objects.get(chain="changes").seq == 3


def test_access_log_is_its_own_chain_and_holds_no_names() -> None:
    actor = AgentFactory()
    person = PersonFactory(surname="Secretname")
    event = access_record(
        actor=actor, action="person.view", obj=person, context={"purpose": "view"}
    )
    listed = access_record(actor=actor, action="person.search", objects=[person])
    chain_seal()
    assert _seals("access") == [(1, event.pk), (2, listed.pk)]
    assert event.object_id == str(person.uuid)
    assert listed.summary == {"results": [str(person.uuid)]}
    assert listed.object_type == "parties.person"
    assert "Secretname" not in json.dumps(event.summary)


def test_the_application_cannot_update_or_delete_a_row_or_a_seal() -> None:
    event = _three_events()[0]
    chain_seal()
    seal = AuditSeal.objects.get(event=event)
    event.reason = "changed"
    for row, model in ((event, AuditEvent), (seal, AuditSeal)):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(chain="x")
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).delete()
        with pytest.raises(AppendOnlyError):
            model.objects.bulk_create([row])
        with pytest.raises(AppendOnlyError):
            model.objects.bulk_update([row], ["chain"])
    assert AuditEvent.objects.get(pk=event.pk).reason == "r0"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditseal SET link = 'x' WHERE event_id = %s",
        "DELETE FROM audit_auditseal WHERE event_id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(statement: str) -> None:
    event = _three_events()[0]
    chain_seal()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "r0"
    assert AuditSeal.objects.filter(event=event).count() == 1


def test_the_flush_command_may_empty_the_trail_on_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's flush truncates, which the triggers allow")
    _three_events()
    chain_seal()
    with flushing(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal")
        cursor.execute("DELETE FROM audit_auditevent")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_client_without_guichet_cannot_change_rows() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import sqlite3

    event = _three_events()[0]
    name = connection.settings_dict["NAME"]
    raw = sqlite3.connect(str(name), uri=True)
    try:
        for statement in (
            "UPDATE audit_auditevent SET reason = 'x' WHERE id = ?",
            "DELETE FROM audit_auditevent WHERE id = ?",
        ):
            with pytest.raises(
                sqlite3.OperationalError, match="guichet_audit_flushing"
            ):
                raw.execute(statement, [event.pk])
    finally:
        raw.close()
    assert AuditEvent.objects.get(pk=event.pk).reason == "r0"


def test_a_row_needs_its_queue_entry_once() -> None:
    event = _three_events()[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditPending.objects.create(event=event, chain="changes")


_operations = st.lists(
    st.one_of(
        st.tuples(st.just("changes"), st.integers(min_value=0, max_value=3)),
        st.tuples(st.just("access"), st.integers(min_value=1, max_value=2)),
        st.tuples(st.just("seal"), st.integers(min_value=1, max_value=3)),
    ),
    max_size=12,
)


@given(operations=_operations)
def test_any_interleaving_of_appends_and_seals_verifies(
    operations: list[tuple[str, int]],
) -> None:
    with transaction.atomic():
        actor = AgentFactory()
        appended: dict[str, list[int]] = {"changes": [], "access": []}
        for operation, count in operations:
            if operation == "seal":
                chain_seal(batch_size=count)
            elif operation == "changes":
                events = audit_record_many(
                    actor=actor,
                    entries=[Entry(action="x", summary={"n": n}) for n in range(count)],
                )
                appended["changes"] += [event.pk for event in events]
            else:
                for _ in range(count):
                    appended["access"].append(
                        access_record(actor=actor, action="person.view").pk
                    )
        report = audit_verify()
        assert report.is_intact, report.breaks
        assert report.pending == 0
        for chain, ids in appended.items():
            sealed = _seals(chain)
            assert [seq for seq, _ in sealed] == list(range(1, len(ids) + 1))
            assert sorted(event_id for _, event_id in sealed) == sorted(ids)
        transaction.set_rollback(True)
