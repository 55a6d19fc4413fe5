"""The letters a dossier's step sends (issue #14): `dossiers` sits below this app
and calls, inside the step's transaction, the functions of its
`hooks.letter_queuers` registry; this one drafts each letter the step names (a
letter type's code) to the dossier's applicant, with the dossier's reference. The
draft then follows the ordinary path of letters (submitted, approved, issued,
sent). A letter type without a template, a dossier whose applicant is no person,
or a draft refused (no letterhead for the team) leaves the step done and says so
on the dossier's timeline, so an agent writes the letter by hand.
"""

from __future__ import annotations

from django.db import transaction

from guichet.core.errors import GuichetError
from guichet.correspondence.models import LetterTemplate
from guichet.dossiers.hooks import LetterOrder
from guichet.dossiers.models import DossierEvent, EventKind

from .letters import letter_draft_create


def _note(order: LetterOrder, letter_type: str, outcome: str, **data: object) -> None:
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier=order.dossier,
                kind=EventKind.LETTER,
                agent=order.actor,
                transition=order.transition,
                data={"letter_type": letter_type, "outcome": outcome, **data},
            )
        ]
    )


def dossier_letters_draft(order: LetterOrder) -> None:
    dossier = order.dossier
    for letter_type in order.letters:
        if dossier.person is None:
            _note(order, letter_type, "no_person")
            continue
        if not LetterTemplate.objects.filter(letter_type__code=letter_type).exists():
            _note(order, letter_type, "no_template")
            continue
        team = dossier.team.code if dossier.team_id in order.actor.team_ids else None
        try:
            with transaction.atomic():
                letter = letter_draft_create(
                    actor=order.actor,
                    person_id=dossier.person.uuid,
                    letter_type=letter_type,
                    team=team,
                    references={"dossier": dossier.reference},
                )
        except GuichetError as error:
            _note(order, letter_type, "not_drafted", code=error.code)
            continue
        _note(order, letter_type, "drafted", letter=str(letter.uuid))
