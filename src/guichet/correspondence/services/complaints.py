"""The acknowledgement of receipt of a complaint (issue #13, item 8).

`servicerequests` sits below this app and calls, inside the transaction that
registers a complaint, the functions of its `complaint_registered` registry; this
one drafts the acknowledgement letter (`complaint_acknowledgement`) to the person
concerned, in the request's language, for the service the agent acts for, with the
complaint's reference and the date its answer is due. The draft then follows the
ordinary path of letters (submitted, approved as the autonomy rules say, issued,
sent). A complaint about no person on record (an organisation, an anonymous
caller) gets no letter, and its timeline says so.
"""

from __future__ import annotations

from django.utils import timezone

from guichet.agents.models import Agent
from guichet.core.errors import GuichetError
from guichet.correspondence.models import LetterTemplate
from guichet.servicerequests.models import EventKind, Request, RequestEvent

from .letters import letter_draft_create

LETTER_TYPE = "complaint_acknowledgement"


def _note(request: Request, agent: Agent, outcome: str, **data: object) -> None:
    """A timeline line saying what became of the acknowledgement (rendered in the
    reader's language from its code)."""
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(
                request=request,
                kind=EventKind.NOTE,
                agent=agent,
                data={"acknowledgement": outcome, **data},
            )
        ]
    )


def complaint_acknowledge(actor: Agent, request: Request) -> None:
    if request.person is None:
        _note(request, actor, "no_person")
        return
    if not LetterTemplate.objects.filter(letter_type__code=LETTER_TYPE).exists():
        _note(request, actor, "no_template")
        return
    team = request.team.code if request.team_id in actor.team_ids else None
    answer_by = (
        timezone.localtime(request.resolution_due).date().isoformat()
        if request.resolution_due
        else ""
    )
    try:
        letter = letter_draft_create(
            actor=actor,
            person_id=request.person.uuid,
            letter_type=LETTER_TYPE,
            language=request.language,
            team=team,
            free_values={
                "request_reference": request.reference,
                "answer_by": answer_by,
            },
            references={"request": request.reference},
        )
    except GuichetError as error:
        # The complaint is registered all the same; its timeline says why no letter
        # was drafted (no letterhead for the service, an agent of several services),
        # so an agent writes it by hand.
        _note(request, actor, "not_drafted", code=error.code)
        return
    _note(request, actor, "drafted", letter=str(letter.uuid))
