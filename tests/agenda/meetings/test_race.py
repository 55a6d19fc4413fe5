"""Four agents booking the same room at the same instant, each in its own thread
and connection, on both databases (SQLite: a file copy of the test database, so
that the threads share it): exactly one wins, the others are told the room is
taken."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection

import pytest

from guichet.agenda.meetings import services
from guichet.agenda.models import Booking, Meeting, Resource
from guichet.agents.models import Agent
from guichet.core.errors import Conflict
from tests.agenda.meetings.conftest import at
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meet_shared_database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """PostgreSQL's test database is shared by every connection; SQLite's is in
    memory, so it is copied into a file that each thread's connection opens."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, settings_dict["NAME"]
    with sqlite3.connect(path) as copy:
        in_memory.backup(copy)
    copy.close()
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        connection.connect()
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = in_memory


def test_four_agents_book_one_room_at_once_and_one_wins(
    meet_shared_database: None,
    meet_agent: Callable[..., Agent],
    meet_room: Resource,
) -> None:
    agents = [meet_agent() for _ in range(4)]
    meetings = [
        services.meeting_create(
            actor=agent,
            title=f"Meeting {n}",
            start=at("2027-03-10", 10, n * 10),
            end=at("2027-03-10", 11, n * 10),
        )
        for n, agent in enumerate(agents)
    ]

    results: list[Any] = race(
        [
            lambda agent=agent, meeting=meeting: services.resource_book(
                actor=agent, resource_id=meet_room.uuid, meeting_id=meeting.uuid
            )
            for agent, meeting in zip(agents, meetings, strict=True)
        ],
        Conflict,
    )

    won = [result for result in results if isinstance(result, Booking)]
    lost = [result for result in results if isinstance(result, Conflict)]
    assert len(won) == 1, results
    assert [error.code for error in lost] == ["resource_taken"] * 3, results
    assert all("Room 1 is already booked" in error.text for error in lost)
    assert Booking.objects.filter(resource=meet_room).count() == 1
    assert Meeting.objects.count() == 4
