"""The three other shipped case types through their whole lives in a real browser
(issue #14), by the demo agents of the teams and levels each step asks for, through
the workbench only: a passport at a consular post (appointment for biometrics, fee,
a refused then an accepted four-eyes approval, production, hand-over), a visa
extension decided by the Immigration Office, and an unemployment benefit at the
payment office (the incomplete-file loop, admissibility, transmission, the deciding
body's decision, the hand-over to payments). Each new screen is checked by axe-core;
the legalisation's life and the screens in four languages are test_dossiers.py's.

The documents are handed in by the test (`hand_in`), as in test_dossiers.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.dossiers.models import DossierFee, DossierTask
from tests.dossiers.conftest import hand_in

from .workbench import (
    approve,
    ask_documents,
    fact,
    from_approvals,
    new_applicant,
    open_dossier,
    pay_at_counter,
    propose,
    record_answer,
    record_external,
    refuse,
    status,
    step,
    work_on,
)

Check = Callable[[str, str | None], None]


def test_a_passport_s_life(ui: Any, checked: Check, demo: Any) -> None:
    person = new_applicant("front.travel", "supervisor.pay", "supervisor.consular")
    dossier = open_dossier(ui, "front.travel", person, "consular-passport")
    fact(ui, dossier, "previous_passport_available", "yes")
    fact(ui, dossier, "applicant_age", "40")
    fact(ui, dossier, "fee_code", "passport_adult_34")
    hand_in(dossier, "current_passport", checks={"mrz": True})
    hand_in(dossier, "application_form")
    step(ui, dossier, "conclude_complete")
    assert status(dossier) == "checking"
    step(ui, dossier, "plan_appointment")
    assert status(dossier) == "appointment_planned"
    assert DossierTask.objects.filter(dossier=dossier, code="plan_appointment").exists()
    # The post's own fee table: the agent gives the amount.
    step(ui, dossier, "request_payment", fee_amount="75.00")
    expect(ui.page.locator("main")).to_contain_text("75.00")
    checked("passport, appointment planned", "dossiers/passport-appointment")
    # Proposing before the appointment is held is refused with the reason.
    expect(ui.page.locator("main")).to_contain_text(
        "The appointment (biometrics) is not recorded as held."
    )
    pay_at_counter(ui, dossier, "cash")
    fact(ui, dossier, "appointment_held", "yes")
    propose(
        ui, dossier, "passport_issue", "granted", "Identity and biometrics checked."
    )
    assert status(dossier) == "decision_proposed"

    # Four eyes: a supervisor of another service refuses, one of the post approves.
    from_approvals(ui, "supervisor.pay", dossier)
    refuse(ui, dossier, "The photo does not meet the ICAO norm.")
    work_on(ui, "front.travel", dossier)
    # The proposer reads why on the timeline, and plans the appointment again.
    expect(ui.page.locator(".timeline")).to_contain_text("ICAO norm")
    step(ui, dossier, "plan_appointment")
    propose(ui, dossier, "passport_issue", "granted", "New photo taken at the post.")
    assert approve(ui, "supervisor.consular", dossier) == ["refused", "approved"]

    # Produced elsewhere, received at the post, handed over.
    work_on(ui, "front.travel", dossier)
    step(ui, dossier, "transmit")
    checked("passport transmitted", "dossiers/passport-transmitted")
    assert status(dossier) == "transmitted"
    record_external(ui, dossier, "passport_issue", "granted", body="FPS, passports")
    assert status(dossier) == "ready_for_handover"
    step(ui, dossier, "hand_over")
    assert status(dossier) == "informed"
    # Closed with the result of the decision: the agent need not repeat it.
    step(ui, dossier, "close")
    assert status(dossier) == "closed"
    assert dossier.result_code == "granted"
    assert DossierFee.objects.get(dossier=dossier).paid_at is not None


def test_a_visa_extension_s_life(ui: Any, checked: Check, demo: Any) -> None:
    person = new_applicant("front.visa", "handler.c")
    dossier = open_dossier(ui, "front.visa", person, "visa-extension")
    fact(ui, dossier, "ground", "medical")
    for code, checks in (
        ("reasons_letter", {}),
        ("proofs", {}),
        ("passport_copy", {"mrz": True}),
        ("arrival_declaration", {}),
        ("travel_insurance", {}),
        ("means_of_subsistence", {"iban": True}),
        ("medical_certificate", {}),
    ):
        hand_in(dossier, code, checks=checks)
    step(ui, dossier, "conclude_complete")
    assert status(dossier) == "checking"

    # The dossier handler concludes: the Immigration Office decides.
    work_on(ui, "handler.c", dossier)
    propose(
        ui,
        dossier,
        "conclusion",
        "transferred",
        "Complete; the medical certificate supports the ground.",
    )
    assert status(dossier) == "decision_proposed"
    checked("visa, conclusion final", "dossiers/visa-conclusion")
    step(ui, dossier, "approve_decision")
    assert status(dossier) == "decided"
    step(ui, dossier, "transmit")
    assert status(dossier) == "transmitted"
    fee = DossierFee.objects.get(dossier=dossier)
    assert fee.amount == 30
    assert fee.paid_at is None
    # The visa desk's front office takes the payment at its counter.
    work_on(ui, "front.visa", dossier)
    pay_at_counter(ui, dossier, "transfer")
    assert DossierFee.objects.get(dossier=dossier).paid_at is not None
    work_on(ui, "handler.c", dossier)
    record_external(
        ui,
        dossier,
        "extension",
        "granted",
        body="Immigration Office",
        body_reference="OE-2026-123",
    )
    assert status(dossier) == "decision_received"
    checked("visa, decision received", "dossiers/visa-decision-received")

    work_on(ui, "front.visa", dossier)
    step(ui, dossier, "inform_parties")
    step(ui, dossier, "close")
    assert (status(dossier), dossier.result_code) == ("closed", "granted")


def test_an_unemployment_benefit_s_life(ui: Any, checked: Check, demo: Any) -> None:
    person = new_applicant("payment.c", "payment.b")
    dossier = open_dossier(ui, "payment.c", person, "unemployment-benefit")
    fact(ui, dossier, "c4_available", "no")
    fact(ui, dossier, "bridge_pension", "no")
    hand_in(dossier, "c1", checks={"niss": True, "iban": True})
    hand_in(dossier, "identity", checks={"mrz": True, "niss": True})

    # The incomplete-file loop: the C109 is missing; ask, then record the answer.
    asked = ask_documents(ui, dossier, "c109", "The C109 is missing.", days=10)
    checked("benefit, awaiting documents", "dossiers/benefit-awaiting")
    record_answer(ui, dossier, asked)
    step(ui, dossier, "conclude_complete")
    assert status(dossier) == "checking"
    propose(
        ui,
        dossier,
        "admissibility",
        "granted",
        "Admissible: forms complete and signed.",
    )
    step(ui, dossier, "approve_decision")
    assert status(dossier) == "decided"
    step(ui, dossier, "transmit")
    assert status(dossier) == "transmitted"

    work_on(ui, "payment.b", dossier)
    record_external(ui, dossier, "entitlement", "partly_granted", body="ONEM/RVA")
    assert status(dossier) == "decision_received"
    step(ui, dossier, "inform_parties")
    step(ui, dossier, "hand_over_to_payments")
    assert status(dossier) == "handed_to_payments"
    checked("benefit, handed to payments", "dossiers/benefit-payments")
    step(ui, dossier, "close_after_payments")
    assert status(dossier) == "closed"
    assert dossier.result_code == "partly_granted"
