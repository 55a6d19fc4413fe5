"""The seeds' lists in a real browser (issue #19 items 2 and 3): a demo supervisor
opens "Lists", filters the complaints, exports them as XLSX, then starts a
background export and follows its progress to the download link."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data
from guichet.reports.models import ExportJob, ExportState

from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def test_a_supervisor_filters_and_exports_the_complaints(
    ui: Any, checked: Check, demo: Any, settings: Any, tmp_path: Path
) -> None:
    settings.EXPORT_DIR = tmp_path
    Agent.objects.filter(username="supervisor.cc").update(language="en")
    ui.login("supervisor.cc", data.DEMO_PASSWORD)

    # "Lists" in the navigation, then the complaints
    ui.page.get_by_role("link", name="Lists", exact=True).first.click()
    ui.page.get_by_role("link", name="Complaints handled and pending").click()
    ui.page.get_by_label("Handled or pending").select_option("pending")
    ui.page.get_by_role("button", name="Show the list").click()
    heading = ui.page.locator("#list-title")
    expect(heading).to_contain_text("row")
    checked("the complaints list", "reports-list-complaints")

    # the XLSX export holds the filters
    with ui.page.expect_download() as download:
        ui.page.get_by_role("link", name="Export as XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    values = list(sheet.active.iter_rows(values_only=True))
    assert values[0][0] == "Complaints handled and pending"
    assert ("Handled or pending", "pending") in [row[:2] for row in values]

    # a long export goes to the background (the tests' worker runs it at once)
    settings.EXPORT_BACKGROUND_ROWS = 0
    ui.page.get_by_role("link", name="Export as XLSX").click()
    ui.page.get_by_role("button", name="Write it in the background").click()
    expect(ui.page.get_by_role("link", name="Download the file")).to_be_visible()
    job = ExportJob.objects.get()
    assert job.state == ExportState.DONE
    checked("a background export, done", "reports-export-done")
    with ui.page.expect_download() as done:
        ui.page.get_by_role("link", name="Download the file").click()
    assert Path(done.value.path()).read_bytes()[:2] == b"PK"

    # both pages fit a phone's screen
    ui.page.set_viewport_size({"width": 390, "height": 800})
    check_text_fits(ui, "the background export at 390 px")
    ui.screenshot("reports-export-done-390")
    ui.page.go_back()
    ui.go("/reports/lists/complaints/?state=pending")
    check_text_fits(ui, "the complaints list at 390 px")
    ui.screenshot("reports-list-complaints-390")
