"""The telephony hook in a real browser (issue #16, point 4): the answering
agent's workspace is open, the telephone system calls the webhook, and the
caller's record with the prefilled phone contact appears without a reload; the
call's end is recorded on the contact; an unknown number opens the search. The
new screen parts are checked by axe-core and saved in the four languages at 1280
and 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.contacts.models import Contact
from guichet.demo import builders, data
from guichet.parties.models import Person, PhoneNumber
from guichet.telephony import play
from guichet.telephony.models import Call
from tests.e2e.conftest import widths_for
from tests.e2e.test_crawl import text_that_does_not_fit
from tests.servicerequests.conftest import shipped_reference_data

Check = Callable[[str, str | None], None]

SECRET = "e2e-telephony-secret-0123456789abcdef"
SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}
UNKNOWN = "+3225550199"


@pytest.fixture
def caller(transactional_db: Any, settings: Any) -> Person:
    """The demo's agents (first.nl has extension 201) and persons; one the
    contact center sees, with a number nobody else has."""
    settings.TELEPHONY_SECRETS = [SECRET]
    shipped_reference_data()
    builders.persons(builders.Report(), builders.teams_and_agents(builders.Report()))
    for person in Person.objects.filter(confidential_team__isnull=True).order_by(
        "national_number"
    ):
        numbers = list(person.phones.values_list("e164", flat=True))
        if numbers and PhoneNumber.objects.filter(e164=numbers[0]).count() == 1:
            return person
    raise AssertionError("no demo person with a number of their own")


def _call(ui: Any, call_id: str, event: str, number: str) -> None:
    sent = play.send(
        url=ui.base_url,
        secret=SECRET,
        body=play.payload(
            call_id=call_id, event=event, caller=number, agent="", extension="201"
        ),
    )
    assert sent.status == 201, sent


def _login(ui: Any, language: str) -> None:
    Agent.objects.filter(username="first.nl").update(language=language)
    ui.page.context.clear_cookies()
    ui.login("first.nl", data.DEMO_PASSWORD)


def _same_document(ui: Any) -> None:
    """Mark the page: a reload would lose the mark."""
    ui.page.evaluate("() => { window.stillTheSamePage = true; }")


def _not_reloaded(ui: Any) -> None:
    assert ui.page.evaluate("() => window.stillTheSamePage === true")


def test_an_answered_call_opens_the_callers_record_without_a_reload(
    ui: Any, checked: Check, caller: Person
) -> None:
    number = caller.phones.first().e164
    _login(ui, "en")
    ui.go("/contacts/")
    _same_document(ui)

    _call(ui, "e2e-1", "ringing", number)
    _call(ui, "e2e-1", "answered", number)

    call = Call.objects.get(call_id="e2e-1")
    expect(ui.page).to_have_url(
        re.compile(rf"/persons/{caller.uuid}/contacts/new/\?call={call.uuid}$"),
        timeout=8000,
    )
    _not_reloaded(ui)
    panel = ui.page.locator(".call-panel")
    expect(panel).to_contain_text(f"Call from {number}")
    expect(panel).to_contain_text("In progress")
    expect(ui.page.locator("h1")).to_contain_text(str(caller))
    expect(ui.page.get_by_label("Channel")).to_have_value("phone")
    checked("the call's contact screen", None)

    ui.page.get_by_label("Topic").select_option(index=1)
    ui.page.get_by_label("Summary").fill("Asked when the allowance is paid.")
    ui.page.get_by_role("button", name="Register the contact").click()
    ui.page.wait_for_url(f"**/persons/{caller.uuid}/contacts/")
    contact = Contact.objects.get(person=caller)
    assert (contact.channel, contact.direction, contact.address_used) == (
        "phone",
        "inbound",
        number,
    )
    assert contact.started_at == call.answered_at
    assert contact.ended_at is None

    _call(ui, "e2e-1", "ended", number)
    contact.refresh_from_db()
    assert contact.ended_at == Call.objects.get(call_id="e2e-1").ended_at

    # What the agent typed is never lost: with text in the page, a banner offers
    # the call's screen instead of replacing the page.
    ui.go("/contacts/new/")
    _same_document(ui)
    ui.page.get_by_label("Summary").fill("Half of a note")
    _call(ui, "e2e-2", "answered", UNKNOWN)
    unknown = Call.objects.get(call_id="e2e-2")
    waiting = ui.page.locator(".call-waiting")
    expect(waiting).to_be_visible(timeout=8000)
    expect(ui.page).to_have_url(re.compile(r"/contacts/new/$"))
    expect(ui.page.get_by_label("Summary")).to_have_value("Half of a note")
    checked("the call waiting beside a half-typed form", None)

    # A number nobody the agent sees has: the search opens, with the number.
    waiting.get_by_role("link", name="Open the caller's record").click()
    expect(ui.page).to_have_url(
        re.compile(rf"/telephony/calls/{unknown.uuid}/search/$"), timeout=8000
    )
    expect(ui.page.locator("#global-search")).to_have_value(UNKNOWN)
    expect(ui.page.locator(".call-panel")).to_contain_text(f"Call from {UNKNOWN}")
    ui.page.get_by_role(
        "link", name="Register the contact without naming a person"
    ).click()
    ui.page.wait_for_url("**/contacts/new/?call=*")
    expect(ui.page.get_by_label("What is known of the caller")).to_have_value(UNKNOWN)

    screens = [
        ("call-contact", f"/persons/{caller.uuid}/contacts/new/?call={call.uuid}"),
        ("call-unknown", f"/telephony/calls/{unknown.uuid}/search/"),
        ("call-anonymous", f"/contacts/new/?call={unknown.uuid}"),
    ]
    for language in ("en", "fr", "nl", "de"):
        _login(ui, language)
        for name, path in screens:
            for width, suffix in widths_for(language):
                ui.page.set_viewport_size(width)
                assert ui.go(path).status == 200, (name, language)
                checked(
                    f"{name} in {language}{suffix}",
                    f"telephony/{name}-{language}{suffix}",
                )
                overflow = ui.page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} in {language}{suffix} overflows"
                assert not text_that_does_not_fit(ui), (name, language, suffix)
        ui.page.set_viewport_size(WIDE)
