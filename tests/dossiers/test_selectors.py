"""Reads of dossiers: the queue's order and filters, the workbench, a person's
dossiers, an agent's tasks; each in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import Forbidden, NotFound
from guichet.dossiers import selectors, services
from guichet.dossiers.models import Dossier
from tests.factories import PersonFactory

from .conftest import hand_in, yes

pytestmark = pytest.mark.django_db


def _refs(rows: list[Dossier]) -> list[str]:
    return [row.reference for row in rows]


def test_the_queue_sorts_by_deadline_and_filters(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: Any,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 10))
    late = open_dossier("unemployment-benefit", received_on=dt.date(2026, 1, 5))
    soon = open_dossier("unemployment-benefit", received_on=dt.date(2026, 2, 20))
    legal = open_dossier("consular-legalisation", received_on=dt.date(2026, 3, 9))
    no_deadline = open_dossier("visa-extension")
    services.dossier_facts_update(
        actor=handler, dossier=soon, expected_version=soon.version, facts={"x": 1}
    )
    with django_assert_max_num_queries(8):
        page = selectors.queue(agent=handler, filters=selectors.QueueFilter())
    # Legal deadlines first (earliest first), then the service norm, then none.
    assert _refs(page.rows) == _refs([late, soon, legal, no_deadline])
    overdue = selectors.queue(
        agent=handler, filters=selectors.QueueFilter(overdue=True)
    )
    assert _refs(overdue.rows) == _refs([late])
    by_type = selectors.queue(
        agent=handler, filters=selectors.QueueFilter(case_type="visa-extension")
    )
    assert _refs(by_type.rows) == _refs([no_deadline])
    by_team = selectors.queue(
        agent=handler, filters=selectors.QueueFilter(team="legalisations")
    )
    assert _refs(by_team.rows) == _refs([legal])
    assert (
        selectors.queue(agent=handler, filters=selectors.QueueFilter(owner="me")).rows
        == []
    )


def test_the_queue_is_for_those_who_work_on_dossiers(
    teams: Any, agent_in: Callable[..., Agent]
) -> None:
    with pytest.raises(Forbidden):
        selectors.queue(
            agent=agent_in("first_line", "C"), filters=selectors.QueueFilter()
        )


def test_the_workbench_in_a_bounded_number_of_queries(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    django_assert_max_num_queries: Any,
) -> None:
    dossier = open_dossier("consular-legalisation", facts={"document_language": "fr"})
    hand_in(dossier, "document_to_legalise")
    for number in range(5):
        services.note_add(actor=handler, dossier=dossier, text_=f"Note {number}")
        services.task_create(actor=handler, dossier=dossier, title=f"Task {number}")
    with django_assert_max_num_queries(25):
        bench = selectors.workbench(agent=handler, key=dossier.reference)
    assert bench.missing_documents == ["applicant_identity"]
    offered = {item.transition.code: item for item in bench.offered}
    assert set(offered) == {"request_documents", "conclude_complete", "withdraw"}
    assert [code for code, _ in offered["conclude_complete"].refusals] == [
        "documents_missing",
        "checklist_missing",
    ]
    assert offered["withdraw"].ready
    assert len(bench.tasks) == len(bench.notes) == 5
    assert bench.pending_decision is None


def test_a_hidden_dossier_is_not_found_and_not_listed(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    agent_in: Callable[..., Agent],
    teams: Any,
) -> None:
    secret = PersonFactory(confidential_team=teams["payment-office"])
    outsider_of_confidentiality = agent_in("dossier_handler", "C", "visas")
    mine = agent_in("dossier_handler", "C", "visas", "payment-office")
    dossier = open_dossier("visa-extension", actor=mine, applicant=secret)
    with pytest.raises(NotFound):
        selectors.dossier_get_for_agent(
            agent=outsider_of_confidentiality, key=dossier.reference
        )
    assert (
        selectors.dossier_get_for_agent(agent=mine, key=str(dossier.uuid)).obj
        == dossier
    )
    assert selectors.dossiers_of_person(agent=mine, person=secret) == [dossier]
    stranger = agent_in("dossier_handler", "C", "legalisations")
    with pytest.raises(NotFound):
        selectors.dossier_get_for_agent(agent=stranger, key=dossier.reference)


def test_a_persons_dossiers_and_my_tasks(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    django_assert_max_num_queries: Any,
) -> None:
    person = PersonFactory()
    applied = open_dossier("visa-extension", applicant=person)
    represented = open_dossier(
        "consular-legalisation",
        parties=[services.PartyInput("representative", person)],
    )
    open_dossier("consular-legalisation")
    with django_assert_max_num_queries(6):
        rows = selectors.dossiers_of_person(agent=handler, person=person)
    assert set(_refs(rows)) == {applied.reference, represented.reference}
    for dossier in (applied, represented):
        services.task_create(
            actor=handler,
            dossier=dossier,
            title="Check",
            assignee=handler,
            due_on=clock.today() + dt.timedelta(days=dossier.pk),
        )
    with django_assert_max_num_queries(6):
        tasks = selectors.my_dossier_tasks(agent=handler)
    assert [task.dossier for task in tasks] == [applied, represented]


def test_the_checklist_given_makes_the_guard_pass(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = open_dossier("visa-extension")
    offered = services.transitions_offered(
        actor=handler, dossier=dossier, checklist=yes(dossier)
    )
    refusals = {item.transition.code: item.refusals for item in offered}
    assert [code for code, _ in refusals["conclude_complete"]] == ["documents_missing"]
