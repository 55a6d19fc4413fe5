"""Steps on a dossier's workbench in the browser, shared by the dossier tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.demo import data
from guichet.dossiers.models import Decision, DocumentRequest, Dossier, DossierParty
from guichet.parties.models import Person
from tests.dossiers.conftest import hand_in


def new_applicant(*usernames: str) -> Person:
    """A demo person with no dossier yet; the named demo agents read English (they
    work in their own languages, these tests read English)."""
    person = (
        Person.objects.filter(confidential_team__isnull=True)
        .exclude(pk__in=DossierParty.objects.values("person"))
        .order_by("national_number")
        .first()
    )
    assert person is not None
    Agent.objects.filter(username__in=usernames).update(language="en")
    return person


def login(ui: Any, username: str) -> None:
    ui.page.context.clear_cookies()
    ui.login(username, data.DEMO_PASSWORD)


def work_on(ui: Any, username: str, dossier: Dossier) -> None:
    """Log in as `username` and open the dossier's workbench."""
    login(ui, username)
    ui.go(f"/dossiers/{dossier.reference}/")


def open_dossier(ui: Any, username: str, person: Person, case_type: str) -> Dossier:
    """Log in as `username` and open a dossier of `case_type` for `person` from
    their Dossiers tab."""
    login(ui, username)
    ui.go(f"/persons/{person.uuid}/dossiers/")
    ui.page.get_by_role("link", name="Open a dossier").click()
    ui.page.locator("#open_case_type").select_option(case_type)
    ui.page.get_by_role("button", name="Open the dossier").click()
    ui.page.wait_for_url("**/dossiers/DOS-*/")
    dossier = Dossier.objects.get(person=person, case_type__code=case_type)
    expect(ui.page.locator("h1")).to_contain_text(dossier.reference)
    return dossier


def fact(ui: Any, dossier: Dossier, name: str, value: str) -> None:
    """Record one fact of the case with the workbench's fact form."""
    ui.page.locator("#fact_name").select_option(name)
    ui.page.locator("#fact_value").fill(value)
    ui.page.get_by_role("button", name="Save the fact").click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")


def step(
    ui: Any, dossier: Dossier, code: str, *, refused: bool = False, **fields: str
) -> None:
    """Fill in one step's form (every checklist question ticked) and send it; a
    refused step answers on the form's own address."""
    form = ui.page.locator(f"form:has(input[name=transition][value={code}])")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    ui.page.wait_for_url(
        f"**/dossiers/{dossier.reference}/{'step/' if refused else ''}"
    )


def propose(
    ui: Any, dossier: Dossier, decision_type: str, result: str, text: str
) -> None:
    """Propose the decision with its motivation."""
    step(
        ui,
        dossier,
        "propose_decision",
        decision_type=decision_type,
        result=result,
        text=text,
    )


def pay_at_counter(ui: Any, dossier: Dossier, means: str = "card") -> None:
    """Follow the workbench's link to the counter, take the payment there (the
    form comes filled in with the reference and what remains due), come back."""
    ui.page.get_by_role("link", name="Take the payment at the counter").click()
    ui.page.wait_for_url("**/cashbook/?dossier=*")
    expect(ui.page.locator("input[name=dossier]")).to_have_value(dossier.reference)
    ui.page.get_by_label(means, exact=True).check()
    ui.page.get_by_role("button", name="Record the payment").click()
    ui.page.wait_for_url("**/cashbook/?counter=*")
    expect(ui.page.locator("main")).to_contain_text("Payment recorded")
    ui.go(f"/dossiers/{dossier.reference}/")


def press(ui: Any, dossier: Dossier, button: str) -> None:
    """Click a one-button form of the workbench and wait for the workbench."""
    ui.page.get_by_role("button", name=button).click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")


def ask_documents(
    ui: Any, dossier: Dossier, missing: str, text: str, days: int
) -> DocumentRequest:
    """The incomplete-file loop's first half: ask for what is missing (the one
    document `missing`), due in `days`; the request it made."""
    due = (clock.today() + dt.timedelta(days=days)).isoformat()
    step(ui, dossier, "request_documents", text=text, completion_due=due)
    assert status(dossier) == "awaiting_documents"
    asked = DocumentRequest.objects.get(dossier=dossier)
    assert asked.document_code == missing
    return asked


def record_answer(ui: Any, dossier: Dossier, asked: DocumentRequest) -> None:
    """Its second half: the document comes in (handed in by the test), the answer
    is recorded, and the dossier goes back to be concluded."""
    hand_in(dossier, asked.document_code)
    press(ui, dossier, "Record the answer")
    asked.refresh_from_db()
    assert asked.answered_at is not None
    step(ui, dossier, "documents_received")
    assert status(dossier) == "received"


def from_approvals(ui: Any, username: str, dossier: Dossier) -> None:
    """Log in as `username` and open the dossier from the approval queue."""
    login(ui, username)
    ui.go("/approvals/")
    ui.page.get_by_role("link", name=dossier.reference).click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")


def refuse(ui: Any, dossier: Dossier, reason: str) -> None:
    """Refuse the approval of the proposed decision, with the reason: back."""
    ui.page.locator("#review_text").fill(reason)
    press(ui, dossier, "Refuse the approval")
    assert status(dossier) == "checking"


def approve(ui: Any, username: str, dossier: Dossier) -> list[str]:
    """The second agent `username` approves the proposed decision; the states of
    the dossier's decisions, oldest first."""
    work_on(ui, username, dossier)
    press(ui, dossier, "Approve the decision")
    assert status(dossier) == "decided"
    return [d.state for d in Decision.objects.filter(dossier=dossier)]


def record_external(
    ui: Any, dossier: Dossier, decision_type: str, result: str, **fields: str
) -> None:
    """Record the decision of the body the dossier was transmitted to (today)."""
    form = ui.page.locator("form[aria-labelledby=external-title]")
    form.locator("[name=decision_type]").select_option(decision_type)
    form.locator("[name=result]").select_option(result)
    fields.setdefault("decided_on", clock.today().isoformat())
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name="Record the decision").click()
    ui.page.wait_for_url(f"**/dossiers/{dossier.reference}/")


def status(dossier: Dossier) -> str:
    dossier.refresh_from_db()
    return dossier.status
