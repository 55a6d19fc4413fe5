"""Letters in a real browser: typed free fields, the approval queue the author is
shown, the supervisor's list, and a letter sent once more (issues #11 and #12).

Each screen is checked by axe-core and saved at 1280 and 390 pixels wide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.correspondence import services
from guichet.correspondence.models import Letter, LetterDispatch
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import AgentFactory, TeamFactory

Check = Callable[[str, str | None], None]

SMALL = {"width": 390, "height": 800}


@pytest.fixture
def office(transactional_db: Any) -> dict[str, Any]:
    """The support service and the contact center, each with its letterhead; a
    level-D support agent, the support team's supervisor (also of the contact
    center), and a citizen with an address."""
    support = TeamFactory(code="support", name="Support administratif")
    contact = TeamFactory(code="cc-fr", name="Contact center FR")
    LetterheadFactory(team=support, prefix="SUP")
    LetterheadFactory(team=contact, prefix="CCF")
    services.templates_load(actor=None)
    return {
        "writer": AgentFactory(
            username="support.d",
            first_name="Kevin",
            last_name="Dubois",
            roles=["support_agent"],
            teams=[support],
            level="D",
        ),
        "chief": AgentFactory(
            username="supervisor.support",
            first_name="Martine",
            last_name="Lemaire",
            roles=["supervisor"],
            teams=[support, contact],
            level="A1",
        ),
        "citizen": person_with_address(
            given_names="Hélène", surname="Lefèvre", sex="F", language="fr"
        ),
    }


def _both_widths(ui: Any, checked: Check, context: str, name: str) -> None:
    checked(context, name)
    ui.page.set_viewport_size(SMALL)
    checked(f"{context} at 390 px", f"{name}-390")
    ui.page.set_viewport_size({"width": 1280, "height": 800})


def test_a_level_d_letter_names_its_queue_and_approvers_and_prints_typed_fields(
    ui: Any, checked: Check, office: dict[str, Any]
) -> None:
    citizen = office["citizen"]
    ui.login("support.d")
    ui.go(f"/persons/{citizen.uuid}/letters/new/")
    ui.page.get_by_label("Letter", exact=True).select_option(
        label="Invitation to an appointment"
    )
    ui.page.get_by_role("button", name="Start the letter").click()
    ui.page.wait_for_url(re.compile(r"/correspondence/letters/[0-9a-f-]+/$"))

    # The free fields go by their labels, with a date and a time input.
    date = ui.page.get_by_label("Date of the appointment")
    time = ui.page.get_by_label("Time of the appointment")
    expect(date).to_have_attribute("type", "date")
    expect(time).to_have_attribute("type", "time")
    expect(ui.page.get_by_text("Free field free.date")).to_have_count(0)
    date.fill("2027-03-31")
    time.fill("14:30")
    ui.page.get_by_role("button", name="Save the draft").click()
    expect(ui.page.get_by_role("status").first).to_contain_text("The draft was saved.")
    letter_text = ui.page.locator(".card").first
    expect(letter_text).to_contain_text("le 31 mars 2027 à 14 h 30")
    _both_widths(ui, checked, "a draft with typed free fields", "letter-fields")
    ui.page.set_viewport_size(SMALL)
    width = ui.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SMALL["width"], "the draft's page scrolls sideways at 390 px"
    ui.page.set_viewport_size({"width": 1280, "height": 800})

    # Issued by a level-D agent, it waits: the author is told where, and for whom.
    ui.page.get_by_role("button", name="Issue the letter").last.click()
    expect(ui.page.get_by_role("status").first).to_contain_text(
        "it now waits in the approval queue of Support administratif, where "
        "Martine Lemaire may approve it."
    )
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Waiting for approval · ")
    )
    expect(ui.page.get_by_role("heading", level=1)).not_to_contain_text("Draft")
    expect(
        ui.page.get_by_role(
            "heading", name="In the approval queue of Support administratif"
        )
    ).to_be_visible()
    expect(ui.page.get_by_text("Who may approve or reject it:")).to_contain_text(
        "Martine Lemaire"
    )
    _both_widths(ui, checked, "a letter waiting for approval", "letter-waiting")
    letter = Letter.objects.get(person=citizen)
    assert (letter.status, letter.free_values) == (
        "pending_approval",
        {"date": "2027-03-31", "time": "14:30"},
    )

    # The supervisor sees it once, and chooses the service once.
    ui.page.get_by_role("button", name="Log out").click()
    ui.login("supervisor.support")
    ui.go("/correspondence/")
    queue = ui.page.get_by_role("table", name="Waiting for your approval")
    expect(queue.get_by_role("row")).to_have_count(2)  # the header and the letter
    expect(ui.page.locator("select[name=team]")).to_have_count(1)
    _both_widths(ui, checked, "the supervisor's correspondence", "letters-approvals")
    queue.get_by_role("link", name="Invitation to an appointment").click()
    ui.page.get_by_role("button", name="Approve and issue").click()
    expect(ui.page.get_by_role("status").first).to_contain_text(
        "was approved and issued"
    )
    letter.refresh_from_db()
    assert letter.status == "issued"
    assert "le 31 mars 2027 à 14 h 30" in " ".join(letter.content["body"])


def test_a_letter_sent_once_goes_again_only_with_a_reason(
    ui: Any, checked: Check, office: dict[str, Any]
) -> None:
    chief, citizen = office["chief"], office["citizen"]
    draft = services.letter_draft_create(
        actor=chief,
        person_id=citizen.uuid,
        letter_type="acknowledgement",
        team="support",
    )
    letter = services.letter_submit(
        actor=chief, letter_id=draft.uuid, expected_version=draft.version
    )
    ui.login("supervisor.support")
    ui.go(f"/correspondence/letters/{letter.uuid}/")
    expect(ui.page.get_by_label("To")).to_have_value("helene.lefevre@example.be")
    ui.page.get_by_role("button", name="Send by e-mail").click()
    expect(ui.page.get_by_role("status").first).to_contain_text(
        "being sent by e-mail to helene.lefevre@example.be"
    )

    # Sent once, it is offered again only through a confirmation with a reason.
    expect(ui.page.get_by_role("button", name="Send by e-mail")).to_have_count(0)
    expect(ui.page.get_by_role("button", name="Record as handed over")).to_have_count(0)
    ui.page.get_by_label("How").select_option(label="handed over at the counter")
    ui.page.get_by_role("button", name="Send once more").click()
    expect(ui.page.locator(".form-errors, .field-error").first).to_contain_text(
        "say why"
    )
    _both_widths(ui, checked, "a second dispatch without a reason", "letter-resend")
    assert LetterDispatch.objects.filter(letter=letter).count() == 1
    ui.page.get_by_label("How").select_option(label="handed over at the counter")
    ui.page.get_by_label("Why send it once more").fill("She lost the e-mail.")
    ui.page.get_by_role("button", name="Send once more").click()
    expect(ui.page.get_by_role("status").first).to_contain_text(
        "The letter is sent once more"
    )
    assert list(
        LetterDispatch.objects.filter(letter=letter)
        .order_by("id")
        .values_list("channel", flat=True)
    ) == ["email", "counter"]
