"""A bank's reject recorded in a real browser (issue #18, item 6): on an executed
demo run, a payment agent records the bank's reject of a transfer, sees it listed
with its reason, and the section fits a phone's screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data
from guichet.payments import runs, services
from guichet.payments.models import Payment

from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def test_a_reject_is_recorded_on_the_run_page(
    ui: Any, checked: Check, demo: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PAYMENTS_OUT_DIR = tmp_path
    Agent.objects.filter(username__in=["payment.c", "payment.b"]).update(language="en")
    agent = Agent.objects.get(username="payment.c")
    second = Agent.objects.get(username="payment.b")
    today = timezone.localdate()
    run = runs.run_prepare(actor=agent, month=f"{today.year:04d}-{today.month:02d}")
    run = services.run_review(actor=agent, run_id=run.uuid)
    run = services.run_approve(actor=second, run_id=run.uuid)
    runs.run_execute(actor=agent, run=run, out_dir=tmp_path)
    payment = Payment.objects.filter(run=run, kind="beneficiary").order_by("id")[0]

    ui.login("payment.c", data.DEMO_PASSWORD)
    ui.go(f"/payments/runs/{run.uuid}/")
    ui.page.locator("#id_end_to_end_id").fill(payment.end_to_end_id)
    ui.page.locator("#id_reason").select_option("AC04")
    ui.page.locator("#id_bank_reference").fill("BANK-REF-42")
    ui.page.get_by_role("button", name="Record the reject").click()
    expect(ui.page.get_by_text("The reject is recorded")).to_be_visible()
    rejected = ui.page.locator("table.rejects")
    expect(rejected).to_contain_text("AC04 closed account number")
    expect(rejected).to_contain_text("Correct the account first.")
    checked("a run with a bank reject", "payments-run-reject")
    ui.page.set_viewport_size({"width": 390, "height": 800})
    ui.go(f"/payments/runs/{run.uuid}/")
    check_text_fits(ui, "the run's bank rejects at 390 px")
