"""Field rules of parties: names (issue #12, item 6)."""

from __future__ import annotations

import pytest

from guichet.core.validation import Problems
from guichet.parties import validation as v


def _name(value: str) -> tuple[str, list[str]]:
    problems = Problems()
    cleaned = v.name(problems, "surname", value, max_length=200)
    return cleaned, [error.code for error in problems.errors]


def test_a_name_is_stored_composed() -> None:
    # "e" + combining acute accent, as some keyboards and scanners send it
    assert _name("Ge\u0301rard") == ("G\u00e9rard", [])


@pytest.mark.parametrize(
    ("_case", "value"),
    [
        ("right-to-left override", "Dupont\u202eevil"),
        ("zero-width space", "Du\u200bpont"),
        ("zero-width joiner", "Du\u200dpont"),
        ("NUL", "Dupont\x00"),
        ("escape", "\x1b[31mDupont"),
        ("bell", "Dup\x07ont"),
        ("soft hyphen", "Du\u00adpont"),
        ("byte order mark", "\ufeffDupont"),
        ("lone surrogate", "Dupont\ud800"),
    ],
)
def test_refuses_invisible_and_control_characters(_case: str, value: str) -> None:
    assert _name(value)[1] == ["name_character"]


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [
        ("zero-width only", "\u200b\u200b", "name_character"),
        ("emoji only", "\U0001f600\U0001f600", "name_not_searchable"),
        ("punctuation only", "--'..", "name_not_searchable"),
        ("currency signs only", "\u20ac\u20ac", "name_not_searchable"),
        ("cyrillic with a right-to-left override", "Олена\u202e", "name_character"),
        ("arabic with a zero-width joiner", "محمد\u200dعلي", "name_character"),
    ],
)
def test_refuses_a_name_no_search_could_find(_case: str, value: str, code: str) -> None:
    assert _name(value)[1] == [code]


@pytest.mark.parametrize(
    "value",
    [
        "D'Hondt-Ōsaka",
        "Van den Berg",
        "Müller",
        "Łukasz",
        "Nguyễn",
        "Олена Шевченко",
        "Γιώργος",
        "محمد علي",
    ],
)
def test_accepts_real_names(value: str) -> None:
    assert _name(value)[1] == []


def test_the_error_says_which_characters() -> None:
    problems = Problems()
    v.name(problems, "surname", "Du\u200bpont\u202e", max_length=200)
    assert problems.errors[0].text == (
        "A name cannot hold invisible or control characters (U+200B, U+202E); type "
        "it again without them."
    )


def test_caps_contact_points_per_kind() -> None:
    problems = Problems()
    v.contact_point_count(problems, "emails", v.MAX_CONTACT_POINTS, kind="emails")
    assert problems.errors == []
    v.contact_point_count(problems, "emails", v.MAX_CONTACT_POINTS + 1, kind="emails")
    assert [(e.field, e.code) for e in problems.errors] == [
        ("emails", "too_many_contact_points")
    ]
    assert problems.errors[0].text == (
        "A person can have at most 20 e-mail addresses; remove one that is no longer "
        "used first."
    )
