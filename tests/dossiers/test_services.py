"""Refusals change nothing; four eyes; suspension and extension of deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.casetypes import services as casetype_services
from guichet.core import clock
from guichet.core.errors import NotFound, StaleVersion, ValidationFailed
from guichet.dossiers import services
from guichet.dossiers.models import (
    Decision,
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierTask,
)
from tests.factories import PersonFactory

from .conftest import hand_in_all, pay_fee, yes

pytestmark = pytest.mark.django_db


def _state(dossier: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.processing_due,
        fresh.service_norm_due,
        fresh.suspended_since,
        DossierEvent.objects.filter(dossier=dossier).count(),
        Decision.objects.filter(dossier=dossier).count(),
        DocumentRequest.objects.filter(dossier=dossier).count(),
    )


def _codes(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.code for e in error.value.errors]


def _refused(
    dossier: Dossier, agent: Agent, transition: str, **kwargs: Any
) -> list[str]:
    before = _state(dossier)
    with pytest.raises(ValidationFailed) as refused:
        services.dossier_transition(
            actor=agent,
            dossier=dossier,
            expected_version=kwargs.pop("expected_version", dossier.version),
            transition=transition,
            **kwargs,
        )
    assert _state(dossier) == before
    return _codes(refused)


# ---------------------------------------------------------------- opening


def test_opening_keeps_the_version_and_gives_a_reference(
    open_dossier: Callable[..., Dossier],
) -> None:
    dossier = open_dossier("consular-legalisation")
    assert dossier.reference == f"DOS-{dossier.created_at.year}-{dossier.pk:07d}"
    assert dossier.case_type_version.number == 1
    assert dossier.team.code == "legalisations"
    assert dossier.parties.get().role == "applicant"
    # The service norm: 2 business days (belgium.md 5.1).
    assert dossier.service_norm_due is not None
    assert dossier.service_norm_due > dossier.received_on


def test_a_newer_version_applies_to_new_dossiers_only(
    open_dossier: Callable[..., Dossier],
) -> None:
    first = open_dossier("consular-legalisation")
    source = (casetype_services.SHIPPED / "consular-legalisation.yaml").read_text()
    changed = source.replace("suspension_allowed: true", "suspension_allowed: false")
    assert changed != source
    casetype_services.casetype_import(
        agent=None, source=changed, filename="consular-legalisation.yaml"
    )
    second = open_dossier("consular-legalisation")
    first.refresh_from_db()
    assert (first.case_type_version.number, second.case_type_version.number) == (1, 2)
    assert services.definition_of(first).deadlines.suspension_allowed is True
    assert services.definition_of(second).deadlines.suspension_allowed is False


def test_a_party_named_twice_in_one_role_is_refused(
    open_dossier: Callable[..., Dossier],
) -> None:
    twice = PersonFactory()
    with pytest.raises(ValidationFailed) as refused:
        open_dossier(
            "visa-extension",
            parties=[
                services.PartyInput("representative", twice),
                services.PartyInput("representative", twice),
            ],
        )
    assert _codes(refused) == ["duplicate_party"]
    assert Dossier.objects.count() == 0


def test_only_the_case_types_team_opens_and_hidden_persons_are_not_found(
    open_dossier: Callable[..., Dossier], agent_in: Callable[..., Agent], teams: Any
) -> None:
    outsider = agent_in("dossier_handler", "C", "visas")
    with pytest.raises(ValidationFailed) as refused:
        open_dossier("consular-legalisation", actor=outsider)
    assert _codes(refused) == ["not_a_member"]
    hidden = PersonFactory(confidential_team=teams["payment-office"])
    with pytest.raises(NotFound):
        open_dossier("visa-extension", actor=outsider, applicant=hidden)
    assert Dossier.objects.count() == 0


# ---------------------------------------------------------------- refusals


def test_refusals_change_nothing(
    open_dossier: Callable[..., Dossier], handler: Agent, agent_in: Callable[..., Agent]
) -> None:
    dossier = open_dossier("consular-legalisation", facts={"document_language": "fr"})
    # wrong status
    assert _refused(dossier, handler, "inform_parties") == ["transition_not_allowed"]
    # no such step
    assert _refused(dossier, handler, "fly_away") == ["no_such_transition"]
    # role: a payment agent of the team may not take the consular steps
    payment_agent = agent_in("payment_agent", "C", "legalisations")
    assert _refused(dossier, payment_agent, "conclude_complete") == ["role_or_level"]
    # level: D is below the step's C
    junior = agent_in("dossier_handler", "D", "legalisations")
    assert _refused(dossier, junior, "conclude_complete") == ["role_or_level"]
    # failed guard (documents missing) and missing checklist answers, both told
    assert _refused(dossier, handler, "conclude_complete") == [
        "documents_missing",
        "checklist_missing",
    ]
    # a "no" to a required question is no answer
    hand_in_all(dossier)
    answers = {**yes(dossier), "identity_checked": False}
    assert _refused(dossier, handler, "conclude_complete", checklist=answers) == [
        "checklist_missing"
    ]
    assert _refused(
        dossier, handler, "conclude_complete", checklist={"nope": True}
    ) == ["checklist_unknown"]
    # missing motivation
    assert _refused(dossier, handler, "withdraw", result="withdrawn") == ["required"]
    # an effect that refuses (no result to close with) undoes the step
    with pytest.raises(ValidationFailed):
        services.dossier_transition(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            transition="withdraw",
            text_="The citizen withdrew.",
        )
    assert Dossier.objects.get(pk=dossier.pk).status == "received"


def test_a_stale_version_changes_nothing(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = open_dossier("visa-extension")
    hand_in_all(dossier)
    services.dossier_facts_update(
        actor=handler, dossier=dossier, expected_version=dossier.version, facts={"x": 1}
    )
    before = _state(dossier)
    with pytest.raises(StaleVersion):
        services.dossier_transition(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version - 1,
            transition="conclude_complete",
            checklist=yes(dossier),
        )
    assert _state(dossier) == before


def test_an_agent_of_another_team_finds_no_dossier(
    open_dossier: Callable[..., Dossier], agent_in: Callable[..., Agent]
) -> None:
    dossier = open_dossier("visa-extension")
    stranger = agent_in("dossier_handler", "C", "payment-office")
    with pytest.raises(NotFound):
        services.dossier_transition(
            actor=stranger,
            dossier=dossier,
            expected_version=dossier.version,
            transition="withdraw",
            text_="x",
            result="withdrawn",
        )
    with pytest.raises(NotFound):
        services.note_add(actor=stranger, dossier=dossier, text_="hello")


# ---------------------------------------------------------------- four eyes


def _proposed(open_dossier: Callable[..., Dossier], handler: Agent) -> Dossier:
    dossier = open_dossier("consular-legalisation", facts={"document_language": "nl"})
    hand_in_all(dossier)
    for code in ("conclude_complete", "request_payment"):
        dossier = services.dossier_transition(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            transition=code,
            checklist=yes(dossier),
        )
    dossier = pay_fee(dossier)
    return services.decision_propose(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        decision_type="legalisation",
        result="granted",
        motivation="Signature matches.",
    )


def test_the_proposer_may_not_approve_even_at_the_right_level(
    open_dossier: Callable[..., Dossier], approver: Agent
) -> None:
    dossier = _proposed(open_dossier, approver)
    before = _state(dossier)
    with pytest.raises(ValidationFailed) as refused:
        services.decision_approve(
            actor=approver,
            dossier=dossier,
            expected_version=dossier.version,
            checklist=yes(dossier),
        )
    assert _codes(refused) == ["four_eyes"]
    assert _state(dossier) == before
    assert Decision.objects.get(dossier=dossier).state == "proposed"


def test_a_lower_level_may_not_approve(
    open_dossier: Callable[..., Dossier], handler: Agent, agent_in: Callable[..., Agent]
) -> None:
    dossier = _proposed(open_dossier, handler)
    colleague = agent_in("dossier_handler", "C", "legalisations")
    with pytest.raises(ValidationFailed) as refused:
        services.decision_approve(
            actor=colleague,
            dossier=dossier,
            expected_version=dossier.version,
            checklist=yes(dossier),
        )
    assert _codes(refused) == ["four_eyes"]
    assert Decision.objects.get(dossier=dossier).reviewed_by is None


def test_a_refusal_needs_its_reason_and_sends_the_dossier_back(
    open_dossier: Callable[..., Dossier], handler: Agent, approver: Agent
) -> None:
    dossier = _proposed(open_dossier, handler)
    with pytest.raises(ValidationFailed):
        services.decision_refuse(
            actor=approver, dossier=dossier, expected_version=dossier.version, text_=""
        )
    dossier = services.decision_refuse(
        actor=approver,
        dossier=dossier,
        expected_version=dossier.version,
        text_="Wrong specimen.",
        checklist=yes(dossier),
    )
    decision = Decision.objects.get(dossier=dossier)
    assert (dossier.status, decision.state, decision.reviewed_by) == (
        "checking",
        "refused",
        approver,
    )


# ---------------------------------------------------------------- deadlines


def test_a_suspension_moves_the_service_norm_by_the_days_it_lasted(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monday = dt.date(2026, 3, 2)
    monkeypatch.setattr(clock, "today", lambda: monday)
    dossier = open_dossier("consular-legalisation")
    assert dossier.service_norm_due == dt.date(2026, 3, 4)  # 2 business days
    dossier = services.dossier_suspend(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        reason="Waiting for the embassy.",
    )
    with pytest.raises(ValidationFailed) as again:
        services.dossier_suspend(
            actor=handler, dossier=dossier, expected_version=dossier.version, reason="x"
        )
    assert _codes(again) == ["already_suspended"]
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 9))  # next Monday
    dossier = services.dossier_resume(
        actor=handler, dossier=dossier, expected_version=dossier.version
    )
    # 3 to 9 March did not count: the two business days are 10 and 11 March.
    assert (dossier.suspended_since, dossier.service_norm_due) == (
        None,
        dt.date(2026, 3, 11),
    )


def test_a_case_type_without_suspension_or_extension_refuses_them(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = open_dossier("visa-extension")
    with pytest.raises(ValidationFailed) as suspended:
        services.dossier_suspend(
            actor=handler, dossier=dossier, expected_version=dossier.version, reason="x"
        )
    assert _codes(suspended) == ["not_suspendable"]
    with pytest.raises(ValidationFailed) as extended:
        services.dossier_extend(
            actor=handler, dossier=dossier, expected_version=dossier.version, reason="x"
        )
    assert _codes(extended) == ["not_extendable", "no_deadline"]


def test_an_extension_is_granted_once_by_the_case_types_amount(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 2))
    source = (casetype_services.SHIPPED / "unemployment-benefit.yaml").read_text()
    changed = source.replace(
        "  suspension_allowed: false\n",
        "  suspension_allowed: false\n  extension:\n    amount: 1\n    unit: months\n",
    )
    assert changed != source
    casetype_services.casetype_import(agent=None, source=changed, filename="u.yaml")
    payment_agent = handler
    dossier = open_dossier("unemployment-benefit", actor=payment_agent)
    assert dossier.processing_due == dt.date(2026, 5, 2)
    dossier = services.dossier_extend(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        reason="Employer late with the C4.",
    )
    assert dossier.processing_due == dt.date(2026, 6, 2)
    with pytest.raises(ValidationFailed) as again:
        services.dossier_extend(
            actor=handler, dossier=dossier, expected_version=dossier.version, reason="x"
        )
    assert _codes(again) == ["already_extended"]


# ---------------------------------------------------------------- tasks, requests


def test_tasks_are_assigned_within_the_team_and_done_once(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    agent_in: Callable[..., Agent],
) -> None:
    dossier = open_dossier("visa-extension")
    stranger = agent_in("dossier_handler", "C", "payment-office")
    with pytest.raises(ValidationFailed):
        services.task_create(
            actor=handler, dossier=dossier, title="Call the embassy", assignee=stranger
        )
    task = services.task_create(
        actor=handler, dossier=dossier, title="Call the embassy", assignee=handler
    )
    task = services.task_done(actor=handler, task=task)
    assert (task.done_by, task.done_at is not None) == (handler, True)
    with pytest.raises(ValidationFailed):
        services.task_done(actor=handler, task=task)
    assert DossierTask.objects.count() == 1


def test_an_unanswered_request_is_reminded_once_at_its_deadline(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 2))
    dossier = open_dossier("visa-extension")
    asked = services.document_request_create(
        actor=handler,
        dossier=dossier,
        description="Bank statement",
        due_on=dt.date(2026, 3, 16),
        body="The applicant's bank",
    )
    answered = services.document_request_create(
        actor=handler,
        dossier=dossier,
        description="Insurance",
        due_on=dt.date(2026, 3, 16),
        body="Insurer",
    )
    services.document_request_answer(actor=handler, document_request=answered)
    assert services.document_requests_remind(today=dt.date(2026, 3, 15)) == 0
    assert services.document_requests_remind(today=dt.date(2026, 3, 16)) == 1
    assert services.document_requests_remind(today=dt.date(2026, 3, 17)) == 0
    asked.refresh_from_db()
    assert asked.reminded_on == dt.date(2026, 3, 16)
    with pytest.raises(ValidationFailed):
        services.document_request_answer(actor=handler, document_request=answered)


def test_closing_computes_the_retention_of_the_result(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 2))
    source = (casetype_services.SHIPPED / "visa-extension.yaml").read_text()
    withdrawn = source.index("- code: withdrawn")
    head, tail = source[:withdrawn], source[withdrawn:]
    tail = tail.replace("amount: setting", "amount: 5", 1).replace(
        "then: setting", "then: destroy", 1
    )
    casetype_services.casetype_import(
        agent=None, source=head + tail, filename="visa-extension.yaml"
    )
    dossier = open_dossier("visa-extension")
    with pytest.raises(ValidationFailed) as refused:
        services.dossier_close(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            text_="The applicant withdrew.",
        )
    assert _codes(refused) == ["result_required"]
    closed = services.dossier_close(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        result="withdrawn",
        text_="The applicant withdrew.",
    )
    assert (closed.status, closed.result_code) == ("closed", "withdrawn")
    # Five years from closure, then destroyed (the figures of this test's file).
    assert (closed.retention_until, closed.retention_then) == (
        dt.date(2031, 3, 2),
        "destroy",
    )
    with pytest.raises(ValidationFailed) as again:
        services.dossier_close(
            actor=handler,
            dossier=closed,
            expected_version=closed.version,
            result="withdrawn",
            text_="Again.",
        )
    assert _codes(again) == ["transition_not_allowed"]


def test_the_review_queue_leaves_out_the_agents_own_proposals(
    open_dossier: Callable[..., Dossier], handler: Agent, approver: Agent
) -> None:
    from guichet.dossiers.selectors import QueueFilter, queue

    mine = _proposed(open_dossier, approver)
    theirs = _proposed(open_dossier, handler)
    open_dossier("consular-legalisation")  # nothing proposed yet

    def listed(agent: Agent) -> set[str]:
        page = queue(agent=agent, filters=QueueFilter(to_review=True))
        return {row.reference for row in page.rows}

    # The approver is offered only what someone else proposed (four eyes).
    assert listed(approver) == {theirs.reference}
    assert mine.reference not in listed(approver)
    # Reviewed, it leaves the queue.
    services.decision_approve(
        actor=approver,
        dossier=theirs,
        expected_version=theirs.version,
        checklist=yes(theirs),
    )
    assert listed(approver) == set()
