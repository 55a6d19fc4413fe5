"""The letters a dossier's step sends (issue #14): `dossiers` sits below this app
and calls, inside the step's transaction, the functions of its
`hooks.letter_queuers` registry; this one drafts each letter the step names (a
letter type's code) to the dossier's applicant, with the dossier's reference. The
draft then follows the ordinary path of letters (submitted, approved, issued,
sent). A letter type without a template, a dossier whose applicant is no person,
or a draft refused (no letterhead for the team) leaves the step done and says so
on the dossier's timeline, so an agent writes the letter by hand.

The decision letter (`decision_notice`) is drafted with its free fields filled in
from the dossier's latest decision in force (approved, final or recorded from the
other body): the result, its date, the deciding body, the motivation, and where
and until when an objection or appeal can be lodged, from the case type's decision
type. A value the dossier does not hold (no appeal period set by the service, a
motivation longer than a free field) is left empty: the letter cannot be submitted
with a hole, so the agent completes it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guichet.core.errors import GuichetError
from guichet.correspondence import fields
from guichet.correspondence.models import LetterTemplate
from guichet.dossiers.hooks import LetterOrder
from guichet.dossiers.models import (
    Decision,
    DecisionState,
    Dossier,
    DossierEvent,
    EventKind,
)
from guichet.dossiers.services import definition_of

from .letters import letter_draft_create

DECISION_NOTICE = "decision_notice"
# The states of a decision that is in force (not a proposal, not refused).
IN_FORCE = (DecisionState.APPROVED, DecisionState.FINAL, DecisionState.RECORDED)


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
        free_values = (
            decision_values(dossier, dossier.person.language)
            if letter_type == DECISION_NOTICE
            else {}
        )
        try:
            with transaction.atomic():
                letter = letter_draft_create(
                    actor=order.actor,
                    person_id=dossier.person.uuid,
                    letter_type=letter_type,
                    team=team,
                    free_values=free_values,
                    references={"dossier": dossier.reference},
                )
        except GuichetError as error:
            _note(order, letter_type, "not_drafted", code=error.code)
            continue
        _note(order, letter_type, "drafted", letter=str(letter.uuid))


def decision_values(dossier: Dossier, language: str) -> dict[str, str]:
    """The free fields of the decision letter, in `language`, from the dossier's
    latest decision in force; empty when it has none."""
    decision = (
        Decision.objects.filter(dossier=dossier, state__in=IN_FORCE)
        .order_by("-created_at", "-id")
        .first()
    )
    if decision is None:
        return {}
    definition = definition_of(dossier)
    kind = next(
        (d for d in definition.decisions if d.code == decision.decision_type), None
    )
    result = next(
        (r for r in definition.results if r.code == decision.result_code), None
    )
    decided_on = (
        decision.decided_on or _day(decision.reviewed_at) or _day(decision.created_at)
    )
    values = {
        "reference": dossier.reference,
        "result": result.names.get(language) if result else decision.result_code,
        "decided_on": decided_on.isoformat() if decided_on else "",
        "deciding_body": decision.body or (kind.names.get(language) if kind else ""),
        "motivation": decision.motivation
        if len(decision.motivation) <= fields.TEXT_MAX
        else "",
        "appeal_body": kind.appeal_body.get(language)
        if kind and kind.appeal_body
        else "",
        "appeal_until": decision.appeal_until.isoformat()
        if decision.appeal_until
        else "",
    }
    return {name: value for name, value in values.items() if value}


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None
