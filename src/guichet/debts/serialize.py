"""Plain-JSON shapes of a garnishment and an allocation, one definition for all.

The command line prints them, the API returns them and a posted allocation keeps
them. Amounts are decimal strings with two decimals; rates are fractions
("0.20"); explanation texts are rendered in the active language (left out with
`with_text=False`, as stored, since a stored record must not depend on who reads it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from guichet.core.money import format_amount

from .allocation import Allocation, Line
from .explain import Explanation
from .garnishment import Band, BracketTable, Garnishment


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else format_amount(amount)


def _rate(rate: Decimal) -> str:
    return f"{rate:.2f}"


def _text(explanations: tuple[Explanation, ...], with_text: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {"reason": explanations[0].code if explanations else ""}
    if with_text:
        shown["explanation"] = " ".join(item.text() for item in explanations)
    return shown


def table_dict(table: BracketTable, *, with_text: bool = True) -> dict[str, Any]:
    warning = table.warning
    return {
        "id": table.code,
        "from": table.valid_from.isoformat(),
        "to": table.valid_to.isoformat(),
        "income_kinds": sorted(kind.value for kind in table.income_kinds),
        "thresholds": [format_amount(value) for value in table.thresholds],
        "child_reduction": format_amount(table.child_reduction),
        "source": table.source,
        "confidence": table.confidence,
        "warning": None
        if warning is None
        else (warning.as_dict() if with_text else {"code": warning.code}),
        "note": table.note,
    }


def band_dict(band: Band, *, with_text: bool = True) -> dict[str, Any]:
    return {
        "from": format_amount(band.lower),
        "to": _money(band.upper),
        "rate": _rate(band.rate),
        "base": format_amount(band.base),
        "amount": format_amount(band.amount),
        **_text((band.explanation,), with_text),
    }


def notes(
    items: tuple[Explanation, ...], *, with_text: bool = True
) -> list[dict[str, str]]:
    return [item.as_dict() if with_text else {"code": item.code} for item in items]


def garnishment_dict(result: Garnishment, *, with_text: bool = True) -> dict[str, Any]:
    income = result.income
    shown: dict[str, Any] = {
        "seizable": format_amount(result.seizable),
        "kept": format_amount(result.kept),
        "income": {
            "earned": _money(income.earned),
            "replacement": _money(income.replacement),
            "total": format_amount(income.total),
        },
        "scale": result.scale.value,
        "children": result.children,
        "maintenance": result.maintenance,
        "table": table_dict(result.table, with_text=with_text),
        "bands": [band_dict(band, with_text=with_text) for band in result.bands],
        "brackets_total": format_amount(result.brackets_total),
        "child_reduction": {
            "children": result.child_reduction.children,
            "per_child": format_amount(result.child_reduction.per_child),
            "full": format_amount(result.child_reduction.full),
            "applied": format_amount(result.child_reduction.applied),
        },
        "ordinary_seizable": format_amount(result.ordinary_seizable),
        "notes": notes(result.notes, with_text=with_text),
    }
    if result.maintenance:
        shown["ordinary_bands"] = [
            band_dict(band, with_text=with_text) for band in result.ordinary_bands
        ]
    if with_text:
        shown["explanation"] = " ".join(item.text() for item in result.notes)
    return shown


def line_dict(line: Line, *, with_text: bool = True) -> dict[str, Any]:
    claim = line.claim
    return {
        "id": claim.id,
        "amount": format_amount(line.amount),
        "kind": claim.kind.value,
        "rank": line.rank,
        "group": line.group.value,
        "notified_on": claim.notified_on.isoformat(),
        "balance": format_amount(claim.balance),
        "balance_after": format_amount(line.balance_after),
        "fraud": claim.fraud,
        "instalment": _money(claim.limit),
        "limited_by": line.limited_by.value,
        **_text(line.explanations, with_text),
    }


def allocation_dict(result: Allocation, *, with_text: bool = True) -> dict[str, Any]:
    ordinary = result.garnishment
    shown: dict[str, Any] = {
        "claims": [line_dict(line, with_text=with_text) for line in result.lines],
        "to_beneficiary": format_amount(result.to_beneficiary),
        "income": format_amount(result.income),
        "seizable": format_amount(ordinary.ordinary_seizable),
        "table": table_dict(ordinary.table, with_text=with_text),
        "pools": {
            "maintenance_taken": format_amount(result.maintenance_taken),
            "ordinary_available": format_amount(result.ordinary_available),
            "ordinary_taken": format_amount(result.ordinary_taken),
            "recovery_base": format_amount(result.recovery_base),
        },
        "notes": notes(result.notes, with_text=with_text),
        "garnishment": garnishment_dict(ordinary, with_text=with_text),
    }
    return shown
