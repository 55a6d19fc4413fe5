"""The dashboards per role in a real browser (issue #19, item 1): a supervisor of
the demo sees their teams' figures, clicks one through to its rows and downloads
a table as XLSX; a payment agent sees the month's run and the creditors. In
French, at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from openpyxl import load_workbook
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data
from guichet.payments import services as payment_services

from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def _number(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()) or 0)


def test_a_supervisor_and_a_payment_agent_see_their_dashboards(
    ui: Any, checked: Check, demo: Any
) -> None:
    Agent.objects.filter(username__in=["supervisor.cc", "payment.c"]).update(
        language="fr"
    )
    ui.login("supervisor.cc", data.DEMO_PASSWORD)
    ui.go("/reports/dashboard/")
    expect(
        ui.page.get_by_role("heading", name="Tableau de bord de mes équipes")
    ).to_be_visible()
    backlog = ui.page.locator(
        "section", has=ui.page.locator("#figure-backlog_requests")
    )
    expect(backlog.get_by_role("img", name="Demandes ouvertes par âge")).to_be_visible()
    # a real figure: the first team's open requests of 0 to 2 days, then its rows
    cell = backlog.locator("tbody tr td a").first
    count = _number(cell.inner_text())
    totals = [
        _number(text)
        for text in backlog.locator("tbody tr td:last-child").all_inner_texts()
    ]
    assert sum(totals) > 0
    checked("the supervisor's dashboard", "reports-dashboard-supervisor")
    ui.page.set_viewport_size({"width": 390, "height": 800})
    check_text_fits(ui, "the supervisor's dashboard at 390 px")
    ui.screenshot("reports-dashboard-supervisor-390")
    ui.page.set_viewport_size({"width": 1280, "height": 800})
    cell.click()
    expect(
        ui.page.get_by_role("link", name="Retour au tableau de bord")
    ).to_be_visible()
    assert ui.page.locator("main table.data tbody tr").count() == min(count, 50)
    checked("the rows behind a figure", "reports-dashboard-rows")

    # one table downloaded as XLSX
    ui.go("/reports/dashboard/teams/")
    workload = ui.page.locator("section", has=ui.page.locator("#figure-workload"))
    with ui.page.expect_download() as download:
        workload.get_by_role("link", name="Exporter en XLSX").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Charge de travail par agent"
    assert rows[1][0] == "Équipes"

    # the payment office's dashboard, with last month's run prepared
    agent = Agent.objects.get(username="payment.c")
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    payment_services.run_prepare(
        actor=agent, month=f"{last:%Y-%m}", team_code="payment-office"
    )
    ui.page.context.clear_cookies()
    ui.login("payment.c", data.DEMO_PASSWORD)
    ui.go("/reports/dashboard/")
    expect(
        ui.page.get_by_role("heading", name="Tableau de bord du bureau de paiement")
    ).to_be_visible()
    runs = ui.page.locator("section", has=ui.page.locator("#figure-runs"))
    expect(runs.locator("tbody tr")).to_have_count(1)
    checked("the payment office's dashboard", "reports-dashboard-payments")
    ui.page.set_viewport_size({"width": 390, "height": 800})
    check_text_fits(ui, "the payment office's dashboard at 390 px")
    ui.screenshot("reports-dashboard-payments-390")
    ui.page.set_viewport_size({"width": 1280, "height": 800})
    # the run's figures click through to the run they count, and export as XLSX
    with ui.page.expect_download() as download:
        runs.get_by_role("link", name="Exporter en XLSX").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Les cycles de paiement du mois"
    assert any(row and row[0] == f"{last:%Y-%m}" for row in rows) or any(
        f"{last:%Y-%m}" in str(cell) for row in rows for cell in row if cell
    )
    runs.locator("tbody tr a").first.click()  # the office's name: its run
    ui.page.wait_for_url("**/payments/runs/**")
    assert ui.page.locator("main h1").count() == 1
