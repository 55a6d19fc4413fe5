"""The counter's cash book in a real browser: a cash payment for a legalisation
fee, its receipt printed, the day closed with a difference and a supervisor's note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.cashbook.models import CashDay, Counter, DayStatus, Payment
from guichet.dossiers.models import DossierFee
from tests.cashbook.conftest import chief, clerk, counter, fee, fee_of
from tests.dossiers import conftest as dossier_fixtures

teams = dossier_fixtures.teams
agent_in = dossier_fixtures.agent_in
handler = dossier_fixtures.handler
open_dossier = dossier_fixtures.open_dossier
__all__ = ["chief", "clerk", "counter", "fee", "fee_of"]

Check = Callable[[str, str | None], None]


def test_cash_payment_receipt_and_closing_with_a_supervisors_note(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    clerk: Agent,
    chief: Agent,
    counter: Counter,
    fee: DossierFee,
) -> None:
    # given a legalisation dossier waiting for its 20-euro fee
    ui.login(clerk.username)
    ui.go("/cashbook/")
    # when the front office takes 20 euros in cash for it
    ui.page.get_by_label("Dossier reference").fill(fee.dossier.reference)
    ui.page.get_by_label("Amount (EUR)").fill("20,00")
    ui.page.get_by_label("cash", exact=True).check()
    ui.page.get_by_role("button", name="Record the payment").click()
    payment = Payment.objects.get()
    expect(ui.page.locator(".alert.success, .messages")).to_contain_text(
        f"Payment recorded: receipt {payment.receipt_reference}."
    )
    checked("the counter after a payment", "cashbook-counter")
    # then its receipt prints as a PDF
    with ui.page.expect_download() as download:
        ui.page.get_by_role(
            "link", name=f"EN: receipt {payment.receipt_reference}"
        ).click()
    assert download.value.suggested_filename == f"{payment.receipt_reference}.pdf"

    # when the agent counts 19.50 in the till, the close needs a supervisor
    ui.page.get_by_role("link", name="Closing of the day").click()
    ui.page.get_by_label("Counted in cash (EUR)").fill("19.50")
    ui.page.get_by_role("button", name="Close and sign the day").click()
    expect(ui.page.locator(".alert.error")).to_contain_text(
        "a supervisor must close this day with a note"
    )
    assert CashDay.objects.get().status == DayStatus.OPEN

    # and the supervisor closes it with a note
    ui.page.context.clear_cookies()
    ui.login(chief.username)
    ui.go(f"/cashbook/closing/?counter={counter.uuid}")
    ui.page.get_by_label("Counted in cash (EUR)").fill("19.50")
    ui.page.get_by_label("Supervisor's note").fill("Fifty cents short; change.")
    ui.page.get_by_role("button", name="Close and sign the day").click()
    expect(ui.page.get_by_text("The day is closed and signed.")).to_be_visible()
    expect(ui.page.locator("dl.facts")).to_contain_text("-0.50 EUR")
    checked("a closed day with a difference", "cashbook-closing")
    day = CashDay.objects.get()
    assert day.status == DayStatus.CLOSED
    assert day.closed_by == chief
    assert day.difference_note == "Fifty cents short; change."
