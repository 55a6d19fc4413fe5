"""The demo's citizen registered twice, found and merged in a real browser (issue
#19): a supervisor opens Duplicates, compares the pair, keeps the record with the
national number, confirms; the kept person shows the moved rows, and the absorbed
record's address says where it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import data, duplicates
from guichet.parties.models import Person

from .test_crawl import check_text_fits

Check = Callable[[str, str | None], None]


def test_a_supervisor_merges_the_demo_duplicates(
    ui: Any, checked: Check, demo: Any
) -> None:
    Agent.objects.filter(username="supervisor.support").update(language="en")
    kept = Person.objects.get(surname=duplicates.FIRST[1])
    absorbed = Person.objects.get(surname=duplicates.SECOND[1])
    ui.login("supervisor.support", data.DEMO_PASSWORD)
    ui.go("/quality/duplicates/")
    table = ui.page.locator("table.data")
    expect(table).to_contain_text("VANDENBERGE Lucie")
    expect(table).to_contain_text("names one letter apart")
    checked("the duplicates report", "merge-duplicates")
    ui.page.get_by_role("link", name="Compare", exact=False).filter(
        has_text="VANDENBERGE"
    ).first.click()
    expect(ui.page.get_by_role("heading", name="Compare two persons")).to_be_visible()
    ui.page.get_by_role("radio", name=str(kept)).check()
    ui.page.get_by_label("Why are they one person?").fill(
        "Same citizen: the surname was misspelt and the national number missing."
    )
    checked("a pair compared", "merge-pair")
    ui.page.set_viewport_size({"width": 390, "height": 800})
    check_text_fits(ui, "the pair at 390 px")
    ui.page.screenshot(path=str(_shot("merge-pair-390")))
    ui.page.set_viewport_size({"width": 1280, "height": 800})
    ui.page.get_by_role("button", name="Continue").click()
    expect(ui.page.get_by_text("This cannot be undone")).to_be_visible()
    ui.page.get_by_role("button", name="Merge", exact=True).click()
    expect(ui.page.get_by_text("was merged into")).to_be_visible()
    assert ui.page.url.endswith(f"/persons/{kept.uuid}/")
    checked("the kept person", "merge-kept")
    absorbed.refresh_from_db()
    assert absorbed.merged_into_id == kept.pk
    # the request and both contacts are the kept person's now
    ui.go(f"/persons/{kept.uuid}/requests/")
    expect(ui.page.locator("main")).to_contain_text(
        "Attestation de composition de ménage"
    )
    ui.go(f"/persons/{kept.uuid}/contacts/")
    expect(ui.page.locator("main")).to_contain_text("heures d'ouverture")
    expect(ui.page.locator("main")).to_contain_text("composition de ménage")
    checked("the kept person's contacts", "merge-kept-contacts")
    # the absorbed id says where it went
    ui.go(f"/persons/{absorbed.uuid}/")
    expect(ui.page.get_by_text("merged into")).to_be_visible()
    assert ui.page.url.endswith(f"/persons/{kept.uuid}/")


def _shot(name: str) -> Any:
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
