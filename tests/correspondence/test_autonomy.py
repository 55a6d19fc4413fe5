"""The autonomy rule: which letters each function level sends alone, and which wait
for a supervisor. The expected table is written by hand from the seeds
(docs/sources.md §5.1: seed 001, "Questions ou plaintes", and seed 003, "Contacts";
seed 000, "Autonomie")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guichet.correspondence import autonomy
from guichet.correspondence.autonomy import LetterKind
from guichet.correspondence.models import Letter
from guichet.correspondence.services import letter_draft_create, letter_submit

pytestmark = pytest.mark.django_db

LEVELS = ["D", "C", "B", "A1", "A2"]
ISSUED, WAITS = "issued", "pending_approval"

# kind of letter -> outcome for levels D, C, B, A1, A2
EXPECTED: dict[str, tuple[str, str, str, str, str]] = {
    "standard": (ISSUED, ISSUED, ISSUED, ISSUED, ISSUED),
    "free_fields": (WAITS, ISSUED, ISSUED, ISSUED, ISSUED),
    "adapted": (WAITS, WAITS, ISSUED, ISSUED, ISSUED),
    "no_template": (WAITS, WAITS, WAITS, WAITS, WAITS),
    "flagged": (WAITS, WAITS, WAITS, WAITS, WAITS),
}


@pytest.mark.parametrize(
    ("_case", "facts", "kind"),
    [
        ("unchanged standard", (True, False, False, False), LetterKind.STANDARD),
        ("free fields filled", (True, True, False, False), LetterKind.FREE_FIELDS),
        ("edited standard", (True, False, True, False), LetterKind.ADAPTED),
        ("edited, with free fields", (True, True, True, False), LetterKind.ADAPTED),
        ("no template", (False, False, True, False), LetterKind.NO_TEMPLATE),
        ("flagged standard", (True, False, False, True), LetterKind.FLAGGED),
        ("flagged, no template", (False, False, True, True), LetterKind.FLAGGED),
    ],
)
def test_classify(
    _case: str, facts: tuple[bool, bool, bool, bool], kind: LetterKind
) -> None:
    has_template, has_free_fields, is_changed, is_flagged = facts
    assert (
        autonomy.classify(
            has_template=has_template,
            has_free_fields=has_free_fields,
            is_changed=is_changed,
            is_flagged=is_flagged,
        )
        == kind
    )


def _draft(agent: Any, person: Any, kind: str) -> Letter:
    common = {"actor": agent, "person_id": person.uuid}
    if kind == "standard":
        return letter_draft_create(**common, letter_type="acknowledgement")
    if kind == "free_fields":
        return letter_draft_create(
            **common,
            letter_type="documents_missing",
            free_values={
                "documents": "Un extrait d'acte de naissance",
                "deadline": "15/12/2026",
            },
        )
    if kind == "adapted":
        return letter_draft_create(
            **common,
            letter_type="acknowledgement",
            body="{{ person.salutation }}\n\nNous avons reçu votre demande, que nous traitons en priorité.",
        )
    if kind == "no_template":
        return letter_draft_create(
            **common,
            subject="Votre situation",
            body="{{ person.salutation }}\n\nUn texte libre.",
        )
    return letter_draft_create(
        **common,
        letter_type="acknowledgement",
        is_flagged=True,
        flag_reason="Litige en cours.",
    )


@pytest.mark.parametrize("role", ["front_office", "dossier_handler"])
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_every_level_against_every_kind_of_letter(
    role: str, kind: str, writer: Callable[..., Any], person: Any, templates: int
) -> None:
    for level, expected in zip(LEVELS, EXPECTED[kind], strict=True):
        agent = writer(level, role=role)
        draft = _draft(agent, person, kind)
        letter = letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )
        assert (letter.status, letter.autonomy_kind) == (expected, kind), (role, level)
        if expected == ISSUED:
            assert letter.number is not None
        else:
            assert (letter.number, letter.sequence, letter.content) == (None, None, {})


def test_decide_asks_the_policy(make_agent: Callable[..., Any]) -> None:
    c_agent = make_agent("first_line", level="C")
    admin = make_agent("admin", level="A2", username="admin-a2")
    assert autonomy.decide(agent=c_agent, kind=LetterKind.FREE_FIELDS).may_send_alone
    adapted = autonomy.decide(agent=c_agent, kind=LetterKind.ADAPTED)
    assert adapted.needs_approval
    assert adapted.required_action == "letter.adapt"
    # Administrators write no letters: nothing goes out alone.
    assert all(
        autonomy.decide(agent=admin, kind=kind).needs_approval for kind in LetterKind
    )
    flagged = autonomy.decide(
        agent=make_agent("supervisor", level="A2", username="s"),
        kind=LetterKind.FLAGGED,
    )
    assert (flagged.required_action, flagged.may_send_alone) == (None, False)
