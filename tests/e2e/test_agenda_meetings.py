"""Meetings in a real browser: an organiser invites an agent and an external
person to a meeting in a room, sees it in the week view, and tries to book the
same room over it: refused, with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agenda.models import Meeting, Participant, Resource
from guichet.agents.models import Agent
from tests.agenda.meetings import conftest as meetings

# The meetings' fixtures: two teams, their agents, a room.
meet_teams = meetings.meet_teams
meet_agent = meetings.meet_agent
meet_organiser = meetings.meet_organiser
meet_chief = meetings.meet_chief
meet_room = meetings.meet_room

Check = Callable[[str, str | None], None]


def _plan(ui: Any, title: str, start: str, end: str, room: str) -> None:
    ui.go("/agenda/meetings/new/?date=2027-03-10")
    ui.page.get_by_label("Title").fill(title)
    ui.page.get_by_label("Day").fill("2027-03-10")
    ui.page.get_by_label("From").fill(start)
    ui.page.get_by_label("Until").fill(end)
    ui.page.get_by_label(room).check()


def test_invite_see_the_week_and_be_refused_the_same_room(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
    meet_room: Resource,
) -> None:
    colleague = meet_agent(
        "first_line", "cc-fr", first_name="Amélie", last_name="Lambert"
    )
    ui.login(meet_organiser.username)
    # given the Agenda section, when the organiser plans a meeting in Room 1
    ui.page.get_by_role("link", name="Agenda").first.click()
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text("My agenda")
    _plan(ui, "Quarterly planning", "10:00", "11:30", "Room 1")
    ui.page.get_by_label("Agents invited").select_option(label="Amélie Lambert")
    ui.page.get_by_label("External people invited").fill("partner@example.be")
    checked("the meeting form", None)
    ui.page.get_by_role("button", name="Save and send the invitations").click()
    # then the meeting shows both participants and the room
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Quarterly planning")
    expect(ui.page.get_by_role("cell", name="Amélie Lambert")).to_be_visible()
    expect(
        ui.page.get_by_role("cell", name="partner@example.be (external)")
    ).to_be_visible()
    expect(
        ui.page.get_by_role("listitem").filter(has_text="Room 1 (room)")
    ).to_be_visible()
    checked("the meeting", "agenda-meeting")

    # and the week view lists it on its day, reached with the keyboard's links
    ui.go("/agenda/?view=week&date=2027-03-03")
    ui.page.get_by_role("link", name="Next").click()
    row = ui.page.get_by_role("row", name="Wednesday 10 March")
    expect(row).to_contain_text("10:00\u201311:30 Quarterly planning")
    checked("the week view", "agenda-week")

    # when another meeting asks for the same room over it
    _plan(ui, "Overlapping", "11:00", "12:00", "Room 1")
    ui.page.get_by_role("button", name="Save and send the invitations").click()
    # then it is refused, saying why, and nothing is planned
    expect(ui.page.get_by_role("alert")).to_contain_text(
        "Room 1 is already booked between 10/03/2027 10:00 and 11:30"
    )
    checked("the refused booking", None)
    assert list(Meeting.objects.values_list("title", flat=True)) == [
        "Quarterly planning"
    ]
    assert Participant.objects.filter(agent=colleague).exists()
    assert Participant.objects.filter(email="partner@example.be").exists()
