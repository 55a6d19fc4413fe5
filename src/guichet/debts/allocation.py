"""One month's income shared among creditors in their legal order. Pure.

The order, and why (docs/sources.md §1.5-1.8):

1. **Maintenance** (art. 1412 C.jud.): first, before every other seizure and
   assignment, on the whole income if needed (gerechtsdeurwaarders.be, Securex
   "concours de saisies et de cessions"). Between several maintenance claims the
   general rule of §1.6 applies: the earlier notice first.
2. **Seizures and assignments** share the ordinary seizable part (art. 1409, with
   the child reduction). What maintenance took counts against that part first:
   ordinary creditors get `max(0, seizable - maintenance)`. Source: Securex, "Un
   concours de saisies et de cessions" (11 Jan 2024): against a maintenance seizure
   the assignment "n'interviendra alors qu'après exécution complète de la saisie
   privilégiée", so both draw on the same seizable part, maintenance first; only
   maintenance may go beyond it (art. 1412). Within that part (§1.6):
   - an assignment notified *strictly before* the first seizure is paid first, in
     order of notice (a tie with a seizure's date is not "before": it competes);
   - the first seizure, every later seizure and every assignment notified on or
     after it share what is left pro rata to their balances (an assignment after a
     seizure "counts as an ordinary seizure").
   Privileged seizures (tax, social security) are not modelled: no claim kind.
3. **Subrogation** of a social welfare centre (CPAS/OCMW) for its advances
   (art. 99 §2 organic law on CPAS of 8 July 1976; §1.8): the centre takes the
   beneficiary's place for the payment of the period it advanced, by derogation
   from art. 1410, so it is not held to the seizable part: it takes what the
   claims above left of the income, up to its balance. It comes after them because
   the centre acquires the beneficiary's rights as they stand (already seized), and
   the caller lists only subrogations whose period the payment covers.
4. **Recovery** of unduly paid benefits by the paying body (art. 1410 §4; §1.7): at
   most `rates.ordinary` (10 %, "10 pct. van iedere latere prestatie") of each
   benefit payment, that is of the replacement income paid this month (wages are
   not a "prestatie"), or `rates.fraud` when the claim is marked as fraud (a
   setting, see settings.py). The caps limit the body's total retention on this
   payment, across its recovery claims in order of notice. An instalment plan can
   lower the monthly amount, never raise it above the cap. It is served last so
   that it never reduces what the claims above may take (old art. 1298 C.civ.:
   set-off does not prejudice a seizing creditor).

Every claim gets at most its balance; what is left goes to the beneficiary, so the
lines and `to_beneficiary` always add up to the income. Amounts are computed in
whole cents: a legal cap is rounded down (never exceeded), and pro-rata shares use
the largest-remainder method (floor every share, then one more cent to the largest
remainders, ties to the earlier notice, then to the order given), so they add up
exactly and none exceeds its balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .explain import Explanation, Percent
from .garnishment import Garnishment

ClaimId = str | int


class ClaimKind(StrEnum):
    MAINTENANCE = "maintenance"
    SEIZURE = "seizure"
    ASSIGNMENT = "assignment"
    SUBROGATION = "subrogation"
    RECOVERY = "recovery"


class Group(StrEnum):
    """Where a claim stands in the order of service."""

    MAINTENANCE = "maintenance"
    ASSIGNMENT_FIRST = "assignment_first"
    PRO_RATA = "pro_rata"
    SUBROGATION = "subrogation"
    RECOVERY = "recovery"


class Limit(StrEnum):
    """What decided a claim's amount this month."""

    BALANCE = "balance"  # its whole remaining balance
    SEIZABLE = "seizable_part"  # the seizable part was used up before it
    PRO_RATA = "pro_rata_share"  # its share of the seizable part
    INCOME = "income"  # nothing else was left of the income
    LEGAL_CAP = "legal_cap"  # the 10 % (or fraud) limit of art. 1410 §4
    INSTALMENT = "instalment"  # the instalment plan's monthly amount
    NO_BENEFIT = "no_benefit"  # recovery, but no benefit paid this month


@dataclass(frozen=True)
class Claim:
    id: ClaimId
    kind: ClaimKind
    notified_on: dt.date
    balance: Decimal
    fraud: bool = False
    limit: Decimal | None = None  # recovery only: the instalment plan's amount

    def __post_init__(self) -> None:
        if self.balance < 0 or _cents(self.balance) != self.balance * 100:
            raise ValueError(f"claim {self.id}: balance must be whole cents >= 0")
        if self.fraud and self.kind is not ClaimKind.RECOVERY:
            raise ValueError(f"claim {self.id}: only a recovery can be marked fraud")
        if self.limit is not None and self.kind is not ClaimKind.RECOVERY:
            raise ValueError(f"claim {self.id}: only a recovery has an instalment")
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"claim {self.id}: negative instalment")


@dataclass(frozen=True)
class RecoveryRates:
    ordinary: Decimal  # art. 1410 §4 al. 1: 10 %
    fraud: Decimal  # art. 1410 §4 al. 9 as applied by famipedia CO 1319: 100 %

    def __post_init__(self) -> None:
        for rate in (self.ordinary, self.fraud):
            if not Decimal(0) <= rate <= Decimal(1):
                raise ValueError(f"a recovery rate is between 0 and 1, not {rate}")


@dataclass(frozen=True)
class Line:
    claim: Claim
    rank: int
    group: Group
    amount: Decimal
    limited_by: Limit
    explanations: tuple[Explanation, ...]

    @property
    def reason(self) -> str:
        return self.explanations[0].code

    @property
    def balance_after(self) -> Decimal:
        return self.claim.balance - self.amount


@dataclass(frozen=True)
class Allocation:
    garnishment: Garnishment  # the ordinary seizable part of this income
    lines: tuple[Line, ...]  # in the order the claims were given
    to_beneficiary: Decimal
    maintenance_taken: Decimal
    ordinary_available: Decimal  # seizable part left for seizures and assignments
    ordinary_taken: Decimal
    recovery_base: Decimal  # the benefit payment the recovery percentage applies to
    notes: tuple[Explanation, ...]

    @property
    def income(self) -> Decimal:
        return self.garnishment.income.total

    def line_for(self, claim_id: ClaimId) -> Line:
        for line in self.lines:
            if line.claim.id == claim_id:
                return line
        raise KeyError(claim_id)


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _floor_rate(base_cents: int, rate: Decimal) -> int:
    """`base x rate` in whole cents, rounded down: a legal maximum is never exceeded."""
    numerator, denominator = rate.as_integer_ratio()
    return base_cents * numerator // denominator


def pro_rata(pool: int, balances: Sequence[int]) -> list[int]:
    """Share `pool` cents in proportion to `balances`, by largest remainder.

    Ties between equal remainders go to the earlier position. When the pool covers
    every balance, each gets its balance. The shares add up to
    `min(pool, sum(balances))` and none exceeds its balance.
    """
    owed = sum(balances)
    if pool >= owed:
        return list(balances)
    shares = [pool * balance // owed for balance in balances]
    remainders = [pool * balance % owed for balance in balances]
    left = pool - sum(shares)
    order = sorted(range(len(balances)), key=lambda index: (-remainders[index], index))
    for index in order[:left]:
        shares[index] += 1
    return shares


@dataclass
class _Draft:
    claim: Claim
    rank: int = 0
    group: Group = Group.MAINTENANCE
    cents: int = 0
    limited_by: Limit = Limit.BALANCE
    reason: Explanation | None = None


def _dated(drafts: list[_Draft]) -> list[_Draft]:
    return sorted(drafts, key=lambda draft: draft.claim.notified_on)


def _limit_sentence(draft: _Draft, *, cap: int = 0) -> Explanation:
    claim = draft.claim
    amount = _euros(draft.cents)
    params: dict[str, object] = {"amount": amount, "balance": claim.balance}
    if draft.limited_by is Limit.BALANCE:
        return Explanation(
            Limit.BALANCE,
            _("This pays off the whole remaining balance of %(balance)s EUR."),
            params,
        )
    if draft.limited_by is Limit.SEIZABLE:
        return Explanation(
            Limit.SEIZABLE,
            _(
                "Only %(amount)s EUR of the %(balance)s EUR owed can be paid this "
                "month: the seizable part is used up."
            ),
            params,
        )
    if draft.limited_by is Limit.PRO_RATA:
        return Explanation(
            Limit.PRO_RATA,
            _(
                "Its share this month is %(amount)s EUR of the %(balance)s EUR owed; "
                "the rest stays due."
            ),
            params,
        )
    if draft.limited_by is Limit.INCOME:
        return Explanation(
            Limit.INCOME,
            _(
                "Only %(amount)s EUR of the %(balance)s EUR owed can be paid this "
                "month: nothing else is left of the income."
            ),
            params,
        )
    if draft.limited_by is Limit.LEGAL_CAP:
        return Explanation(
            Limit.LEGAL_CAP,
            _(
                "Only %(amount)s EUR of the %(balance)s EUR owed can be kept back "
                "this month: the legal limit of %(cap)s EUR is reached."
            ),
            {**params, "cap": _euros(cap)},
        )
    if draft.limited_by is Limit.INSTALMENT:
        return Explanation(
            Limit.INSTALMENT,
            _(
                "The instalment plan sets %(amount)s EUR per month, of the "
                "%(balance)s EUR owed."
            ),
            params,
        )
    return Explanation(
        Limit.NO_BENEFIT,
        _(
            "Nothing is kept back: this recovery applies only to benefit payments, "
            "and no benefit is paid this month."
        ),
        params,
    )


def allocate(
    *,
    garnishment: Garnishment,
    claims: Sequence[Claim],
    rates: RecoveryRates,
) -> Allocation:
    """Share the income of `garnishment` among `claims` in their legal order.

    `garnishment` is the ordinary computation (`seizable_part` without
    `maintenance`) for the payment date; claims are listed in any order and come
    back in that order, each with its rank, amount and reasons.
    """
    if garnishment.maintenance:
        raise ValueError(
            "allocate from the ordinary garnishment, not the maintenance one"
        )
    ids = [claim.id for claim in claims]
    if len(set(ids)) != len(ids):
        raise ValueError("claim ids must be unique")
    income = garnishment.income
    remaining = _cents(income.total)
    drafts = [_Draft(claim=claim) for claim in claims]
    by_kind = {
        kind: [draft for draft in drafts if draft.claim.kind is kind]
        for kind in ClaimKind
    }
    rank = 0

    # 1. Maintenance, on the whole income (art. 1412).
    maintenance_taken = 0
    for draft in _dated(by_kind[ClaimKind.MAINTENANCE]):
        rank += 1
        balance = _cents(draft.claim.balance)
        draft.cents = min(balance, remaining)
        draft.limited_by = Limit.BALANCE if draft.cents == balance else Limit.INCOME
        draft.rank, draft.group = rank, Group.MAINTENANCE
        draft.reason = Explanation(
            "maintenance_first",
            _(
                "Maintenance debt notified on %(date)s: it is paid first, before every "
                "other creditor, and may take more than the usual seizable part "
                "(art. 1412 Judicial Code)."
            ),
            {"date": draft.claim.notified_on},
        )
        remaining -= draft.cents
        maintenance_taken += draft.cents

    # 2. Seizures and assignments, within the seizable part left by maintenance.
    seizable = _cents(garnishment.ordinary_seizable)
    available = min(max(0, seizable - maintenance_taken), remaining)
    pool = available
    seizures = by_kind[ClaimKind.SEIZURE]
    first_seizure = min((d.claim.notified_on for d in seizures), default=None)
    priority = [
        draft
        for draft in _dated(by_kind[ClaimKind.ASSIGNMENT])
        if first_seizure is None or draft.claim.notified_on < first_seizure
    ]
    for draft in priority:
        rank += 1
        balance = _cents(draft.claim.balance)
        draft.cents = min(balance, pool)
        draft.limited_by = Limit.BALANCE if draft.cents == balance else Limit.SEIZABLE
        draft.rank, draft.group = rank, Group.ASSIGNMENT_FIRST
        draft.reason = Explanation(
            "assignment_before_seizures",
            _(
                "Assignment of income notified on %(date)s, before any seizure: it is "
                "paid from the seizable part before the seizures."
            ),
            {"date": draft.claim.notified_on},
        )
        pool -= draft.cents
    served_first = {id(draft) for draft in priority}
    competing = _dated(
        [
            draft
            for draft in drafts
            if draft.claim.kind in (ClaimKind.SEIZURE, ClaimKind.ASSIGNMENT)
            and id(draft) not in served_first
        ]
    )
    if competing:
        rank += 1
        balances = [_cents(draft.claim.balance) for draft in competing]
        owed = sum(balances)
        shared_pool = pool
        for draft, balance, share in zip(
            competing, balances, pro_rata(pool, balances), strict=True
        ):
            draft.cents = share
            draft.rank, draft.group = rank, Group.PRO_RATA
            if share == balance:
                draft.limited_by = Limit.BALANCE
            elif shared_pool == 0 or len(competing) == 1:
                draft.limited_by = Limit.SEIZABLE
            else:
                draft.limited_by = Limit.PRO_RATA
            draft.reason = _competing_reason(
                draft.claim,
                shared_pool=shared_pool,
                owed=owed,
                alone=len(competing) == 1,
            )
            pool -= share
    ordinary_taken = available - pool
    remaining -= ordinary_taken

    # 3. Subrogations: beyond the seizable part, up to what is left.
    for draft in _dated(by_kind[ClaimKind.SUBROGATION]):
        rank += 1
        balance = _cents(draft.claim.balance)
        draft.cents = min(balance, remaining)
        draft.limited_by = Limit.BALANCE if draft.cents == balance else Limit.INCOME
        draft.rank, draft.group = rank, Group.SUBROGATION
        draft.reason = Explanation(
            "subrogation_cpas",
            _(
                "Advance paid by the social welfare centre (CPAS/OCMW), notified on "
                "%(date)s: for this payment the centre takes your place, up to its "
                "advance, beyond the usual limits (art. 99 §2 of the organic law on "
                "CPAS of 8 July 1976)."
            ),
            {"date": draft.claim.notified_on},
        )
        remaining -= draft.cents

    # 4. Recovery by the paying body, within its legal cap on this benefit payment.
    base = _cents(income.replacement or Decimal(0))
    recovered = 0
    caps: dict[int, int] = {}
    for draft in _dated(by_kind[ClaimKind.RECOVERY]):
        rank += 1
        claim = draft.claim
        rate = rates.fraud if claim.fraud else rates.ordinary
        cap = _floor_rate(base, rate)
        caps[id(draft)] = cap
        balance = _cents(claim.balance)
        candidates = [
            (balance, Limit.BALANCE),
            (
                max(0, cap - recovered),
                Limit.NO_BENEFIT if base == 0 else Limit.LEGAL_CAP,
            ),
            (remaining, Limit.INCOME),
        ]
        if claim.limit is not None:
            candidates.insert(1, (_cents(claim.limit), Limit.INSTALMENT))
        draft.cents, draft.limited_by = min(candidates, key=lambda item: item[0])
        draft.rank, draft.group = rank, Group.RECOVERY
        draft.reason = _recovery_reason(claim, rate=rate, cap=cap)
        remaining -= draft.cents
        recovered += draft.cents

    lines = tuple(
        Line(
            claim=draft.claim,
            rank=draft.rank,
            group=draft.group,
            amount=_euros(draft.cents),
            limited_by=draft.limited_by,
            explanations=(
                draft.reason,
                _limit_sentence(draft, cap=caps.get(id(draft), 0)),
            )
            if draft.reason is not None
            else (),
        )
        for draft in drafts
    )
    notes = []
    if maintenance_taken and (seizures or by_kind[ClaimKind.ASSIGNMENT]):
        notes.append(
            Explanation(
                "maintenance_counts_against_seizable_part",
                _(
                    "The maintenance debt took %(maintenance)s EUR, which counts first "
                    "against the seizable part of %(seizable)s EUR: %(available)s EUR "
                    "is left for the other creditors."
                ),
                {
                    "maintenance": _euros(maintenance_taken),
                    "seizable": garnishment.ordinary_seizable,
                    "available": _euros(available),
                },
            )
        )
    notes.append(
        Explanation(
            "to_beneficiary",
            _("After the creditors, %(amount)s EUR is paid to you."),
            {"amount": _euros(remaining)},
        )
    )
    return Allocation(
        garnishment=garnishment,
        lines=lines,
        to_beneficiary=_euros(remaining),
        maintenance_taken=_euros(maintenance_taken),
        ordinary_available=_euros(available),
        ordinary_taken=_euros(ordinary_taken),
        recovery_base=_euros(base),
        notes=tuple(notes),
    )


def _competing_reason(
    claim: Claim, *, shared_pool: int, owed: int, alone: bool
) -> Explanation:
    params: dict[str, object] = {
        "date": claim.notified_on,
        "pool": _euros(shared_pool),
        "balance": claim.balance,
        "owed": _euros(owed),
    }
    if alone:
        if (
            claim.kind is ClaimKind.ASSIGNMENT
        ):  # pragma: no cover - alone, it came first
            raise ValueError("a lone assignment is served before the seizures")
        return Explanation(
            "seizure_alone",
            _(
                "Seizure notified on %(date)s: it is paid from the seizable part left "
                "(%(pool)s EUR), up to what is owed."
            ),
            {"date": claim.notified_on, "pool": _euros(shared_pool)},
        )
    if shared_pool >= owed:
        if claim.kind is ClaimKind.ASSIGNMENT:
            return Explanation(
                "assignment_after_seizure_paid_in_full",
                _(
                    "Assignment of income notified on %(date)s, after a seizure: it "
                    "counts as an ordinary seizure. The seizable part left "
                    "(%(pool)s EUR) is enough to pay the competing creditors "
                    "(%(owed)s EUR owed in all)."
                ),
                params,
            )
        return Explanation(
            "seizures_paid_in_full",
            _(
                "Seizure notified on %(date)s. The seizable part left (%(pool)s EUR) "
                "is enough to pay the competing creditors (%(owed)s EUR owed in all)."
            ),
            params,
        )
    if claim.kind is ClaimKind.ASSIGNMENT:
        return Explanation(
            "assignment_after_seizure_pro_rata",
            _(
                "Assignment of income notified on %(date)s, after a seizure: it counts "
                "as an ordinary seizure. The seizable part left (%(pool)s EUR) is "
                "shared between the competing creditors in proportion to what each is "
                "owed (%(balance)s EUR of %(owed)s EUR)."
            ),
            params,
        )
    return Explanation(
        "seizure_pro_rata",
        _(
            "Seizure notified on %(date)s. The seizable part left (%(pool)s EUR) is "
            "shared between the competing creditors in proportion to what each is "
            "owed (%(balance)s EUR of %(owed)s EUR)."
        ),
        params,
    )


def _recovery_reason(claim: Claim, *, rate: Decimal, cap: int) -> Explanation:
    params: dict[str, object] = {
        "date": claim.notified_on,
        "rate": Percent(rate),
        "cap": _euros(cap),
    }
    if claim.fraud:
        return Explanation(
            "recovery_fraud",
            _(
                "Recovery of benefits paid unduly, after fraud, notified on %(date)s: "
                "up to %(rate)s%% of each benefit payment (%(cap)s EUR this month) can "
                "be kept back (art. 1410 §4 Judicial Code)."
            ),
            params,
        )
    return Explanation(
        "recovery",
        _(
            "Recovery of benefits paid unduly, notified on %(date)s: at most "
            "%(rate)s%% of each benefit payment (%(cap)s EUR this month) is kept back "
            "(art. 1410 §4 Judicial Code)."
        ),
        params,
    )
