"""The cash-book screens: the counter (payments, receipts, refunds) and the
closing (counted against expected, the supervisor's note, the check)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from guichet.agents.models import Agent
from guichet.cashbook.models import CashDay, Counter, DayStatus, Payment, Refund
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

URL = "/cashbook/"


def test_take_a_payment_print_refund_close_and_check(
    client_for: Callable[[Any], Client],
    clerk: Agent,
    senior_clerk: Agent,
    chief: Agent,
    deputy: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    browser = client_for(clerk)
    page = browser.get(URL)
    assert page.status_code == 200
    assert "Take a payment" in page.content.decode()

    bad = browser.post(
        f"{URL}?counter={counter.uuid}",
        {
            "take_payment": "1",
            "dossier": fee.dossier.reference,
            "amount": "25",
            "means": "cash",
        },
    )
    assert bad.status_code == 422
    assert "Only 20.00 euros remain due on this fee." in bad.content.decode()
    assert Payment.objects.count() == 0

    paid = browser.post(
        f"{URL}?counter={counter.uuid}",
        {
            "take_payment": "1",
            "dossier": fee.dossier.reference,
            "amount": "20",
            "means": "cash",
        },
    )
    assert paid.status_code == 302
    payment = Payment.objects.get()
    listing = browser.get(paid["Location"]).content.decode()
    assert payment.receipt_reference in listing

    pdf = browser.get(f"/cashbook/payment/{payment.uuid}/receipt/fr/")
    assert pdf.status_code == 200
    assert (
        pdf["Content-Disposition"]
        == f'attachment; filename="{payment.receipt_reference}.pdf"'
    )
    assert "no-store" in pdf["Cache-Control"]

    refused = browser.post(
        f"{URL}?counter={counter.uuid}",
        {"refund": "1", "payment": str(payment.uuid), "amount": "2", "reason": "x"},
    )
    assert refused.status_code == 403
    refunded = client_for(senior_clerk).post(
        f"{URL}?counter={counter.uuid}",
        {
            "refund": "1",
            "payment": str(payment.uuid),
            "amount": "2",
            "reason": "Copy not needed",
        },
    )
    assert refunded.status_code == 302
    assert Refund.objects.count() == 1

    day = CashDay.objects.get()
    closing = f"/cashbook/closing/?counter={counter.uuid}"
    shown = browser.get(closing).content.decode()
    assert "18.00 EUR" in shown  # 20 in cash less 2 given back
    counted = {
        "close": "1",
        "version": day.version,
        "counted_card": "0",
        "counted_cash": "17.50",
        "counted_transfer": "0",
    }
    not_alone = browser.post(closing, counted)
    assert not_alone.status_code == 422
    assert "a supervisor must close this day" in not_alone.content.decode()
    assert "-0.50" in not_alone.content.decode()

    no_note = client_for(chief).post(closing, counted)
    assert no_note.status_code == 422
    closed = client_for(chief).post(
        closing, {**counted, "supervisor_note": "Fifty cents short."}
    )
    assert closed.status_code == 302
    day.refresh_from_db()
    assert day.status == DayStatus.CLOSED
    assert day.difference_note == "Fifty cents short."

    checked = client_for(deputy).post(
        closed["Location"], {"check": "1", "version": day.version, "note": "Seen"}
    )
    assert checked.status_code == 302
    day.refresh_from_db()
    assert day.status == DayStatus.CHECKED


def test_others_cannot_open_the_cash_book(
    client_for: Callable[[Any], Client],
    agent_in: Callable[..., Agent],
    clerk: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    handler_page = client_for(agent_in("dossier_handler", "B", "legalisations")).get(
        URL
    )
    assert handler_page.status_code == 403
    other = client_for(agent_in("front_office", "C", "visas"))
    assert "Your team has no counter." in other.get(URL).content.decode()
    assert other.get(f"{URL}?counter={counter.uuid}").status_code == 404
