"""The API of absences and feeds, as a client uses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agenda.models import Absence
from guichet.agents.models import Substitution

from .conftest import AbsenceTeam

pytestmark = pytest.mark.django_db


def test_an_absence_is_recorded_read_by_the_team_and_cancelled(
    absence_team: AbsenceTeam, api_for: Callable[..., Any]
) -> None:
    team = absence_team
    supervisor = api_for(team.supervisor)

    created = supervisor.post(
        "/absences",
        {
            "agent": "anna",
            "kind": "sick",
            "starts_on": "2026-03-24",
            "ends_on": "2026-03-25",
            "substitute": "bert",
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["agent"], body["kind"], body["substitute"], body["all_day"]) == (
        "anna",
        "sick",
        "bert",
        True,
    )
    assert body["starts_at"] == "2026-03-23T23:00:00Z"
    assert created["Location"].endswith(f"/absences/{body['id']}")
    assert Substitution.objects.get().substitute == team.colleague
    # the colleague reads "absent", the agent their own kind, another service nothing
    [seen] = api_for(team.colleague).get("/absences/team?first=2026-03-23").json()
    assert (seen["kind"], seen["label"]) == (None, "absent")
    assert [row["kind"] for row in api_for(team.agent).get("/absences").json()] == [
        "sick"
    ]
    outsider = api_for(team.outsider)
    assert outsider.get(f"/absences/{body['id']}").status_code == 404
    assert outsider.post(f"/absences/{body['id']}/cancel").status_code == 404
    assert (
        api_for(team.colleague).post(f"/absences/{body['id']}/cancel").status_code
        == 403
    )
    cancelled = api_for(team.agent).post(f"/absences/{body['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelled"] is True
    assert api_for(team.agent).post(f"/absences/{body['id']}/cancel").status_code == 409
    assert Substitution.objects.get().cancelled_at is not None


def test_an_overlap_and_an_unknown_agent_are_refused(
    absence_team: AbsenceTeam, api_for: Callable[..., Any]
) -> None:
    api = api_for(absence_team.agent)
    hours = {
        "kind": "training",
        "starts_at": "2026-03-24T09:00:00+01:00",
        "ends_at": "2026-03-24T12:00:00+01:00",
    }
    assert api.post("/absences", hours).status_code == 201
    again = api.post("/absences", {**hours, "kind": "other"})
    assert again.status_code == 422
    assert [e["code"] for e in again.json()["errors"]] == ["absence_overlap"]
    assert api.post("/absences", {**hours, "agent": "other"}).status_code == 404
    assert Absence.objects.count() == 1


def test_a_feed_is_created_served_and_revoked(
    absence_team: AbsenceTeam, api_for: Callable[..., Any], client: Any
) -> None:
    api = api_for(absence_team.agent)

    created = api.post("/agenda/feeds")

    assert created.status_code == 201
    body = created.json()
    assert body["url"].endswith(f"/agenda/feed/{body['token']}.ics")
    served = client.get(f"/agenda/feed/{body['token']}.ics")
    assert served.status_code == 200
    assert served["Content-Type"] == "text/calendar; charset=utf-8"
    assert served.content.startswith(b"BEGIN:VCALENDAR")
    assert [feed["id"] for feed in api.get("/agenda/feeds").json()] == [body["id"]]
    other = api_for(absence_team.colleague)
    assert other.post(f"/agenda/feeds/{body['id']}/revoke").status_code == 404
    assert api.post(f"/agenda/feeds/{body['id']}/revoke").status_code == 200
    assert client.get(f"/agenda/feed/{body['token']}.ics").status_code == 404
    assert (
        client.get("/agenda/feed/unknown-token-of-forty-three-letters.ics").status_code
        == 404
    )
