"""The cash book over HTTP: a payment, its receipt, a refund, closing and checking
a day, with the refusals as problem details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.cashbook.models import Counter, Payment
from guichet.dossiers.models import DossierFee
from tests.cashbook.conftest import (
    chief,
    clerk,
    counter,
    deputy,
    fee,
    fee_of,
    senior_clerk,
)
from tests.dossiers import conftest as dossier_fixtures

teams = dossier_fixtures.teams
agent_in = dossier_fixtures.agent_in
handler = dossier_fixtures.handler
open_dossier = dossier_fixtures.open_dossier
__all__ = ["chief", "clerk", "counter", "deputy", "fee", "fee_of", "senior_clerk"]


def test_take_a_payment_print_its_receipt_and_close_the_day(
    api_for: Callable[..., Any],
    clerk: Agent,
    chief: Agent,
    deputy: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    api = api_for(clerk)
    due = api.get(f"/dossiers/{fee.dossier.reference}/fees-due").json()["items"]
    assert due == [
        {
            "id": str(fee.uuid),
            "fee": "legalisation",
            "amount": "20.00",
            "remaining": "20.00",
            "exempted": False,
            "paid": False,
        }
    ]

    made = api.post(
        f"/counters/{counter.uuid}/payments",
        {"fee": str(fee.uuid), "amount": "20,00", "means": "cash"},
    )
    assert made.status_code == 201, made.content
    payment = made.json()
    assert payment["amount"] == "20.00"
    assert payment["ogm"] is None

    pdf = api.get(f"/payments/{payment['id']}/receipt?language=de")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert "no-store" in pdf["Cache-Control"]
    assert pdf.content.startswith(b"%PDF")

    sheet = api.get(f"/counters/{counter.uuid}/today").json()
    assert sheet["expected"] == {"card": "0.00", "cash": "20.00", "transfer": "0.00"}
    day = sheet["day"]

    no_version = api.post(
        f"/cash-days/{day['id']}/close",
        {"counted": {"card": "0", "cash": "18", "transfer": "0"}},
    )
    assert no_version.status_code == 428

    refused = api.post(
        f"/cash-days/{day['id']}/close",
        {"counted": {"card": "0", "cash": "18", "transfer": "0"}},
        HTTP_IF_MATCH=f'"{day["version"]}"',
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "difference_needs_supervisor"

    closed = api_for(chief).post(
        f"/cash-days/{day['id']}/close",
        {
            "counted": {"card": "0", "cash": "18", "transfer": "0"},
            "supervisor_note": "Two euros missing; counted twice.",
        },
        HTTP_IF_MATCH=f'"{day["version"]}"',
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["difference"] == "-2.00"
    assert closed.json()["balanced"] is False

    stale = api_for(deputy).post(
        f"/cash-days/{day['id']}/check", {}, HTTP_IF_MATCH=f'"{day["version"]}"'
    )
    assert stale.status_code == 412
    checked = api_for(deputy).post(
        f"/cash-days/{day['id']}/check",
        {"note": "Seen"},
        HTTP_IF_MATCH=closed["ETag"],
    )
    assert checked.status_code == 200
    assert checked.json()["status"] == "checked"


def test_refund_and_its_refusals(
    api_for: Callable[..., Any],
    clerk: Agent,
    senior_clerk: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    payment = (
        api_for(clerk)
        .post(
            f"/counters/{counter.uuid}/payments",
            {"fee": str(fee.uuid), "amount": "20", "means": "transfer"},
        )
        .json()
    )
    assert len(payment["ogm"]) == 12

    too_much = api_for(senior_clerk).post(
        f"/payments/{payment['id']}/refunds", {"amount": "20.01", "reason": "x"}
    )
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["code"] == "more_than_paid"

    forbidden = api_for(clerk).post(
        f"/payments/{payment['id']}/refunds", {"amount": "1", "reason": "x"}
    )
    assert forbidden.status_code == 403

    made = api_for(senior_clerk).post(
        f"/payments/{payment['id']}/refunds", {"amount": "20", "reason": "Withdrawn"}
    )
    assert made.status_code == 201
    assert made.json()["receipt"].endswith("-000002")
    assert (
        api_for(senior_clerk)
        .get(f"/refunds/{made.json()['id']}/receipt")
        .content.startswith(b"%PDF")
    )


@pytest.mark.parametrize(
    ("_case", "role", "level", "team"),
    [
        ("contact center", "first_line", "C", "legalisations"),
        ("other team", "front_office", "C", "visas"),
    ],
)
def test_others_see_no_counter_nor_payment(
    api_for: Callable[..., Any],
    agent_in: Callable[..., Agent],
    clerk: Agent,
    counter: Counter,
    fee: DossierFee,
    _case: str,
    role: str,
    level: str,
    team: str,
) -> None:
    payment = (
        api_for(clerk)
        .post(
            f"/counters/{counter.uuid}/payments",
            {"fee": str(fee.uuid), "amount": "20", "means": "card"},
        )
        .json()
    )
    other = api_for(agent_in(role, level, team))

    assert other.get("/counters").json() == {"items": []}
    assert other.get(f"/counters/{counter.uuid}/today").status_code == 404
    assert other.get(f"/payments/{payment['id']}/receipt").status_code == 404
    made = other.post(
        f"/counters/{counter.uuid}/payments",
        {"fee": str(fee.uuid), "amount": "1", "means": "card"},
    )
    assert made.status_code == 404
    assert Payment.objects.count() == 1
