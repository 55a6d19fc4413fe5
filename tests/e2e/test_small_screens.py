"""A 390 px screen, as on a phone (issue #11): the navigation behind a menu button,
no page wider than the screen, and tables that scroll inside their own box.

The menu button works under the strict CSP (its behaviour is in guichet.js; the
`ui` fixture fails on any CSP violation).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.demo import builders, data
from guichet.parties.models import Person

from .conftest import Browser
from .test_crawl import check_text_fits

SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}

# `demo` (tests/conftest.py): the whole demo data set, put back for each test.
pytestmark = pytest.mark.usefixtures("demo")


def _debtor() -> Person:
    """The demo person with two garnishments (a table of seven columns)."""
    number = builders.person_specs()[4].identity.national_number
    return Person.objects.get(national_number=number)


def test_the_menu_button_opens_the_navigation_on_a_small_screen(ui: Browser) -> None:
    Agent.objects.filter(username="payment.b").update(language="en")
    ui.page.set_viewport_size(SMALL)
    ui.login("payment.b", data.DEMO_PASSWORD)
    navigation = ui.page.get_by_role("navigation", name="Workspace")
    menu = ui.page.get_by_role("button", name="Menu")
    expect(navigation).to_be_hidden()
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    ui.check_accessibility("home at 390 px, menu closed")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation).to_be_visible()
    ui.check_accessibility("home at 390 px, menu open")
    ui.screenshot("menu-390")
    check_text_fits(ui, "home at 390 px, menu open")
    # Escape closes it and gives the focus back to the button.
    navigation.get_by_role("link").first.focus()
    ui.page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(menu).to_be_focused()
    # With the keyboard: Enter opens, and the links are the next Tab stops.
    ui.page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    ui.page.keyboard.press("Tab")
    expect(navigation.get_by_role("link").first).to_be_focused()
    navigation.get_by_role("link", name="Organisations").click()
    ui.page.wait_for_url("**/organisations/")
    expect(navigation).to_be_hidden()

    # On a wide screen the navigation is always there, and no button.
    ui.page.set_viewport_size(WIDE)
    expect(navigation).to_be_visible()
    expect(menu).to_be_hidden()


def test_the_person_and_debts_fit_a_small_screen(ui: Browser) -> None:
    person = _debtor()
    ui.page.set_viewport_size(SMALL)
    ui.login("payment.b", data.DEMO_PASSWORD)
    for tab in ("", "debts/"):
        ui.go(f"/persons/{person.uuid}/{tab}")
        check_text_fits(ui, f"person /{tab} at 390 px")

    # The table of debts scrolls inside its own box, which the keyboard reaches;
    # its last column (balance, status) can be scrolled into view.
    table = ui.page.locator("table.debts")
    box = ui.page.locator(".table-scroll").filter(has=table)
    expect(box).to_have_attribute("tabindex", "0")
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    status = table.locator("tbody tr").first.locator("td").last
    status.scroll_into_view_if_needed()
    place = status.bounding_box()
    assert place is not None
    assert place["x"] >= 0
    assert place["x"] + place["width"] <= SMALL["width"]
    ui.check_accessibility("debts at 390 px")
    ui.page.evaluate("() => window.scrollTo(0, 0)")
    ui.screenshot("debts-390")
