"""A demo month's payment run in a real browser (issue #18, item 9): a payment
agent prepares the month, reviews it (the totals and an exception listed), a
second agent approves it and executes it, and the SEPA files are listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data
from guichet.payments.models import PaymentRun, RunState, SepaFile

from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def test_a_demo_month_is_prepared_reviewed_approved_and_executed(
    ui: Any, checked: Check, demo: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PAYMENTS_OUT_DIR = tmp_path
    Agent.objects.filter(username__in=["payment.c", "payment.b"]).update(language="en")
    today = timezone.localdate()
    month = f"{today.year:04d}-{today.month:02d}"

    # a payment agent prepares the month's run
    ui.login("payment.c", data.DEMO_PASSWORD)
    ui.go("/payments/")
    ui.page.locator("#id_month").fill(month)
    ui.page.get_by_role("button", name="Prepare the run").click()
    expect(ui.page.get_by_role("heading", name=f"Payment run {month}")).to_be_visible()
    run = PaymentRun.objects.get(month=month)
    # the totals and the exception of the demo's unsigned declaration
    expect(ui.page.locator("table.totals")).to_contain_text("Net to beneficiaries")
    expect(ui.page.locator("table.exceptions")).to_contain_text(
        "The month's declaration is not signed."
    )
    checked("a prepared run", "payments-run-review")
    ui.page.get_by_role("button", name="Mark reviewed").click()
    expect(ui.page.get_by_text("The run is reviewed")).to_be_visible()

    # a second agent approves and executes it
    ui.page.context.clear_cookies()
    ui.login("payment.b", data.DEMO_PASSWORD)
    ui.go(f"/payments/runs/{run.uuid}/")
    ui.page.get_by_role("button", name="Approve the run").click()
    expect(ui.page.get_by_text("The run is approved")).to_be_visible()
    ui.page.get_by_role("button", name="Execute: write the transfer files").click()
    files = ui.page.locator("table.files")
    expect(files).to_be_visible()
    run.refresh_from_db()
    assert run.state == RunState.EXECUTED
    sepa = SepaFile.objects.filter(run=run).order_by("sequence").first()
    assert sepa is not None
    expect(files).to_contain_text(sepa.sha256)
    checked("an executed run with its files", "payments-run-executed")
    # the file's hash and the totals fit a phone's screen
    ui.page.set_viewport_size({"width": 390, "height": 800})
    ui.go(f"/payments/runs/{run.uuid}/")
    check_text_fits(ui, "the executed run at 390 px")
