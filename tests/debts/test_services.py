"""The debts ledger: registering, entries, status, plans, posting a month; all
audited, append-only, versioned, and refusing bad input without writing."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, connections, transaction

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.core.models import AppendOnlyError
from guichet.debts import selectors, services
from guichet.debts.errors import AlreadyPosted, NoTableInForce
from guichet.debts.garnishment import Income
from guichet.debts.models import (
    AllocationPosting,
    BracketTable,
    Debt,
    DebtComment,
    DebtEntry,
    InstalmentPlan,
)
from guichet.debts.services import DebtInput
from tests.debts.factories import DebtFactory
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _counts() -> tuple[int, int, int, int]:
    return (
        Debt.objects.count(),
        DebtEntry.objects.count(),
        AllocationPosting.objects.count(),
        AuditEvent.objects.filter(chain="changes").count(),
    )


def _balance(debt: Debt) -> Decimal:
    return selectors.debt_balance(debt)


def _register(actor: Any, person: Any, **fields: Any) -> Debt:
    values: dict[str, Any] = {
        "kind": "seizure",
        "notified_on": "2024-03-01",
        "principal": "1200.00",
        "creditor_name": "Étude Dupont, huissiers",
    }
    values.update(fields)
    return services.debt_register(
        actor=actor, person_id=person.uuid, data=DebtInput(**values)
    )


# Registering


def test_registers_a_debt_with_its_opening_entries_and_audits_it(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    debt = _register(
        payment_agent, person, interest="35.10", costs="120", reference="B-77"
    )
    assert (debt.kind, debt.status, debt.team.code, debt.version) == (
        "seizure",
        "active",
        "payment-office",
        1,
    )
    assert list(debt.entries.order_by("id").values_list("kind", "amount")) == [
        ("principal", D("1200.00")),
        ("interest", D("35.10")),
        ("costs", D("120.00")),
    ]
    assert _balance(debt) == D("1355.10")
    event = AuditEvent.objects.get(chain="changes", action="debt.register")
    assert (event.actor_id, event.object_id) == (payment_agent.pk, str(debt.uuid))
    assert event.summary["principal"] == "1200.00"


def test_an_own_claim_is_named_after_the_office(payment_agent: Any) -> None:
    debt = _register(
        payment_agent, PersonFactory(), kind="recovery", creditor_name="", fraud=True
    )
    assert (debt.creditor_name, debt.fraud) == ("Payment Office", True)


def test_refuses_bad_input_with_every_field_named_and_writes_nothing(
    payment_agent: Any,
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        _register(
            payment_agent,
            PersonFactory(),
            kind="loan",
            notified_on=None,
            principal="12.345",
            interest="-3",
            creditor_name="",
            fraud=True,
        )
    assert {(error.field, error.code) for error in refused.value.errors} == {
        ("kind", "invalid_choice"),
        ("notified_on", "required"),
        ("principal", "too_many_decimals"),
        ("interest", "negative_amount"),
        ("creditor_name", "required"),
    }
    assert _counts() == before


@pytest.mark.parametrize(
    ("_case", "fields", "field", "code"),
    [
        (
            "future notice",
            {"notified_on": "2999-01-01"},
            "notified_on",
            "date_in_future",
        ),
        ("zero principal", {"principal": "0"}, "principal", "must_not_be_zero"),
        ("fraud on a seizure", {"fraud": True}, "fraud", "fraud_only_for_recovery"),
        (
            "subrogation without period",
            {"kind": "subrogation"},
            "period_from",
            "period_required",
        ),
        (
            "period reversed",
            {
                "kind": "subrogation",
                "period_from": "2025-03-01",
                "period_to": "2025-01-01",
            },
            "period_to",
            "period_reversed",
        ),
        ("not a number", {"principal": "mille"}, "principal", "not_an_amount"),
        (
            "malformed notice",
            {"notice_mail": "no-such-id"},
            "notice_mail",
            "unknown_mail",
        ),
        (
            "unknown notice",
            {"notice_mail": "5d1c3a4e-0000-4000-8000-000000000000"},
            "notice_mail",
            "unknown_mail",
        ),
    ],
)
def test_refuses_each_rule(
    payment_agent: Any, _case: str, fields: dict[str, Any], field: str, code: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        _register(payment_agent, PersonFactory(), **fields)
    assert (field, code) in {
        (error.field, error.code) for error in refused.value.errors
    }
    assert _counts() == before


def test_only_the_payment_office_registers_and_only_for_persons_it_sees(
    make_agent: Any, payment_agent: Any
) -> None:
    first_line = make_agent("first_line", teams=("cc-fr",))
    level_d = make_agent("payment_agent", level="D", teams=("payment-office",))
    with pytest.raises(Forbidden):
        _register(first_line, PersonFactory())
    with pytest.raises(Forbidden):
        _register(level_d, PersonFactory())
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(NotFound):
        _register(payment_agent, hidden)
    assert Debt.objects.count() == 0


def test_an_agent_of_two_offices_says_which(make_agent: Any, tables: None) -> None:
    agent = make_agent(
        "payment_agent", teams=("payment-office", "payment-office-liege")
    )
    with pytest.raises(ValidationFailed) as refused:
        _register(agent, PersonFactory())
    assert refused.value.errors[0].code == "team_ambiguous"
    debt = services.debt_register(
        actor=agent,
        person_id=PersonFactory().uuid,
        data=DebtInput(
            kind="seizure", notified_on="2024-01-01", principal="1", creditor_name="X"
        ),
        team_code="payment-office-liege",
    )
    assert debt.team.code == "payment-office-liege"


# Entries


def test_entries_move_the_derived_balance_and_bump_the_version(
    payment_agent: Any,
) -> None:
    debt = _register(payment_agent, PersonFactory())
    services.debt_entry_add(
        actor=payment_agent,
        debt_id=debt.uuid,
        expected_version=1,
        kind="interest",
        amount="10.50",
        booked_on="2024-04-01",
    )
    services.debt_entry_add(
        actor=payment_agent,
        debt_id=debt.uuid,
        expected_version=2,
        kind="direct_payment",
        amount="200",
        booked_on="2024-05-01",
    )
    services.debt_entry_add(
        actor=payment_agent,
        debt_id=debt.uuid,
        expected_version=3,
        kind="correction",
        amount="-0.50",
        booked_on="2024-05-02",
        note="Interest computed on the wrong day count.",
    )
    debt.refresh_from_db()
    assert (_balance(debt), debt.version) == (D("1010.00"), 4)
    assert list(debt.entries.order_by("id").values_list("amount", flat=True)) == [
        D("1200.00"),
        D("10.50"),
        D("-200.00"),
        D("-0.50"),
    ]
    assert AuditEvent.objects.filter(action="debt.entry_add").count() == 3


def test_a_stale_version_changes_nothing(payment_agent: Any) -> None:
    debt = _register(payment_agent, PersonFactory())
    before = _counts()
    with pytest.raises(StaleVersion) as refused:
        services.debt_entry_add(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=7,
            kind="costs",
            amount="5",
            booked_on="2024-04-01",
        )
    assert refused.value.extra == {"current_version": 1}
    assert _counts() == before


def test_the_balance_never_goes_below_zero_and_zero_extinguishes(
    payment_agent: Any,
) -> None:
    debt = _register(payment_agent, PersonFactory(), principal="100")
    with pytest.raises(ValidationFailed) as refused:
        services.debt_entry_add(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=1,
            kind="remission",
            amount="100.01",
            booked_on="2024-04-01",
            note="Released by the creditor.",
        )
    assert refused.value.errors[0].code == "balance_would_be_negative"
    services.debt_entry_add(
        actor=payment_agent,
        debt_id=debt.uuid,
        expected_version=1,
        kind="remission",
        amount="100",
        booked_on="2024-04-01",
        note="Released by the creditor.",
    )
    debt.refresh_from_db()
    assert (debt.status, _balance(debt)) == ("extinguished", D("0.00"))
    with pytest.raises(ValidationFailed) as closed:
        services.debt_entry_add(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=2,
            kind="costs",
            amount="5",
            booked_on="2024-04-02",
        )
    assert closed.value.errors[0].code == "not_active"


@pytest.mark.parametrize(
    ("_case", "kind", "amount", "note", "field", "code"),
    [
        ("retention by hand", "retention", "5", "", "kind", "invalid_choice"),
        ("principal by hand", "principal", "5", "", "kind", "invalid_choice"),
        ("remission without note", "remission", "5", "", "note", "required"),
        ("negative interest", "interest", "-5", "", "amount", "negative_amount"),
        ("zero correction", "correction", "0", "typo", "amount", "must_not_be_zero"),
    ],
)
def test_entry_rules(
    payment_agent: Any,
    _case: str,
    kind: str,
    amount: str,
    note: str,
    field: str,
    code: str,
) -> None:
    debt = _register(payment_agent, PersonFactory())
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        services.debt_entry_add(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=1,
            kind=kind,
            amount=amount,
            booked_on="2024-04-01",
            note=note,
        )
    assert (field, code) in {
        (error.field, error.code) for error in refused.value.errors
    }
    assert _counts() == before


def test_another_office_cannot_touch_the_debt(
    make_agent: Any, payment_agent: Any
) -> None:
    debt = _register(payment_agent, PersonFactory())
    liege = make_agent("payment_agent", teams=("payment-office-liege",))
    with pytest.raises(NotFound):
        services.debt_entry_add(
            actor=liege,
            debt_id=debt.uuid,
            expected_version=1,
            kind="costs",
            amount="5",
            booked_on="2024-04-01",
        )
    with pytest.raises(NotFound):
        services.debt_entry_add(
            actor=liege,
            debt_id="not-a-uuid",
            expected_version=1,
            kind="costs",
            amount="5",
            booked_on="2024-04-01",
        )


def test_ledger_rows_are_append_only(payment_agent: Any) -> None:
    debt = _register(payment_agent, PersonFactory())
    entry = debt.entries.get()
    entry.note = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        DebtEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        DebtEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        BracketTable.objects.filter(code="2024").update(t0=0)
    assert DebtEntry.objects.get(pk=entry.pk).amount == D("1200.00")


@pytest.mark.postgres
def test_postgres_refuses_raw_changes_and_overlapping_tables(
    payment_agent: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the triggers and exclusion constraints exist on PostgreSQL only")
    debt = _register(payment_agent, PersonFactory())
    entry = debt.entries.get()
    for statement, params in (
        ("UPDATE debts_debtentry SET amount = 1 WHERE id = %s", [entry.pk]),
        ("DELETE FROM debts_debtentry WHERE id = %s", [entry.pk]),
        ("UPDATE debts_brackettable SET t0 = 0 WHERE code = %s", ["2024"]),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)
    with pytest.raises(DatabaseError, match="no_overlap"), transaction.atomic():
        BracketTable.objects.create(
            code="overlap",
            valid_from=dt.date(2025, 12, 31),
            valid_to=dt.date(2026, 12, 31),
            for_earned=False,
            for_replacement=True,
            t0=1,
            t1=2,
            t2=3,
            t3=4,
            child_reduction=0,
            source="test",
            confidence="low",
        )


# Status and comments


def test_suspending_needs_a_reason_and_extinguishing_a_zero_balance(
    payment_agent: Any,
) -> None:
    debt = _register(payment_agent, PersonFactory())
    with pytest.raises(ValidationFailed) as refused:
        services.debt_update(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=1,
            data={"status": "extinguished"},
        )
    assert {error.code for error in refused.value.errors} == {
        "status_needs_zero_balance",
        "required",
    }
    updated = services.debt_update(
        actor=payment_agent,
        debt_id=debt.uuid,
        expected_version=1,
        data={"status": "suspended", "comment": "Opposition filed on 3 May."},
        reason="Opposition to the assignment.",
    )
    assert (updated.status, updated.version) == ("suspended", 2)
    event = AuditEvent.objects.get(action="debt.update")
    assert event.summary["changes"]["status"] == ["active", "suspended"]
    assert event.reason == "Opposition to the assignment."
    with pytest.raises(ValidationFailed):
        services.debt_update(
            actor=payment_agent,
            debt_id=debt.uuid,
            expected_version=2,
            data={"amount": 1},
        )


# Comments for colleagues


def test_a_comment_is_added_with_its_author_and_audited_without_a_new_version(
    payment_agent: Any,
) -> None:
    debt = _register(payment_agent, PersonFactory())
    first = services.debt_comment_add(
        actor=payment_agent, debt_id=debt.uuid, text="  Bailiff called.\n Waits.  "
    )
    second = services.debt_comment_add(
        actor=payment_agent, debt_id=debt.uuid, text="Correction: he calls back."
    )
    assert (first.author, first.text) == (payment_agent, "Bailiff called.\n Waits.")
    assert second.written_at >= first.written_at
    debt.refresh_from_db()
    assert debt.version == 1  # a comment never makes a colleague's form stale
    events = AuditEvent.objects.filter(action="debt.comment_add").order_by("id")
    assert [e.summary["comment"] for e in events] == [str(first.uuid), str(second.uuid)]
    assert events[0].object_id == str(debt.uuid)
    assert events[0].summary["text"] == "Bailiff called.\n Waits."
    _debt, listed = selectors.debt_comments_for_agent(
        agent=payment_agent, debt_id=debt.uuid
    )
    assert listed == [second, first]  # newest first
    assert (
        AuditEvent.objects.filter(chain="access", action="debt.comments").count() == 1
    )


@pytest.mark.parametrize(
    ("_case", "text", "code"),
    [("empty", "   ", "required"), ("too_long", "x" * 4001, "too_long")],
)
def test_refuses_an_empty_or_too_long_comment_and_writes_nothing(
    payment_agent: Any, _case: str, text: str, code: str
) -> None:
    debt = _register(payment_agent, PersonFactory())
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        services.debt_comment_add(actor=payment_agent, debt_id=debt.uuid, text=text)
    assert [(e.field, e.code) for e in refused.value.errors] == [("text", code)]
    assert _counts() == before
    assert not DebtComment.objects.exists()


def test_who_may_comment_is_who_may_work_on_the_debt(
    make_agent: Any, payment_agent: Any
) -> None:
    debt = _register(payment_agent, PersonFactory())
    reader = make_agent("payment_agent", level="D", teams=("payment-office",))
    liege = make_agent("payment_agent", teams=("payment-office-liege",))
    first_line = make_agent("first_line", level="A1", teams=("payment-office",))
    with pytest.raises(Forbidden):
        services.debt_comment_add(actor=reader, debt_id=debt.uuid, text="Seen.")
    for outsider in (liege, first_line):
        with pytest.raises(NotFound):
            services.debt_comment_add(actor=outsider, debt_id=debt.uuid, text="Hi.")
        with pytest.raises(NotFound):
            selectors.debt_comments_for_agent(agent=outsider, debt_id=debt.uuid)
    assert not DebtComment.objects.exists()
    assert not AuditEvent.objects.filter(action="debt.comment_add").exists()


def test_comments_are_never_edited_or_deleted(payment_agent: Any) -> None:
    debt = _register(payment_agent, PersonFactory())
    comment = services.debt_comment_add(
        actor=payment_agent, debt_id=debt.uuid, text="Original."
    )
    comment.text = "Rewritten."
    with pytest.raises(AppendOnlyError):
        comment.save()
    with pytest.raises(AppendOnlyError):
        comment.delete()
    with pytest.raises(AppendOnlyError):
        DebtComment.objects.filter(pk=comment.pk).update(text="x")
    with pytest.raises(AppendOnlyError):
        DebtComment.objects.filter(pk=comment.pk).delete()
    assert DebtComment.objects.get(pk=comment.pk).text == "Original."
    if connection.vendor == "postgresql":
        for statement in (
            "UPDATE debts_debtcomment SET text = 'x' WHERE id = %s",
            "DELETE FROM debts_debtcomment WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [comment.pk])


def test_the_tab_gets_each_debts_latest_two_comments_in_one_query(
    payment_agent: Any, django_assert_num_queries: Any
) -> None:
    person = PersonFactory()
    busy = _register(payment_agent, person)
    quiet = _register(payment_agent, person, creditor_name="Another")
    _register(payment_agent, person, creditor_name="Silent")
    for text in ("one", "two", "three"):
        services.debt_comment_add(actor=payment_agent, debt_id=busy.uuid, text=text)
    services.debt_comment_add(actor=payment_agent, debt_id=quiet.uuid, text="only")
    found = selectors.person_debts_for_agent(agent=payment_agent, person_id=person.uuid)
    with django_assert_num_queries(1):
        selectors._attach_latest_comments(found.debts)
    shown = {
        debt.creditor_name: ([c.text for c in debt.latest_comments], debt.comment_count)
        for debt in found.debts
    }
    assert shown == {
        "Étude Dupont, huissiers": (["three", "two"], 3),
        "Another": (["only"], 1),
        "Silent": ([], 0),
    }


# Instalment plans


def test_plans_are_for_own_claims_and_lower_the_monthly_retention(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    seizure = _register(payment_agent, person)
    with pytest.raises(ValidationFailed) as refused:
        services.instalment_plan_add(
            actor=payment_agent,
            debt_id=seizure.uuid,
            expected_version=1,
            amount="50",
            starts_on="2025-01-01",
        )
    assert refused.value.errors[0].code == "plan_only_for_recovery"
    recovery = _register(payment_agent, person, kind="recovery", principal="3000")
    services.instalment_plan_add(
        actor=payment_agent,
        debt_id=recovery.uuid,
        expected_version=1,
        amount="50",
        starts_on="2025-01-01",
        note="Agreed by phone.",
    )
    services.instalment_plan_add(
        actor=payment_agent,
        debt_id=recovery.uuid,
        expected_version=2,
        amount="75",
        starts_on="2025-06-01",
    )
    march = selectors.person_allocation_preview(
        agent=payment_agent,
        person_id=person.uuid,
        paid_on=dt.date(2025, 3, 5),
        period="2025-03",
        income=Income(replacement=D("1500")),
        children=0,
    )
    july = selectors.person_allocation_preview(
        agent=payment_agent,
        person_id=person.uuid,
        paid_on=dt.date(2025, 7, 5),
        period="2025-07",
        income=Income(replacement=D("1500")),
        children=0,
    )
    assert march.allocation.line_for(str(recovery.uuid)).amount == D("50.00")
    assert july.allocation.line_for(str(recovery.uuid)).amount == D("75.00")
    assert InstalmentPlan.objects.count() == 2


# Posting a month's allocation


def _post(agent: Any, person: Any, **fields: Any) -> services.PostingResult:
    values: dict[str, Any] = {
        "period": "2024-06",
        "paid_on": dt.date(2024, 6, 28),
        "income": Income(replacement=D("1800")),
        "children": 0,
    }
    values.update(fields)
    return services.allocation_post(actor=agent, person_id=person.uuid, **values)


def test_posting_books_each_retention_and_lowers_the_balances(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    first = _register(payment_agent, person, principal="1000", notified_on="2024-01-01")
    second = _register(payment_agent, person, principal="500", notified_on="2024-02-01")
    paid_off = _register(
        payment_agent,
        person,
        kind="maintenance",
        principal="100",
        notified_on="2024-03-01",
    )
    result = _post(payment_agent, person)
    assert result.created is True
    # 201.00 seizable; maintenance 100 counts first, 101 left shared 1000:500.
    assert [
        (e.debt_id, e.amount)
        for e in DebtEntry.objects.filter(kind="retention").order_by("debt_id")
    ] == [
        (first.pk, D("-67.33")),
        (second.pk, D("-33.67")),
        (paid_off.pk, D("-100.00")),
    ]
    assert (_balance(first), _balance(second), _balance(paid_off)) == (
        D("932.67"),
        D("466.33"),
        D("0.00"),
    )
    paid_off.refresh_from_db()
    first.refresh_from_db()
    assert (paid_off.status, first.version) == ("extinguished", 2)
    posting = result.posting
    assert (posting.period, posting.table_code, posting.to_beneficiary) == (
        "2024-06",
        "2024",
        D("1599.00"),
    )
    assert posting.result["to_beneficiary"] == "1599.00"
    assert AuditEvent.objects.filter(action="debt.allocation_post").count() == 1


def test_posting_the_same_month_twice_changes_nothing(payment_agent: Any) -> None:
    person = PersonFactory()
    _register(payment_agent, person)
    first = _post(payment_agent, person)
    before = _counts()
    again = _post(payment_agent, person)
    assert (again.created, again.posting.pk) == (False, first.posting.pk)
    assert _counts() == before
    with pytest.raises(AlreadyPosted):
        _post(payment_agent, person, income=Income(replacement=D("1900")))
    assert _counts() == before


def test_posting_skips_suspended_debts_and_advances_of_other_periods(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    suspended = _register(payment_agent, person)
    services.debt_update(
        actor=payment_agent,
        debt_id=suspended.uuid,
        expected_version=1,
        data={"status": "suspended"},
        reason="Opposition.",
    )
    other_period = _register(
        payment_agent,
        person,
        kind="subrogation",
        creditor_name="CPAS de Namur",
        period_from="2024-01-01",
        period_to="2024-03-31",
    )
    this_period = _register(
        payment_agent,
        person,
        kind="subrogation",
        creditor_name="CPAS de Namur",
        principal="300",
        period_from="2024-06-01",
        period_to="2024-06-30",
    )
    result = _post(payment_agent, person)
    booked = dict(
        DebtEntry.objects.filter(kind="retention").values_list("debt_id", "amount")
    )
    assert booked == {this_period.pk: D("-300.00")}
    assert suspended.pk not in booked
    assert other_period.pk not in booked
    assert result.posting.to_beneficiary == D("1500.00")


def test_posting_keeps_the_tables_confidence_without_any_text(
    payment_agent: Any,
) -> None:
    person = PersonFactory()
    _register(payment_agent, person, principal="1000", notified_on="2026-01-05")
    posting = _post(
        payment_agent, person, period="2026-11", paid_on=dt.date(2026, 11, 27)
    ).posting
    table = posting.result["table"]
    assert (posting.table_code, table["confidence"], table["warning"]) == (
        "2026",
        "medium",
        {"code": "confidence_medium"},
    )


def test_posting_ignores_another_offices_debts(
    make_agent: Any, payment_agent: Any
) -> None:
    person = PersonFactory()
    DebtFactory(person=person, team=TeamFactory(code="payment-office-liege"))
    result = _post(payment_agent, person)
    assert result.posting.to_beneficiary == D("1800.00")
    assert DebtEntry.objects.filter(kind="retention").count() == 0


def test_posting_without_a_table_writes_nothing(payment_agent: Any) -> None:
    person = PersonFactory()
    _register(payment_agent, person)
    before = _counts()
    with pytest.raises(NoTableInForce):
        _post(payment_agent, person, period="2027-01", paid_on=dt.date(2027, 1, 28))
    with pytest.raises(ValidationFailed) as refused:
        _post(payment_agent, person, period="2024-13")
    assert refused.value.errors[0].field == "period"
    assert _counts() == before


def test_posting_needs_the_right(make_agent: Any, payment_agent: Any) -> None:
    person = PersonFactory()
    viewer = make_agent("payment_agent", level="D", teams=("payment-office",))
    with pytest.raises(Forbidden):
        _post(viewer, person)
    assert AllocationPosting.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_posting_the_same_month_at_once_post_it_once(
    make_agent: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.debts.factories import load_shipped_tables

    load_shipped_tables()
    agent = make_agent("payment_agent", teams=("payment-office",))
    person = PersonFactory()
    debt = DebtFactory(person=person, team=agent.memberships.get().team, balance="5000")
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(_post(agent, person).created)
        except Exception as error:  # reported by the assertion below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert DebtEntry.objects.filter(debt=debt, kind="retention").count() == 1
    assert AllocationPosting.objects.count() == 1
