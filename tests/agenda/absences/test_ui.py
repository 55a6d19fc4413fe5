"""The Presence section: record and cancel an absence, create a feed link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

import pytest

from guichet.agenda.models import Absence, FeedToken

from .conftest import AbsenceTeam

pytestmark = pytest.mark.django_db


def _client(agent: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def test_an_agent_records_an_absence_and_the_supervisor_cancels_it(
    absence_team: AbsenceTeam,
) -> None:
    client = _client(absence_team.agent)
    assert client.get("/agenda/presence/").status_code == 200

    recorded = client.post(
        "/agenda/presence/",
        {
            "agent": "anna",
            "kind": "sick",
            "starts_on": "2026-03-23",
            "ends_on": "2026-03-23",
            "starts_time": "13:00",
            "ends_time": "17:00",
            "substitute": "bert",
        },
    )

    assert recorded.status_code == 302
    absence = Absence.objects.get()
    assert (absence.all_day, absence.ends_at - absence.starts_at) == (
        False,
        dt.timedelta(hours=4),
    )
    assert absence.substitution is not None
    page = _client(absence_team.colleague).get("/agenda/presence/").content.decode()
    assert '<span class="badge">absent</span>' in page
    assert "<td>sick</td>" not in page
    supervisor = _client(absence_team.supervisor)
    assert "<td>sick</td>" in supervisor.get("/agenda/presence/").content.decode()
    assert (
        _client(absence_team.outsider)
        .post(f"/agenda/absences/{absence.uuid}/cancel/")
        .status_code
        == 404
    )
    assert (
        supervisor.post(f"/agenda/absences/{absence.uuid}/cancel/").status_code == 302
    )
    absence.refresh_from_db()
    assert absence.cancelled_at is not None


def test_an_overlap_is_shown_on_the_form(absence_team: AbsenceTeam) -> None:
    client = _client(absence_team.agent)
    day = {
        "agent": "anna",
        "kind": "leave",
        "starts_on": "2026-03-24",
        "ends_on": "2026-03-24",
    }
    assert client.post("/agenda/presence/", day).status_code == 302
    again = client.post("/agenda/presence/", day)
    assert again.status_code == 422
    assert "already recorded for part of this period" in again.content.decode()


def test_the_feed_link_is_shown_once(absence_team: AbsenceTeam) -> None:
    client = _client(absence_team.agent)

    page = client.post("/agenda/feeds/new/").content.decode()

    feed = FeedToken.objects.get()
    assert "/agenda/feed/" in page
    assert "/agenda/feed/" not in client.get("/agenda/presence/").content.decode()
    assert client.post(f"/agenda/feeds/{feed.uuid}/revoke/").status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_the_navigation_marks_only_the_section_the_page_is_in(
    absence_team: AbsenceTeam,
) -> None:
    # /agenda/presence/ starts with the Agenda's /agenda/ too: only Presence is current.
    page = _client(absence_team.agent).get("/agenda/presence/").content.decode()

    assert page.count('aria-current="page"') == 1
    assert '<a href="/agenda/presence/" aria-current="page">' in page
