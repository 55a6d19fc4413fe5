"""Agents and persons for the UI tests, and a logged-in browser-like client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from tests.factories import OrganisationFactory, PersonFactory, TeamFactory


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    """A client logged in as the agent (English, unless the agent chose otherwise)."""

    def make(agent: Any) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(agent)
        return client

    return make


@pytest.fixture
def agents(make_agent: Callable[..., Any]) -> dict[str, Any]:
    """One agent per situation of the authorization matrix."""
    return {
        "first_line": make_agent(
            "first_line", level="C", teams=("cc-fr",), username="first"
        ),
        "level_d": make_agent(
            "support_agent", level="D", teams=("support",), username="support.d"
        ),
        "visas": make_agent(
            "front_office", level="C", teams=("visas",), username="front.visa"
        ),
        "admin": make_agent("admin", level="A2", teams=("support",), username="admin"),
    }


@pytest.fixture
def person(db: Any) -> Any:
    return PersonFactory(given_names="Louise", surname="Lambert", language="fr")


@pytest.fixture
def confidential(db: Any) -> Any:
    return PersonFactory(
        given_names="Louis",
        surname="Lambrecht",
        confidential_team=TeamFactory(code="visas"),
    )


@pytest.fixture
def organisation(db: Any) -> Any:
    return OrganisationFactory(
        name="Garage Lambert & Fils SA", enterprise_number="0403170701"
    )
