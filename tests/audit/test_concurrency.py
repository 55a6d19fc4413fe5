"""Concurrent writers and the sealer on PostgreSQL, where ids commit out of order."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, connections, transaction

import pytest

from guichet.audit.models import AuditEvent, AuditSeal
from guichet.audit.services import access_record, audit_record, chain_seal
from guichet.audit.verification import audit_verify
from tests.factories import AgentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no interleaving")


def _in_thread(work: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _no_lock_waits() -> None:
    """Fail, rather than wait, on any lock held by another transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")


def test_a_lower_id_committed_after_a_seal_is_sealed_next() -> None:
    written, release = threading.Event(), threading.Event()
    slow: list[int] = []

    def slow_writer() -> None:
        with transaction.atomic():
            slow.append(audit_record(actor=None, action="slow").pk)
            written.set()
            release.wait(10)

    thread = _in_thread(slow_writer)
    assert written.wait(10)
    _no_lock_waits()
    # Another writer and the sealer run while the slow transaction is open.
    fast = audit_record(actor=None, action="fast")
    assert fast.pk > slow[0]
    assert chain_seal() == 1
    release.set()
    thread.join(10)
    assert chain_seal() == 1
    sealed = list(
        AuditSeal.objects.filter(chain="changes")
        .order_by("seq")
        .values_list("seq", "event_id")
    )
    assert sealed == [(1, fast.pk), (2, slow[0])]
    assert audit_verify().is_intact


def test_concurrent_writers_and_sealers_give_one_intact_chain() -> None:
    agent = AgentFactory()
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            _no_lock_waits()
            for i in range(15):
                with transaction.atomic():
                    audit_record(actor=agent, action="w", summary={"n": number, "i": i})
                    access_record(actor=agent, action="r")
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    def sealer() -> None:
        while not stop.is_set():
            chain_seal(batch_size=7)

    sealers = [_in_thread(sealer) for _ in range(2)]
    writers = [_in_thread(lambda n=n: writer(n)) for n in range(6)]
    for thread in writers:
        thread.join(60)
    stop.set()
    for thread in sealers:
        thread.join(60)
    assert errors == []
    report = audit_verify()
    assert report.is_intact, report.breaks
    for chain in ("changes", "access"):
        seqs = list(
            AuditSeal.objects.filter(chain=chain)
            .order_by("seq")
            .values_list("seq", flat=True)
        )
        assert seqs == list(range(1, 91))
    assert AuditEvent.objects.filter(seal__isnull=True).count() == 0
