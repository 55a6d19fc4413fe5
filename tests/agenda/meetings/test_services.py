"""Meetings, bookings and events through their services: the rules, the
policy, the iTIP e-mails through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from typing import Any

import icalendar
import pytest

from guichet.access import policy
from guichet.agenda import entries
from guichet.agenda.meetings import selectors, services
from guichet.agenda.meetings import tokens as meeting_tokens
from guichet.agenda.models import Booking, Meeting, Participant, Resource
from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.agenda.meetings.conftest import at

# The real SMTP server on loopback (aiosmtpd) of the correspondence tests.
from tests.correspondence.test_dispatch import Inbox, smtp  # noqa: F401

pytestmark = pytest.mark.django_db


def _calendars(inbox: Inbox) -> list[tuple[list[str], icalendar.Calendar, str]]:
    found = []
    for _sender, recipients, raw in inbox.messages:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        found.extend(
            (
                recipients,
                icalendar.Calendar.from_ical(part.get_content()),
                str(message.get_body(("plain",)).get_content()),
            )
            for part in message.walk()
            if part.get_content_type() == "text/calendar"
        )
    return found


def _meeting(organiser: Agent, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "title": "Team meeting",
        "start": at("2027-03-10", 10),
        "end": at("2027-03-10", 11),
        **fields,
    }
    return services.meeting_create(actor=organiser, **values)


def test_invitations_updates_and_cancellation_are_itip_mails(
    smtp: Inbox,  # noqa: F811
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
    meet_room: Resource,
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    meeting = _meeting(
        meet_organiser,
        place="First floor",
        agents=[colleague],
        guests=[services.Guest(email="Ext@Example.be", name="Ext Person")],
        resources=[meet_room],
        link_base="https://guichet.example/public/meetings/",
    )

    sent = _calendars(smtp)
    assert sorted(recipients[0] for recipients, _cal, _body in sent) == [
        colleague.email,
        "ext@example.be",
    ]
    for recipients, cal, body in sent:
        assert cal["method"] == "REQUEST"
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["uid"]) == f"{meeting.uuid}@guichet"
        assert int(vevent["sequence"]) == 0
        assert vevent.decoded("dtstart") == at("2027-03-10", 10)
        # Each invitation names the organiser and its own recipient only.
        assert [str(a) for a in [vevent["attendee"]]] == [f"mailto:{recipients[0]}"]
        assert "10/03/2027 10:00 - 11:00 (CET)" in body
    external_body = next(body for r, _c, body in sent if r == ["ext@example.be"])
    participant = Participant.objects.get(email="ext@example.be")
    token = meeting_tokens.token_for(participant)
    assert f"https://guichet.example/public/meetings/{token}/" in external_body
    assert participant.token_digest == meeting_tokens.token_digest(token)
    assert token not in participant.token_digest

    smtp.messages.clear()
    meeting = services.meeting_update(
        actor=meet_organiser,
        meeting_id=meeting.uuid,
        expected_version=meeting.version,
        title="Team meeting (moved)",
        start=at("2027-03-10", 14),
        end=at("2027-03-10", 15),
        agents=[colleague],
    )
    updates = _calendars(smtp)
    methods = {
        r[0]: (c["method"], int(c.walk("VEVENT")[0]["sequence"])) for r, c, _ in updates
    }
    assert methods == {colleague.email: ("REQUEST", 1), "ext@example.be": ("CANCEL", 1)}
    booking = Booking.objects.get(meeting=meeting)
    assert (booking.start, booking.end) == (meeting.start, meeting.end)

    smtp.messages.clear()
    services.meeting_cancel(
        actor=meet_organiser, meeting_id=meeting.uuid, expected_version=meeting.version
    )
    (cancel,) = _calendars(smtp)
    assert cancel[0] == [colleague.email]
    assert cancel[1]["method"] == "CANCEL"
    vevent = cancel[1].walk("VEVENT")[0]
    assert (int(vevent["sequence"]), str(vevent["status"])) == (2, "CANCELLED")
    assert not Booking.objects.filter(meeting=meeting, cancelled_at__isnull=True)


def test_a_failing_mail_server_leaves_the_invitation_to_send_again(
    meet_organiser: Agent, meet_agent: Callable[..., Agent], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    colleague = meet_agent("first_line", "cc-fr")
    meeting = _meeting(meet_organiser, agents=[colleague])  # the task failed
    with pytest.raises(OSError, match="not sent"):
        services.meeting_invitations_deliver(meeting_id=str(meeting.uuid))
    assert Participant.objects.get(agent=colleague).sent_sequence == -1


def test_answers_of_agents_and_of_external_people(
    meet_organiser: Agent, meet_agent: Callable[..., Agent]
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    meeting = _meeting(meet_organiser, agents=[colleague], guests=["guest@example.be"])
    services.meeting_answer(actor=colleague, meeting_id=meeting.uuid, answer="accepted")
    guest = Participant.objects.get(email="guest@example.be")
    services.meeting_answer_public(
        token=meeting_tokens.token_for(guest), answer="tentative"
    )
    answers = {
        p.display_name: p.answer for p in selectors.meeting_participants(meeting)
    }
    assert sorted(answers.values()) == ["accepted", "tentative"]
    with pytest.raises(NotFound):
        services.meeting_answer_public(token="x" * 43, answer="accepted")
    with pytest.raises(ValidationFailed):
        services.meeting_answer(
            actor=colleague, meeting_id=meeting.uuid, answer="maybe"
        )
    with pytest.raises(Forbidden):
        services.meeting_answer(
            actor=meet_organiser, meeting_id=meeting.uuid, answer="accepted"
        )


def test_who_sees_a_meeting(
    meet_organiser: Agent, meet_agent: Callable[..., Agent], meet_chief: Agent
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    cc_chief = meet_agent("supervisor", "cc-fr")
    stranger = meet_agent("support_agent", "support")
    other_chief = meet_agent("supervisor")
    other_chief.memberships.all().delete()
    other_chief.forget_cached_access()
    meeting = _meeting(meet_organiser, agents=[colleague])

    for agent in (meet_organiser, colleague, meet_chief, cc_chief):
        assert selectors.meeting_get_for_agent(agent=agent, key=meeting.uuid)
    for agent in (stranger, other_chief):
        with pytest.raises(NotFound):
            selectors.meeting_get_for_agent(agent=agent, key=meeting.uuid)
        with pytest.raises(NotFound):
            services.meeting_answer(
                actor=agent, meeting_id=meeting.uuid, answer="accepted"
            )
    # Only the organiser changes it.
    assert policy.may(meet_organiser, "agenda.meeting_edit", meeting)
    with pytest.raises(Forbidden):
        services.meeting_cancel(
            actor=colleague, meeting_id=meeting.uuid, expected_version=1
        )


def test_a_resource_is_never_booked_twice(
    meet_organiser: Agent, meet_agent: Callable[..., Agent], meet_room: Resource
) -> None:
    _meeting(meet_organiser, resources=[meet_room])
    other = meet_agent()
    with pytest.raises(Conflict) as refused:
        _meeting(
            other,
            start=at("2027-03-10", 10, 30),
            end=at("2027-03-10", 12),
            resources=[meet_room],
        )
    assert refused.value.code == "resource_taken"
    assert "Room 1 is already booked between 10/03/2027 10:00 and 11:00" in (
        refused.value.text
    )
    assert Meeting.objects.count() == 1  # nothing written
    # Back to back is fine: the end is excluded.
    later = _meeting(
        other,
        start=at("2027-03-10", 11),
        end=at("2027-03-10", 12),
        resources=[meet_room],
    )
    # Moving a meeting over another's booking is refused too.
    with pytest.raises(Conflict):
        services.meeting_update(
            actor=other,
            meeting_id=later.uuid,
            expected_version=later.version,
            title="x",
            start=at("2027-03-10", 10, 45),
            end=at("2027-03-10", 12),
        )


def test_booking_the_database_refuses_on_postgresql(
    meet_organiser: Agent, meet_room: Resource
) -> None:
    """The last line: the exclusion constraint refuses an overlap written past
    the services (PostgreSQL only; SQLite has no such constraint)."""
    from django.db import IntegrityError, connection, transaction

    first = _meeting(meet_organiser, resources=[meet_room])
    second = _meeting(meet_organiser, title="Other")
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            resource=meet_room,
            meeting=second,
            booked_by=meet_organiser,
            start=first.start,
            end=first.end,
        )


def test_the_constraint_refusal_reads_as_the_locked_checks(
    meet_organiser: Agent, meet_room: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the locked check (as if two writers had both passed it), the
    exclusion constraint's refusal is the same clear error (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints")
    _meeting(meet_organiser, resources=[meet_room])
    second = _meeting(meet_organiser, title="Other")
    monkeypatch.setattr(services, "_check_free", lambda *args, **kwargs: None)
    with pytest.raises(Conflict) as refused:
        services.resource_book(
            actor=meet_organiser, resource_id=meet_room.uuid, meeting_id=second.uuid
        )
    assert refused.value.code == "resource_taken"
    assert "Room 1 is already booked" in refused.value.text


def test_meetings_across_both_dst_changes_keep_their_brussels_hours(
    meet_organiser: Agent,
) -> None:
    spring = _meeting(
        meet_organiser, start=at("2027-03-28", 1), end=at("2027-03-28", 4)
    )
    autumn = _meeting(
        meet_organiser, start=at("2027-10-31", 1), end=at("2027-10-31", 4)
    )
    assert (spring.end - spring.start).total_seconds() == 2 * 3600
    assert (autumn.end - autumn.start).total_seconds() == 4 * 3600
    day = entries.agent_entries(
        viewer=meet_organiser,
        agent=meet_organiser,
        start=at("2027-10-31", 0),
        end=at("2027-11-01", 0),
    )
    assert [entry.key for entry in day] == [str(autumn.uuid)]


def test_bad_input_writes_nothing(meet_organiser: Agent) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.meeting_create(
            actor=meet_organiser,
            title="",
            start=at("2027-03-10", 11),
            end=at("2027-03-10", 10),
            guests=["not an address"],
        )
    assert {e.field for e in refused.value.errors} == {"title", "end", "emails"}
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.filter(action="agenda.meeting_create").exists()


def test_agenda_entries_of_an_agent_and_a_team(
    meet_organiser: Agent, meet_agent: Callable[..., Agent], meet_chief: Agent
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    meeting = _meeting(meet_organiser, agents=[colleague])
    team = colleague.memberships.get().team
    seen = entries.team_entries(
        viewer=meet_chief,
        team=meet_chief.memberships.get().team,
        start=at("2027-03-10", 0),
        end=at("2027-03-11", 0),
    )
    assert [(e.kind, e.key) for e in seen] == [("meeting", str(meeting.uuid))]
    # The agent's free title stays inside Guichet; the feed gets only the kind.
    assert (seen[0].title, seen[0].feed_title) == (meeting.title, "Meeting")
    # A stranger asking for the colleague's team sees nothing of it.
    stranger = meet_agent("support_agent")
    assert not entries.team_entries(
        viewer=stranger, team=team, start=at("2027-03-10", 0), end=at("2027-03-11", 0)
    )


def test_resources_are_set_up_by_supervisors(
    meet_organiser: Agent, meet_chief: Agent, meet_room: Resource
) -> None:
    with pytest.raises(Forbidden):
        services.resource_create(
            actor=meet_organiser, code="r2", name="R2", kind="room"
        )
    with pytest.raises(ValidationFailed):
        services.resource_create(actor=meet_chief, code="room-1", name="x", kind="room")
    closed = services.resource_update(
        actor=meet_chief,
        resource_id=meet_room.uuid,
        expected_version=meet_room.version,
        name="Room 1",
        kind="room",
        capacity=8,
        is_active=False,
    )
    assert not closed.is_active
    with pytest.raises(ValidationFailed):
        _meeting(meet_organiser, resources=[closed])
