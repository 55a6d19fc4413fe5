"""Reading raw input (JSON files, command-line options, API bodies) into typed values.

Pure: each reader returns the clean value or records a `FieldError` naming the
field (`claims[2].balance`), so the command line and the API refuse bad input with
the same codes and messages, all problems at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.core import validation
from guichet.core.errors import ValidationFailed
from guichet.core.money import parse_amount
from guichet.core.validation import choice

from .allocation import Claim, ClaimKind
from .errors import Code
from .garnishment import Income

# Above what any monthly income or debt can be; also what the database columns hold.
MAX_AMOUNT = Decimal("9999999999.99")
MAX_CHILDREN = 99
T = TypeVar("T")
_PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


NOTHING_DONE = _("Some values are not valid; nothing was done.")


@dataclass
class Problems(validation.Problems):
    """The shared collector; the calculator and the command line write nothing,
    so their refusal says "nothing was done"."""

    message: str | Promise = NOTHING_DONE


def amount(
    problems: Problems,
    name: str,
    raw: object,
    *,
    required: bool = True,
    signed: bool = False,
) -> Decimal | None:
    """A euro amount with at most two decimals; negative only when `signed`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            problems.add(name, Code.REQUIRED, _("This field is required."))
        return None
    negative = False
    if isinstance(raw, str) and signed and raw.strip().startswith("-"):
        negative, raw = True, raw.strip()[1:]
    value: Decimal | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        # The shortest text that reads back as this float: what the sender wrote.
        value = _decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        if text.startswith("-"):
            problems.add(
                name, Code.NEGATIVE_AMOUNT, _("An amount cannot be negative here.")
            )
            return None
        try:
            value = parse_amount(text)
        except ValueError as error:
            if "decimals" in str(error):
                problems.add(
                    name,
                    Code.TOO_MANY_DECIMALS,
                    _("An amount has at most two decimals (cents)."),
                )
                return None
            value = None
    if value is None or not value.is_finite():
        problems.add(
            name,
            Code.NOT_AN_AMOUNT,
            _("Give an amount in euros, such as 1234.56."),
        )
        return None
    if negative:
        value = -value
    if value < 0 and not signed:
        problems.add(
            name, Code.NEGATIVE_AMOUNT, _("An amount cannot be negative here.")
        )
        return None
    exponent = value.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -2
        and value != value.quantize(Decimal("0.01"))
    ):
        problems.add(
            name,
            Code.TOO_MANY_DECIMALS,
            _("An amount has at most two decimals (cents)."),
        )
        return None
    if abs(value) > MAX_AMOUNT:
        problems.add(
            name,
            Code.AMOUNT_TOO_LARGE,
            _("This amount is too large (at most %(max)s)."),
            max=str(MAX_AMOUNT),
        )
        return None
    return value.quantize(Decimal("0.01"))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def present(value: T | None) -> T:
    """A value validation vouched for: only called after `raise_if_any`."""
    if value is None:  # pragma: no cover - a reader returned None without an error
        raise RuntimeError("a validated value is missing")
    return value


def date(
    problems: Problems, name: str, raw: object, *, required: bool = True
) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD."""
    if raw is None or raw == "":
        if required:
            problems.add(name, Code.REQUIRED, _("This field is required."))
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw.strip()
    ):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    problems.add(name, Code.NOT_A_DATE, _("Give a date as YYYY-MM-DD."))
    return None


def count(
    problems: Problems, name: str, raw: object, *, required: bool = True
) -> int | None:
    """A whole number from 0 to 99 (dependent children)."""
    if raw is None or raw == "":
        if required:
            problems.add(name, Code.REQUIRED, _("This field is required."))
        return None
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None or not 0 <= value <= MAX_CHILDREN:
        problems.add(
            name,
            Code.NOT_A_COUNT,
            _("Give a whole number from 0 to %(max)d."),
            max=MAX_CHILDREN,
        )
        return None
    return value


def boolean(problems: Problems, name: str, raw: object) -> bool:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    problems.add(name, Code.NOT_A_BOOLEAN, _("Give true or false."))
    return False


def period(problems: Problems, name: str, raw: object) -> str | None:
    """A month as YYYY-MM."""
    if not isinstance(raw, str) or not _PERIOD.match(raw.strip()):
        problems.add(name, Code.INVALID_PERIOD, _("Give a month as YYYY-MM."))
        return None
    return raw.strip()


def unknown_fields(
    problems: Problems, data: Mapping[str, object], allowed: set[str], prefix: str = ""
) -> None:
    for key in sorted(set(data) - allowed):
        problems.add(
            f"{prefix}{key}", Code.UNKNOWN_FIELD, _("This field is not allowed here.")
        )


def _blank(raw: object) -> bool:
    """No value given: absent, or an empty text (an empty form field, `--earned ""`)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def income(problems: Problems, earned: object, replacement: object) -> Income | None:
    clean_earned = amount(problems, "earned", earned, required=False)
    clean_replacement = amount(problems, "replacement", replacement, required=False)
    if _blank(earned) and _blank(replacement):
        problems.add(
            "earned",
            Code.NO_INCOME,
            _("Give the earned income, the replacement income, or both."),
        )
        return None
    if (not _blank(earned) and clean_earned is None) or (
        not _blank(replacement) and clean_replacement is None
    ):
        return None
    return Income(earned=clean_earned, replacement=clean_replacement)


@dataclass(frozen=True)
class ComputeRequest:
    on: dt.date
    income: Income
    children: int
    maintenance: bool


@dataclass(frozen=True)
class CaseRequest:
    on: dt.date
    income: Income
    children: int
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class PaymentRequest:
    paid_on: dt.date
    period: str
    income: Income
    children: int


COMPUTE_FIELDS = {"on", "earned", "replacement", "children", "maintenance"}
CASE_FIELDS = {"on", "earned", "replacement", "children", "claims"}
CLAIM_FIELDS = {"id", "kind", "notified_on", "balance", "fraud"}


def compute_request(data: Mapping[str, object]) -> ComputeRequest:
    """The garnishment question: a date, an income, children, maintenance or not."""
    problems = Problems()
    unknown_fields(problems, data, COMPUTE_FIELDS)
    on = date(problems, "on", data.get("on"))
    clean_income = income(problems, data.get("earned"), data.get("replacement"))
    children = count(problems, "children", data.get("children", 0))
    maintenance = boolean(problems, "maintenance", data.get("maintenance"))
    problems.raise_if_any()
    return ComputeRequest(
        on=present(on),
        income=present(clean_income),
        children=present(children),
        maintenance=maintenance,
    )


def case_request(data: object) -> CaseRequest:
    """A month's allocation case: the income, the children and the claims."""
    problems = Problems()
    if not isinstance(data, Mapping):
        problems.add("body", Code.NOT_AN_OBJECT, _("Give a JSON object."))
        raise ValidationFailed(
            _("Some values are not valid; nothing was done."), errors=problems.errors
        )
    unknown_fields(problems, data, CASE_FIELDS)
    on = date(problems, "on", data.get("on"))
    clean_income = income(problems, data.get("earned"), data.get("replacement"))
    children = count(problems, "children", data.get("children"))
    raw_claims = data.get("claims")
    claims: list[Claim] = []
    if not isinstance(raw_claims, list):
        if raw_claims is None:
            problems.add("claims", Code.REQUIRED, _("This field is required."))
        else:
            problems.add("claims", Code.NOT_A_LIST, _("Give a list."))
    else:
        seen: set[object] = set()
        for index, raw in enumerate(raw_claims):
            claim = _claim(problems, f"claims[{index}]", raw, on=on, seen=seen)
            if claim is not None:
                claims.append(claim)
    problems.raise_if_any()
    return CaseRequest(
        on=present(on),
        income=present(clean_income),
        children=present(children),
        claims=tuple(claims),
    )


def _claim(
    problems: Problems,
    prefix: str,
    raw: object,
    *,
    on: dt.date | None,
    seen: set[object],
) -> Claim | None:
    if not isinstance(raw, Mapping):
        problems.add(prefix, Code.NOT_AN_OBJECT, _("Give a JSON object."))
        return None
    before = len(problems.errors)
    unknown_fields(problems, raw, CLAIM_FIELDS, prefix=f"{prefix}.")
    claim_id = raw.get("id")
    if claim_id is None or claim_id == "":
        problems.add(f"{prefix}.id", Code.REQUIRED, _("This field is required."))
    elif isinstance(claim_id, bool) or not isinstance(claim_id, str | int):
        problems.add(
            f"{prefix}.id",
            Code.INVALID_ID,
            _("Give an identifier: a text or a number."),
        )
    elif claim_id in seen:
        problems.add(
            f"{prefix}.id",
            Code.DUPLICATE_ID,
            _("Another claim already has this identifier."),
        )
    else:
        seen.add(claim_id)
    kind = choice(problems, f"{prefix}.kind", raw.get("kind"), list(ClaimKind))
    notified_on = date(problems, f"{prefix}.notified_on", raw.get("notified_on"))
    if notified_on is not None and on is not None and notified_on > on:
        problems.add(
            f"{prefix}.notified_on",
            Code.DATE_AFTER_PAYMENT,
            _("This claim was notified after the payment date: it cannot apply yet."),
        )
    balance = amount(problems, f"{prefix}.balance", raw.get("balance"))
    fraud = boolean(problems, f"{prefix}.fraud", raw.get("fraud"))
    if fraud and kind is not None and kind != ClaimKind.RECOVERY:
        problems.add(
            f"{prefix}.fraud",
            Code.FRAUD_ONLY_RECOVERY,
            _("Only a recovery of benefits paid unduly can be marked as fraud."),
        )
    if len(problems.errors) != before or not isinstance(claim_id, str | int):
        return None
    return Claim(
        id=claim_id,
        kind=ClaimKind(present(kind)),
        notified_on=present(notified_on),
        balance=present(balance),
        fraud=fraud,
    )


def payment_request(
    data: Mapping[str, object], *, period_required: bool = False
) -> PaymentRequest:
    """A payment to preview or post: its date, its month (default: that of the date,
    unless `period_required`), the income paid and the dependent children."""
    problems = Problems()
    paid_on = date(problems, "paid_on", data.get("paid_on"))
    raw_period = data.get("period")
    if period_required and raw_period in (None, ""):
        period(problems, "period", raw_period)
    elif raw_period in (None, "") and paid_on is not None:
        raw_period = paid_on.strftime("%Y-%m")
    clean_period = (
        None if raw_period in (None, "") else period(problems, "period", raw_period)
    )
    clean_income = income(problems, data.get("earned"), data.get("replacement"))
    children = count(problems, "children", data.get("children", 0))
    problems.raise_if_any()
    return PaymentRequest(
        paid_on=present(paid_on),
        period=present(clean_period),
        income=present(clean_income),
        children=present(children),
    )
