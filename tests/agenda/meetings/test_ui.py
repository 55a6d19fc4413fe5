"""The Agenda section's pages and the public answer page, through Django's test
client."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

import pytest

from guichet.agenda.meetings import services
from guichet.agenda.meetings import tokens as meeting_tokens
from guichet.agenda.models import Booking, Participant, Resource
from guichet.agents.models import Agent
from tests.agenda.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _client(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def test_plan_a_meeting_see_it_by_week_and_month_and_answer_it(
    meet_organiser: Agent, meet_agent: Callable[..., Agent], meet_room: Resource
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    client = _client(meet_organiser)
    form = client.get("/agenda/meetings/new/?date=2027-03-10")
    assert form.status_code == 200
    created = client.post(
        "/agenda/meetings/new/",
        {
            "title": "Planning",
            "day": "2027-03-10",
            "start_time": "10:00",
            "end_time": "11:00",
            "agents": [str(colleague.uuid)],
            "guests": "ext@example.be",
            "resources": [str(meet_room.uuid)],
        },
    )
    assert created.status_code == 302, created.content
    page = client.get(created["Location"])
    assert b"Room 1" in page.content
    assert b"ext@example.be" in page.content
    for view in ("day", "week", "month"):
        agenda = client.get(f"/agenda/?view={view}&date=2027-03-10")
        assert agenda.status_code == 200
        assert b"Planning" in agenda.content
    # The same room over it: refused with the clear message, nothing planned.
    clash = client.post(
        "/agenda/meetings/new/",
        {
            "title": "Other",
            "day": "2027-03-10",
            "start_time": "10:30",
            "end_time": "12:00",
            "resources": [str(meet_room.uuid)],
        },
    )
    assert clash.status_code == 422
    assert b"Room 1 is already booked" in clash.content

    freed = client.post(created["Location"], {"release": str(meet_room.uuid)})
    assert freed.status_code == 302
    assert not Booking.objects.filter(cancelled_at__isnull=True).exists()
    answered = _client(colleague).post(created["Location"], {"answer": "declined"})
    assert answered.status_code == 302
    assert Participant.objects.get(agent=colleague).answer == "declined"
    # A stranger: the meeting does not exist for them.
    stranger = _client(meet_agent("first_line", "cc-fr"))
    assert stranger.get(created["Location"]).status_code == 404


def test_the_public_answer_page_shows_only_the_invitation(
    meet_organiser: Agent, meet_agent: Callable[..., Agent]
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    services.meeting_create(
        actor=meet_organiser,
        title="Planning",
        start=at("2027-03-10", 10),
        end=at("2027-03-10", 11),
        agents=[colleague],
        guests=["ext@example.be", "other@example.be"],
    )
    guest = Participant.objects.get(email="ext@example.be")
    url = f"/public/meetings/{meeting_tokens.token_for(guest)}/"
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert b"Planning" in page.content
    # Nobody else's name or address.
    assert b"other@example.be" not in page.content
    assert colleague.last_name.encode() not in page.content
    assert client.post(url, {"answer": "accepted"}).status_code == 302
    guest.refresh_from_db()
    assert guest.answer == "accepted"
    assert client.get("/public/meetings/" + "x" * 43 + "/").status_code == 404


def test_resources_page_for_supervisors_and_events(
    meet_chief: Agent, meet_organiser: Agent, meet_room: Resource
) -> None:
    chief = _client(meet_chief)
    added = chief.post(
        "/agenda/resources/",
        {"code": "beamer", "name": "Beamer", "kind": "equipment"},
    )
    assert added.status_code == 302
    edit = chief.get(f"/agenda/resources/{meet_room.uuid}/")
    assert edit.status_code == 200
    organiser = _client(meet_organiser)
    assert organiser.get(f"/agenda/resources/{meet_room.uuid}/").status_code == 403
    assert b"Beamer" in organiser.get("/agenda/resources/").content
    event = organiser.post(
        "/agenda/events/new/",
        {
            "kind": "training",
            "title": "New software",
            "day": "2027-04-06",
            "start_time": "09:00",
            "end_time": "12:00",
            "capacity": "1",
        },
    )
    assert event.status_code == 302
    assert chief.post(event["Location"], {"register": "1"}).status_code == 302
    assert b"New software" in chief.get("/agenda/events/").content


def test_a_day_far_off_or_malformed_shows_today(meet_organiser: Agent) -> None:
    client = _client(meet_organiser)
    for day in ("9999-12-31", "0001-01-01", "not-a-day"):
        assert client.get(f"/agenda/?view=month&date={day}").status_code == 200


def test_the_organiser_cancels_an_event_after_confirming(
    meet_organiser: Agent, meet_agent: Callable[..., Agent]
) -> None:
    event = services.event_create(
        actor=meet_organiser,
        kind="information",
        title="Open day",
        start=at("2027-05-04", 14),
        end=at("2027-05-04", 16),
        capacity=10,
    )
    client = _client(meet_organiser)
    page = client.get(f"/agenda/events/{event.uuid}/").content.decode()
    assert f"/agenda/events/{event.uuid}/cancel/" in page
    # A colleague who may not manage it gets no button, and the form answers 403.
    colleague = meet_agent("first_line", "cc-fr")
    assert (
        "/cancel/"
        not in _client(colleague).get(f"/agenda/events/{event.uuid}/").content.decode()
    )
    assert (
        _client(colleague).get(f"/agenda/events/{event.uuid}/cancel/").status_code
        == 403
    )

    confirm = client.get(f"/agenda/events/{event.uuid}/cancel/")
    assert confirm.status_code == 200
    done = client.post(
        f"/agenda/events/{event.uuid}/cancel/", {"version": event.version}
    )

    assert done.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    page = client.get(f"/agenda/events/{event.uuid}/").content.decode()
    assert "This event is cancelled." in page
    assert 'name="register"' not in page
