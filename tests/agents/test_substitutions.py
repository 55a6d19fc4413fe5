"""Substitution of an absent agent: who may name it, when it runs, what it does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.agents import substitutions
from guichet.agents.models import Substitution
from guichet.core import clock
from guichet.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def team(make_agent: Any) -> dict[str, Any]:
    return {
        "away": make_agent("second_line", teams=["cc-fr"], username="away"),
        "stand_in": make_agent("second_line", teams=["cc-fr"], username="stand_in"),
        "boss": make_agent("supervisor", teams=["cc-fr"], username="boss", level="A1"),
        "stranger": make_agent("second_line", teams=["cc-nl"], username="stranger"),
    }


def _codes(error: ValidationFailed) -> dict[str, str]:
    return {problem.field: problem.code for problem in error.errors}


def test_an_agent_names_their_substitute_for_a_period(team: Any) -> None:
    substitutions.substitution_create(
        actor=team["away"],
        agent=team["away"],
        substitute=team["stand_in"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=4),
    )
    assert substitutions.substitute_of(team["away"]) == team["stand_in"]
    assert (
        substitutions.substitute_of(team["away"], on=TODAY + dt.timedelta(days=5))
        is None
    )
    assert substitutions.standing_in_for(team["stand_in"]) == [team["away"]]


def test_a_supervisor_of_the_service_names_it_a_colleague_does_not(team: Any) -> None:
    substitutions.substitution_create(
        actor=team["boss"],
        agent=team["away"],
        substitute=team["stand_in"],
        starts_on=TODAY,
        ends_on=TODAY,
    )
    with pytest.raises(Forbidden):
        substitutions.substitution_create(
            actor=team["stand_in"],
            agent=team["away"],
            substitute=team["stand_in"],
            starts_on=TODAY + dt.timedelta(days=1),
            ends_on=TODAY + dt.timedelta(days=2),
        )


@pytest.mark.parametrize(
    ("substitute", "starts", "ends", "expected"),
    [
        ("away", 0, 1, {"substitute": "self"}),
        ("stranger", 0, 1, {"substitute": "no_shared_team"}),
        ("stand_in", 3, 1, {"ends_on": "ends_before_start"}),
        ("stand_in", 0, 400, {"ends_on": "too_long"}),
        ("stand_in", -10, -1, {"ends_on": "in_past"}),
    ],
)
def test_bad_periods_and_substitutes_are_refused(
    team: Any, substitute: str, starts: int, ends: int, expected: dict[str, str]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        substitutions.substitution_create(
            actor=team["away"],
            agent=team["away"],
            substitute=team[substitute],
            starts_on=TODAY + dt.timedelta(days=starts),
            ends_on=TODAY + dt.timedelta(days=ends),
        )
    assert _codes(caught.value) == expected
    assert not Substitution.objects.exists()


def test_periods_never_overlap_until_one_is_cancelled(team: Any) -> None:
    first = substitutions.substitution_create(
        actor=team["away"],
        agent=team["away"],
        substitute=team["stand_in"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=4),
    )
    with pytest.raises(ValidationFailed) as caught:
        substitutions.substitution_create(
            actor=team["away"],
            agent=team["away"],
            substitute=team["boss"],
            starts_on=TODAY + dt.timedelta(days=4),
            ends_on=TODAY + dt.timedelta(days=6),
        )
    assert _codes(caught.value) == {"starts_on": "overlap"}
    substitutions.substitution_cancel(actor=team["boss"], substitution=first)
    assert substitutions.substitute_of(team["away"]) is None
    substitutions.substitution_create(
        actor=team["away"],
        agent=team["away"],
        substitute=team["boss"],
        starts_on=TODAY + dt.timedelta(days=4),
        ends_on=TODAY + dt.timedelta(days=6),
    )
