"""The payment office's dashboard: runs, exceptions, debts against plain counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.core.errors import ValidationFailed
from guichet.debts.models import AllocationPosting, DebtEntry
from guichet.payments.models import Beneficiary, PaymentRun, RunItem
from guichet.reports.dashboards import payments, rows
from tests.debts.factories import DebtFactory
from tests.factories import (
    AgentFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
)
from tests.reports import dashboard_rows as make

pytestmark = pytest.mark.usefixtures("pinned")
MONTH = "2026-02"


@pytest.fixture
def office(db: Any) -> dict[str, Any]:
    team = TeamFactory(code="payment-office")
    secret = TeamFactory(code="secret")
    agent = AgentFactory(username="payer", roles=["payment_agent"], teams=[team])
    hidden = PersonFactory(confidential_team=secret)
    run = PaymentRun.objects.create(
        team=team, month=MONTH, paid_on=dt.date(2026, 2, 27), prepared_by=agent
    )
    for index, person in enumerate([PersonFactory(), PersonFactory(), hidden]):
        beneficiary = Beneficiary.objects.create(person=person, team=team)
        RunItem.objects.create(
            run=run,
            beneficiary=beneficiary,
            gross=Decimal("100.00"),
            withholding=Decimal("10.00"),
            deductions=Decimal("20.00"),
            net=Decimal("70.00"),
        ) if index != 1 else RunItem.objects.create(
            run=run, beneficiary=beneficiary, exception="no_confirmed_account"
        )
    bailiff = OrganisationFactory(name="Bailiff Dupont")
    kept = DebtFactory(
        team=team, creditor=bailiff, creditor_name="Bailiff Dupont", balance="500.00"
    )
    posting = AllocationPosting.objects.create(
        person=kept.person,
        team=team,
        period=MONTH,
        paid_on=dt.date(2026, 2, 27),
        earned=Decimal(0),
        replacement=Decimal("1500.00"),
        children=0,
        table_code="2026",
        to_beneficiary=Decimal("1400.00"),
        created_by=agent,
    )
    DebtEntry.objects.create(
        debt=kept,
        kind="retention",
        amount=Decimal("-100.00"),
        booked_on=dt.date(2026, 2, 27),
        period=MONTH,
        posting=posting,
    )
    DebtFactory(team=team, creditor_name="CPAS", balance="300.00")
    DebtFactory(team=team, creditor_name="CPAS", balance="50.00", person=hidden)
    DebtFactory(team=secret, creditor_name="CPAS", balance="70.00")
    return {"agent": agent, "run": run}


def test_run_totals_count_only_visible_beneficiaries(office: dict[str, Any]) -> None:
    board = payments.dashboard(agent=office["agent"], month="")
    assert board.scope.month == MONTH
    runs = board.figures[0]
    assert [cell.value for cell in runs.rows[0][2:]] == [
        1,
        1,
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("70.00"),
    ]
    exceptions = board.figures[1]
    assert [cell.value for cell in exceptions.rows[0]][2] == 1


def test_debts_and_recoveries_by_creditor(office: dict[str, Any]) -> None:
    creditors = payments.dashboard(agent=office["agent"], month=MONTH).figures[2]
    assert [[cell.value for cell in row] for row in creditors.rows] == [
        ["Bailiff Dupont", 1, 1, Decimal("400.00"), Decimal("100.00")],
        ["CPAS", 1, 1, Decimal("300.00"), Decimal("0.00")],
    ]


def test_every_number_that_drills_to_rows_is_the_count_of_those_rows(
    office: dict[str, Any],
) -> None:
    board = payments.dashboard(agent=office["agent"], month=MONTH)
    checked = 0
    for figure in board.figures:
        for row in figure.rows:
            for cell in row:
                if cell.drill is None or cell.drill.screen != "rows":
                    continue
                _source, found, _shown = rows.source_rows(
                    agent=office["agent"],
                    figure=cell.drill.figure,
                    params=cell.drill.params,
                    today=make.today(),
                )
                expected = (
                    found.count()
                    if cell.drill.figure != "retentions"
                    else -sum(entry.amount for entry in found)
                )
                assert expected == cell.value, (figure.key, cell.drill)
                checked += 1
    assert checked == 6


def test_refuses_a_month_not_written_as_one(office: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        payments.dashboard(agent=office["agent"], month="2026-13")


def test_every_rows_page_opens_and_says_the_figure(office: dict[str, Any]) -> None:
    from django.test import Client

    from guichet.ui.views.reports_dashboards import drill_url

    client = Client()
    client.force_login(office["agent"])
    board = payments.dashboard(agent=office["agent"], month=MONTH)
    opened = 0
    for figure in board.figures:
        for row in figure.rows:
            for cell in row[:4]:  # the counts (the amounts' rows are entries)
                url = drill_url(cell.drill)
                if not url.startswith("/reports/rows/"):
                    continue
                html = client.get(url).content.decode()
                word = "row" if cell.value == 1 else "rows"
                assert f">{cell.value} {word}</h2>" in html, url
                opened += 1
    assert opened == 4
    kept = drill_url(board.figures[2].rows[0][4].drill)
    assert "100.00" in client.get(kept).content.decode()
