"""The figures of the channels (`contacts.selectors.channel_figures`): contacts per
channel, service and hour, and the counter's waiting times, in Brussels hours."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guichet.agents.models import Agent, Team
from guichet.contacts.models import Contact
from guichet.contacts.selectors import channel_figures
from guichet.core.errors import Forbidden, ValidationFailed
from tests.factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.UTC


@pytest.fixture
def teams(db: Any) -> dict[str, Team]:
    return {code: TeamFactory(code=code) for code in ("visas", "cc-fr", "other")}


@pytest.fixture
def chief(teams: dict[str, Team]) -> Agent:
    agent: Agent = AgentFactory(
        roles=["supervisor"], level="A1", teams=[teams["visas"], teams["cc-fr"]]
    )
    return agent


def _contact(
    team: Team,
    started: dt.datetime,
    *,
    channel: str = "phone",
    minutes: float = 5,
    waited: float | None = None,
) -> Contact:
    agent = AgentFactory(roles=["front_office"], teams=[team])
    return Contact.objects.create(
        channel=channel,
        started_at=started,
        ended_at=started + dt.timedelta(minutes=minutes),
        waiting_since=(
            started - dt.timedelta(minutes=waited) if waited is not None else None
        ),
        agent=agent,
        team=team,
    )


def _local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BRUSSELS)  # type: ignore[misc]


def test_counts_per_channel_team_and_local_hour(
    chief: Agent, teams: dict[str, Team]
) -> None:
    visas, cc = teams["visas"], teams["cc-fr"]
    last_of_nine = _local(2026, 6, 2, 9, 59, 59, 999999)
    _contact(visas, last_of_nine, channel="counter", waited=3)
    _contact(visas, _local(2026, 6, 2, 10, 0), channel="counter", waited=10)
    _contact(visas, _local(2026, 6, 2, 10, 30), channel="counter", waited=20)
    _contact(cc, _local(2026, 6, 2, 10, 15))
    _contact(cc, _local(2026, 6, 2, 10, 45), channel="email")
    _contact(teams["other"], _local(2026, 6, 2, 10, 15))  # not the chief's team

    figures = channel_figures(
        agent=chief, start=_local(2026, 6, 2, 0, 0), end=_local(2026, 6, 3, 0, 0)
    )

    assert [
        (row.team, row.channel, row.hour.strftime("%H:%M%z"), row.contacts)
        for row in figures.counts
    ] == [
        ("cc-fr", "email", "10:00+0200", 1),
        ("cc-fr", "phone", "10:00+0200", 1),
        ("visas", "counter", "09:00+0200", 1),
        ("visas", "counter", "10:00+0200", 2),
    ]
    assert [
        (row.hour.hour, row.visits, row.wait_mean, row.wait_median, row.wait_max)
        for row in figures.waiting
    ] == [(9, 1, 180, 180, 180), (10, 2, 900, 900, 1200)]
    assert all(row.serving_mean == 300 for row in figures.waiting)


def test_the_start_is_in_and_the_end_is_out(
    chief: Agent, teams: dict[str, Team]
) -> None:
    start, end = _local(2026, 6, 2, 10, 0), _local(2026, 6, 2, 11, 0)
    _contact(teams["visas"], start)
    _contact(teams["visas"], end)
    _contact(teams["visas"], start - dt.timedelta(microseconds=1))

    figures = channel_figures(agent=chief, start=start, end=end)

    assert [(row.hour, row.contacts) for row in figures.counts] == [(start, 1)]


def test_the_night_the_clocks_go_back_has_two_two_oclock_hours(
    chief: Agent, teams: dict[str, Team]
) -> None:
    """25 October 2026: 03:00 summer time becomes 02:00 winter time. A contact at
    00:30 UTC (02:30 summer time) and one at 01:30 UTC (02:30 winter time) are in
    two different hours, both named 02:00, an hour apart."""
    _contact(teams["visas"], dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), waited=1)
    _contact(teams["visas"], dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), waited=2)
    _contact(teams["visas"], dt.datetime(2026, 10, 25, 1, 45, tzinfo=UTC), waited=4)

    figures = channel_figures(
        agent=chief,
        start=_local(2026, 10, 25, 0, 0),
        end=_local(2026, 10, 26, 0, 0),
    )

    hours = [(row.hour.isoformat(), row.contacts) for row in figures.counts]
    assert hours == [
        ("2026-10-25T02:00:00+02:00", 1),
        ("2026-10-25T02:00:00+01:00", 2),
    ]
    first, second = (row.hour.astimezone(UTC) for row in figures.counts)
    assert second - first == dt.timedelta(hours=1)
    # No counter contact: the waits are not mixed with the phone's.
    assert figures.waiting == []


def test_the_night_the_clocks_go_forward_has_no_two_oclock_hour(
    chief: Agent, teams: dict[str, Team]
) -> None:
    """29 March 2026: 02:00 winter time becomes 03:00 summer time."""
    for minute in (30, 90):  # 01:30 winter time, 03:30 summer time
        _contact(
            teams["visas"],
            dt.datetime(2026, 3, 29, 0, 0, tzinfo=UTC) + dt.timedelta(minutes=minute),
            channel="counter",
            waited=6,
        )

    figures = channel_figures(
        agent=chief,
        start=_local(2026, 3, 29, 0, 0),
        end=_local(2026, 3, 30, 0, 0),
    )

    assert [row.hour.isoformat() for row in figures.waiting] == [
        "2026-03-29T01:00:00+01:00",
        "2026-03-29T03:00:00+02:00",
    ]


def test_a_counter_contact_without_arrival_is_counted_but_has_no_wait(
    chief: Agent, teams: dict[str, Team]
) -> None:
    _contact(teams["visas"], _local(2026, 6, 2, 10, 0), channel="counter")
    figures = channel_figures(
        agent=chief, start=_local(2026, 6, 2, 0, 0), end=_local(2026, 6, 3, 0, 0)
    )
    assert [row.contacts for row in figures.counts] == [1]
    assert figures.waiting == []


@pytest.mark.parametrize(
    ("role", "level"),
    [
        ("front_office", "A2"),
        ("first_line", "C"),
        ("dossier_handler", "A1"),
        ("admin", "A2"),
    ],
)
def test_only_supervisors_see_the_figures(
    teams: dict[str, Team], role: str, level: str
) -> None:
    agent = AgentFactory(roles=[role], level=level, teams=[teams["visas"]])
    with pytest.raises(Forbidden):
        channel_figures(
            agent=agent,
            start=_local(2026, 6, 2, 0, 0),
            end=_local(2026, 6, 3, 0, 0),
        )


def test_a_bad_period_is_refused(chief: Agent) -> None:
    naive = dt.datetime(2026, 6, 2, 10, 0)  # noqa: DTZ001 - the error tested
    with pytest.raises(ValidationFailed) as refused:
        channel_figures(agent=chief, start=naive, end=naive)
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("start", "naive_time"),
        ("end", "naive_time"),
    }
    start = _local(2026, 6, 2, 10, 0)
    with pytest.raises(ValidationFailed) as refused:
        channel_figures(agent=chief, start=start, end=start)
    assert refused.value.errors[0].code == "ends_before_start"
    with pytest.raises(ValidationFailed) as refused:
        channel_figures(agent=chief, start=start, end=start + dt.timedelta(days=367))
    assert refused.value.errors[0].code == "span_too_long"
