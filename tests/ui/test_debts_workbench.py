"""The debt workbench through HTTP (issue #18): a debt registered from its notice
in the mail register, entries, a plan, a status, a comment, the creditor's
statement; and the refusals: a bad amount, a stale version, a mail or a person the
agent may not see. Each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.correspondence.models import IncomingMail
from guichet.correspondence.services import incoming_mail_register
from guichet.debts import services
from guichet.debts.models import Debt, DebtComment, DebtEntry, InstalmentPlan
from tests.correspondence.factories import LetterheadFactory
from tests.debts.factories import DebtFactory
from tests.factories import PersonFactory, TeamFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def wb_office(db: Any) -> Any:
    office = TeamFactory(code="payment-office")
    LetterheadFactory(team=office, prefix="PAY")
    return office


@pytest.fixture
def wb_payer(make_agent: Callable[..., Any], wb_office: Any) -> Any:
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="wb-payer"
    )


def _mail(make_agent: Callable[..., Any], team: str, subject: str) -> IncomingMail:
    if team != "payment-office":
        LetterheadFactory(team=TeamFactory(code=team), prefix=team[:3].upper())
    clerk = make_agent(
        "supervisor", level="A1", teams=(team,), username=f"clerk-{team}"
    )
    return incoming_mail_register(
        actor=clerk,
        received_on=clock.today(),
        subject=subject,
        sender_name="Étude Lambert, huissiers de justice",
        scan=PDF,
        scan_name="avis.pdf",
        team=team,
    )


@pytest.fixture
def wb_notice(make_agent: Callable[..., Any], wb_office: Any) -> IncomingMail:
    return _mail(make_agent, "payment-office", "Avis de saisie sur allocations")


@pytest.fixture
def wb_person(db: Any) -> Any:
    return PersonFactory(given_names="Lea", surname="Martin", language="fr")


def _register(client: Client, person: Any, **fields: str) -> Any:
    data = {
        "kind": "seizure",
        "creditor_name": "Étude Lambert",
        "reference": "LAM-2026-88",
        "notified_on": (clock.today() - dt.timedelta(days=3)).isoformat(),
        "principal": "1200.00",
        "costs": "85.10",
        **fields,
    }
    return client.post(f"/persons/{person.uuid}/debts/new/", data)


def test_registers_a_seizure_from_its_notice_and_shows_it_on_the_tab(
    client_for: Callable[[Any], Client],
    wb_payer: Any,
    wb_person: Any,
    wb_notice: IncomingMail,
) -> None:
    client = client_for(wb_payer)
    page = client.get(f"/persons/{wb_person.uuid}/debts/new/")
    assert page.status_code == 200
    assert wb_notice.number in page.content.decode()  # offered from the register
    response = _register(
        client, wb_person, notice_mail=str(wb_notice.uuid), comment="Call the bailiff."
    )
    debt = Debt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/debts/{debt.uuid}/"
    assert debt.notice_mail == wb_notice
    assert [(e.kind, e.amount) for e in debt.entries.order_by("id")] == [
        ("principal", Decimal("1200.00")),
        ("costs", Decimal("85.10")),
    ]
    audit = AuditEvent.objects.get(action="debt.register")
    assert audit.summary["after"]["notice_mail"] == wb_notice.number
    tab = client.get(f"/persons/{wb_person.uuid}/debts/").content.decode()
    assert "Call the bailiff." in tab
    assert f"Notice: mail {wb_notice.number}" in tab
    detail = client.get(f"/debts/{debt.uuid}/").content.decode()
    assert f"/correspondence/mail/{wb_notice.uuid}/scan/" in detail


def test_refuses_a_notice_from_another_teams_register(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    wb_payer: Any,
    wb_person: Any,
) -> None:
    elsewhere = _mail(make_agent, "visas", "Visa application")
    response = _register(
        client_for(wb_payer), wb_person, notice_mail=str(elsewhere.uuid)
    )
    assert response.status_code == 422
    assert response.context["form"].errors["notice_mail"]
    assert not Debt.objects.exists()


def test_refuses_a_bad_amount_and_writes_nothing(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    response = _register(client_for(wb_payer), wb_person, principal="12,3,4")
    assert response.status_code == 422
    assert response.context["form"].errors["principal"]
    assert not Debt.objects.exists()
    assert not AuditEvent.objects.filter(action="debt.register").exists()


def test_a_person_the_agent_may_not_see_is_not_found(
    client_for: Callable[[Any], Client], wb_payer: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    debt = DebtFactory(person=hidden, team=TeamFactory(code="payment-office"))
    client = client_for(wb_payer)
    assert client.get(f"/persons/{hidden.uuid}/debts/new/").status_code == 404
    assert _register(client, hidden).status_code == 404
    assert client.get(f"/debts/{debt.uuid}/").status_code == 404
    post = client.post(
        f"/debts/{debt.uuid}/",
        {"form": "entry", "entry-version": debt.version, "entry-kind": "costs"},
    )
    assert post.status_code == 404
    assert client.get(f"/debts/{debt.uuid}/statement/fr/").status_code == 404
    assert DebtEntry.objects.filter(debt=debt).count() == 1


def _entry(client: Client, debt: Debt, version: int, **fields: str) -> Any:
    data = {
        "form": "entry",
        "entry-version": str(version),
        "entry-kind": "interest",
        "entry-amount": "12.40",
        "entry-booked_on": clock.today().isoformat(),
        **{f"entry-{name}": value for name, value in fields.items()},
    }
    return client.post(f"/debts/{debt.uuid}/", data)


def test_adds_an_entry_with_the_version_seen(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, balance="500.00")
    response = _entry(client_for(wb_payer), debt, debt.version)
    assert response.status_code == 302
    assert debt.entries.order_by("-id")[0].amount == Decimal("12.40")
    debt.refresh_from_db()
    assert debt.version == 2


def test_refuses_a_bad_entry_amount_next_to_the_field(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, balance="500.00")
    response = _entry(client_for(wb_payer), debt, debt.version, amount="-5")
    assert response.status_code == 422
    assert response.context["forms"].entry.errors["amount"] == [
        "An amount cannot be negative here."
    ]
    too_much = _entry(
        client_for(wb_payer),
        debt,
        debt.version,
        kind="remission",
        amount="900",
        note="x",
    )
    assert too_much.status_code == 422
    assert "more than the balance" in str(too_much.context["forms"].entry.errors)
    assert debt.entries.count() == 1


def test_a_stale_form_says_the_debt_changed_and_overwrites_nothing(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, balance="500.00", comment="First note.")
    client = client_for(wb_payer)
    seen = debt.version
    assert _entry(client, debt, seen).status_code == 302  # a colleague, meanwhile
    stale = client.post(
        f"/debts/{debt.uuid}/",
        {
            "form": "details",
            "details-version": str(seen),
            "details-creditor_name": debt.creditor_name,
            "details-comment": "Overwritten?",
        },
    )
    assert stale.status_code == 409
    assert "This debt changed since you opened it" in stale.content.decode()
    debt.refresh_from_db()
    assert debt.comment == "First note."
    assert not AuditEvent.objects.filter(action="debt.update").exists()


def test_after_a_stale_form_the_input_is_kept_on_the_current_version(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, balance="500.00")
    client = client_for(wb_payer)
    seen = debt.version
    assert _entry(client, debt, seen).status_code == 302  # a colleague, meanwhile
    stale = _entry(client, debt, seen, kind="costs", amount="33.30", note="Bailiff.")
    assert stale.status_code == 409
    form = stale.context["forms"].entry
    # the debt as it is now (the colleague's interest), the input kept, the
    # version the page shows in the hidden field
    assert stale.context["debt"].balance == Decimal("512.40")
    assert (form["kind"].value(), form["amount"].value(), form["note"].value()) == (
        "costs",
        "33.30",
        "Bailiff.",
    )
    assert form["version"].value() == "2"
    assert 'name="entry-version" value="2"' in stale.content.decode()
    assert debt.entries.count() == 2
    # submitted again, having seen the change, it applies
    again = _entry(client, debt, 2, kind="costs", amount="33.30", note="Bailiff.")
    assert again.status_code == 302
    assert debt.entries.order_by("-id")[0].amount == Decimal("33.30")


def test_a_comment_is_shown_with_its_author_newest_first(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, creditor_name="Étude Lambert")
    client = client_for(wb_payer)
    empty = client.post(f"/debts/{debt.uuid}/", {"form": "comment", "comment-text": ""})
    assert empty.status_code == 422
    assert empty.context["forms"].comment.errors["text"]
    for text in ("First call.", "Second call.", "Third: paid soon."):
        response = client.post(
            f"/debts/{debt.uuid}/", {"form": "comment", "comment-text": text}
        )
        assert response.status_code == 302
    assert DebtComment.objects.filter(debt=debt).count() == 3
    page = client.get(f"/debts/{debt.uuid}/").content.decode()
    assert page.index("Third: paid soon.") < page.index("First call.")
    assert str(wb_payer) in page
    tab = client.get(f"/persons/{wb_person.uuid}/debts/").content.decode()
    assert "Third: paid soon." in tab
    assert "Second call." in tab
    assert "First call." not in tab  # the latest two; all on the debt's page
    assert "All 3 comments on the debt's page" in tab
    assert str(wb_payer) in tab
    debt.refresh_from_db()
    assert debt.version == 1


def test_a_hidden_debts_comments_are_never_shown(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    wb_payer: Any,
    wb_person: Any,
) -> None:
    liege = make_agent(
        "payment_agent", teams=("payment-office-liege",), username="wb-liege"
    )
    theirs = DebtFactory(
        person=wb_person, team=TeamFactory(code="payment-office-liege")
    )
    services.debt_comment_add(actor=liege, debt_id=theirs.uuid, text="Liège only.")
    client = client_for(wb_payer)
    tab = client.get(f"/persons/{wb_person.uuid}/debts/")
    assert tab.status_code == 200
    assert "Liège only." not in tab.content.decode()
    assert client.get(f"/debts/{theirs.uuid}/").status_code == 404
    post = client.post(
        f"/debts/{theirs.uuid}/", {"form": "comment", "comment-text": "Mine?"}
    )
    assert post.status_code == 404
    assert DebtComment.objects.filter(debt=theirs).count() == 1
    history = client.get(f"/persons/{wb_person.uuid}/history/").content.decode()
    assert "Liège only." not in history


def test_sets_a_plan_changes_the_status_and_writes_a_comment(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person, recovery=True, balance="800.00")
    client = client_for(wb_payer)
    plan = client.post(
        f"/debts/{debt.uuid}/",
        {
            "form": "plan",
            "plan-version": "1",
            "plan-amount": "50",
            "plan-starts_on": "2026-01-01",
        },
    )
    assert plan.status_code == 302
    assert InstalmentPlan.objects.get(debt=debt).amount == Decimal("50.00")
    no_reason = client.post(
        f"/debts/{debt.uuid}/",
        {"form": "status", "status-version": "2", "status-status": "suspended"},
    )
    assert no_reason.status_code == 422
    assert no_reason.context["forms"].status.errors["reason"]
    status = client.post(
        f"/debts/{debt.uuid}/",
        {
            "form": "status",
            "status-version": "2",
            "status-status": "suspended",
            "status-reason": "Opposition pending.",
        },
    )
    assert status.status_code == 302
    comment = client.post(
        f"/debts/{debt.uuid}/",
        {
            "form": "details",
            "details-version": "3",
            "details-creditor_name": "",
            "details-comment": "Waiting for the court.",
        },
    )
    assert comment.status_code == 302
    debt.refresh_from_db()
    assert (debt.status, debt.comment, debt.version) == (
        "suspended",
        "Waiting for the court.",
        4,
    )
    tab = client.get(f"/persons/{wb_person.uuid}/debts/").content.decode()
    assert "Waiting for the court." in tab


def test_a_plan_on_a_seizure_is_not_offered(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    debt = DebtFactory(person=wb_person)
    client = client_for(wb_payer)
    assert client.get(f"/debts/{debt.uuid}/").context["forms"].plan is None
    response = client.post(
        f"/debts/{debt.uuid}/",
        {"form": "plan", "plan-version": "1", "plan-amount": "50"},
    )
    assert response.status_code == 403
    assert not InstalmentPlan.objects.exists()


def test_a_reader_below_level_c_sees_the_debt_without_its_forms(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    wb_office: Any,
    wb_person: Any,
) -> None:
    reader = make_agent(
        "payment_agent", level="D", teams=("payment-office",), username="wb-reader"
    )
    debt = DebtFactory(person=wb_person)
    client = client_for(reader)
    forms = client.get(f"/debts/{debt.uuid}/").context["forms"]
    assert (forms.entry, forms.plan, forms.status, forms.details, forms.comment) == (
        None,
    ) * 5
    assert client.get(f"/persons/{wb_person.uuid}/debts/new/").status_code == 403
    assert _entry(client, debt, debt.version).status_code == 403
    assert debt.entries.count() == 1


def test_the_creditors_statement_is_a_pdf_of_all_the_persons_debts_to_it(
    client_for: Callable[[Any], Client], wb_payer: Any, wb_person: Any
) -> None:
    first = DebtFactory(person=wb_person, creditor_name="Étude Lambert", balance="100")
    DebtFactory(person=wb_person, creditor_name="Étude Lambert", balance="40.50")
    DebtFactory(person=wb_person, creditor_name="Another", balance="7")
    response = client_for(wb_payer).get(f"/debts/{first.uuid}/statement/nl/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "statement-etude-lambert-" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="debt.statement")
    assert len(event.summary["debts"]) == 2
    assert (
        client_for(wb_payer).get(f"/debts/{first.uuid}/statement/xx/").status_code
        == 404
    )


def test_an_agent_of_two_offices_registers_for_the_office_chosen(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    wb_office: Any,
    wb_person: Any,
) -> None:
    both = make_agent(
        "payment_agent",
        teams=("payment-office", "payment-office-liege"),
        username="wb-both",
    )
    client = client_for(both)
    assert (
        "team"
        in client.get(f"/persons/{wb_person.uuid}/debts/new/").context["form"].fields
    )
    response = _register(client, wb_person, team="payment-office-liege")
    assert response.status_code == 302
    assert Debt.objects.get().team.code == "payment-office-liege"
