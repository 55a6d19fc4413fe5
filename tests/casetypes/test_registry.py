"""The registries of guard, effect and letter names."""

from __future__ import annotations

import pytest

from guichet.casetypes.registry import (
    EFFECTS,
    GUARDS,
    LETTERS,
    AlreadyImplemented,
    NotDeclared,
    NotImplementedYet,
    Registry,
)


def test_ships_the_names_the_seeds_need() -> None:
    assert {
        "documents_complete",
        "checks_passed",
        "decision_approved",
        "fee_paid",
    } <= set(GUARDS.names())
    assert {
        "start_deadline",
        "stop_deadline",
        "create_task",
        "queue_letter",
        "request_documents",
    } <= set(EFFECTS.names())
    assert {"documents_missing", "acknowledgement"} <= set(LETTERS.names())
    assert all(str(spec.description) for spec in GUARDS)


def test_an_implementation_attaches_to_a_declared_name_only() -> None:
    registry = Registry("guard")
    registry.declare("fee_paid", "The fee is paid.")

    def paid(context: object) -> bool:
        return True

    with pytest.raises(NotImplementedYet):
        registry.function("fee_paid")
    assert registry.unimplemented() == ["fee_paid"]

    registry.implement("fee_paid", paid)

    assert registry.function("fee_paid") is paid
    assert registry.unimplemented() == []
    registry.implement("fee_paid", paid)  # the same one again: start-up twice
    with pytest.raises(AlreadyImplemented):
        registry.implement("fee_paid", lambda context: False)
    with pytest.raises(NotDeclared):
        registry.implement("stars_aligned", paid)
    with pytest.raises(NotDeclared):
        registry.function("stars_aligned")
    registry.withdraw("fee_paid")
    assert registry.unimplemented() == ["fee_paid"]


def test_declaring_twice_keeps_the_first_description() -> None:
    registry = Registry("effect")
    registry.declare("create_task", "first")
    registry.declare("create_task", "second")
    assert registry.spec("create_task").description == "first"
    assert "create_task" in registry
    assert [spec.name for spec in registry] == ["create_task"]
