"""The demo's counter queue: a consular post with four services and three desks,
the passport, visa and legalisation desks being the cash book's counters."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.visits import selectors
from guichet.visits.models import Site

pytestmark = pytest.mark.django_db


def test_the_demo_ships_a_site_its_services_and_desks(demo: Any) -> None:
    site = Site.objects.get(code="consular-post")
    assert [
        (service.prefix, service.name("nl"), service.team.code)
        for service in selectors.kiosk_services(site=site)
    ] == [
        ("P", "Paspoorten", "travel-documents"),
        ("V", "Visa", "visas"),
        ("L", "Legalisaties", "legalisations"),
        ("I", "Algemene inlichtingen", "legalisations"),
    ]
    tills = {desk.code: desk.till.code for desk in site.desks.all() if desk.till}
    assert tills == {
        "passports-1": "passports-1",
        "visas-1": "visas-1",
        "consular-1": "consular-1",
    }
    # Every front-office agent of the demo has a desk to work at.
    for username in ("front.travel", "front.visa", "front.legal"):
        agent = Agent.objects.get(username=username)
        assert len(selectors.desks_for_agent(agent=agent)) == 1, username
