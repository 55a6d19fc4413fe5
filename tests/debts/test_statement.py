"""The creditor's statement of account: PDF/A, in four languages, with every debt
of that creditor and its ledger, and nothing of other creditors or offices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import NotFound
from guichet.correspondence import pdfcheck
from guichet.debts import selectors, statement
from guichet.debts.models import DebtEntry
from tests.debts.factories import DebtFactory
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def st_debts(payment_agent: Any) -> list[Any]:
    person = PersonFactory(given_names="Lea", surname="Martin", language="nl")
    office = TeamFactory(code="payment-office")
    first = DebtFactory(
        person=person,
        team=office,
        creditor_name="Étude Lambert",
        reference="LAM-1",
        balance="1000.00",
    )
    DebtEntry.objects.create(
        debt=first,
        kind="direct_payment",
        amount=Decimal("-250.00"),
        booked_on=dt.date(2024, 4, 2),
    )
    second = DebtFactory(
        person=person, team=office, creditor_name="Étude Lambert", reference="LAM-2"
    )
    DebtFactory(person=person, team=office, creditor_name="Other", reference="OTH-9")
    DebtFactory(
        person=person,
        team=TeamFactory(code="payment-office-liege"),
        creditor_name="Étude Lambert",
        reference="LIE-3",
    )
    return [first, second]


def test_gathers_the_creditors_debts_in_the_office_with_their_ledgers(
    payment_agent: Any, st_debts: list[Any]
) -> None:
    found = selectors.creditor_statement_for_agent(
        agent=payment_agent, debt_id=st_debts[1].uuid
    )
    html = statement.statement_html(found, "nl")
    assert [debt.reference for debt in found.debts] == ["LAM-1", "LAM-2"]
    assert found.total == Decimal("1750.00")
    assert "Rekeningoverzicht" in html
    assert "Lea Martin" in html
    assert "-250.00" in html
    assert "Totaal nog verschuldigd: 1750.00 EUR." in html
    assert "OTH-9" not in html  # another creditor
    assert "LIE-3" not in html  # another payment office
    event = AuditEvent.objects.get(action="debt.statement")
    assert event.summary["debts"] == [str(debt.uuid) for debt in st_debts]


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("fr", "Relevé de compte"),
        ("nl", "Rekeningoverzicht"),
        ("de", "Kontoauszug"),
        ("en", "Statement of account"),
    ],
)
def test_speaks_each_language(
    payment_agent: Any, st_debts: list[Any], language: str, word: str
) -> None:
    found = selectors.creditor_statement_for_agent(
        agent=payment_agent, debt_id=st_debts[0].uuid
    )
    assert word in statement.statement_html(found, language)


def test_is_pdfa_named_after_the_creditor(
    payment_agent: Any, st_debts: list[Any]
) -> None:
    got = statement.statement_for_agent(agent=payment_agent, debt_id=st_debts[0].uuid)
    assert pdfcheck.inspect(got.data).is_pdfa_3b
    assert got.filename.startswith("statement-etude-lambert-")


def test_another_offices_debt_or_language_is_not_found(
    make_agent: Any, payment_agent: Any, st_debts: list[Any]
) -> None:
    other = make_agent(
        "payment_agent", teams=("payment-office-liege",), username="liege"
    )
    with pytest.raises(NotFound):
        statement.statement_for_agent(agent=other, debt_id=st_debts[0].uuid)
    with pytest.raises(NotFound):
        statement.statement_for_agent(
            agent=payment_agent, debt_id=st_debts[0].uuid, language="es"
        )
    with pytest.raises(NotFound):
        statement.statement_for_agent(agent=payment_agent, debt_id="not-an-id")
    assert not AuditEvent.objects.filter(action="debt.statement").exists()
