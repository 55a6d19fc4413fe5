"""Registering a person, an organisation and a postal address in a real browser.

The flow a first-line agent follows when a caller is not found: register them
(through the duplicate warning), land on their 360° view, correct their address.
Every page is checked by axe-core and saved at 1280 and 390 pixels wide, in the
four languages of the workspace.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.parties.models import Organisation, Person
from tests.factories import AgentFactory, PersonFactory, TeamFactory

Check = Callable[[str, str | None], None]

SMALL = {"width": 390, "height": 800}
LARGE = {"width": 1280, "height": 800}
# What the 360° view says once the person is registered, per language.
REGISTERED = {
    "en": "DUPONT Jean was registered.",
    "fr": "La personne DUPONT Jean a été enregistrée.",
    "nl": "De persoon DUPONT Jean is geregistreerd.",
    "de": "Die Person DUPONT Jean wurde erfasst.",
}


def _both_widths(
    ui: Any, checked: Check, context: str, name: str, *, narrow: bool = True
) -> None:
    """Check and save the page at both widths; the screens of this module never
    scroll sideways (`narrow`; the 360° view's tabs and facts still do, a matter
    of the shared layout)."""
    checked(context, name)
    ui.page.set_viewport_size(SMALL)
    checked(f"{context} at 390 px", f"{name}-390")
    width = ui.page.evaluate("() => document.documentElement.scrollWidth")
    if narrow:
        assert width <= SMALL["width"], f"{context} scrolls sideways at 390 px"
    ui.page.set_viewport_size(LARGE)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_registers_a_person_past_the_duplicate_warning_and_lands_on_their_page(
    ui: Any, checked: Check, transactional_db: Any, language: str
) -> None:
    team = TeamFactory(code="cc-fr", name="Contact center FR")
    AgentFactory(
        username="first.fr",
        first_name="Amélie",
        last_name="Lambert",
        roles=["first_line"],
        teams=[team],
        level="C",
        language=language,
    )
    namesake = PersonFactory(
        given_names="Jean", surname="Dupond", birth_date=dt.date(1985, 7, 30)
    )
    ui.login("first.fr")

    # From the search page, where an unknown caller leaves the agent.
    ui.go("/search/")
    ui.page.locator('a[href="/persons/new/"]').click()
    ui.page.wait_for_url("**/persons/new/")
    page = ui.page
    page.locator("#id_surname").fill("Dupont")
    page.locator("#id_given_names").fill("Jean")
    page.locator("#id_national_number").fill("85.07.30-033.29")
    page.locator("#id_address_street").fill("Rue Haute")
    page.locator("#id_address_house_number").fill("12")
    page.locator("#id_address_postal_code").fill("1000")
    page.locator("#id_address_municipality").fill("Bruxelles")
    page.locator("form.form button[type=submit].primary").click()

    # A wrong check digit: said next to the field, the input kept.
    expect(page.locator("#id_national_number_error")).to_be_visible()
    expect(page.locator("#id_national_number")).to_have_value("85.07.30-033.29")
    expect(page.locator("#id_address_street")).to_have_value("Rue Haute")
    _both_widths(
        ui,
        checked,
        f"person form with an error ({language})",
        f"person-new-error-{language}",
    )
    page.locator("#id_national_number").fill("85.07.30-033.28")
    page.locator("form.form button[type=submit].primary").click()

    # A likely duplicate: shown with a link, registering anyway is a second click.
    expect(page.locator(f'a[href="/persons/{namesake.uuid}/"]')).to_have_text(
        "DUPOND Jean"
    )
    assert Person.objects.filter(surname="Dupont").count() == 0
    _both_widths(
        ui,
        checked,
        f"duplicate warning ({language})",
        f"person-new-duplicate-{language}",
    )
    page.locator('button[name="acknowledge_duplicates"]').click()

    person = Person.objects.get(surname="Dupont")
    page.wait_for_url(re.compile(rf"/persons/{person.uuid}/$"))
    expect(page.locator("h1")).to_have_text("DUPONT Jean")
    expect(page.get_by_role("status").first).to_contain_text(REGISTERED[language])
    expect(page.locator("address")).to_contain_text("Rue Haute 12")
    _both_widths(
        ui,
        checked,
        f"registered person ({language})",
        f"person-registered-{language}",
        narrow=False,
    )

    # The address is corrected from the 360° view.
    page.locator(f'a[href^="/persons/{person.uuid}/addresses/"]').click()
    page.locator("#id_address_street").fill("Rue Basse")
    _both_widths(
        ui, checked, f"address edit ({language})", f"person-address-{language}"
    )
    page.locator("form.form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/persons/{person.uuid}/$"))
    expect(page.locator("address")).to_contain_text("Rue Basse 12")


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_registers_an_organisation(
    ui: Any, checked: Check, transactional_db: Any, language: str
) -> None:
    AgentFactory(
        username="first.fr",
        roles=["first_line"],
        teams=[TeamFactory(code="cc-fr")],
        level="C",
        language=language,
    )
    ui.login("first.fr")
    ui.go("/organisations/")
    ui.page.locator('a[href="/organisations/new/"]').click()
    page = ui.page
    page.locator("#id_name").fill("Boulangerie Dupont SRL")
    page.locator("#id_enterprise_number").fill("0403.170.702")
    page.locator("form.form button[type=submit].primary").click()
    expect(page.locator("#id_enterprise_number_error")).to_be_visible()
    _both_widths(
        ui, checked, f"organisation form ({language})", f"organisation-new-{language}"
    )
    page.locator("#id_enterprise_number").fill("0403.170.701")
    page.locator("form.form button[type=submit].primary").click()

    organisation = Organisation.objects.get()
    page.wait_for_url(re.compile(rf"/organisations/{organisation.uuid}/$"))
    expect(page.locator("h1")).to_have_text("Boulangerie Dupont SRL")
