"""Each shipped case type taken through its whole life by the services, the
incomplete-file loop included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.dossiers import hooks, services
from guichet.dossiers.models import (
    Decision,
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierFee,
    DossierTask,
)
from guichet.payments.models import Beneficiary

from .conftest import hand_in, hand_in_all, pay_fee, yes

pytestmark = pytest.mark.django_db


def step(dossier: Dossier, agent: Agent, transition: str, **kwargs: Any) -> Dossier:
    kwargs.setdefault("checklist", yes(dossier))
    return services.dossier_transition(
        actor=agent,
        dossier=dossier,
        expected_version=dossier.version,
        transition=transition,
        **kwargs,
    )


@pytest.fixture
def letters() -> Any:
    """Collect the letters the transitions queue (as correspondence would)."""
    queued: list[hooks.LetterOrder] = []
    hooks.letter_queuers.append(queued.append)
    yield queued
    hooks.letter_queuers.remove(queued.append)


def test_legalisation_with_incomplete_file_loop_and_refused_approval(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    approver: Agent,
    supervisor: Agent,
    letters: list[hooks.LetterOrder],
) -> None:
    dossier = open_dossier("consular-legalisation", facts={"document_language": "es"})
    assert dossier.status == "received"
    # Incomplete: the sworn translation is required (Spanish document).
    hand_in(dossier, "document_to_legalise")
    hand_in(dossier, "applicant_identity", checks={"mrz": True})
    dossier = step(
        dossier,
        handler,
        "request_documents",
        text_="The sworn translation is missing.",
        completion_due=clock.today() + dt.timedelta(days=15),
    )
    assert dossier.status == "awaiting_documents"
    asked = DocumentRequest.objects.get(dossier=dossier)
    assert asked.document_code == "sworn_translation"
    assert dossier.suspended_since is not None  # the clock stops (suspension allowed)
    assert [order.letters for order in letters] == [("documents_missing",)]
    hand_in(dossier, "sworn_translation")
    services.document_request_answer(actor=handler, document_request=asked)
    dossier = step(dossier, handler, "documents_received")
    assert (dossier.status, dossier.suspended_since) == ("received", None)
    dossier = step(dossier, handler, "conclude_complete")
    dossier = step(dossier, handler, "request_payment")
    fee = DossierFee.objects.get(dossier=dossier)
    assert (fee.fee_code, fee.amount) == ("legalisation", Decimal("20.00"))
    dossier = pay_fee(dossier)
    dossier = services.decision_propose(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="legalisation",
        result="granted",
        motivation="The signature matches the specimen.",
    )
    assert dossier.status == "decision_proposed"
    # A second agent refuses: back to checking; then a new proposal, approved.
    dossier = services.decision_refuse(
        actor=approver,
        dossier=dossier,
        expected_version=dossier.version,
        text_="Compare with the newer specimen first.",
        checklist=yes(dossier),
    )
    assert dossier.status == "checking"
    dossier = step(dossier, handler, "request_payment")  # already paid: no new fee
    assert DossierFee.objects.filter(dossier=dossier).count() == 1
    dossier = services.decision_propose(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="legalisation",
        result="granted",
        motivation="Compared with the 2026 specimen.",
    )
    dossier = services.decision_approve(
        actor=supervisor,
        dossier=dossier,
        expected_version=dossier.version,
        checklist=yes(dossier),
    )
    assert (dossier.status, dossier.result_code) == ("decided", "granted")
    dossier = step(dossier, handler, "inform_parties")
    dossier = services.dossier_close(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        checklist=yes(dossier),
    )
    assert dossier.status == "closed"
    assert dossier.closed_at is not None
    assert dossier.result_code == "granted"
    # The retention period is a setting of the service: no date yet.
    assert dossier.retention_until is None
    dossier = step(dossier, supervisor, "archive", checklist={})
    assert dossier.status == "archived"
    states = [
        e.to_status for e in DossierEvent.objects.filter(dossier=dossier, kind="status")
    ]
    assert states[-1] == "archived"
    assert states.count("checking") == 2
    assert [d.state for d in Decision.objects.filter(dossier=dossier)] == [
        "refused",
        "approved",
    ]


def test_passport_with_appointment_fee_setting_and_handover(
    open_dossier: Callable[..., Dossier], handler: Agent, approver: Agent
) -> None:
    dossier = open_dossier(
        "consular-passport",
        facts={
            "previous_passport_available": True,
            "applicant_age": 40,
            "delivery_by_post": False,
            "fee_code": "passport_adult_34",
        },
    )
    hand_in_all(dossier)
    dossier = step(dossier, handler, "conclude_complete")
    dossier = step(dossier, handler, "plan_appointment")
    assert DossierTask.objects.filter(dossier=dossier, code="plan_appointment").exists()
    # The passport fees are the service's settings: the agent gives the amount.
    dossier = step(dossier, handler, "request_payment", fee_amount="65.00")
    assert DossierFee.objects.get(dossier=dossier).amount == Decimal("65.00")
    dossier = pay_fee(dossier)
    dossier = services.dossier_facts_update(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        facts={"appointment_held": True},
    )
    dossier = services.decision_propose(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="passport_issue",
        result="granted",
        motivation="Identity and biometrics checked.",
        checklist=yes(dossier),
    )
    dossier = services.decision_approve(
        actor=approver,
        dossier=dossier,
        expected_version=dossier.version,
        checklist=yes(dossier),
    )
    dossier = step(dossier, handler, "transmit")
    assert dossier.transmitted_at is not None
    dossier = services.external_decision_record(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="passport_issue",
        result="granted",
        decided_on=clock.today(),
        body="FPS Foreign Affairs, passports",
    )
    assert dossier.status == "ready_for_handover"
    dossier = step(dossier, handler, "hand_over")
    dossier = services.dossier_close(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        checklist=yes(dossier),
    )
    assert (dossier.status, dossier.result_code) == ("closed", "granted")


def _conclude(
    dossier: Dossier, agent: Agent, decision_type: str, result: str
) -> Dossier:
    """The service's own conclusion (no approval needed), confirmed: decided."""
    dossier = services.decision_propose(
        actor=agent,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type=decision_type,
        result=result,
        motivation="Complete and admissible; for the deciding body.",
        checklist=yes(dossier),
    )
    assert Decision.objects.get(dossier=dossier).state == "final"
    return step(dossier, agent, "approve_decision")


def test_visa_extension_transmitted_and_decided_elsewhere(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    letters: list[hooks.LetterOrder],
) -> None:
    dossier = open_dossier(
        "visa-extension",
        facts={"ground": "force_majeure", "fee_exemption": "force_majeure"},
    )
    hand_in_all(dossier)
    dossier = step(dossier, handler, "conclude_complete")
    # The Immigration Office decides on the extension: no proposal of it here.
    with pytest.raises(ValidationFailed):
        services.decision_propose(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            decision_type="extension",
            result="granted",
            motivation="x",
            checklist=yes(dossier),
        )
    dossier = _conclude(dossier, handler, "conclusion", "transferred")
    assert dossier.status == "decided"
    dossier = step(dossier, handler, "transmit")
    fee = DossierFee.objects.get(dossier=dossier)
    assert fee.exemption == "force_majeure"
    assert fee.settled
    assert letters[-1].letters == ("acknowledgement",)
    dossier = services.external_decision_record(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="extension",
        result="refused",
        decided_on=clock.today(),
        body="Immigration Office",
        body_reference="OE-123",
    )
    assert (dossier.status, dossier.result_code) == ("decision_received", "refused")
    dossier = step(dossier, handler, "inform_parties")
    assert letters[-1].letters == ("decision_notice",)
    dossier = services.dossier_close(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        checklist=yes(dossier),
    )
    assert (dossier.status, dossier.result_code) == ("closed", "refused")


def test_unemployment_benefit_to_payments(
    open_dossier: Callable[..., Dossier], agent_in: Callable[..., Agent]
) -> None:
    payment_agent = agent_in("payment_agent", "C", "payment-office")
    dossier = open_dossier(
        "unemployment-benefit",
        actor=payment_agent,
        facts={"c4_available": False, "bridge_pension": False},
        received_on=clock.today(),
    )
    # Two months from date to date (belgium.md 6.1.7).
    assert dossier.processing_due is not None
    assert dossier.processing_due.month != dossier.received_on.month
    # The incomplete-file loop: no suspension for this case type, the clock runs.
    due = dossier.processing_due
    dossier = step(
        dossier,
        payment_agent,
        "request_documents",
        text_="C109 missing",
        completion_due=clock.today() + dt.timedelta(days=10),
        checklist={},
    )
    assert dossier.clock_stopped_on is not None
    assert dossier.processing_due == due
    assert DocumentRequest.objects.filter(dossier=dossier).count() == 3
    hand_in_all(dossier)
    dossier = step(dossier, payment_agent, "documents_received", checklist={})
    assert dossier.clock_stopped_on is None
    dossier = step(dossier, payment_agent, "conclude_complete")
    dossier = _conclude(dossier, payment_agent, "admissibility", "granted")
    dossier = step(dossier, payment_agent, "transmit", checklist={})
    dossier = services.external_decision_record(
        actor=payment_agent,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="entitlement",
        result="partly_granted",
        decided_on=clock.today(),
        body="ONEM/RVA",
    )
    dossier = step(dossier, payment_agent, "inform_parties")
    dossier = step(dossier, payment_agent, "hand_over_to_payments")
    assert DossierTask.objects.filter(
        dossier=dossier, code="hand_over_to_payments"
    ).exists()
    # The hand-over makes the applicant a beneficiary of the payment office.
    assert Beneficiary.objects.get(dossier=dossier).person == dossier.person
    dossier = services.dossier_close(
        actor=payment_agent, dossier=dossier, expected_version=dossier.version
    )
    assert (dossier.status, dossier.result_code) == ("closed", "partly_granted")
