"""The dossiers API: a visa extension through its whole life, versions, refusals,
missing and hidden alike 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.dossiers.models import Dossier
from tests.factories import PersonFactory

from .conftest import hand_in_all

pytestmark = pytest.mark.django_db


def _if(response: Any) -> dict[str, str]:
    return {"HTTP_IF_MATCH": response["ETag"]}


def test_a_visa_extension_through_the_api(
    api_for: Callable[..., Any], handler: Agent
) -> None:
    api = api_for(handler)
    person = PersonFactory()
    opened = api.post(
        "/dossiers",
        {
            "case_type": "visa-extension",
            "person": str(person.uuid),
            "facts": {"ground": "humanitarian", "fee_exemption": "humanitarian"},
        },
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    reference = body["reference"]
    assert (body["status"], body["case_type_version"]) == ("received", 1)
    bench = api.get(f"/dossiers/{reference}")
    assert bench.status_code == 200
    offered = {t["code"]: t for t in bench.json()["transitions"]}
    assert offered["conclude_complete"]["ready"] is False
    assert {r["code"] for r in offered["conclude_complete"]["refusals"]} == {
        "documents_missing",
        "checklist_missing",
    }
    # Without If-Match: 428; with an old one: 412; nothing changed either way.
    step = {
        "transition": "conclude_complete",
        "checklist": dict.fromkeys(
            [
                "identity_checked",
                "contact_recorded",
                "lodged_in_time",
                "ground_recorded",
            ],
            True,
        ),
    }
    assert api.post(f"/dossiers/{reference}/transitions", step).status_code == 428
    refused = api.post(f"/dossiers/{reference}/transitions", step, **_if(bench))
    assert refused.status_code == 422
    assert {e["code"] for e in refused.json()["errors"]} == {"documents_missing"}
    hand_in_all(Dossier.objects.get(uuid=body["id"]))
    documents = api.get(f"/dossiers/{reference}").json()["documents"]
    assert {
        "code": "passport_copy",
        "document_type": "passport",
        "passed": ["mrz"],
        "failed": [],
    } in documents
    moved = api.post(f"/dossiers/{reference}/transitions", step, **_if(bench))
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "checking"
    stale = api.post(f"/dossiers/{reference}/transitions", step, **_if(bench))
    assert stale.status_code == 412
    concluded = api.post(
        f"/dossiers/{reference}/decision",
        {
            "decision_type": "conclusion",
            "result": "transferred",
            "motivation": "Complete; for the Immigration Office.",
            "checklist": {"checks_recorded": True, "within_90_180": True},
        },
        **_if(moved),
    )
    assert concluded.status_code == 200, concluded.content
    confirmed = api.post(
        f"/dossiers/{reference}/transitions",
        {"transition": "approve_decision", "checklist": {"motivation_written": True}},
        **_if(concluded),
    )
    moved = api.post(
        f"/dossiers/{reference}/transitions",
        {"transition": "transmit"},
        **_if(confirmed),
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["transmitted_at"] is not None
    decided = api.post(
        f"/dossiers/{reference}/external-decision",
        {
            "decision_type": "extension",
            "result": "granted",
            "decided_on": clock.today().isoformat(),
            "body": "Immigration Office",
        },
        **_if(moved),
    )
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["result"]) == (
        "decision_received",
        "granted",
    )
    informed = api.post(
        f"/dossiers/{reference}/transitions",
        {"transition": "inform_parties"},
        **_if(decided),
    )
    closed = api.post(
        f"/dossiers/{reference}/close",
        {"checklist": {"parties_informed": True}},
        **_if(informed),
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    timeline = api.get(f"/dossiers/{body['id']}").json()["timeline"]
    assert [e["to_status"] for e in timeline if e["kind"] == "status"] == [
        "checking",
        "decision_proposed",
        "decided",
        "transmitted",
        "decision_received",
        "informed",
        "closed",
    ]
    listed = api.get(f"/persons/{person.uuid}/dossiers").json()
    assert [d["reference"] for d in listed] == [reference]


def test_missing_and_hidden_dossiers_are_alike(
    api_for: Callable[..., Any],
    open_dossier: Callable[..., Dossier],
    agent_in: Callable[..., Agent],
) -> None:
    dossier = open_dossier("visa-extension")
    stranger = api_for(agent_in("dossier_handler", "C", "payment-office"))
    hidden = stranger.get(f"/dossiers/{dossier.reference}")
    missing = stranger.get("/dossiers/DOS-2026-9999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"]
    assert stranger.get(f"/dossiers/{dossier.reference}/transitions").status_code == 404


def test_the_queue_tasks_and_notes(
    api_for: Callable[..., Any],
    open_dossier: Callable[..., Dossier],
    handler: Agent,
) -> None:
    api = api_for(handler)
    first = open_dossier("consular-legalisation")
    open_dossier("visa-extension")
    page = api.get("/dossiers?case_type=consular-legalisation").json()
    assert [d["reference"] for d in page["items"]] == [first.reference]
    task = api.post(
        f"/dossiers/{first.reference}/tasks",
        {
            "title": "Call the embassy",
            "assignee": handler.username,
            "due_on": (clock.today() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert task.status_code == 201, task.content
    assert [t["title"] for t in api.get("/my-dossier-tasks").json()] == [
        "Call the embassy"
    ]
    done = api.post(
        f"/dossiers/{first.reference}/tasks/{task.json()['id']}", {"done": True}
    )
    assert done.json()["done_at"] is not None
    assert api.get("/my-dossier-tasks").json() == []
    note = api.post(f"/dossiers/{first.reference}/notes", {"text": "Called."})
    assert note.status_code == 201
