"""A site of the counter's queue: passports (P) served by travel-documents, visas
(V) by visas and general information (I) by travel-documents too; desk 1 serves
passports and information, desk 2 visas, desk 3 all three."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent, Team
from guichet.visits import services
from guichet.visits.models import Desk, Service, Site
from tests.factories import AgentFactory, TeamFactory

NAMES = {
    "passports": ("Passeports", "Paspoorten", "Reisepässe", "Passports"),
    "visas": ("Visas", "Visa", "Visa", "Visas"),
    "information": ("Informations", "Inlichtingen", "Auskünfte", "Information"),
}


@pytest.fixture
def teams(db: Any) -> dict[str, Team]:
    return {code: TeamFactory(code=code) for code in ("travel-documents", "visas")}


@pytest.fixture
def agent_in(teams: dict[str, Team]) -> Callable[..., Agent]:
    def make(role: str = "front_office", level: str = "D", *codes: str) -> Agent:
        agent: Agent = AgentFactory(
            roles=[role], level=level, teams=[teams[code] for code in codes or teams]
        )
        return agent

    return make


@pytest.fixture
def chief(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("supervisor", "A2")


@pytest.fixture
def site(chief: Agent, teams: dict[str, Team]) -> Site:
    made = services.site_create(actor=chief, code="post", name="Post", language="nl")
    for order, (code, prefix, team) in enumerate(
        [
            ("passports", "P", "travel-documents"),
            ("visas", "V", "visas"),
            ("information", "I", "travel-documents"),
        ]
    ):
        services.service_create(
            actor=chief,
            site=made,
            code=code,
            names=dict(zip(("fr", "nl", "de", "en"), NAMES[code], strict=True)),
            prefix=prefix,
            team=teams[team],
            order=order,
        )
    for code, served in [
        ("desk-1", ["passports", "information"]),
        ("desk-2", ["visas"]),
        ("desk-3", ["passports", "visas", "information"]),
    ]:
        services.desk_create(
            actor=chief,
            site=made,
            code=code,
            name=code.replace("-", " ").title(),
            services=list(made.services.filter(code__in=served)),
        )
    return made


@pytest.fixture
def service(site: Site) -> Callable[[str], Service]:
    return lambda code: site.services.get(code=code)


@pytest.fixture
def desk(site: Site) -> Callable[[str], Desk]:
    return lambda code: site.desks.get(code=code)


@pytest.fixture
def clerk(agent_in: Callable[..., Agent]) -> Agent:
    """A front-office agent of both teams."""
    return agent_in("front_office", "D")
