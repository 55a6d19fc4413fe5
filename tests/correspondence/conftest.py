"""Fixtures of correspondence: a service with its letterhead, the shipped templates,
writers at each level, a supervisor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.correspondence.services import templates_load
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import TeamFactory


@pytest.fixture
def service(db: Any) -> Any:
    """The legalisation service (team 'legalisations') with its letterhead, LEG."""
    return LetterheadFactory(team=TeamFactory(code="legalisations"))


@pytest.fixture
def templates(db: Any) -> int:
    return templates_load(actor=None)


@pytest.fixture
def writer(make_agent: Callable[..., Any], service: Any) -> Callable[..., Any]:
    """A front-office agent of the legalisation service at the given level."""

    def make(level: str = "C", role: str = "front_office", **fields: Any) -> Any:
        return make_agent(
            role,
            level=level,
            teams=("legalisations",),
            username=f"{role}-{level}",
            **fields,
        )

    return make


@pytest.fixture
def supervisor(make_agent: Callable[..., Any], service: Any) -> Any:
    return make_agent(
        "supervisor",
        level="A1",
        teams=("legalisations",),
        username="chief",
        first_name="Hendrik",
    )


@pytest.fixture
def person(db: Any) -> Any:
    return person_with_address(
        given_names="Hélène", surname="Lefèvre", sex="F", language="fr"
    )
