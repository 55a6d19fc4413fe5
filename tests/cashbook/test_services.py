"""The cash book's services: payments, refunds, closing and checking a day."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.cashbook import services
from guichet.cashbook.models import CashDay, Counter, DayStatus, Payment, Refund
from guichet.checks.ogm import check_ogm
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.core.models import AppendOnlyError
from guichet.dossiers.models import DossierEvent, DossierFee
from tests.factories import AgentFactory

COUNTED_ZERO = {"card": "0", "cash": "0", "transfer": "0"}


def codes(error: ValidationFailed) -> list[str]:
    return [item.code for item in error.errors] or [error.code]


def pay(
    clerk: Agent,
    counter: Counter,
    fee: DossierFee,
    amount: str = "20.00",
    means: str = "cash",
) -> Payment:
    return services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount=amount, means=means
    )


# ---------------------------------------------------------------- payments


def test_cash_payment_settles_the_fee_and_numbers_its_receipt(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee)

    assert payment.amount == Decimal("20.00")
    assert payment.number == 1
    assert payment.ogm == ""
    assert payment.receipt_reference == f"R-{counter.pk}-{payment.year}-000001"
    fee.refresh_from_db()
    assert fee.settled
    assert fee.paid_recorded_by == clerk
    day = CashDay.objects.get(counter=counter)
    assert day.opened_by == clerk
    assert day.status == DayStatus.OPEN
    assert AuditEvent.objects.filter(action="cashbook.payment_record").count() == 1
    assert AuditEvent.objects.filter(action="dossier.fee_paid").count() == 1
    assert DossierEvent.objects.filter(dossier=fee.dossier, kind="fee").count() == 2


def test_part_payments_settle_the_fee_only_when_covered(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    pay(clerk, counter, fee, "12.50", "card")
    fee.refresh_from_db()
    assert not fee.settled
    pay(clerk, counter, fee, "7.50", "cash")
    fee.refresh_from_db()
    assert fee.settled


def test_transfer_gets_a_valid_structured_reference(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee, means="transfer")

    assert len(payment.ogm) == 12
    assert check_ogm(payment.ogm).valid


@pytest.mark.parametrize(
    ("_case", "amount", "code"),
    [
        ("more than due", "20.01", "more_than_due"),
        ("zero", "0", "must_be_positive"),
        ("three decimals", "1.001", "too_many_decimals"),
        ("not an amount", "twenty", "not_an_amount"),
        ("missing", "", "required"),
    ],
)
def test_refuses_bad_amounts_and_changes_nothing(
    clerk: Agent, counter: Counter, fee: DossierFee, _case: str, amount: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        pay(clerk, counter, fee, amount)

    assert codes(refused.value) == [code]
    assert Payment.objects.count() == 0
    fee.refresh_from_db()
    assert not fee.settled


def test_refuses_an_unknown_means(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        pay(clerk, counter, fee, means="cheque")
    assert codes(refused.value) == ["invalid_choice"]


def test_refuses_a_fee_paid_already(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    pay(clerk, counter, fee)
    with pytest.raises(ValidationFailed) as refused:
        pay(clerk, counter, fee, "1.00")
    assert codes(refused.value) == ["fee_already_paid"]
    assert Payment.objects.count() == 1


def test_refuses_the_fee_of_an_exempted_dossier(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    DossierFee.objects.filter(pk=fee.pk).update(exemption="indigent")

    with pytest.raises(ValidationFailed) as refused:
        pay(clerk, counter, fee)

    assert codes(refused.value) == ["fee_exempted"]
    assert Payment.objects.count() == 0


def test_refuses_a_payment_on_a_closed_day(
    clerk: Agent, counter: Counter, fee_of: Callable[..., DossierFee]
) -> None:
    first = pay(clerk, counter, fee_of())
    day = first.day
    services.cash_day_close(
        actor=clerk,
        day=day,
        counted={"card": "0", "cash": "20.00", "transfer": "0"},
        expected_version=day.version,
    )

    with pytest.raises(ValidationFailed) as refused:
        pay(clerk, counter, fee_of())

    assert refused.value.code == "day_closed"
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "role", "level", "team", "error"),
    [
        ("contact center", "first_line", "C", "legalisations", NotFound),
        ("dossier handler", "dossier_handler", "B", "legalisations", NotFound),
        ("front office of another team", "front_office", "C", "visas", NotFound),
    ],
)
def test_authorisation_of_payments(
    agent_in: Callable[..., Agent],
    counter: Counter,
    fee: DossierFee,
    _case: str,
    role: str,
    level: str,
    team: str,
    error: type[Exception],
) -> None:
    agent = agent_in(role, level, team)
    with pytest.raises(error):
        pay(agent, counter, fee)
    assert Payment.objects.count() == 0


def test_a_fee_the_agent_may_not_see_is_not_found(
    clerk: Agent, counter: Counter, fee: DossierFee, teams: Any
) -> None:
    fee.dossier.person.confidential_team = teams["visas"]
    fee.dossier.person.save(update_fields=["confidential_team"])

    with pytest.raises(NotFound):
        pay(clerk, counter, fee)
    assert Payment.objects.count() == 0


def test_payments_are_append_only(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee)
    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))


# ---------------------------------------------------------------- refunds


def test_refund_gives_back_part_and_the_fee_is_due_again(
    clerk: Agent, senior_clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee)

    refund = services.refund_record(
        actor=senior_clerk, payment=payment, amount="5", reason="Paid twice the copy"
    )

    assert refund.amount == Decimal("5.00")
    assert refund.number == 2  # one series of receipts per counter and year
    fee.refresh_from_db()
    assert not fee.settled
    assert services.fee_remaining(fee) == Decimal("5.00")
    assert AuditEvent.objects.filter(action="dossier.fee_unpaid").count() == 1


def test_refuses_a_refund_above_what_remains(
    clerk: Agent, senior_clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee)
    services.refund_record(actor=senior_clerk, payment=payment, amount="15", reason="x")

    with pytest.raises(ValidationFailed) as refused:
        services.refund_record(
            actor=senior_clerk, payment=payment, amount="5.01", reason="y"
        )

    assert codes(refused.value) == ["more_than_paid"]
    assert Refund.objects.count() == 1


def test_refuses_a_refund_without_reason(
    clerk: Agent, senior_clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = pay(clerk, counter, fee)
    with pytest.raises(ValidationFailed) as refused:
        services.refund_record(
            actor=senior_clerk, payment=payment, amount="5", reason="  "
        )
    assert codes(refused.value) == ["required"]
    assert Refund.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "role", "level", "allowed"),
    [
        ("front office at level D", "front_office", "D", False),
        ("front office at level C", "front_office", "C", True),
        ("supervisor at level D", "supervisor", "D", True),
    ],
)
def test_who_may_refund(
    agent_in: Callable[..., Agent],
    clerk: Agent,
    counter: Counter,
    fee: DossierFee,
    _case: str,
    role: str,
    level: str,
    allowed: bool,
) -> None:
    payment = pay(clerk, counter, fee)
    agent = agent_in(role, level, "legalisations")
    if allowed:
        services.refund_record(actor=agent, payment=payment, amount="1", reason="r")
        assert Refund.objects.count() == 1
    else:
        with pytest.raises(Forbidden):
            services.refund_record(actor=agent, payment=payment, amount="1", reason="r")
        assert Refund.objects.count() == 0


# ---------------------------------------------------------------- the day


def _day_with_payments(
    clerk: Agent,
    senior_clerk: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> CashDay:
    pay(clerk, counter, fee_of(), "20.00", "cash")
    pay(clerk, counter, fee_of(), "20.00", "card")
    transfer = pay(clerk, counter, fee_of(), "20.00", "transfer")
    services.refund_record(
        actor=senior_clerk, payment=transfer, amount="20", reason="r"
    )
    return CashDay.objects.get(counter=counter)


def test_closes_a_balanced_day(
    clerk: Agent,
    senior_clerk: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    day = _day_with_payments(clerk, senior_clerk, counter, fee_of)

    closed = services.cash_day_close(
        actor=clerk,
        day=day,
        counted={"card": "20", "cash": "20,00", "transfer": "0"},
        expected_version=day.version,
    )

    assert closed.status == DayStatus.CLOSED
    assert closed.closed_by == clerk
    assert (closed.expected_card, closed.expected_cash, closed.expected_transfer) == (
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("0.00"),
    )
    assert closed.difference == Decimal("0.00")
    assert closed.balanced is True


def test_an_unbalanced_day_needs_a_supervisor(
    clerk: Agent,
    senior_clerk: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    day = _day_with_payments(clerk, senior_clerk, counter, fee_of)

    with pytest.raises(ValidationFailed) as refused:
        services.cash_day_close(
            actor=clerk,
            day=day,
            counted={"card": "20", "cash": "15", "transfer": "0"},
            expected_version=day.version,
            supervisor_note="I wrote a note myself",
        )

    assert refused.value.code == "difference_needs_supervisor"
    assert "-5.00" in refused.value.text
    day.refresh_from_db()
    assert day.status == DayStatus.OPEN


def test_compensating_differences_do_not_balance(
    clerk: Agent,
    chief: Agent,
    senior_clerk: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    day = _day_with_payments(clerk, senior_clerk, counter, fee_of)
    with pytest.raises(ValidationFailed) as refused:
        services.cash_day_close(
            actor=chief,
            day=day,
            counted={"card": "15", "cash": "25", "transfer": "0"},
            expected_version=day.version,
        )
    assert codes(refused.value) == ["difference_needs_supervisor_note"]


def test_a_supervisor_closes_an_unbalanced_day_with_a_note_and_another_checks_it(
    clerk: Agent,
    senior_clerk: Agent,
    chief: Agent,
    deputy: Agent,
    counter: Counter,
    fee_of: Callable[..., DossierFee],
) -> None:
    day = _day_with_payments(clerk, senior_clerk, counter, fee_of)

    closed = services.cash_day_close(
        actor=chief,
        day=day,
        counted={"card": "20", "cash": "15", "transfer": "0"},
        expected_version=day.version,
        supervisor_note="Five euros short; change given twice, see camera.",
    )
    assert closed.difference == Decimal("-5.00")
    assert closed.balanced is False
    assert closed.difference_note.startswith("Five euros")

    with pytest.raises(ValidationFailed) as refused:
        services.cash_day_check(
            actor=chief, day=closed, expected_version=closed.version
        )
    assert refused.value.code == "check_by_closer"

    checked = services.cash_day_check(
        actor=deputy, day=closed, expected_version=closed.version, note="Seen."
    )
    assert checked.status == DayStatus.CHECKED
    assert checked.checked_by == deputy

    with pytest.raises(ValidationFailed) as again:
        services.cash_day_close(
            actor=chief,
            day=checked,
            counted=COUNTED_ZERO,
            expected_version=checked.version,
        )
    assert again.value.code == "day_closed"


def test_a_stale_close_is_refused(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    day = pay(clerk, counter, fee).day
    with pytest.raises(StaleVersion):
        services.cash_day_close(
            actor=clerk,
            day=day,
            counted={"card": "0", "cash": "20", "transfer": "0"},
            expected_version=day.version + 1,
        )
    day.refresh_from_db()
    assert day.status == DayStatus.OPEN


def test_front_office_may_not_check(
    clerk: Agent, senior_clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    day = pay(clerk, counter, fee).day
    closed = services.cash_day_close(
        actor=clerk,
        day=day,
        counted={"card": "0", "cash": "20", "transfer": "0"},
        expected_version=day.version,
    )
    with pytest.raises(Forbidden):
        services.cash_day_check(
            actor=senior_clerk, day=closed, expected_version=closed.version
        )


def test_counts_are_required(clerk: Agent, counter: Counter, fee: DossierFee) -> None:
    day = pay(clerk, counter, fee).day
    with pytest.raises(ValidationFailed) as refused:
        services.cash_day_close(
            actor=clerk, day=day, counted={"cash": "20"}, expected_version=day.version
        )
    assert sorted(item.field for item in refused.value.errors) == [
        "counted_card",
        "counted_transfer",
    ]


def test_counter_for_another_team_is_refused(chief: Agent, teams: Any) -> None:
    with pytest.raises(NotFound):
        services.counter_create(actor=chief, team=teams["visas"], code="x", name="X")
    other = AgentFactory(
        roles=["front_office"], level="C", teams=[teams["legalisations"]]
    )
    with pytest.raises(Forbidden):
        services.counter_create(
            actor=other, team=teams["legalisations"], code="x", name="X"
        )
