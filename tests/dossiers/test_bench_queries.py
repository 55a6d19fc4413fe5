"""What the dossiers benchmark fixed stays fixed (bench/RESULTS.md, "Dossiers"):
the workbench reads a dossier's documents once, for the page, the missing ones
and every guard of the steps offered; a team's queue page is read in the index's
order, never by sorting every open dossier of the team."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.agents.models import Agent
from guichet.dossiers import selectors, services
from guichet.dossiers.models import Dossier
from tests.factories import PersonFactory

from .conftest import hand_in, yes

pytestmark = pytest.mark.django_db


def _reads_of(table: str, captured: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if f'FROM "{table}"' in query["sql"] and query["sql"].startswith("SELECT")
    )


@pytest.fixture
def checking(open_dossier: Callable[..., Dossier], handler: Agent) -> Dossier:
    """A legalisation dossier with its documents, concluded complete."""
    dossier = open_dossier("consular-legalisation", facts={"document_language": "fr"})
    hand_in(dossier, "document_to_legalise")
    hand_in(dossier, "applicant_identity", checks={"mrz": True})
    return services.dossier_transition(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        transition="conclude_complete",
        checklist=yes(dossier),
    )


def test_the_workbench_reads_the_documents_once(
    checking: Dossier, handler: Agent
) -> None:
    dossier = checking
    # From "checking": request_documents (its effect reads the missing ones),
    # request_payment (checks_passed) and withdraw.
    with CaptureQueriesContext(connection) as captured:
        bench = selectors.workbench(agent=handler, key=dossier.reference)
    offered = {item.transition.code: item for item in bench.offered}
    assert "request_payment" in offered
    assert [code for code, _ in offered["request_payment"].refusals] == [
        "checklist_missing"
    ]
    assert len(bench.documents) == 2
    assert _reads_of("documents_document", captured) == 1
    assert _reads_of("documents_documentverification", captured) == 1


def test_a_transition_reads_the_documents_once(
    checking: Dossier, handler: Agent
) -> None:
    dossier = checking
    # request_payment: checks_passed reads them; its effects do not again.
    with CaptureQueriesContext(connection) as captured:
        services.dossier_transition(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            transition="request_payment",
            checklist=yes(dossier),
        )
    assert _reads_of("documents_document", captured) == 1


@pytest.mark.postgres
def test_a_team_queue_page_comes_from_the_index_in_its_order(
    open_dossier: Callable[..., Dossier], handler: Agent, agent_in: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the plan checked is PostgreSQL's")
    for _ in range(3):
        open_dossier("unemployment-benefit")
        open_dossier("consular-legalisation")
    services.dossier_open(
        actor=handler,
        case_type="unemployment-benefit",
        applicant=PersonFactory(),
        owner=handler,
    )
    with connection.cursor() as cursor:
        # The table as never analysed (this test's transaction puts it back): in a
        # full run autovacuum may have taken statistics while earlier tests held
        # other rows, and the planner then walked another index for "mine"; accurate
        # statistics of this test's few rows make it sort instead. Never analysed,
        # the planner assumes a table of some pages, as it does in a run alone.
        cursor.execute(
            "UPDATE pg_class SET reltuples = -1, relpages = 0"
            " WHERE oid = 'dossiers_dossier'::regclass"
        )
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid = 'dossiers_dossier'::regclass"
        )
    for filters, index in (
        (selectors.QueueFilter(team="payment-office"), "dossiers_open_"),
        (selectors.QueueFilter(), "dossiers_open_"),  # every team of the agent
        # The common filters that keep few rows have their own index.
        (
            selectors.QueueFilter(team="payment-office", status="received"),
            "dossiers_status_queue_idx",
        ),
        # "Mine": at a million rows the owner's index (bench/RESULTS.md); on this
        # test's few rows its cost and the open queue's are so close that the
        # indexes' sizes left by earlier tests decide. Either walks in order.
        (
            selectors.QueueFilter(owner="me"),
            ("dossiers_owner_queue_idx", "dossiers_open_"),
        ),
        # The case type by id: a join on its code made the planner sort.
        (
            selectors.QueueFilter(
                team="payment-office", case_type="unemployment-benefit"
            ),
            "dossiers_open_",
        ),
    ):
        with CaptureQueriesContext(connection) as captured:
            page = selectors.queue(agent=handler, filters=filters)
        assert page.rows
        sql = next(
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith('SELECT "dossiers_dossier"')
        )
        with connection.cursor() as cursor:
            # A few rows here: forbid what a planner would choose for so few, so
            # the plan is the one a million rows get.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
        names = (index,) if isinstance(index, str) else index
        assert any(name in plan for name in names), (filters, plan)
        assert "Sort" not in plan, plan
