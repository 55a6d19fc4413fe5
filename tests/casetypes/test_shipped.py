"""The four case types shipped with Guichet: valid, and as the sources say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from guichet.casetypes import loader
from guichet.casetypes.definition import Definition
from guichet.casetypes.services import SHIPPED

STANDARD = {
    "received",
    "awaiting_documents",
    "checking",
    "decision_proposed",
    "decided",
    "transmitted",
    "informed",
    "closed",
    "archived",
    "destroyed",
}
STANDARD_TRANSITIONS = {
    "request_documents",
    "documents_received",
    "conclude_complete",
    "propose_decision",
    "approve_decision",
    "refuse_approval",
    "transmit",
    "record_external_decision",
    "inform_parties",
    "close",
    "withdraw",
    "archive",
    "destroy",
}


def _load(name: str) -> Definition:
    path = SHIPPED / f"{name}.yaml"
    return loader.load(path.read_bytes(), filename=path.name)


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_file_is_valid_and_has_the_standard_steps(path: Path) -> None:
    definition = loader.load(path.read_bytes(), filename=path.name)

    assert definition.code == path.stem
    assert {status.code for status in definition.statuses} >= STANDARD
    transitions = {transition.code for transition in definition.transitions}
    # The passport's other body sends the passport back: its own step.
    expected = STANDARD_TRANSITIONS - (
        {"record_external_decision"} if path.stem == "consular-passport" else set()
    )
    assert expected <= transitions
    assert path.read_text(encoding="utf-8").startswith("# ")  # sources cited
    assert {result.kind for result in definition.results} >= {
        "granted",
        "refused",
        "withdrawn",
    }


def test_legalisation_fee_and_service_norm() -> None:
    definition = _load("consular-legalisation")

    [fee] = definition.fees
    # docs/sources.md §7.1: 20 EUR per legalisation or apostille.
    assert (fee.amount, fee.currency) == (Decimal("20.00"), "EUR")
    norm = definition.deadlines.service_norm
    assert norm is not None
    assert (norm.amount, norm.unit, norm.counting) == (2, "days", "business")
    translation = next(d for d in definition.documents if d.code == "sworn_translation")
    assert not translation.is_required({"document_language": "nl"})
    assert translation.is_required({"document_language": "es"})


def test_visa_extension_fee_and_exemptions() -> None:
    definition = _load("visa-extension")

    [fee] = definition.fees
    assert fee.amount == Decimal("30.00")  # Visa Code art. 33(2)
    assert {exemption.code for exemption in fee.exemptions} == {
        "force_majeure",
        "humanitarian",
    }
    assert [d.code for d in definition.decisions if d.taken_by_other_body] == [
        "extension"
    ]


def test_passport_fees_are_left_to_the_post() -> None:
    definition = _load("consular-passport")

    assert definition.fees
    assert all(fee.amount is None for fee in definition.fees)
    assert "plan_appointment" in {t.code for t in definition.transitions}
    assert "hand_over" in {t.code for t in definition.transitions}


def test_unemployment_two_months_to_reach_the_deciding_body() -> None:
    definition = _load("unemployment-benefit")

    processing = definition.deadlines.processing
    assert processing is not None
    assert (processing.amount, processing.unit) == (2, "months")  # docs/sources.md §7.4
    assert not definition.fees
    c109 = next(d for d in definition.documents if d.code == "c109")
    assert c109.is_required({"c4_available": False})
    assert not c109.is_required({"c4_available": True})
    assert definition.valid_from == dt.date(2026, 1, 1)
