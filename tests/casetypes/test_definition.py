"""The pure rules over a definition: who may take which transition, four eyes,
which documents are required."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.agents.models import LEVEL_RANK, FunctionLevel, RoleCode
from guichet.casetypes import loader
from guichet.casetypes.definition import (
    Approval,
    Condition,
    DecisionType,
    Texts,
    allowed_transitions,
    may_approve,
    required_documents,
)

from .conftest import MINIMAL

DEFINITION = loader.load(MINIMAL, filename="sample.yaml")
TEXTS = Texts("x", "x", "x", "x")


@pytest.mark.parametrize(
    ("_case", "status", "roles", "level", "expected"),
    [
        ("front office at C", "received", ["front_office"], "C", ["start"]),
        ("front office at D is too low", "received", ["front_office"], "D", []),
        ("front office at A2", "received", ["front_office"], "A2", ["start"]),
        ("wrong role", "received", ["dossier_handler"], "A2", []),
        (
            "one of several roles",
            "checking",
            ["first_line", "supervisor"],
            "B",
            ["close"],
        ),
        ("handler below B", "checking", ["dossier_handler"], "C", []),
        ("from a final status", "closed", list(RoleCode.values), "A2", []),
        ("a status with no exit for the role", "checking", ["front_office"], "A2", []),
    ],
)
def test_allowed_transitions_by_role_and_level(
    _case: str, status: str, roles: list[str], level: str, expected: list[str]
) -> None:
    allowed = allowed_transitions(DEFINITION, status, roles, level)
    assert [transition.code for transition in allowed] == expected


@given(
    status=st.sampled_from(["received", "checking", "closed"]),
    roles=st.sets(st.sampled_from(RoleCode.values)),
    level=st.sampled_from(FunctionLevel.values),
)
def test_allowed_transitions_never_break_role_level_or_status(
    status: str, roles: set[str], level: str
) -> None:
    for transition in allowed_transitions(DEFINITION, status, roles, level):
        assert status in transition.sources
        assert roles & set(transition.roles)
        assert LEVEL_RANK[level] >= LEVEL_RANK[transition.min_level]
    higher = [
        lvl for lvl in FunctionLevel.values if LEVEL_RANK[lvl] >= LEVEL_RANK[level]
    ]
    for more in higher:  # a higher level is never offered less
        assert set(allowed_transitions(DEFINITION, status, roles, level)) <= set(
            allowed_transitions(DEFINITION, status, roles, more)
        )


@pytest.mark.parametrize(
    ("_case", "proposer", "approver", "level", "expected"),
    [
        ("another agent at the level", 1, 2, "B", True),
        ("another agent above it", 1, 2, "A2", True),
        ("another agent below it", 1, 2, "C", False),
        ("the proposer never", 1, 1, "A2", False),
    ],
)
def test_four_eyes(
    _case: str, proposer: int, approver: int, level: str, expected: bool
) -> None:
    decision = DecisionType("grant", TEXTS, approval=Approval(min_level="B"))
    assert (
        may_approve(decision, proposer_id=proposer, approver_id=approver, level=level)
        is expected
    )


def test_nothing_to_approve_without_an_approval() -> None:
    decision = DecisionType("grant", TEXTS)
    assert not may_approve(decision, proposer_id=1, approver_id=2, level="A2")


@pytest.mark.parametrize(
    ("_case", "condition", "facts", "expected"),
    [
        (
            "not in, holds",
            Condition("language", "not_in", ("fr", "nl", "de")),
            {"language": "es"},
            True,
        ),
        (
            "not in, fails",
            Condition("language", "not_in", ("fr", "nl", "de")),
            {"language": "nl"},
            False,
        ),
        ("in", Condition("language", "in", ("fr",)), {"language": "fr"}, True),
        ("equals", Condition("own", "equals", True), {"own": True}, True),
        ("not equals", Condition("own", "not_equals", True), {"own": False}, True),
        ("below", Condition("age", "below", 18), {"age": 17}, True),
        ("below at the limit", Condition("age", "below", 18), {"age": 18}, False),
        ("at least", Condition("age", "at_least", 18), {"age": 18}, True),
        ("an unknown fact never holds", Condition("age", "below", 18), {}, False),
        ("a fact not yet known", Condition("age", "below", 18), {"age": None}, False),
    ],
)
def test_conditions(
    _case: str, condition: Condition, facts: dict[str, object], expected: bool
) -> None:
    assert condition.holds(facts) is expected


def test_sworn_translation_only_for_other_languages() -> None:
    text = MINIMAL + (
        "documents:\n"
        "- code: original\n"
        "  document_type: other\n"
        "  names: {fr: Original, nl: Origineel, de: Original, en: Original}\n"
        "- code: sworn_translation\n"
        "  document_type: other\n"
        "  names: {fr: Traduction, nl: Vertaling, de: Übersetzung, en: Translation}\n"
        "  conditions:\n"
        "  - {fact: document_language, operator: not_in, value: [fr, nl, de]}\n"
    )
    definition = loader.load(text, filename="sample.yaml")

    def codes(language: str) -> list[str]:
        facts = {"document_language": language}
        return [doc.code for doc in required_documents(definition, facts)]

    assert codes("de") == ["original"]
    assert codes("es") == ["original", "sworn_translation"]


def test_texts_fall_back_to_english() -> None:
    texts = Texts("fr", "nl", "de", "en")
    assert [texts.get(lang) for lang in ("fr", "nl", "de", "en", "es")] == [
        "fr",
        "nl",
        "de",
        "en",
        "en",
    ]


def test_lookups_and_fees_in_force() -> None:
    import datetime as dt
    from decimal import Decimal

    from guichet.casetypes.definition import Duration, Fee, fee_in_force

    assert DEFINITION.status("checking").names.en == "Checking"
    with pytest.raises(KeyError):
        DEFINITION.status("limbo")
    with pytest.raises(KeyError):
        DEFINITION.transition("jump")
    assert [status.code for status in DEFINITION.final_statuses] == ["closed"]
    assert Duration(3).is_set
    assert not Duration(None).is_set
    fee = Fee("fee", TEXTS, Decimal("20.00"), valid_from=dt.date(2026, 3, 1))
    assert not fee_in_force(fee, dt.date(2026, 2, 28))
    assert fee_in_force(fee, dt.date(2026, 3, 1))
    assert fee_in_force(Fee("fee", TEXTS, None), dt.date(2000, 1, 1))
