"""Absences: whole Brussels days or hours, never overlapping, with a substitute."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.agenda import availability, entries
from guichet.agenda.absences import selectors, services
from guichet.agenda.absences.periods import BRUSSELS
from guichet.agenda.models import Absence
from guichet.agents.models import Substitution
from guichet.audit.models import AuditEvent
from guichet.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

from .conftest import AbsenceTeam

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.mark.parametrize(
    ("_case", "day", "hours"),
    [
        ("clocks go forward", dt.date(2026, 3, 29), 23),
        ("clocks go back", dt.date(2026, 10, 25), 25),
        ("ordinary day", dt.date(2026, 3, 30), 24),
    ],
)
def test_a_whole_day_runs_from_midnight_to_midnight_in_brussels(
    absence_team: AbsenceTeam, _case: str, day: dt.date, hours: int
) -> None:
    absence = services.absence_create(
        actor=absence_team.agent,
        agent=absence_team.agent,
        kind="leave",
        starts_on=day,
        ends_on=day,
    )

    assert absence.all_day
    assert absence.ends_at - absence.starts_at == dt.timedelta(hours=hours)
    assert absence.starts_at.astimezone(UTC).hour in {22, 23}  # midnight in Brussels
    assert availability.is_busy(
        agent=absence_team.agent,
        start=absence.starts_at,
        end=absence.starts_at + dt.timedelta(minutes=1),
    )
    assert not availability.is_busy(
        agent=absence_team.agent,
        start=absence.ends_at,
        end=absence.ends_at + dt.timedelta(hours=1),
    )


def test_an_overlapping_absence_is_refused_and_nothing_is_written(
    absence_team: AbsenceTeam,
) -> None:
    agent = absence_team.agent
    services.absence_create(
        actor=agent,
        agent=agent,
        kind="training",
        starts_at=dt.datetime(2026, 3, 24, 9, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 24, 12, 0, tzinfo=BRUSSELS),
    )
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationFailed) as caught:
        services.absence_create(
            actor=absence_team.supervisor,
            agent=agent,
            kind="leave",
            starts_on=dt.date(2026, 3, 24),
            ends_on=dt.date(2026, 3, 25),
            substitute=absence_team.colleague,
        )

    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("starts_on", "absence_overlap")
    ]
    assert Absence.objects.count() == 1
    assert Substitution.objects.count() == 0
    assert AuditEvent.objects.count() == before
    # hours that only touch the first absence are fine
    services.absence_create(
        actor=agent,
        agent=agent,
        kind="other",
        starts_at=dt.datetime(2026, 3, 24, 12, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 24, 13, 0, tzinfo=BRUSSELS),
    )


def test_bad_periods_and_kinds_are_named(absence_team: AbsenceTeam) -> None:
    agent = absence_team.agent
    with pytest.raises(ValidationFailed) as caught:
        services.absence_create(
            actor=agent,
            agent=agent,
            kind="holiday",
            starts_on=dt.date(2026, 3, 25),
            ends_on=dt.date(2026, 3, 24),
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("kind", "invalid_kind"),
        ("ends_on", "ends_before_start"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        services.absence_create(actor=agent, agent=agent, kind="sick")
    assert [e.code for e in caught.value.errors] == ["period_required"]
    with pytest.raises(ValidationFailed) as caught:
        services.absence_create(
            actor=agent,
            agent=agent,
            kind="sick",
            starts_on=dt.date(2026, 3, 24),
            ends_on=dt.date(2027, 3, 30),
        )
    assert [e.code for e in caught.value.errors] == ["too_long"]
    assert Absence.objects.count() == 0


def test_the_substitute_is_named_with_the_absence_and_cancelled_with_it(
    absence_team: AbsenceTeam,
) -> None:
    # given the supervisor records a colleague's leave with a substitute
    absence = services.absence_create(
        actor=absence_team.supervisor,
        agent=absence_team.agent,
        kind="leave",
        starts_on=dt.date(2026, 3, 30),
        ends_on=dt.date(2026, 4, 3),
        substitute=absence_team.colleague,
    )
    substitution = Substitution.objects.get()
    assert absence.substitution == substitution
    assert (
        substitution.agent,
        substitution.substitute,
        substitution.starts_on,
        substitution.ends_on,
    ) == (
        absence_team.agent,
        absence_team.colleague,
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 3),
    )

    # when the agent cancels it
    cancelled = services.absence_cancel(
        actor=absence_team.agent, absence_id=absence.uuid
    )

    # then the substitution is cancelled too, and a second cancel is refused
    substitution.refresh_from_db()
    assert cancelled.cancelled_at is not None
    assert substitution.cancelled_at is not None
    assert not availability.is_busy(
        agent=absence_team.agent, start=absence.starts_at, end=absence.ends_at
    )
    assert [
        event.action
        for event in AuditEvent.objects.filter(
            action__in=[
                "absence.create",
                "absence.cancel",
                "substitution.create",
                "substitution.cancel",
            ]
        )
    ] == [
        "substitution.create",
        "absence.create",
        "substitution.cancel",
        "absence.cancel",
    ]
    with pytest.raises(Conflict):
        services.absence_cancel(actor=absence_team.agent, absence_id=absence.uuid)


def test_a_refused_substitute_refuses_the_absence(absence_team: AbsenceTeam) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.absence_create(
            actor=absence_team.agent,
            agent=absence_team.agent,
            kind="leave",
            starts_on=dt.date(2026, 3, 30),
            ends_on=dt.date(2026, 3, 30),
            substitute=absence_team.outsider,
        )
    assert [e.code for e in caught.value.errors] == ["no_shared_team"]
    assert Absence.objects.count() == 0


def test_only_the_agent_or_their_supervisor_records_and_cancels(
    absence_team: AbsenceTeam,
) -> None:
    team = absence_team
    for actor in (team.colleague, team.outsider):
        with pytest.raises(Forbidden):
            services.absence_create(
                actor=actor,
                agent=team.agent,
                kind="leave",
                starts_on=dt.date(2026, 3, 30),
                ends_on=dt.date(2026, 3, 30),
            )
    absence = services.absence_create(
        actor=team.agent,
        agent=team.agent,
        kind="sick",
        starts_on=dt.date(2026, 3, 23),
        ends_on=dt.date(2026, 3, 24),
    )
    # a colleague sees the absence but may not cancel it; another service sees
    # nothing: the same answer as for an absence that does not exist
    with pytest.raises(Forbidden):
        services.absence_cancel(actor=team.colleague, absence_id=absence.uuid)
    with pytest.raises(NotFound):
        services.absence_cancel(actor=team.outsider, absence_id=absence.uuid)
    with pytest.raises(NotFound):
        selectors.absence_get_for_agent(agent=team.outsider, absence_id=absence.uuid)
    assert Absence.objects.get().cancelled_at is None


def test_the_kind_is_seen_by_the_agent_and_supervisor_only(
    absence_team: AbsenceTeam,
) -> None:
    team = absence_team
    absence = services.absence_create(
        actor=team.agent,
        agent=team.agent,
        kind="sick",
        starts_on=dt.date(2026, 3, 23),
        ends_on=dt.date(2026, 3, 24),
    )

    seen = {
        viewer.username: selectors.absence_get_for_agent(
            agent=viewer, absence_id=absence.uuid
        )
        for viewer in (team.agent, team.supervisor, team.colleague)
    }

    assert {name: view.kind for name, view in seen.items()} == {
        "anna": "sick",
        "chief": "sick",
        "bert": None,
    }
    assert seen["bert"].label == "absent"
    day = dt.datetime(2026, 3, 23, tzinfo=UTC)
    titles = {
        viewer.username: [
            entry.title
            for entry in entries.agent_entries(
                viewer=viewer,
                agent=team.agent,
                start=day,
                end=day + dt.timedelta(days=1),
            )
        ]
        for viewer in (team.agent, team.colleague, team.outsider)
    }
    assert titles == {"anna": ["sick"], "bert": ["absent"], "other": []}
    presence = selectors.presence(viewer=team.colleague, first=dt.date(2026, 3, 23))
    [visas] = presence
    rows = {row.agent.username: row.days for row in visas.rows}
    assert [day is not None for day in rows["anna"]] == [
        True,
        True,
        False,
        False,
        False,
    ]
    first = rows["anna"][0]
    assert first is not None
    assert first.kind is None
    assert all(day is None for day in rows["bert"])
