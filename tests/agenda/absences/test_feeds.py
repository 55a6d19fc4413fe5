"""The private iCalendar feed: a token shown once, revocable, no citizen's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import icalendar
import pytest

from guichet.agenda import entries
from guichet.agenda.absences import services as absences
from guichet.agenda.feeds import selectors, services
from guichet.agenda.feeds.tokens import digest
from guichet.agenda.models import FeedToken
from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.core.errors import Conflict, NotFound

from .conftest import NOW, AbsenceTeam

pytestmark = pytest.mark.django_db

APPOINTMENT = entries.Entry(
    kind="appointment",
    key="appointment-1234",
    start=NOW + dt.timedelta(days=1),
    end=NOW + dt.timedelta(days=1, minutes=30),
    title="Biometrics of Hélène Lefèvre (85.07.30-033.61)",
    feed_title="Appointment at the counter",
    sequence=3,
)


@pytest.fixture
def feed_appointment() -> Iterator[None]:
    """An appointment in every agent's agenda whose title names a citizen."""

    def source(
        viewer: Agent, agent: Agent, start: dt.datetime, end: dt.datetime
    ) -> list[entries.Entry]:
        return [APPOINTMENT]

    entries.agent_sources.append(source)
    yield
    entries.agent_sources.remove(source)


def test_a_feed_serves_the_agenda_without_a_citizens_data(
    absence_team: AbsenceTeam, feed_appointment: None
) -> None:
    agent = absence_team.agent
    absences.absence_create(
        actor=agent,
        agent=agent,
        kind="leave",
        starts_on=dt.date(2026, 3, 30),
        ends_on=dt.date(2026, 3, 31),
    )
    created = services.feed_create(actor=agent)
    assert created.feed.token_sha256 == digest(created.token)
    assert created.token not in str(
        list(AuditEvent.objects.values_list("summary", flat=True))
    )

    data = selectors.feed_calendar(token=created.token)

    text = data.decode()
    assert "Lefèvre" not in text
    assert "Hélène" not in text
    assert "85.07.30" not in text
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    appointment = events["appointment-1234@guichet"]
    assert str(appointment["summary"]) == "Appointment at the counter"
    assert int(appointment["sequence"]) == 3
    assert appointment.decoded("dtstart") == APPOINTMENT.start
    [leave_uid] = [uid for uid in events if uid.startswith("absence-")]
    leave = events[leave_uid]
    assert str(leave["summary"]) == "leave"
    assert leave.decoded("dtstart") == dt.date(2026, 3, 30)
    assert leave.decoded("dtend") == dt.date(2026, 4, 1)


def test_a_new_feed_revokes_the_old_one_and_a_revoked_feed_is_not_found(
    absence_team: AbsenceTeam,
) -> None:
    agent = absence_team.agent
    first = services.feed_create(actor=agent)
    second = services.feed_create(actor=agent)

    with pytest.raises(NotFound):
        selectors.feed_calendar(token=first.token)
    assert selectors.feed_calendar(token=second.token).startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(NotFound):
        services.feed_revoke(actor=absence_team.colleague, feed_id=second.feed.uuid)
    services.feed_revoke(actor=agent, feed_id=second.feed.uuid)
    with pytest.raises(NotFound):
        selectors.feed_calendar(token=second.token)
    with pytest.raises(NotFound):
        selectors.feed_calendar(token="x" * 43)
    with pytest.raises(Conflict):
        services.feed_revoke(actor=agent, feed_id=second.feed.uuid)
    assert FeedToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert list(
        AuditEvent.objects.filter(action__startswith="agenda_feed.").values_list(
            "action", flat=True
        )
    ) == [
        "agenda_feed.create",
        "agenda_feed.revoke",
        "agenda_feed.create",
        "agenda_feed.revoke",
    ]


def test_a_feed_of_an_agent_who_left_is_not_found(absence_team: AbsenceTeam) -> None:
    agent = absence_team.agent
    created = services.feed_create(actor=agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        selectors.feed_calendar(token=created.token)
