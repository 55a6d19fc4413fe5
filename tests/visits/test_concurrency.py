"""Visitors and desks at the same instant (PostgreSQL: SQLite serialises every
writer, so a race proves nothing there; tests/visits/test_services.py replays the
desks' interleaving on both databases): ticket numbers stay unique and gap-free,
and each ticket is called by exactly one desk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import override_settings

import pytest

from guichet.agents.models import Agent
from guichet.visits import services
from guichet.visits.models import Desk, Site, Ticket
from tests.races import race
from tests.servicerequests.conftest import shipped_reference_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """The shipped topics, flushed by an earlier transactional test."""
    shipped_reference_data()


@override_settings(VISITS_KIOSK_TICKETS_PER_MINUTE=100)
def test_simultaneous_visitors_get_unique_gap_free_numbers(site: Site) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")

    results = race(
        [
            lambda: services.ticket_issue(site=site, service="passports", language="fr")
            for _ in range(10)
        ]
    )

    assert all(isinstance(result, Ticket) for result in results), results
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))


def test_each_ticket_goes_to_exactly_one_desk(
    site: Site, desk: Callable[[str], Desk], agent_in: Callable[..., Agent]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    for _ in range(3):
        services.ticket_issue(site=site, service="passports", language="fr")
    desks = [desk("desk-1"), desk("desk-3")] * 2
    clerks = [agent_in("front_office", "D", "travel-documents") for _ in desks]
    # Four agents at two desks: a desk already busy says so; no ticket twice.
    results = race(
        [
            lambda clerk=clerk, chosen=chosen: services.ticket_call_next(
                actor=clerk, desk=chosen
            )
            for clerk, chosen in zip(clerks, desks, strict=True)
        ]
    )

    called = [result for result in results if isinstance(result, Ticket)]
    assert len({ticket.pk for ticket in called}) == len(called) == 2
    desks_called = Ticket.objects.filter(status="called").values_list("desk", flat=True)
    assert sorted(desks_called) == sorted({d.pk for d in desks})
    others = [r for r in results if not isinstance(r, Ticket)]
    assert [getattr(r, "code", None) for r in others] == ["desk_busy"] * 2, others
