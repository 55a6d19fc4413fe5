"""The payments API: a month run, reviewed, approved by a second agent, executed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.debts.factories import load_shipped_tables
from tests.payments.factories import pay_beneficiary


@pytest.fixture
def pay_agent(make_agent: Any) -> Any:
    load_shipped_tables()
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="pay.c"
    )


@pytest.fixture
def pay_second(make_agent: Any) -> Any:
    return make_agent(
        "payment_agent", level="B", teams=("payment-office",), username="pay.b"
    )


def test_a_month_from_preparation_to_execution(
    pay_agent: Any, pay_second: Any, api_for: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PAYMENTS_OUT_DIR = tmp_path
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    preparer, approver = api_for(pay_agent), api_for(pay_second)

    prepared = preparer.post(
        "/payment-runs", {"month": "2026-01", "paid_on": "2026-02-03"}
    )
    run = prepared.json()["id"]
    read = preparer.get(f"/payment-runs/{run}")
    reviewed = preparer.post(f"/payment-runs/{run}/review", HTTP_IF_MATCH=read["ETag"])
    own = preparer.post(f"/payment-runs/{run}/approve", HTTP_IF_MATCH=reviewed["ETag"])
    approved = approver.post(
        f"/payment-runs/{run}/approve", HTTP_IF_MATCH=reviewed["ETag"]
    )
    executed = preparer.post(f"/payment-runs/{run}/execute")
    again = preparer.post("/payment-runs", {"month": "2026-01"})
    balances = preparer.get(f"/beneficiaries/{beneficiary.uuid}/balances")

    assert prepared.status_code == 201
    assert prepared.json()["net"] == "1320.00"
    assert read.json()["exceptions_by_code"] == {}
    assert reviewed.status_code == 200
    assert own.status_code == 403
    assert approved.json()["state"] == "approved"
    assert executed.json()["payments"] == 1
    assert executed.json()["total"] == "1320.00"
    assert again.status_code == 409
    assert again.json()["code"] == "month_already_run"
    assert {row["account"]: row["balance"] for row in balances.json()["items"]} == {
        "beneficiary_payable": "0.00",
        "benefits_expense": "-1320.00",
    }


def test_entitlements_declarations_and_documents(
    pay_agent: Any, pay_second: Any, api_for: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second, months=())
    client = api_for(pay_agent)

    overlap = client.post(
        f"/beneficiaries/{beneficiary.uuid}/entitlements",
        {
            "category": "full_unemployment",
            "daily_amount": "50.00",
            "starts_on": "2026-03-01",
            "decided_on": "2026-02-01",
        },
    )
    declared = client.post(
        f"/beneficiaries/{beneficiary.uuid}/declarations",
        {
            "month": "2026-01",
            "days_payable": 20,
            "received_on": "2026-02-01",
            "signed": True,
        },
    )
    documents = client.get(f"/beneficiaries/{beneficiary.uuid}/documents?month=2026-01")
    read = client.get(f"/beneficiaries/{beneficiary.uuid}")

    assert overlap.status_code == 422
    assert declared.status_code == 201
    assert documents.json() == {
        "month": "2026-01",
        "complete": False,
        "missing": [{"code": "declaration_not_dated", "month": "2026-01"}],
    }
    assert [item["month"] for item in read.json()["declarations"]] == ["2026-01"]
    assert dt.date(2026, 1, 1)
