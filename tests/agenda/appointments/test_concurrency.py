"""Agents booking the last places of one slot at the same instant, on both
databases (PostgreSQL: the offer's row lock; SQLite: the IMMEDIATE transactions
serialise the writers, on a file database so that each thread has its own
connection): the slot is never overfilled, the others are told it is full."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection, connections

import pytest

from guichet.agenda.appointments import services
from guichet.agenda.models import Appointment, Offer
from guichet.agents.models import Agent
from guichet.core.errors import Conflict
from tests.agenda.appointments.conftest import brussels
from tests.factories import PersonFactory
from tests.races import race
from tests.servicerequests.conftest import shipped_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """The shipped calendar, flushed by an earlier transactional test."""
    shipped_reference_data()


@pytest.fixture
def appts_racers(
    appts_offer: Offer, appts_agent: Callable[..., Agent]
) -> list[tuple[Agent, Any]]:
    return [(appts_agent(), PersonFactory()) for _ in range(5)]


@pytest.fixture
def appts_file_database(
    tmp_path: Path, appts_racers: list[tuple[Agent, Any]]
) -> Iterator[Callable[[str], int]]:
    """On SQLite, the threads' connections open a file copy of the test database
    (an in-memory one shared between threads locks whole tables instead of
    queueing writers); yields a counter of rows of a table in the database the
    threads wrote to."""
    if connection.vendor != "sqlite":

        def count(table: str) -> int:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a model's table
                return int(cursor.fetchone()[0])

        yield count
        return
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    settings = connections.settings["default"]
    saved = settings["NAME"]
    settings["NAME"] = str(path)

    def count_in_file(table: str) -> int:
        with sqlite3.connect(path) as reader:
            return int(reader.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - a model's table

    try:
        yield count_in_file
    finally:
        settings["NAME"] = saved


def test_two_places_and_five_agents_at_once(
    appts_offer: Offer,
    appts_racers: list[tuple[Agent, Any]],
    appts_file_database: Callable[[str], int],
) -> None:

    results = race(
        [
            lambda clerk=clerk, person=person: services.appointment_book(
                actor=clerk, offer=appts_offer, person=person, start=brussels(23, 9)
            )
            for clerk, person in appts_racers
        ],
        Conflict,
    )

    booked = [result for result in results if isinstance(result, Appointment)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert len(booked) == 2, results
    assert [error.code for error in refused] == ["slot_full"] * 3
    assert sorted(a.number for a in booked) == [1, 2]
    assert appts_file_database(Appointment._meta.db_table) == 2
