"""Dossiers in a real browser (issue #14): the demo's consular front office opens a
legalisation dossier from the person's Dossiers tab, asks for the missing
documents and records their arrival (the incomplete-file loop), concludes, asks
for the fee and records its payment, proposes the decision; a dossier handler
refuses the approval (four eyes), a supervisor approves the second proposal; the
parties are informed and the dossier closed. Every screen is checked by axe-core
and saved at 1280 and 390 px in the four languages.

The documents themselves are handed in by the test (`hand_in`): uploading and
checking a document are the documents screens' own browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.dossiers.models import (
    Dossier,
)
from guichet.parties.models import Person
from tests.dossiers.conftest import hand_in
from tests.e2e.conftest import widths_for

from .conftest import SCREENSHOTS
from .workbench import (
    approve,
    ask_documents,
    login,
    new_applicant,
    pay_at_counter,
    propose,
    record_answer,
    refuse,
    status,
    step,
    work_on,
)

Check = Callable[[str, str | None], None]

SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def applicant(demo: Any) -> Person:
    return new_applicant("front.legal", "handler.b", "supervisor.consular")


def test_a_legalisation_through_its_whole_life(
    ui: Any, checked: Check, applicant: Person
) -> None:
    login(ui, "front.legal")
    ui.go(f"/persons/{applicant.uuid}/dossiers/")
    checked("person dossiers tab", "dossiers/person-dossiers-empty")
    expect(ui.page.locator("main")).to_contain_text("This person has no dossier.")
    ui.page.get_by_role("link", name="Open a dossier").click()
    ui.page.locator("#open_case_type").select_option("consular-legalisation")
    checked("open a dossier", "dossiers/open")
    ui.page.get_by_role("button", name="Open the dossier").click()
    ui.page.wait_for_url(re.compile(r"/dossiers/DOS-\d{4}-\d{7}/$"))
    dossier = Dossier.objects.get(person=applicant)
    expect(ui.page.locator("h1")).to_contain_text(dossier.reference)
    expect(ui.page.locator(".facts")).to_contain_text(
        "We have received your application."
    )
    checked("workbench received", "dossiers/workbench-received")

    # A Spanish document: the sworn translation becomes required.
    ui.page.locator("#fact_name").select_option("document_language")
    ui.page.locator("#fact_value").fill("es")
    ui.page.get_by_role("button", name="Save the fact").click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")
    expect(ui.page.locator("#documents-title + *")).to_be_visible()
    expect(ui.page.get_by_text("Sworn translation").first).to_be_visible()
    hand_in(dossier, "document_to_legalise")
    hand_in(dossier, "applicant_identity", checks={"mrz": True})

    # Concluding now is refused with the reason, next to the step; nothing changes.
    step(ui, dossier, "conclude_complete", refused=True)
    expect(ui.page.locator(".alert.error")).to_contain_text("Documents still missing")
    assert status(dossier) == "received"
    checked("guard refused", "dossiers/workbench-refused")

    # The incomplete-file loop: ask, then record the answer.
    asked = ask_documents(
        ui, dossier, "sworn_translation", "The sworn translation is missing.", days=15
    )
    checked("awaiting documents", "dossiers/workbench-awaiting")
    record_answer(ui, dossier, asked)

    step(ui, dossier, "conclude_complete")
    assert status(dossier) == "checking"
    step(ui, dossier, "request_payment")
    assert status(dossier) == "awaiting_payment"
    pay_at_counter(ui, dossier)
    propose(
        ui, dossier, "legalisation", "granted", "The signature matches the specimen."
    )
    assert status(dossier) == "decision_proposed"
    expect(ui.page.locator("main")).to_contain_text(
        "You proposed this decision: a second agent approves or refuses it."
    )
    expect(ui.page.get_by_role("button", name="Approve the decision")).to_have_count(0)
    checked("proposed, as the proposer", "dossiers/workbench-proposed")

    # Four eyes: a handler of level B refuses, with the reason.
    login(ui, "handler.b")
    ui.go("/approvals/")
    checked("approval queue", "dossiers/approvals")
    ui.page.get_by_role("link", name=dossier.reference).click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")
    # Refusing without a reason is refused; nothing changes.
    ui.page.get_by_role("button", name="Refuse the approval").click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/review/")
    expect(ui.page.locator(".alert.error")).to_be_visible()
    assert status(dossier) == "decision_proposed"
    checked("approval form", "dossiers/workbench-review")
    refuse(ui, dossier, "Compare with the newer specimen first.")

    # The front office proposes again (the fee is paid); a supervisor approves.
    work_on(ui, "front.legal", dossier)
    step(ui, dossier, "request_payment")
    propose(ui, dossier, "legalisation", "granted", "Compared with the 2026 specimen.")
    assert approve(ui, "supervisor.consular", dossier) == ["refused", "approved"]

    work_on(ui, "front.legal", dossier)
    step(ui, dossier, "inform_parties")
    assert status(dossier) == "informed"
    step(ui, dossier, "close", result="granted")
    assert status(dossier) == "closed"
    expect(ui.page.locator(".timeline")).to_contain_text("Closed with the result")
    checked("closed", "dossiers/workbench-closed")
    ui.go("/dossiers/?status=closed")
    expect(ui.page.locator("table.dossiers")).to_contain_text(dossier.reference)


def test_dossier_screens_in_four_languages_at_both_widths(
    ui: Any, checked: Check, applicant: Person
) -> None:
    from guichet.dossiers import services

    front = Agent.objects.get(username="front.legal")
    dossier = services.dossier_open(
        actor=front,
        case_type="consular-legalisation",
        applicant=applicant,
        facts={"document_language": "de"},
    )
    services.task_create(
        actor=front, dossier=dossier, title="Call the embassy", assignee=front
    )
    pages = [
        ("queue", "/dossiers/"),
        ("workbench", f"/dossiers/{dossier.reference}/"),
        ("person-dossiers", f"/persons/{applicant.uuid}/dossiers/"),
        ("open", f"/dossiers/open/?person={applicant.uuid}"),
        ("home-dossier-tasks", "/home/"),
    ]
    for language in ("en", "fr", "nl", "de"):
        Agent.objects.filter(username="front.legal").update(language=language)
        login(ui, "front.legal")
        for name, path in pages:
            for width, suffix in widths_for(language):
                ui.page.set_viewport_size(width)
                response = ui.go(path)
                assert response.status == 200, (name, language)
                checked(
                    f"{name} in {language}{suffix}",
                    f"dossiers/{name}-{language}{suffix}",
                )
                overflow = ui.page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} in {language}{suffix} overflows"
                if name == "workbench" and language in ("en", "de"):
                    # The whole workbench, below the fold too, to look at.
                    ui.page.screenshot(
                        path=str(
                            SCREENSHOTS
                            / "dossiers"
                            / f"workbench-full-{language}{suffix}.png"
                        ),
                        full_page=True,
                    )
        ui.page.set_viewport_size(WIDE)
