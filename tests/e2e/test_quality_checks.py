"""The "Data quality" section on the demo, in a real browser (issue #19, item 4):
an agent opens the counts, clicks a count through to its findings, and follows a
finding to the person whose address must be corrected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data

from .conftest import SMALL, WIDE
from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def test_a_count_leads_to_its_findings_and_a_finding_to_the_person(
    ui: Any, checked: Check, demo: Any
) -> None:
    Agent.objects.filter(username="front.travel").update(language="en")
    ui.login("front.travel", data.DEMO_PASSWORD)

    ui.go("/")
    ui.page.get_by_role("link", name="Data quality").first.click()
    expect(ui.page.get_by_role("heading", name="Data quality", level=1)).to_be_visible()
    summary = ui.page.locator("main")
    expect(summary).to_contain_text("Postal code not of its municipality: 1 finding")
    expect(summary).to_contain_text(
        "Expired identity document on an open dossier: 1 finding"
    )
    expect(summary).to_contain_text(
        "Birth dates kept against the national number: 1 person"
    )
    for size, suffix in ((WIDE, ""), (SMALL, "-390")):
        ui.page.set_viewport_size(size)
        check_text_fits(ui, f"data quality{suffix}")
        checked(f"data quality{suffix}", f"quality/checks{suffix}")
    ui.page.set_viewport_size(WIDE)

    ui.page.get_by_role(
        "link", name="Postal code not of its municipality: 1 finding"
    ).click()
    expect(
        ui.page.get_by_role("heading", name="Postal code not of its municipality")
    ).to_be_visible()
    findings = ui.page.locator("table.data")
    expect(findings).to_contain_text("4000 Namur")
    expect(findings).to_contain_text("The postal code 4000 serves")
    for size, suffix in ((WIDE, ""), (SMALL, "-390")):
        ui.page.set_viewport_size(size)
        check_text_fits(ui, f"postal code findings{suffix}")
        checked(f"postal code findings{suffix}", f"quality/check-postal-code{suffix}")
    ui.page.set_viewport_size(WIDE)

    findings.get_by_role("link", name="FONTAINE Claire", exact=True).click()
    expect(ui.page.get_by_role("heading", name="FONTAINE Claire")).to_be_visible()
