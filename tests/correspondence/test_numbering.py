"""Numbers have no gap and no duplicate, per service and year, under concurrent writers.

The concurrency tests need PostgreSQL: SQLite serialises writers on the whole database,
so they would prove nothing there. Each thread has its own database connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections, transaction

import pytest

from guichet.core import clock
from guichet.correspondence import formatting, locks, services
from guichet.correspondence.models import (
    Counter,
    IncomingMail,
    Letter,
    LetterStatus,
    Series,
)
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import TeamFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WORKERS = 6
PER_WORKER = 3


class Rollback(Exception):
    """Raised after a letter was numbered, to roll its transaction back."""


def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks need PostgreSQL: SQLite serialises every writer, so a "
            "concurrency test proves nothing there"
        )


def _in_parallel(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread (own connection), all starting together."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = jobs[index]()
        except Exception as error:  # checked by the caller
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index,)) for index in range(len(jobs))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_letters_issued_at_once_are_numbered_without_gap_or_duplicate(
    writer: Callable[..., Any], templates: int
) -> None:
    _needs_postgres()
    agent = writer("C")
    drafts = [
        [
            services.letter_draft_create(
                actor=agent,
                person_id=person_with_address(surname=f"P{worker}x{index}").uuid,
                letter_type="acknowledgement",
            )
            for index in range(PER_WORKER)
        ]
        for worker in range(WORKERS)
    ]
    # Every second worker rolls back its second letter after it got its number.
    failing = {(worker, 1) for worker in range(0, WORKERS, 2)}

    def job(worker: int) -> list[int]:
        numbers = []
        for index, draft in enumerate(drafts[worker]):
            try:
                with transaction.atomic():
                    letter = services.letter_submit(
                        actor=agent, letter_id=draft.uuid, expected_version=1
                    )
                    assert letter.sequence is not None
                    if (worker, index) in failing:
                        raise Rollback
                numbers.append(letter.sequence)
            except Rollback:
                pass
        return numbers

    results = _in_parallel([lambda w=w: job(w) for w in range(WORKERS)])

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    issued = WORKERS * PER_WORKER - len(failing)
    given = sorted(number for result in results for number in result)
    assert given == list(range(1, issued + 1))
    year = clock.today().year
    assert sorted(
        Letter.objects.filter(status=LetterStatus.ISSUED).values_list(
            "sequence", flat=True
        )
    ) == list(range(1, issued + 1))
    assert set(
        Letter.objects.exclude(number=None).values_list("number", flat=True)
    ) == {
        formatting.letter_number("LEG", year, sequence)
        for sequence in range(1, issued + 1)
    }
    assert Counter.objects.get(series=Series.OUTGOING).last == issued
    rolled_back = [drafts[worker][index].uuid for worker, index in failing]
    assert set(
        Letter.objects.filter(uuid__in=rolled_back).values_list("status", "number")
    ) == {("draft", None)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_service_has_its_own_sequence_under_concurrency(
    writer: Callable[..., Any], make_agent: Callable[..., Any], templates: int
) -> None:
    _needs_postgres()
    LetterheadFactory(team=TeamFactory(code="visas"), prefix="VIS")
    agents = [writer("C"), make_agent("front_office", level="C", teams=("visas",))]
    persons = [person_with_address(surname=f"S{index}") for index in range(8)]

    def job(agent: Any, person: Any) -> str | None:
        draft = services.letter_draft_create(
            actor=agent, person_id=person.uuid, letter_type="acknowledgement"
        )
        return services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=1
        ).number

    results = _in_parallel(
        [
            lambda a=agents[index % 2], p=persons[index]: job(a, p)
            for index in range(len(persons))
        ]
    )

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    year = clock.today().year
    assert sorted(results) == sorted(
        [formatting.letter_number("LEG", year, n) for n in range(1, 5)]
        + [formatting.letter_number("VIS", year, n) for n in range(1, 5)]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_incoming_mail_registered_at_once_is_numbered_without_gap(
    writer: Callable[..., Any],
) -> None:
    _needs_postgres()
    agent = writer("C", role="support_agent")
    today = clock.today()

    def job(index: int) -> int:
        with transaction.atomic():
            mail = services.incoming_mail_register(
                actor=agent,
                received_on=today,
                subject=f"Letter {index}",
                sender_name="Jan Peeters",
                scan=PNG + bytes([index]),
                scan_name=f"scan-{index}.png",
            )
            if index == 3:
                raise Rollback
        return mail.sequence

    results = _in_parallel([lambda i=i: job(i) for i in range(8)])

    assert sum(isinstance(result, Rollback) for result in results) == 1
    assert sorted(r for r in results if isinstance(r, int)) == list(range(1, 8))
    assert sorted(IncomingMail.objects.values_list("sequence", flat=True)) == list(
        range(1, 8)
    )


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again(service: Any) -> None:
    team = service.team

    def number_then_fail() -> None:
        with transaction.atomic():
            assert locks.next_number(team=team, series=Series.OUTGOING, year=2026) == 1
            raise Rollback

    with pytest.raises(Rollback):
        number_then_fail()
    with transaction.atomic():
        assert locks.next_number(team=team, series=Series.OUTGOING, year=2026) == 1
        assert list(
            locks.next_numbers(team=team, series=Series.OUTGOING, year=2026, count=3)
        ) == [2, 3, 4]
        # Another year and the other series start again at 1.
        assert locks.next_number(team=team, series=Series.OUTGOING, year=2027) == 1
        assert locks.next_number(team=team, series=Series.INCOMING, year=2026) == 1


@pytest.mark.django_db(transaction=True)
def test_numbers_are_only_given_inside_a_transaction(service: Any) -> None:
    with pytest.raises(RuntimeError, match="inside the numbered record"):
        locks.next_number(team=service.team, series=Series.OUTGOING, year=2026)
    with pytest.raises(ValueError, match="at least 1"), transaction.atomic():
        locks.next_numbers(
            team=service.team, series=Series.OUTGOING, year=2026, count=0
        )
    assert Counter.objects.count() == 0
