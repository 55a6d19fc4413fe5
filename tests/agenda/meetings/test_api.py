"""Meetings, resources and events over /api/v1/agenda/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agenda.models import Resource
from guichet.agents.models import Agent

pytestmark = pytest.mark.django_db


def test_plan_answer_change_and_cancel_a_meeting(
    api_for: Callable[..., Any],
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
    meet_room: Resource,
) -> None:
    colleague = meet_agent("first_line", "cc-fr")
    stranger = meet_agent("first_line", "cc-fr")
    api = api_for(meet_organiser)
    created = api.post(
        "/agenda/meetings",
        {
            "title": "Planning",
            "start": "2027-03-10T10:00:00+01:00",
            "end": "2027-03-10T11:00:00+01:00",
            "agents": [str(colleague.uuid)],
            "guests": [{"email": "ext@example.be", "name": "Ext"}],
            "resources": [str(meet_room.uuid)],
        },
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert [p["email"] for p in meeting["participants"]].count("ext@example.be") == 1
    assert meeting["bookings"][0]["resource"] == "room-1"

    # The same room over it: refused with a clear message.
    clash = api.post(
        "/agenda/meetings",
        {
            "title": "Other",
            "start": "2027-03-10T10:30:00+01:00",
            "end": "2027-03-10T11:30:00+01:00",
            "resources": [str(meet_room.uuid)],
        },
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "resource_taken"

    mine = api_for(colleague)
    answered = mine.post(
        f"/agenda/meetings/{meeting['id']}/answer", {"answer": "accepted"}
    )
    assert answered.json()["answer"] == "accepted"
    listed = mine.get("/agenda/meetings?start=2027-03-10&end=2027-03-10")
    assert [m["id"] for m in listed.json()["items"]] == [meeting["id"]]
    # Hidden from a stranger exactly as a missing one.
    hidden = api_for(stranger).get(f"/agenda/meetings/{meeting['id']}")
    assert hidden.status_code == 404
    assert (
        not api_for(stranger)
        .get(f"/agenda/meetings?start=2027-03-10&end=2027-03-10&agent={colleague.uuid}")
        .json()["items"]
    )

    read = api.get(f"/agenda/meetings/{meeting['id']}")
    moved = api.client.put(
        f"/api/v1/agenda/meetings/{meeting['id']}",
        data={
            "title": "Planning",
            "start": "2027-03-10T14:00:00+01:00",
            "end": "2027-03-10T15:00:00+01:00",
            "agents": [str(colleague.uuid)],
        },
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["sequence"] == 1
    cancelled = api.post(
        f"/agenda/meetings/{meeting['id']}/cancel", HTTP_IF_MATCH=moved["ETag"]
    )
    assert cancelled.json()["cancelled"] is True
    assert not cancelled.json()["bookings"]


def test_resources_and_events(
    api_for: Callable[..., Any],
    meet_chief: Agent,
    meet_organiser: Agent,
    meet_agent: Callable[..., Agent],
) -> None:
    chief = api_for(meet_chief)
    room = chief.post(
        "/agenda/resources",
        {"code": "hall", "name": "Hall", "kind": "room", "capacity": 40},
    )
    assert room.status_code == 201
    assert (
        api_for(meet_organiser)
        .post("/agenda/resources", {"code": "x", "name": "X", "kind": "room"})
        .status_code
        == 403
    )
    event = api_for(meet_organiser).post(
        "/agenda/events",
        {
            "kind": "information",
            "title": "Open day",
            "start": "2027-04-06T09:00:00+02:00",
            "end": "2027-04-06T12:00:00+02:00",
            "capacity": 1,
            "resources": [room.json()["id"]],
        },
    )
    assert event.status_code == 201, event.content
    event_id = event.json()["id"]
    first_agent, second_agent = meet_agent(), meet_agent()
    first = api_for(first_agent).post(f"/agenda/events/{event_id}/registrations", {})
    second = api_for(second_agent).post(f"/agenda/events/{event_id}/registrations", {})
    assert (first.json()["status"], second.json()["status"]) == (
        "registered",
        "waiting",
    )
    bookings = chief.get(
        f"/agenda/resources/{room.json()['id']}/bookings?start=2027-04-06&end=2027-04-06"
    )
    assert bookings.json()["items"][0]["event"] == event_id
    listed = chief.get("/agenda/events?start=2027-04-01&end=2027-04-30")
    assert listed.json()["items"][0]["seats_taken"] == 1
    left = api_for(first_agent).post(f"/agenda/events/{event_id}/unregister", {})
    assert left.json()["status"] == "cancelled"
    promoted = api_for(second_agent).get(f"/agenda/events/{event_id}/registrations")
    assert [r["status"] for r in promoted.json()["items"]] == ["registered"]
    freed = chief.post(
        f"/agenda/events/{event_id}/release", {"resource": room.json()["id"]}
    )
    assert freed.status_code == 200
    read = chief.get(f"/agenda/resources/{room.json()['id']}")
    closed = chief.client.put(
        f"/api/v1/agenda/resources/{room.json()['id']}",
        data={"name": "Hall", "kind": "room", "active": False},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert closed.json()["active"] is False


def test_out_of_range_dates_and_bad_guests_are_refused(
    api_for: Callable[..., Any], meet_organiser: Agent
) -> None:
    api = api_for(meet_organiser)
    assert (
        api.get("/agenda/meetings?start=0001-01-01&end=0001-01-01").status_code == 422
    )
    far = api.post(
        "/agenda/events",
        {
            "kind": "training",
            "title": "x",
            "start": "0001-01-01T00:00:00+01:00",
            "end": "0001-01-01T01:00:00+01:00",
            "capacity": 1,
        },
    )
    assert far.status_code == 422
    event = api.post(
        "/agenda/events",
        {
            "kind": "training",
            "title": "x",
            "start": "2027-04-06T09:00:00+02:00",
            "end": "2027-04-06T10:00:00+02:00",
            "capacity": 1,
        },
    ).json()
    bad = api.post(
        f"/agenda/events/{event['id']}/registrations",
        {"guest": {"email": "not an address"}},
    )
    assert bad.status_code == 422
