"""Fixtures of the cash-book tests: a legalisation dossier with its 20-euro fee
put on it by the case type's `request_payment` step, and a counter of the
legalisation team with its front-office agents and supervisors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent, Team
from guichet.cashbook import services
from guichet.cashbook.models import Counter
from guichet.dossiers import services as dossier_services
from guichet.dossiers.models import Dossier, DossierFee
from tests.dossiers import conftest as dossier_fixtures
from tests.dossiers.conftest import hand_in_all, yes

# The dossiers' fixtures, shared: the shipped case types, their teams and agents.
teams = dossier_fixtures.teams
agent_in = dossier_fixtures.agent_in
handler = dossier_fixtures.handler
open_dossier = dossier_fixtures.open_dossier


@pytest.fixture
def clerk(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("front_office", "D", "legalisations")


@pytest.fixture
def senior_clerk(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("front_office", "C", "legalisations")


@pytest.fixture
def chief(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("supervisor", "B", "legalisations")


@pytest.fixture
def deputy(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("supervisor", "C", "legalisations")


@pytest.fixture
def counter(teams: dict[str, Team], chief: Agent) -> Counter:
    return services.counter_create(
        actor=chief, team=teams["legalisations"], code="till-1", name="Till 1"
    )


@pytest.fixture
def fee_of(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> Callable[..., DossierFee]:
    """A legalisation dossier taken to its payment step: its fee, 20.00 EUR."""

    def make(**facts: Any) -> DossierFee:
        dossier = open_dossier(
            "consular-legalisation", facts={"document_language": "nl", **facts}
        )
        hand_in_all(dossier)
        for code in ("conclude_complete", "request_payment"):
            dossier = dossier_services.dossier_transition(
                actor=handler,
                dossier=dossier,
                expected_version=dossier.version,
                transition=code,
                checklist=yes(dossier),
            )
        return DossierFee.objects.get(dossier=dossier)

    return make


@pytest.fixture
def fee(fee_of: Callable[..., DossierFee]) -> DossierFee:
    return fee_of()
