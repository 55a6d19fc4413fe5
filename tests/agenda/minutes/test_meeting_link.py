"""Minutes written from a meeting of the agenda: prefilled from it, linked to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from guichet.agenda.minutes import selectors, services
from guichet.agenda.models import (
    Answer,
    Booking,
    Meeting,
    Minutes,
    Participant,
    Resource,
)
from guichet.audit.models import AuditEvent
from guichet.core.errors import NotFound, ValidationFailed
from tests.factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db

# 00:30 in Brussels on 25 October 2026, the night summer time ends: the minutes'
# day is Brussels', not UTC's (24 October).
START = dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC)


@pytest.fixture
def people(minutes_writer: Callable[..., Any]) -> dict[str, Any]:
    return {
        "chair": minutes_writer("B", first_name="Anne", last_name="Dubois"),
        "came": minutes_writer(
            "C", role="support_agent", first_name="Luc", last_name="Martin"
        ),
        "excused": minutes_writer(
            "C", role="second_line", first_name="Eva", last_name="Maes"
        ),
    }


def _meeting(organiser: Any, **fields: Any) -> Meeting:
    values = {
        "title": "Réunion d'équipe",
        "start": START,
        "end": START + dt.timedelta(hours=1),
    }
    return Meeting.objects.create(organiser=organiser, **(values | fields))


@pytest.fixture
def meeting(people: dict[str, Any]) -> Meeting:
    meeting = _meeting(people["chair"])
    Participant.objects.create(
        meeting=meeting, agent=people["came"], answer=Answer.ACCEPTED
    )
    Participant.objects.create(
        meeting=meeting, agent=people["excused"], answer=Answer.DECLINED
    )
    Participant.objects.create(
        meeting=meeting, email="jan@example.be", name="Jan Peeters"
    )
    Participant.objects.create(
        meeting=meeting,
        email="gone@example.be",
        answer=Answer.ACCEPTED,
        removed_at=START - dt.timedelta(days=1),
    )
    room = Resource.objects.create(code="room-2", name="Salle 2", kind="room")
    Booking.objects.create(
        resource=room,
        meeting=meeting,
        booked_by=people["chair"],
        start=meeting.start,
        end=meeting.end,
    )
    return meeting


def test_the_draft_names_who_came_who_was_excused_and_who_never_answered(
    people: dict[str, Any], meeting: Meeting
) -> None:
    draft = selectors.minutes_draft_for_meeting(
        agent=people["chair"], meeting_id=meeting.uuid
    )

    assert (draft.title, draft.meeting_date, draft.place) == (
        "Réunion d'équipe",
        dt.date(2026, 10, 25),
        "Salle 2",
    )
    assert draft.attendees == ["Anne Dubois", "Luc Martin"]
    assert draft.absentees == ["Eva Maes"]
    assert draft.unanswered == ["Jan Peeters"]


def _write(actor: Any, meeting: Any) -> Minutes:
    return services.minutes_create(
        actor=actor,
        title="Réunion d'équipe",
        meeting_date=dt.date(2026, 10, 25),
        language="fr",
        attendees=["Anne Dubois", "Luc Martin"],
        agenda=["Planning"],
        meeting=meeting,
    )


def test_minutes_written_from_the_meeting_are_linked_to_it(
    people: dict[str, Any], meeting: Meeting
) -> None:
    minutes = _write(people["chair"], meeting.uuid)

    assert minutes.meeting == meeting
    assert selectors.minutes_of_meeting(agent=people["came"], meeting=meeting) == [
        minutes
    ]
    event = AuditEvent.objects.get(action="minutes.create")
    assert event.summary["meeting"] == str(meeting.uuid)


def test_a_meeting_the_writer_may_not_see_is_answered_as_missing_and_nothing_is_written(
    people: dict[str, Any],
) -> None:
    stranger = AgentFactory(
        roles=["support_agent"], teams=[TeamFactory(code="elsewhere")]
    )
    hidden = _meeting(stranger)

    with pytest.raises(NotFound):
        _write(people["chair"], hidden.uuid)
    with pytest.raises(NotFound):
        selectors.minutes_draft_for_meeting(
            agent=people["chair"], meeting_id=hidden.uuid
        )
    assert not Minutes.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"cancelled_at": START},
        {
            "start": dt.datetime(2099, 1, 4, 9, tzinfo=dt.UTC),
            "end": dt.datetime(2099, 1, 4, 10, tzinfo=dt.UTC),
        },
    ],
    ids=["cancelled", "not begun"],
)
def test_no_minutes_of_a_cancelled_meeting_or_of_one_not_begun(
    people: dict[str, Any], fields: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _write(people["chair"], _meeting(people["chair"], **fields).uuid)

    assert [error.field for error in refused.value.errors] == ["meeting"]
    assert not Minutes.objects.exists()


def test_the_meeting_page_offers_the_minutes_which_open_prefilled_and_link_back(
    people: dict[str, Any], meeting: Meeting
) -> None:
    client = Client()
    client.force_login(people["chair"])

    page = client.get(f"/agenda/meetings/{meeting.uuid}/").content.decode()
    assert f"/correspondence/minutes/new/?meeting={meeting.uuid}" in page

    form = client.get(
        f"/correspondence/minutes/new/?meeting={meeting.uuid}"
    ).content.decode()
    assert 'value="Réunion d&#x27;équipe"' in form
    assert "Anne Dubois\nLuc Martin" in form
    assert "Jan Peeters" in form  # invited, no answer: for the writer to place

    answer = client.post(
        "/correspondence/minutes/new/",
        {
            "meeting": str(meeting.uuid),
            "title": "Réunion d'équipe",
            "meeting_date": "2026-10-25",
            "language": "fr",
            "attendees": "Anne Dubois\nLuc Martin",
            "agenda": "Planning",
        },
    )
    minutes = Minutes.objects.get()
    assert answer.status_code == 302
    assert minutes.meeting == meeting
    detail = client.get(f"/correspondence/minutes/{minutes.uuid}/").content.decode()
    assert f"/agenda/meetings/{meeting.uuid}/" in detail
    assert (
        f"/correspondence/minutes/{minutes.uuid}/"
        in client.get(f"/agenda/meetings/{meeting.uuid}/").content.decode()
    )
