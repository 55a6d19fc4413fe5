"""The seeds' lists: each equals a plain count of its rows, never shows or counts a
confidential person the agent may not see, and validates its filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agenda.models import Appointment
from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.correspondence.models import IncomingMail, Letter
from guichet.dossiers.models import Dossier
from guichet.reports import lists
from guichet.servicerequests.models import Request
from tests.factories import AgentFactory, PersonFactory, TeamFactory

from . import listrows

DAY = dt.date(2026, 3, 2)
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """An agent of team A; a public person, one confidential to A (seen) and one
    confidential to B (hidden from the agent)."""
    team_a, team_b = TeamFactory(code="lists-a"), TeamFactory(code="lists-b")
    agent = AgentFactory(
        roles=["supervisor", "payment_agent"], teams=[team_a], username="lists.agent"
    )
    return {
        "agent": agent,
        "a": team_a,
        "b": team_b,
        "persons": [
            PersonFactory(),
            PersonFactory(confidential_team=team_a),
            PersonFactory(confidential_team=team_b),
        ],
    }


def _visible(model: Any, path: str, team_a: Any) -> Q:
    """A plain filter: rows whose person is public or confidential to team A."""
    return Q(**{f"{path}__confidential_team__isnull": True}) | Q(
        **{f"{path}__confidential_team": team_a}
    )


def _rows(spec: lists.ListSpec, agent: Any, data: dict[str, str]) -> list[Any]:
    return list(spec.rows(agent, spec.parse(agent, data)))


def test_complaints_are_counted_as_their_rows(world: dict[str, Any]) -> None:
    # given complaints of each person, one handled, one out of the period
    agent, team_a = world["agent"], world["a"]
    for person in world["persons"]:
        listrows.complaint(team=team_a, agent=agent, person=person, on=DAY)
    listrows.complaint(team=team_a, agent=agent, person=None, on=DAY, status="closed")
    listrows.complaint(team=team_a, agent=agent, person=None, on=dt.date(2026, 5, 1))
    hidden = Request.objects.get(person=world["persons"][2])
    # when the lists are read
    spec = lists.COMPLAINTS
    every = _rows(spec, agent, {**PERIOD, "team": "lists-a"})
    pending = _rows(spec, agent, {**PERIOD, "state": "pending"})
    handled = _rows(spec, agent, {**PERIOD, "state": "handled"})
    # then each equals a plain count of its rows, without the hidden one
    plain = Request.objects.filter(
        kind="complaint",
        received_at__date__gte=dt.date(2026, 3, 1),
        received_at__date__lte=dt.date(2026, 3, 31),
    ).filter(_visible(Request, "person", team_a) | Q(person__isnull=True))
    assert len(every) == plain.count() == 3
    assert len(handled) == plain.filter(status="closed").count() == 1
    assert len(pending) == plain.exclude(status="closed").count() == 2
    assert hidden not in every
    assert spec.count(agent, spec.parse(agent, PERIOD)) == 3


def test_a_page_is_logged_and_counts_every_row(world: dict[str, Any]) -> None:
    agent = world["agent"]
    for _ in range(3):
        listrows.complaint(team=world["a"], agent=agent, person=None, on=DAY)
    found = lists.page(
        agent=agent,
        spec=lists.COMPLAINTS,
        params=lists.COMPLAINTS.parse(agent, PERIOD),
    )
    assert found.count == 3
    assert [cells[0] for _obj, cells in found.rows] == [
        obj.reference for obj, _cells in found.rows
    ]
    assert AuditEvent.objects.filter(action="report.list_complaints").count() == 1


def test_dossiers_by_status_and_deadline(world: dict[str, Any]) -> None:
    agent, team_a = world["agent"], world["a"]
    for person in world["persons"]:
        listrows.dossier(
            team=team_a, agent=agent, person=person, processing_due=dt.date(2026, 3, 1)
        )
    listrows.dossier(
        team=team_a,
        agent=agent,
        person=None,
        status="decided",
        processing_due=dt.date(2026, 6, 1),
    )
    spec = lists.DOSSIERS
    due = _rows(spec, agent, {"due_before": "2026-03-15"})
    decided = _rows(spec, agent, {"status": "decided"})
    overdue = _rows(spec, agent, {"overdue": "1"})
    plain = Dossier.objects.filter(
        _visible(Dossier, "person", team_a) | Q(person__isnull=True)
    )
    assert len(due) == plain.filter(processing_due__lte="2026-03-15").count() == 2
    assert len(decided) == 1
    today = clock.today()
    assert len(overdue) == plain.filter(processing_due__lt=today).count()
    assert Dossier.objects.get(person=world["persons"][2]) not in due


def test_pensions_carry_what_was_paid_that_month(world: dict[str, Any]) -> None:
    agent, team_a = world["agent"], world["a"]
    public, seen, hidden = world["persons"]
    paid = listrows.pensioner(
        team=team_a, agent=agent, person=public, month="2026-03", paid="700.00"
    )
    listrows.pensioner(
        team=team_a, agent=agent, person=seen, month="2026-03", paid=None
    )
    listrows.pensioner(
        team=team_a, agent=agent, person=hidden, month="2026-03", paid="1.00"
    )
    rows = _rows(lists.PENSIONS, agent, {"kind": "prepension", "month": "2026-03"})
    by_person = {row.beneficiary.person: cells for row, cells in rows}
    assert set(by_person) == {public, seen}
    assert by_person[public][-2:] == [Decimal("700.00"), Decimal("5.00")]
    assert by_person[seen][-2:] == [Decimal("0.00"), Decimal("0.00")]
    headers = lists.PENSIONS.headers(
        lists.PENSIONS.parse(agent, {"kind": "prepension", "month": "2026-03"})
    )
    assert len(headers) == len(by_person[public])
    assert lists.paid_in_month([paid.pk], "2026-03") == {
        paid.pk: (Decimal("700.00"), Decimal("5.00"))
    }


def test_mail_registers_and_appointments_by_period(world: dict[str, Any]) -> None:
    agent, team_a = world["agent"], world["a"]
    for person in world["persons"]:
        for build in (listrows.incoming, listrows.letter, listrows.appointment):
            build(team=team_a, agent=agent, person=person, on=DAY)
    listrows.incoming(team=team_a, agent=agent, person=None, on=dt.date(2025, 1, 1))
    checks = [
        (lists.INCOMING, IncomingMail, "sender_person"),
        (lists.OUTGOING, Letter, "person"),
        (lists.APPOINTMENTS, Appointment, "person"),
    ]
    for spec, model, path in checks:
        rows = _rows(spec, agent, {**PERIOD, "team": "lists-a"})
        plain = model.objects.filter(_visible(model, path, team_a)).exclude(
            **{f"{path}__isnull": True}
        )
        if model is IncomingMail:
            plain = plain.filter(received_on__gte="2026-03-01")
        assert len(rows) == plain.count() == 2, spec.key
        assert all(getattr(row, path) != world["persons"][2] for row in rows)


@pytest.mark.parametrize(
    ("_case", "data", "field"),
    [
        ("not a date", {"start": "2026-13-01", "end": "2026-03-31"}, "start"),
        ("reversed", {"start": "2026-03-31", "end": "2026-03-01"}, "end"),
        ("too long", {"start": "2024-01-01", "end": "2026-03-01"}, "end"),
        ("unknown team", {**PERIOD, "team": "nowhere"}, "team"),
        ("empty start", {"start": "", "end": "2026-03-01"}, "start"),
    ],
)
def test_bad_filters_are_refused(
    world: dict[str, Any], _case: str, data: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        lists.COMPLAINTS.parse(world["agent"], data)
    assert field in {error.field for error in refused.value.errors}


def test_a_month_is_checked(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        lists.PENSIONS.parse(world["agent"], {"kind": "prepension", "month": "2026-3"})


def test_an_agent_without_the_grant_gets_no_row(world: dict[str, Any]) -> None:
    admin = AgentFactory(roles=["admin"], teams=[world["a"]], username="lists.admin")
    listrows.complaint(team=world["a"], agent=world["agent"], person=None, on=DAY)
    params = lists.COMPLAINTS.parse(admin, PERIOD)
    assert list(lists.COMPLAINTS.rows(admin, params)) == []


@settings(max_examples=15, deadline=None)
@given(shape=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=6))
def test_complaints_counts_equal_their_rows(
    world: dict[str, Any], shape: list[tuple[int, bool]]
) -> None:
    """Whatever the mix of persons and states, pending + handled = every one, each
    a plain count of the rows the agent sees."""
    agent, team_a = world["agent"], world["a"]
    Request.objects.all().delete()
    for who, closed in shape:
        person = world["persons"][who] if who < 3 else None
        listrows.complaint(
            team=team_a,
            agent=agent,
            person=person,
            on=DAY,
            status="closed" if closed else "new",
        )
    spec = lists.COMPLAINTS
    counts = {
        state: spec.count(agent, spec.parse(agent, {**PERIOD, "state": state}))
        for state in ("", "pending", "handled")
    }
    seen = [(who, closed) for who, closed in shape if who != 2]
    assert counts[""] == len(seen) == counts["pending"] + counts["handled"]
    assert counts["handled"] == sum(1 for _who, closed in seen if closed)
