"""The agent workspace in a real browser: the scenarios of issue #3.

Each test walks a screen as an agent would, with the keyboard where agents use it,
checks every page with axe-core, and saves the screenshots of docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.parties import services
from guichet.parties.models import Person, PhoneNumber
from tests.factories import (
    AgentFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
)

Check = Callable[[str, str | None], None]


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    """A small service: agents of three teams and a few persons, one confidential."""
    cc = TeamFactory(code="cc-fr", name="Contact center FR")
    visas = TeamFactory(code="visas", name="Visas")
    support = TeamFactory(code="support", name="Administrative support")
    agents = {
        "first": AgentFactory(
            username="first.fr",
            first_name="Amélie",
            last_name="Lambert",
            roles=["first_line"],
            teams=[cc],
            level="C",
        ),
        "other": AgentFactory(
            username="second.fr",
            first_name="Nadia",
            last_name="Benali",
            roles=["second_line"],
            teams=[cc],
            level="B",
        ),
        "level_d": AgentFactory(
            username="support.d",
            first_name="Kevin",
            last_name="Dubois",
            roles=["support_agent"],
            teams=[support],
            level="D",
        ),
    }
    louise = PersonFactory(given_names="Louise", surname="Lambert", language="fr")
    services.person_contact_add(
        actor=agents["other"],
        person_id=louise.uuid,
        expected_version=louise.version,
        phone=services.PhoneInput(
            number="0471 11 22 33", kind="mobile", is_primary=True
        ),
    )
    PersonFactory(given_names="Adam", surname="Lambert")
    PersonFactory(given_names="Lien", surname="Lamberts")
    hidden = PersonFactory(
        given_names="Louis", surname="Lambrecht", confidential_team=visas
    )
    OrganisationFactory(name="Garage Lambert & Fils SA", enterprise_number="0403170701")
    return {"agents": agents, "louise": louise, "hidden": hidden}


def test_logs_in_and_switches_language(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    ui.go("/")
    expect(ui.page.get_by_role("heading", name="Log in to Guichet")).to_be_visible()
    checked("login", "login")

    ui.login("first.fr")
    expect(ui.page.locator(".agent-name")).to_have_text("Amélie Lambert")
    expect(ui.page.locator(".agent-meta")).to_contain_text("Contact center FR")
    expect(ui.page.locator(".agent-meta")).to_contain_text("Level C")
    expect(ui.page.get_by_role("searchbox")).to_be_focused()
    checked("home", "home")

    ui.page.get_by_role("button", name="Nederlands").click()
    expect(ui.page.locator("html")).to_have_attribute("lang", "nl")
    expect(ui.page.get_by_role("button", name="Afmelden")).to_be_visible()
    assert Agent.objects.get(username="first.fr").language == "nl"
    checked("home in Dutch", None)

    # Remembered for the agent, not the browser: another browser, in Dutch too.
    ui.page.get_by_role("button", name="Afmelden").click()
    ui.page.context.clear_cookies()
    ui.login("first.fr")
    expect(ui.page.locator("html")).to_have_attribute("lang", "nl")
    expect(ui.page.get_by_role("button", name="Afmelden")).to_be_visible()


def test_the_language_switch_names_each_language_in_its_own_words(
    ui: Any, world: dict[str, Any]
) -> None:
    """Issue #11: in French the switch read "EN Anglais"; each language is named
    as its speakers name it, whatever the interface language."""
    Agent.objects.filter(username="first.fr").update(language="fr")
    ui.login("first.fr")
    for interface in ("fr", "de"):
        if interface == "de":
            ui.page.get_by_role("button", name="Deutsch", exact=True).click()
        expect(ui.page.locator("html")).to_have_attribute("lang", interface)
        switch = ui.page.locator(".language-switch")
        for code, name in (
            ("fr", "Français"),
            ("nl", "Nederlands"),
            ("de", "Deutsch"),
            ("en", "English"),
        ):
            button = switch.get_by_role("button", name=name, exact=True)
            expect(button).to_have_attribute("lang", code)
            expect(button).to_have_attribute("title", name)
            expect(button).to_have_text(re.compile(code.upper()))
            pressed = "true" if code == interface else "false"
            expect(button).to_have_attribute("aria-pressed", pressed)


def test_finds_a_misspelt_name_with_the_keyboard_and_opens_the_360_view(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    ui.login("first.fr")
    ui.page.locator("h1").click()  # the focus is elsewhere; "/" brings it back
    ui.page.keyboard.press("/")
    search = ui.page.get_by_role("searchbox")
    expect(search).to_be_focused()
    search.press_sequentially("lambrt lou", delay=20)
    first = ui.page.locator("#search-suggestions a[data-hit]").first
    expect(first).to_contain_text("LAMBERT Louise")
    # The confidential namesake of the visas team is never offered.
    expect(ui.page.locator("#search-suggestions")).not_to_contain_text("LAMBRECHT")
    checked("search results", "search")

    ui.page.keyboard.press("Enter")
    ui.page.wait_for_url(re.compile(r"/persons/[0-9a-f-]+/$"))
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("LAMBERT Louise")
    expect(ui.page.get_by_text("+32 471 11 22 33")).to_be_visible()
    checked("person 360° view", "person")

    ui.page.get_by_role("link", name="History").click()
    expect(ui.page.get_by_role("heading", name="Changes")).to_be_visible()
    checked("person history", None)


def test_arrows_move_through_the_results(ui: Any, world: dict[str, Any]) -> None:
    ui.login("first.fr")
    search = ui.page.get_by_role("searchbox")
    search.press_sequentially("lambert", delay=20)
    hits = ui.page.locator("#search-suggestions a[data-hit]")
    expect(hits.first).to_be_visible()
    ui.page.keyboard.press("ArrowDown")
    expect(hits.nth(0)).to_be_focused()
    ui.page.keyboard.press("ArrowDown")
    expect(hits.nth(1)).to_be_focused()
    ui.page.keyboard.press("ArrowUp")
    ui.page.keyboard.press("ArrowUp")
    expect(search).to_be_focused()


def test_full_results_page_and_organisation_list(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    ui.login("first.fr")
    search = ui.page.get_by_role("searchbox")
    search.fill("lambert")
    ui.page.get_by_role("link", name="All results").click()
    expect(ui.page.get_by_role("heading", name="Persons", exact=True)).to_be_visible()
    expect(
        ui.page.get_by_role("heading", name="Organisations", exact=True)
    ).to_be_visible()
    checked("full search results", "search-page")

    ui.page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Organisations"
    ).click()
    ui.page.get_by_label("Name contains").fill("garage")
    ui.page.get_by_label("Sort by").select_option("-name")
    ui.page.get_by_role("button", name="Apply").click()
    expect(ui.page.get_by_role("link", name="Garage Lambert & Fils SA")).to_be_visible()
    checked("organisation list", "organisations")
    ui.page.get_by_role("link", name="Garage Lambert & Fils SA").click()
    checked("organisation", None)


def test_replaces_a_phone_number_with_a_confirmation_step(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    louise = world["louise"]
    ui.login("first.fr")
    ui.go(f"/persons/{louise.uuid}/")
    ui.page.get_by_role("link", name="Edit contact details").click()
    ui.page.get_by_label("Phone number", exact=True).fill("0470 12 34 5")
    ui.page.get_by_role("button", name="Add the phone number").click()
    expect(ui.page.locator(".field-error")).to_contain_text("not a valid phone number")
    checked("contact form with an error", "contact-error")

    ui.page.get_by_label("Phone number", exact=True).fill("0470 12 34 56")
    ui.page.get_by_label("Preferred number").check()
    ui.page.get_by_role("button", name="Add the phone number").click()
    expect(ui.page.get_by_role("status")).to_contain_text("The phone number was added.")

    ui.page.get_by_role("link", name="Remove +32 471 11 22 33").click()
    expect(
        ui.page.get_by_role("heading", name="Remove this contact point?")
    ).to_be_visible()
    checked("removal confirmation", "confirm-remove")
    ui.page.get_by_role("button", name="Remove").click()
    expect(ui.page.get_by_role("status")).to_contain_text("was removed")
    assert list(
        PhoneNumber.objects.filter(person=louise).values_list("e164", flat=True)
    ) == ["+32470123456"]


def test_a_conflicting_edit_shows_the_other_change_and_never_overwrites(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    louise = Person.objects.get(pk=world["louise"].pk)
    ui.login("first.fr")
    ui.go(f"/persons/{louise.uuid}/edit/")
    checked("identity form", None)
    ui.page.get_by_label("Given names").fill("Louise Marie")

    # Meanwhile, a colleague corrects the surname.
    services.person_update(
        actor=world["agents"]["other"],
        person_id=louise.uuid,
        expected_version=louise.version,
        data={"surname": "Lambert-Dufour"},
    )
    ui.page.get_by_role("button", name="Save").click()
    conflict = ui.page.get_by_role("alert")
    expect(conflict).to_contain_text("Another agent changed this person")
    expect(conflict).to_contain_text("Lambert-Dufour")
    expect(conflict).to_contain_text("Louise Marie")
    expect(conflict).to_contain_text("Nadia Benali")
    assert Person.objects.get(pk=louise.pk).given_names == "Louise"
    checked("edit conflict", "conflict")

    ui.page.get_by_role("button", name="Save my changes again").click()
    expect(ui.page.get_by_role("status")).to_contain_text("The identity was saved.")
    saved = Person.objects.get(pk=louise.pk)
    assert (saved.surname, saved.given_names) == ("Lambert-Dufour", "Louise Marie")


def test_refuses_a_person_of_another_service_and_an_action_above_the_level(
    ui: Any, checked: Check, world: dict[str, Any]
) -> None:
    ui.login("first.fr")
    ui.go(f"/persons/{world['hidden'].uuid}/")
    expect(ui.page.get_by_role("heading", name="Nothing here")).to_be_visible()
    checked("404 for a confidential person", "not-found")

    ui.page.get_by_role("button", name="Log out").click()
    ui.login("support.d")
    ui.go(f"/persons/{world['louise'].uuid}/")
    expect(ui.page.get_by_role("link", name="Edit identity")).to_have_count(0)
    ui.go(f"/persons/{world['louise'].uuid}/edit/")
    expect(ui.page.get_by_role("heading", name="You may not do this")).to_be_visible()
    checked("403 page", "forbidden")
