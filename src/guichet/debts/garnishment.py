"""The seizable part of a monthly net income, by the Belgian Judicial Code. Pure.

Sources (docs/sources.md §1, which lists each with its address and date):

- Art. 1409 §1 C.jud. (earned income): marginal brackets 0 / 20 / 30 / 40 / 100 %.
- Art. 1409 §1bis (replacement income: unemployment, sickness, pension...): the same
  thresholds, no 30 % band; 40 % from the second threshold to the top one.
- Art. 1409 §1 al. 4 / §1bis al. 4: per dependent child the seizable *amount* is
  reduced "within its limits" by a fixed sum: a subtraction floored at zero, not a
  shift of the thresholds (§1.3; 2008 statute text, securex.be example).
- Cumulation (§1.1; attentia.be 2024, groups.be 2024, dhnet.be 2010): earned and
  replacement income from the same debtor are added up and the thresholds
  "applicable to earned income" apply, so the earned scale *and the table in force
  for earned income* are used. This matters only in the COVID period (24 Dec 2020 -
  30 Sep 2021), when earned income had higher thresholds than replacement income.
- Art. 1412: the limits do not apply to maintenance debts: the whole income is
  seizable. The child reduction, being part of art. 1409, does not apply either.

The brackets are applied like tax brackets; each rate applies only to the slice of
income inside its band (§1.4). Nothing is rounded until the end: the seizable
amount is rounded half-up to the cent once (§1.4 "Rounding": no source states a
rule; the published examples are exact to the cent).

Tables are dated data (`BracketTable`), never constants: see `models.BracketTable`
and the migrations that ship 2020-2025 (0002) and 2026 (0004). Choosing the table in force is
`table_in_force`, which refuses a date without one (never last year's figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from guichet.core.money import quantize

from .explain import Explanation, Percent

ZERO = Decimal("0.00")


class IncomeKind(StrEnum):
    EARNED = "earned"
    REPLACEMENT = "replacement"


# The rates of each band, lowest band first, by statute (art. 1409 §1 and §1bis).
# Each entry: (index of the band's lower threshold or None for 0, index of its upper
# threshold or None for "no limit", rate). Thresholds are T0..T3 of the table.
_EARNED_BANDS: tuple[tuple[int | None, int | None, Decimal], ...] = (
    (None, 0, Decimal(0)),
    (0, 1, Decimal("0.20")),
    (1, 2, Decimal("0.30")),
    (2, 3, Decimal("0.40")),
    (3, None, Decimal(1)),
)
_REPLACEMENT_BANDS: tuple[tuple[int | None, int | None, Decimal], ...] = (
    (None, 0, Decimal(0)),
    (0, 1, Decimal("0.20")),
    (1, 3, Decimal("0.40")),
    (3, None, Decimal(1)),
)


class BandCode(StrEnum):
    PROTECTED = "protected"
    PARTLY_SEIZABLE = "partly_seizable"
    FULLY_SEIZABLE = "fully_seizable"
    MAINTENANCE = "maintenance_whole_income"


class NoteCode(StrEnum):
    SCALE_EARNED = "scale_earned"
    SCALE_REPLACEMENT = "scale_replacement"
    CUMULATION = "cumulation"
    CHILDREN = "child_reduction"
    CHILDREN_LIMITED = "child_reduction_limited"
    MAINTENANCE = "maintenance_art_1412"
    SUMMARY = "summary"


class TableWarningCode(StrEnum):
    MEDIUM_CONFIDENCE = "confidence_medium"
    LOW_CONFIDENCE = "confidence_low"


# The same words as `models.Confidence`, for a pure table.
_CONFIDENCE_LABELS = {"high": _("high"), "medium": _("medium"), "low": _("low")}


class NoTableInForce(LookupError):
    """No bracket table is in force on this date for this kind of income."""

    def __init__(self, on: dt.date, kind: IncomeKind) -> None:
        super().__init__(f"no bracket table in force on {on} for {kind} income")
        self.on = on
        self.kind = kind


class OverlappingTables(LookupError):
    """Two tables claim the same day for the same kind: the data must be fixed."""


@dataclass(frozen=True)
class BracketTable:
    """The thresholds and child reduction in force over a period, for some kinds of income."""

    code: str
    valid_from: dt.date
    valid_to: dt.date
    income_kinds: frozenset[IncomeKind]
    thresholds: tuple[Decimal, Decimal, Decimal, Decimal]  # T0, T1, T2, T3
    child_reduction: Decimal
    source: str
    confidence: str = "high"
    note: str = ""

    def __post_init__(self) -> None:
        t0, t1, t2, t3 = self.thresholds
        if not (ZERO <= t0 < t1 < t2 < t3):
            raise ValueError(
                f"table {self.code}: thresholds must rise: {self.thresholds}"
            )
        if self.child_reduction < 0:
            raise ValueError(f"table {self.code}: negative child reduction")
        if self.valid_to < self.valid_from:
            raise ValueError(f"table {self.code}: ends before it starts")
        if not self.income_kinds:
            raise ValueError(f"table {self.code}: applies to no kind of income")

    def is_in_force(self, on: dt.date, kind: IncomeKind) -> bool:
        return kind in self.income_kinds and self.valid_from <= on <= self.valid_to

    @property
    def confidence_label(self) -> str:
        """The confidence in the figures, in the active language."""
        return str(_CONFIDENCE_LABELS.get(self.confidence, self.confidence))

    @property
    def warning(self) -> Explanation | None:
        """What the agent must know before relying on figures that no official text
        confirms here: a table of medium confidence rests on one secondary source,
        one of low confidence on a weak or old one (docs/sources.md, confidence scale).
        None for a table of high confidence."""
        if self.confidence == "high":
            return None
        if self.confidence == "medium":
            return Explanation(
                TableWarningCode.MEDIUM_CONFIDENCE,
                _(
                    "Source of medium confidence: check these amounts against the "
                    "royal decree published in the Moniteur belge."
                ),
            )
        return Explanation(
            TableWarningCode.LOW_CONFIDENCE,
            _(
                "Source of low confidence: these amounts are not confirmed; check "
                "them against the royal decree published in the Moniteur belge "
                "before relying on them."
            ),
        )


def table_in_force(
    tables: Iterable[BracketTable], *, on: dt.date, kind: IncomeKind
) -> BracketTable:
    """The one table in force on `on` for `kind`; refuse none, refuse two."""
    found = [table for table in tables if table.is_in_force(on, kind)]
    if not found:
        raise NoTableInForce(on, kind)
    if len(found) > 1:
        codes = ", ".join(sorted(table.code for table in found))
        raise OverlappingTables(f"tables {codes} are all in force on {on} for {kind}")
    return found[0]


@dataclass(frozen=True)
class Income:
    """One month's net income; `None` means that kind was not given at all."""

    earned: Decimal | None = None
    replacement: Decimal | None = None

    def __post_init__(self) -> None:
        if self.earned is None and self.replacement is None:
            raise ValueError("give earned or replacement income")
        for value in (self.earned, self.replacement):
            if value is not None:
                _check_amount(value)

    @property
    def total(self) -> Decimal:
        return (self.earned or ZERO) + (self.replacement or ZERO)

    @property
    def is_cumulated(self) -> bool:
        return (self.earned or ZERO) > 0 and (self.replacement or ZERO) > 0

    @property
    def scale(self) -> IncomeKind:
        """Earned scale as soon as there is earned income (cumulation rule), else replacement."""
        if self.earned is not None and self.earned > 0:
            return IncomeKind.EARNED
        if self.replacement is not None:
            return IncomeKind.REPLACEMENT
        return IncomeKind.EARNED


def _check_amount(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a non-negative amount: {value}")
    if isinstance(exponent, int) and exponent < -2 and value != quantize(value):
        raise ValueError(f"more than two decimals: {value}")


@dataclass(frozen=True)
class Band:
    """One slice of the income: its limits, its rate and what it adds to the seizable part."""

    lower: Decimal
    upper: Decimal | None  # None: no upper limit
    rate: Decimal
    base: Decimal  # the part of the income inside this band
    amount: Decimal  # rounded so that the bands add up to the rounded total
    exact_amount: Decimal  # base x rate, unrounded
    explanation: Explanation

    @property
    def code(self) -> str:
        return self.explanation.code


@dataclass(frozen=True)
class ChildReduction:
    children: int
    per_child: Decimal
    full: Decimal  # children x per_child
    applied: Decimal  # what was actually subtracted (never more than the brackets give)
    explanations: tuple[Explanation, ...]


@dataclass(frozen=True)
class Garnishment:
    """What can be seized from one month's income, and why, band by band."""

    income: Income
    scale: IncomeKind
    table: BracketTable
    children: int
    maintenance: bool
    ordinary_bands: tuple[Band, ...]  # the brackets of art. 1409
    brackets_total: Decimal  # sum of the ordinary bands, rounded
    child_reduction: ChildReduction
    ordinary_seizable: Decimal  # what an ordinary creditor may take
    bands: tuple[Band, ...]  # the bands that explain `seizable`
    seizable: Decimal
    kept: Decimal
    notes: tuple[Explanation, ...]


def _band_explanation(
    lower: Decimal, upper: Decimal | None, rate: Decimal, base: Decimal, amount: Decimal
) -> Explanation:
    if rate == 0:
        return Explanation(
            BandCode.PROTECTED,
            _(
                "The first %(upper)s EUR of your monthly income are protected: "
                "nothing can be seized on them."
            ),
            {"upper": upper},
        )
    if upper is None:
        return Explanation(
            BandCode.FULLY_SEIZABLE,
            _("Everything above %(lower)s EUR can be seized in full: %(amount)s EUR."),
            {"lower": lower, "amount": amount},
        )
    return Explanation(
        BandCode.PARTLY_SEIZABLE,
        _(
            "On the part of your income between %(lower)s EUR and %(upper)s EUR "
            "(%(base)s EUR), %(rate)s%% can be seized: %(amount)s EUR."
        ),
        {
            "lower": lower,
            "upper": upper,
            "base": base,
            "rate": Percent(rate),
            "amount": amount,
        },
    )


def _ordinary_bands(
    total: Decimal, scale: IncomeKind, table: BracketTable
) -> tuple[Band, ...]:
    """The bands the income reaches, with amounts that add up to the rounded total.

    Each band's exact amount (base x rate) can have a third decimal; shown amounts
    are the differences of the rounded running totals, so they add up exactly to
    the rounded sum and none is more than half a cent from its exact value.
    """
    layout = _EARNED_BANDS if scale is IncomeKind.EARNED else _REPLACEMENT_BANDS
    bands: list[Band] = []
    running = Decimal(0)
    shown_so_far = ZERO
    for lower_index, upper_index, rate in layout:
        lower = ZERO if lower_index is None else table.thresholds[lower_index]
        upper = None if upper_index is None else table.thresholds[upper_index]
        if bands and total <= lower:
            break
        top = total if upper is None else min(total, upper)
        base = max(ZERO, top - lower)
        exact = base * rate
        running += exact
        shown = quantize(running) - shown_so_far
        shown_so_far += shown
        bands.append(
            Band(
                lower=lower,
                upper=upper,
                rate=rate,
                base=base,
                amount=shown,
                exact_amount=exact,
                explanation=_band_explanation(lower, upper, rate, base, shown),
            )
        )
    return tuple(bands)


def _child_reduction(
    children: int, table: BracketTable, brackets_total: Decimal
) -> ChildReduction:
    full = table.child_reduction * children
    applied = min(full, brackets_total)
    explanations: list[Explanation] = []
    if children:
        explanations.append(
            Explanation(
                NoteCode.CHILDREN,
                ngettext_lazy(
                    "For %(count)d dependent child, %(full)s EUR less is seized "
                    "(%(per_child)s EUR per child).",
                    "For %(count)d dependent children, %(full)s EUR less is seized "
                    "(%(per_child)s EUR per child).",
                    "count",
                ),
                {"count": children, "full": full, "per_child": table.child_reduction},
            )
        )
        if applied < full:
            explanations.append(
                Explanation(
                    NoteCode.CHILDREN_LIMITED,
                    _(
                        "The reduction for children cannot be more than the seizable "
                        "amount itself: it takes %(applied)s EUR off, and nothing is "
                        "seized."
                    ),
                    {"applied": applied},
                )
            )
    return ChildReduction(
        children=children,
        per_child=table.child_reduction,
        full=full,
        applied=applied,
        explanations=tuple(explanations),
    )


def _scale_notes(income: Income, table: BracketTable) -> list[Explanation]:
    if income.is_cumulated:
        return [
            Explanation(
                NoteCode.CUMULATION,
                _(
                    "You receive both earned income and a replacement income: they are "
                    "added up (%(total)s EUR) and the scale for earned income applies."
                ),
                {"total": income.total},
            )
        ]
    if income.scale is IncomeKind.REPLACEMENT:
        return [
            Explanation(
                NoteCode.SCALE_REPLACEMENT,
                _(
                    "Your income is a replacement income (such as an unemployment "
                    "benefit): the scale for replacement income applies, with 20%% "
                    "then 40%% bands, amounts in force from %(valid_from)s to "
                    "%(valid_to)s."
                ),
                {"valid_from": table.valid_from, "valid_to": table.valid_to},
            )
        ]
    return [
        Explanation(
            NoteCode.SCALE_EARNED,
            _(
                "Your income is earned income: the scale for earned income applies, "
                "with 20%%, 30%% then 40%% bands, amounts in force from "
                "%(valid_from)s to %(valid_to)s."
            ),
            {"valid_from": table.valid_from, "valid_to": table.valid_to},
        )
    ]


def seizable_part(
    *,
    income: Income,
    table: BracketTable,
    children: int = 0,
    maintenance: bool = False,
) -> Garnishment:
    """What can be seized from `income` under `table`, band by band.

    `table` must be the one in force for the income's scale (`income.scale`) on the
    payment date: pick it with `table_in_force`. With `maintenance`, the whole
    income is seizable (art. 1412); the ordinary figures are kept for comparison.
    """
    if children < 0:
        raise ValueError("the number of children cannot be negative")
    if income.scale not in table.income_kinds:
        raise ValueError(f"table {table.code} is not for {income.scale} income")
    total = income.total
    ordinary_bands = _ordinary_bands(total, income.scale, table)
    exact_total = sum((band.exact_amount for band in ordinary_bands), Decimal(0))
    brackets_total = quantize(exact_total)
    reduction = _child_reduction(children, table, brackets_total)
    ordinary_seizable = brackets_total - reduction.applied
    notes = [*_scale_notes(income, table), *reduction.explanations]
    if maintenance:
        whole = Band(
            lower=ZERO,
            upper=None,
            rate=Decimal(1),
            base=total,
            amount=total,
            exact_amount=total,
            explanation=Explanation(
                BandCode.MAINTENANCE,
                _(
                    "For a maintenance debt the legal limits do not apply: your whole "
                    "income of %(amount)s EUR can be seized (art. 1412 Judicial Code)."
                ),
                {"amount": total},
            ),
        )
        bands: tuple[Band, ...] = (whole,)
        seizable = total
        notes.append(
            Explanation(
                NoteCode.MAINTENANCE,
                _(
                    "Without the maintenance debt, %(ordinary)s EUR could be seized "
                    "under the usual limits."
                ),
                {"ordinary": ordinary_seizable},
            )
        )
    else:
        bands = ordinary_bands
        seizable = ordinary_seizable
    kept = total - seizable
    notes.append(
        Explanation(
            NoteCode.SUMMARY,
            _(
                "Of your income of %(income)s EUR, %(seizable)s EUR can be seized; "
                "you keep %(kept)s EUR."
            ),
            {"income": total, "seizable": seizable, "kept": kept},
        )
    )
    return Garnishment(
        income=income,
        scale=income.scale,
        table=table,
        children=children,
        maintenance=maintenance,
        ordinary_bands=ordinary_bands,
        brackets_total=brackets_total,
        child_reduction=reduction,
        ordinary_seizable=ordinary_seizable,
        bands=bands,
        seizable=seizable,
        kept=kept,
        notes=tuple(notes),
    )
