"""A person's history in words (issue #11, item 9): each entry a sentence in the
agent's language, dates as elsewhere (d/m/Y), and only the entries of what the agent
may see (a garnishment posted on a person is the payment office's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from guichet.audit.services import audit_record
from guichet.parties.services import person_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _history(agent: Any, person: Any) -> str:
    client = Client()
    client.force_login(agent)
    response = client.get(reverse("ui:person_history", args=[person.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_garnishment_posting_is_shown_in_words_to_the_payment_office_only(
    make_agent: Any,
) -> None:
    person = PersonFactory()
    payer = make_agent("payment_agent", teams=("payment-office",), language="fr")
    audit_record(
        actor=payer,
        action="debt.allocation_post",
        obj=person,
        summary={"period": "2026-11", "team": "payment-office"},
    )
    first = make_agent("first_line", teams=("cc-fr",), language="fr")
    liege = make_agent("payment_agent", teams=("payment-office-liege",), language="fr")
    assert "Retenues sur saisie" not in _history(liege, person)
    shown_to_first = _history(first, person)
    assert "allocation_post" not in shown_to_first
    assert "Retenues sur saisie" not in shown_to_first
    shown_to_payer = _history(payer, person)
    assert "allocation_post" not in shown_to_payer
    assert "Retenues sur saisie comptabilisées" in shown_to_payer


def test_entries_are_sentences_and_dates_are_read_as_elsewhere(
    make_agent: Any,
) -> None:
    agent = make_agent("second_line", level="B", teams=("cc-nl",), language="nl")
    person = PersonFactory(birth_date=dt.date(1950, 2, 1))
    person_update(
        actor=agent,
        person_id=person.uuid,
        expected_version=person.version,
        data={"birth_date": dt.date(1951, 3, 2)},
        reason="typo",
        # The factory's national number encodes 1950-02-01 (issue #11, item 7).
        contradiction_override="Birth certificate checked at the counter",
    )
    shown = _history(agent, person)
    assert "person.update" not in shown
    assert "Persoonsgegevens gewijzigd" in shown
    assert "01/02/1950" in shown
    assert "02/03/1951" in shown
    assert "1951-03-02" not in shown


def test_every_write_parties_records_on_a_person_has_a_sentence() -> None:
    from pathlib import Path

    from guichet.parties import history
    from guichet.parties.models import EmailAddress, PhoneNumber, PostalAddress

    source = Path(history.__file__).with_name("services.py").read_text(encoding="utf-8")
    assert 'f"person.{row._meta.model_name}.add"' in source
    models = (PhoneNumber, EmailAddress, PostalAddress)
    actions = [
        "person.create",
        "person.update",
        "person.restrict",
        "person.link.add",
        *(
            f"person.{m._meta.model_name}.{verb}"
            for m in models
            for verb in ("add", "remove")
        ),
    ]
    assert [a for a in actions if history.kind_of(a) is None] == []


def test_a_debts_writes_are_told_in_words_to_who_sees_the_debt_only(
    make_agent: Any,
) -> None:
    from guichet.debts import services as debts
    from tests.debts.factories import load_shipped_tables

    load_shipped_tables()
    person = PersonFactory()
    payer = make_agent(
        "payment_agent", level="C", teams=("payment-office",), language="en"
    )
    debt = debts.debt_register(
        actor=payer,
        person_id=person.uuid,
        data=debts.DebtInput(
            kind="seizure",
            notified_on="2024-03-01",
            principal="1200.00",
            creditor_name="Étude Lambert",
            reference="LAM-88",
        ),
    )
    debts.debt_entry_add(
        actor=payer,
        debt_id=debt.uuid,
        expected_version=1,
        kind="interest",
        amount="12.40",
        booked_on="2024-04-01",
    )
    debts.debt_update(
        actor=payer,
        debt_id=debt.uuid,
        expected_version=2,
        data={"status": "suspended"},
        reason="Opposition pending",
    )
    debts.debt_comment_add(actor=payer, debt_id=debt.uuid, text="Bailiff called.")
    shown = _history(payer, person)
    assert "debt.entry_add" not in shown
    for words in (
        "Debt registered</strong>: seizure, Étude Lambert (LAM-88)",
        "amount owed 1,200.00 €, notice of 01/03/2024",
        "Entry added to a debt&#x27;s ledger",
        "interest of 12.40 €, balance 1,200.00 € → 1,212.40 €",
        "Debt changed",
        "status: active → suspended (why: Opposition pending)",
        "Comment written on a debt",
        "“Bailiff called.”",
    ):
        assert words in shown
    # another payment office sees the person, not this office's debt
    liege = make_agent("payment_agent", teams=("payment-office-liege",))
    first_line = make_agent("first_line", teams=("cc-fr",))
    for other in (liege, first_line):
        elsewhere = _history(other, person)
        assert "Étude Lambert" not in elsewhere
        assert "Bailiff called." not in elsewhere
        assert "Debt registered" not in elsewhere
