"""Every write of the cash book.

Each service checks the policy (a counter, day or payment the agent may not see is
`NotFound`), validates all of its input, and writes in one transaction with its
audit record; bad input changes nothing.

Lock order, the same in every service: the cash-book day, then the dossier's fee
(`dossiers.fees.fee_locked`), then the payment refunded, then the counter's receipt
numbering. Payments and refunds are taken only on the counter's day of today, and
never once that day is closed; a closed day is never reopened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.cashbook import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record
from guichet.checks.ogm import check_digits, check_ogm
from guichet.core import clock
from guichet.core.errors import NotFound, ValidationFailed
from guichet.core.money import parse_amount, quantize
from guichet.core.numbering import next_in_series
from guichet.core.validation import Problems, choice, text
from guichet.core.versioning import check_version, versioned_update
from guichet.dossiers.fees import fee_locked, fee_settle, fee_unsettle
from guichet.dossiers.models import DossierFee

from . import totals
from .errors import Code
from .models import (
    CashDay,
    Counter,
    DayStatus,
    Means,
    Payment,
    ReceiptNumbering,
    Refund,
)

AMOUNT_MAX = Decimal("999999.99")
REASON_MAX = 500
NOTE_MAX = 2000


# ---------------------------------------------------------------- helpers


def _no_counter() -> NotFound:
    return NotFound(_("There is no such counter."))


def _require(actor: Agent, action: str, obj: Any) -> None:
    """The object must be seen (else it does not exist) and the action allowed."""
    if not policy.may(actor, Action.CASHBOOK_VIEW, obj):
        raise _no_counter()
    policy.require(actor, action, obj)


def amount_field(
    problems: Problems, field_name: str, value: object, *, required: bool = True
) -> Decimal | None:
    """A positive amount in euros with at most two decimals, quantised."""
    if isinstance(value, Decimal):
        raw = format(value, "f")
    elif isinstance(value, int) and not isinstance(value, bool):
        raw = str(value)
    elif isinstance(value, str):
        raw = value
    else:
        raw = ""
    if not raw.strip():
        if required:
            problems.add(field_name, Code.REQUIRED, _("This field is required."))
        return None
    try:
        amount = parse_amount(raw)
    except ValueError as error:
        if "decimals" in str(error):
            problems.add(
                field_name,
                Code.TOO_MANY_DECIMALS,
                _("An amount has at most two decimals (cents)."),
            )
        else:
            problems.add(
                field_name,
                Code.NOT_AN_AMOUNT,
                _("Give an amount in euros, such as 20.00 or 20,00."),
            )
        return None
    if amount > AMOUNT_MAX:
        problems.add(
            field_name,
            Code.AMOUNT_TOO_LARGE,
            _("At most %(max)s euros."),
            max=str(AMOUNT_MAX),
        )
        return None
    return quantize(amount)


def _positive(problems: Problems, field_name: str, value: object) -> Decimal | None:
    amount = amount_field(problems, field_name, value)
    if amount is not None and amount <= 0:
        problems.add(field_name, Code.NOT_POSITIVE, _("The amount must be above zero."))
        return None
    return amount


def _next_number(counter: Counter, year: int) -> int:
    """The next receipt number of a counter's year, gap-free (`core.numbering`)."""
    return next_in_series(ReceiptNumbering, counter=counter, year=year)


def transfer_reference(counter: Counter, year: int, number: int) -> str:
    """The 12-digit structured reference (OGM) of a transfer's receipt: the year
    (2 digits), the counter (3) and the receipt number (5), then the check digits
    (remainder modulo 97, 97 for 0: docs/sources.md §2.3, Febelfin standard),
    verified once more by `checks.check_ogm` before it is stored."""
    ten = f"{year % 100:02d}{counter.pk % 1000:03d}{number % 100_000:05d}"
    reference = ten + check_digits(ten)
    result = check_ogm(reference)
    if not result.valid:  # pragma: no cover - check_digits and check_ogm agree
        raise ValidationFailed(
            _("The structured reference could not be made."), code=Code.INVALID_OGM
        )
    return result.normalized


def _today_locked(actor: Agent, counter: Counter) -> CashDay:
    """Today's day of the counter, opened by this agent if it is the first
    payment of the day, locked; a closed day refuses."""
    today = clock.today()
    day = CashDay.objects.select_for_update().filter(counter=counter, day=today).first()
    if day is None:
        try:
            with transaction.atomic():
                CashDay.objects.create(counter=counter, day=today, opened_by=actor)
        except IntegrityError:
            pass  # opened a moment ago by a colleague at the same counter
        day = CashDay.objects.select_for_update().get(counter=counter, day=today)
        if day.opened_by_id == actor.pk:
            audit_record(actor=actor, action="cashbook.day_open", obj=day)
    if day.status != DayStatus.OPEN:
        raise ValidationFailed(
            _("The counter's day is closed: no payment or refund can be added."),
            code=Code.DAY_CLOSED,
        )
    return day


def _paid_and_refunded(fee: DossierFee) -> tuple[Decimal, Decimal]:
    paid = Payment.objects.filter(fee=fee).aggregate(s=Sum("amount"))["s"]
    refunded = Refund.objects.filter(payment__fee=fee).aggregate(s=Sum("amount"))["s"]
    return paid or totals.ZERO, refunded or totals.ZERO


def fee_remaining(fee: DossierFee) -> Decimal:
    """What is still due on the fee, after the cash book's payments and refunds."""
    paid, refunded = _paid_and_refunded(fee)
    return totals.remaining_due(fee.amount, [paid], [refunded])


# ---------------------------------------------------------------- counters


def counter_create(*, actor: Agent, team: Team, code: str, name: str) -> Counter:
    """A new till of a team (its supervisor sets it up)."""
    policy.require(actor, Action.COUNTER_CREATE)
    problems = Problems()
    if team.pk not in actor.team_ids:
        raise NotFound(_("There is no such team."))
    clean_code = text(problems, "code", code, required=True, max_length=32)
    clean_name = text(problems, "name", name, required=True, max_length=120)
    if clean_code and Counter.objects.filter(team=team, code=clean_code).exists():
        problems.add(
            "code", Code.CODE_TAKEN, _("This team has a counter with this code.")
        )
    problems.raise_if_any()
    with transaction.atomic():
        counter = Counter.objects.create(team=team, code=clean_code, name=clean_name)
        audit_record(actor=actor, action="cashbook.counter_create", obj=counter)
    return counter


# ---------------------------------------------------------------- payments


def payment_record(
    *, actor: Agent, counter: Counter, fee: DossierFee, amount: object, means: object
) -> Payment:
    """Take a payment of a dossier's fee at a counter, and number its receipt.

    Refused: a fee of an exempted dossier, a fee already paid, more than what
    remains due, a closed day. The payment that covers the fee marks it settled
    (`dossiers.fees.fee_settle`), which the `fee_paid` guard reads.
    """
    _require(actor, Action.PAYMENT_RECORD, counter)
    problems = Problems()
    value = _positive(problems, "amount", amount)
    chosen = choice(problems, "means", means, Means.values)
    problems.raise_if_any()
    assert value is not None  # noqa: S101 - checked above
    assert chosen is not None  # noqa: S101 - checked above
    with transaction.atomic():
        day = _today_locked(actor, counter)
        locked = fee_locked(agent=actor, fee_id=fee.pk)
        if locked.exemption:
            problems.add(
                "fee", Code.FEE_EXEMPTED, _("The dossier is exempted from this fee.")
            )
            problems.raise_if_any()
        remaining = fee_remaining(locked)
        if locked.paid_at is not None or remaining <= 0:
            problems.add("fee", Code.FEE_ALREADY_PAID, _("The fee is paid already."))
            problems.raise_if_any()
        if value > remaining:
            problems.add(
                "amount",
                Code.MORE_THAN_DUE,
                _("Only %(remaining)s euros remain due on this fee."),
                remaining=f"{remaining:.2f}",
            )
            problems.raise_if_any()
        now = clock.now()
        year = day.day.year
        number = _next_number(counter, year)
        payment = Payment.objects.create(
            day=day,
            counter=counter,
            fee=locked,
            amount=value,
            currency=locked.currency,
            means=chosen,
            ogm=transfer_reference(counter, year, number)
            if chosen == Means.TRANSFER
            else "",
            year=year,
            number=number,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="cashbook.payment_record",
            obj=payment,
            summary={
                "amount": str(value),
                "means": chosen,
                "receipt": payment.receipt_reference,
                "fee": locked.pk,
            },
        )
        if value == remaining:
            fee_settle(actor=actor, fee=locked, paid_at=now)
    return payment


def refund_record(
    *, actor: Agent, payment: Payment, amount: object, reason: object
) -> Refund:
    """Give money back on a payment, with its reason, at the payment's counter,
    on today's open day; never more than what remains of the payment."""
    _require(actor, Action.REFUND_RECORD, payment)
    problems = Problems()
    value = _positive(problems, "amount", amount)
    clean_reason = text(
        problems, "reason", reason, required=True, max_length=REASON_MAX, multiline=True
    )
    problems.raise_if_any()
    assert value is not None  # noqa: S101 - checked above
    counter = payment.counter
    with transaction.atomic():
        day = _today_locked(actor, counter)
        fee = fee_locked(agent=actor, fee_id=payment.fee_id)
        refunded = Refund.objects.filter(payment=payment).values_list(
            "amount", flat=True
        )
        left = totals.refundable(payment.amount, refunded)
        if value > left:
            problems.add(
                "amount",
                Code.MORE_THAN_PAID,
                _("At most %(left)s euros can still be given back on this payment."),
                left=f"{left:.2f}",
            )
            problems.raise_if_any()
        year = day.day.year
        refund = Refund.objects.create(
            payment=payment,
            day=day,
            counter=counter,
            amount=value,
            reason=clean_reason,
            year=year,
            number=_next_number(counter, year),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="cashbook.refund_record",
            obj=refund,
            summary={
                "amount": str(value),
                "payment": payment.receipt_reference,
                "receipt": refund.receipt_reference,
            },
            reason=clean_reason,
        )
        if fee_remaining(fee) > 0:
            fee_unsettle(actor=actor, fee=fee, reason=clean_reason)
    return refund


# ---------------------------------------------------------------- the day


@dataclass(frozen=True)
class DayFigures:
    """What a day should hold per means, from its payments and refunds."""

    expected: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return quantize(sum(self.expected.values(), totals.ZERO))


def day_figures(day: CashDay) -> DayFigures:
    payments = Payment.objects.filter(day=day).values_list("means", "amount")
    refunds = Refund.objects.filter(day=day).values_list("payment__means", "amount")
    return DayFigures(expected=totals.expected_by_means(payments, refunds))


def counted_amounts(
    problems: Problems, counted: Mapping[str, object]
) -> dict[str, Decimal]:
    """The amounts counted per means (every one required; zero allowed)."""
    values: dict[str, Decimal] = {}
    for means in totals.MEANS:
        amount = amount_field(problems, f"counted_{means}", counted.get(means))
        if amount is not None:
            values[means] = amount
    return values


def cash_day_close(
    *,
    actor: Agent,
    day: CashDay,
    counted: Mapping[str, object],
    expected_version: int,
    supervisor_note: object = "",
) -> CashDay:
    """Close a counter's day: the counted amounts per means against the expected
    ones, signed by the closing agent. A day that does not balance is closed only
    with a supervisor's note, so only by a supervisor; otherwise refused, nothing
    changed."""
    _require(actor, Action.CASH_DAY_CLOSE, day)
    problems = Problems()
    values = counted_amounts(problems, counted)
    note = text(
        problems,
        "supervisor_note",
        supervisor_note,
        required=False,
        max_length=NOTE_MAX,
        multiline=True,
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = CashDay.objects.select_for_update().get(pk=day.pk)
        check_version(locked, expected_version)
        if locked.status != DayStatus.OPEN:
            raise ValidationFailed(
                _("This day is closed already; a closed day is never reopened."),
                code=Code.DAY_CLOSED,
            )
        figures = day_figures(locked)
        per_means, total = totals.differences(values, figures.expected)
        balanced = totals.balances(per_means)
        if not balanced:
            if not policy.may(actor, Action.CASH_DAY_CHECK, locked):
                raise ValidationFailed(
                    _(
                        "The counted amounts differ from the expected ones by "
                        "%(difference)s euros: a supervisor must close this day "
                        "with a note."
                    ),
                    code=Code.DIFFERENCE_NEEDS_SUPERVISOR,
                    params={"difference": f"{total:.2f}"},
                )
            if not note:
                problems.add(
                    "supervisor_note",
                    Code.DIFFERENCE_NEEDS_NOTE,
                    _(
                        "The counted amounts differ from the expected ones by "
                        "%(difference)s euros: say why in the supervisor's note."
                    ),
                    difference=f"{total:.2f}",
                )
                problems.raise_if_any()
        versioned_update(
            locked,
            expected_version=expected_version,
            status=DayStatus.CLOSED,
            closed_by=actor,
            closed_at=clock.now(),
            expected_card=figures.expected[Means.CARD],
            expected_cash=figures.expected[Means.CASH],
            expected_transfer=figures.expected[Means.TRANSFER],
            counted_card=values[Means.CARD],
            counted_cash=values[Means.CASH],
            counted_transfer=values[Means.TRANSFER],
            difference=total,
            balanced=balanced,
            difference_note=note if not balanced else "",
        )
        audit_record(
            actor=actor,
            action="cashbook.day_close",
            obj=locked,
            summary={
                "expected": {k: str(v) for k, v in figures.expected.items()},
                "counted": {k: str(v) for k, v in values.items()},
                "difference": str(total),
            },
            reason=note if not balanced else "",
        )
    return locked


def cash_day_check(
    *, actor: Agent, day: CashDay, expected_version: int, note: object = ""
) -> CashDay:
    """A supervisor checks a closed day (never the agent who closed it); once
    checked, the day is final."""
    _require(actor, Action.CASH_DAY_CHECK, day)
    problems = Problems()
    clean = text(
        problems, "note", note, required=False, max_length=NOTE_MAX, multiline=True
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = CashDay.objects.select_for_update().get(pk=day.pk)
        check_version(locked, expected_version)
        if locked.status != DayStatus.CLOSED:
            raise ValidationFailed(
                _("Only a closed day that is not checked yet can be checked."),
                code=Code.DAY_NOT_CLOSED,
            )
        if locked.closed_by_id == actor.pk:
            raise ValidationFailed(
                _("Another supervisor must check a day you closed yourself."),
                code=Code.CHECK_BY_CLOSER,
            )
        versioned_update(
            locked,
            expected_version=expected_version,
            status=DayStatus.CHECKED,
            checked_by=actor,
            checked_at=clock.now(),
            check_note=clean,
        )
        audit_record(actor=actor, action="cashbook.day_check", obj=locked, reason=clean)
    return locked
