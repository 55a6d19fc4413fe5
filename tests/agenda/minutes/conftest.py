"""Fixtures of the minutes: a service with its letterhead and its writers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.correspondence.factories import LetterheadFactory
from tests.factories import TeamFactory


@pytest.fixture
def minutes_writer(make_agent: Callable[..., Any], db: Any) -> Callable[..., Any]:
    """A front-office agent of the legalisation service (with its letterhead) at
    the given level."""
    LetterheadFactory(team=TeamFactory(code="legalisations"))

    def make(level: str = "C", role: str = "front_office", **fields: Any) -> Any:
        return make_agent(
            role,
            level=level,
            teams=("legalisations",),
            username=f"{role}-{level}",
            **fields,
        )

    return make
