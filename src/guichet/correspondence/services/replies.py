"""Replies to the citizen on a request (issue #13, item 4: "The person's preferred
channel and language are used for every reply").

An agent working on a request inserts a standard answer (issue #15, item 3: a
letter type on a topic, `selectors.standard_answers`, prefilled from the person,
the request and the dossier) and fills its free fields, or writes an answer of
their own; either becomes a letter of this app in the person's preferred
language. An own answer is written into the shipped `request_reply` frame (the
answer is its free field; the frame is no standard text, `LetterType.is_standard`)
or, when no administrator loaded it, from scratch: it has no standard answer. The
letter follows the ordinary path: `letter_submit` classifies it (`autonomy`:
unchanged, free fields filled, adapted, no standard answer, flagged) and issues it
at once when the policy lets the agent's level send that kind alone (issue #15,
item 4: D an unchanged standard answer, C its free fields, B an adapted one), else
it waits in the approval queue of the service's supervisors; nothing goes out
before it is issued. Once issued it
goes out by the channel the person asked to be answered on (the request's reply
channel): e-mail to their preferred address on record (`letter_send_email`), else
by post (it joins the service's print queue, `letters_to_post`). Each step is
written on the request's timeline, and the reply that goes out is registered as an
outgoing contact attached to the request (`servicerequests.services
.request_reply_record`).

This module lives here because `correspondence` sits above `servicerequests` in
the layer list (ARCHITECTURE.md, `[tool.importlinter]`): it may call the requests'
services, while the requests app may not import letters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action as LetterAction
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.agents.models import Agent
from guichet.contacts.models import Channel as ContactChannel
from guichet.contacts.models import Contact
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid, text
from guichet.correspondence import fields, templating
from guichet.correspondence.errors import Code, WrongState
from guichet.correspondence.models import (
    DISPATCH_UNDER_WAY,
    Letter,
    LetterDispatch,
    LetterReference,
    LetterStatus,
    LetterTemplate,
    TypeKind,
)
from guichet.correspondence.selectors import (
    reply_letters_waiting,
    reply_team,
    standard_answers,
)
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import request_reply_record

from .letters import letter_draft_create, letter_send_email, letter_submit

LETTER_TYPE = "request_reply"
REFERENCE_KIND = "request"
ANSWER_MAX = fields.TEXT_MAX


def reply_channel(*, preferred: str, has_email: bool) -> str:
    """The channel a reply goes by: e-mail when the person asked for e-mail and
    gave us an address, else a letter by post (every other channel of origin, a
    phone call or a visit, is answered in writing by post)."""
    if preferred == ContactChannel.EMAIL and has_email:
        return ContactChannel.EMAIL
    return ContactChannel.LETTER


@dataclass(frozen=True)
class Reply:
    letter: Letter
    channel: str
    # Sent by e-mail or queued for printing; False: it waits for a supervisor.
    dispatched: bool
    dispatch: LetterDispatch | None
    contact: Contact | None


def _person_required(problems: Problems, request: Request) -> None:
    if request.person is None:
        problems.add(
            "person",
            Code.REQUIRED,
            _(
                "This request names no person yet: identify them before replying "
                "(a reply goes to a person on record)."
            ),
        )


def _go_out(actor: Agent, request: Request, letter: Letter) -> Reply:
    """Send an issued reply letter by the person's preferred channel and record it."""
    person = letter.person
    channel = reply_channel(
        preferred=request.reply_channel, has_email=person.emails.exists()
    )
    dispatch = (
        letter_send_email(actor=actor, letter_id=letter.uuid)
        if channel == ContactChannel.EMAIL
        else None
    )
    contact = request_reply_record(
        actor=actor,
        request=request,
        channel=channel,
        letter=str(letter.uuid),
        text_=_answer_of(letter),
        dispatched=True,
    )
    return Reply(letter, channel, True, dispatch, contact)


def _answer_of(letter: Letter) -> str:
    """What the reply says, for the outgoing contact's summary: the agent's own
    answer, else their text, else the standard answer's title."""
    answer = (letter.free_values or {}).get("answer")
    if answer:
        return str(answer)
    if letter.body_text:
        return str(letter.body_text)
    version = letter.template_version
    return str(version.title) if version else ""


def _standard_answer(
    problems: Problems, code: str, language: str
) -> LetterTemplate | None:
    """The standard answer chosen, in the person's language; any active one may
    be chosen (choosing among them is level C's; the policy decides on send)."""
    template = (
        LetterTemplate.objects.select_related("letter_type")
        .filter(
            letter_type__code=code,
            letter_type__is_active=True,
            letter_type__is_standard=True,
            letter_type__kind=TypeKind.LETTER,
            letter_type__topic__isnull=False,
            language=language,
            is_active=True,
        )
        .first()
    )
    if template is None:
        problems.add(
            "standard_answer",
            Code.UNKNOWN_LETTER_TYPE,
            _("There is no standard answer %(answer)s in the person's language."),
            answer=code,
        )
    return template


def _own_body(
    actor: Agent, request: Request, template: LetterTemplate, body: str | None
) -> str | None:
    """The agent's text, or None when it is the standard answer's as offered
    (whitespace aside): then the letter follows the template, unchanged."""
    if body is None:
        return None
    assert request.person is not None  # noqa: S101 - refused before
    offered = [
        answer.body
        for answer in standard_answers(
            agent=actor,
            person=request.person,
            language=template.language,
            team=reply_team(actor, request),
            references={REFERENCE_KIND: request.reference},
        )
        if answer.code == template.letter_type.code
    ]
    if offered and templating.normalised(offered[0]) == templating.normalised(body):
        return None
    return body


@transaction.atomic
def request_reply(
    *,
    actor: Agent,
    request: Request,
    answer: str = "",
    standard_answer: str | None = None,
    free_values: Mapping[str, Any] | None = None,
    body: str | None = None,
    is_flagged: bool = False,
    flag_reason: str = "",
) -> Reply:
    """Answer the citizen on a request the actor works on, in the person's
    preferred language and by their preferred channel (see the module's text).

    With `standard_answer` (a letter type on a topic), the letter is that answer,
    its free fields filled from `free_values`, its text the agent's `body` when
    they changed it; without, it is `answer`, the agent's own words. Either way
    `letter_submit` classifies it (`autonomy`) and the policy decides whether it
    goes out now or waits for a supervisor."""
    policy.require(actor, RequestAction.REQUEST_WORK, request)
    problems = Problems()
    _person_required(problems, request)
    template: LetterTemplate | None = None
    if standard_answer:
        language = request.person.language if request.person else ""
        template = _standard_answer(problems, standard_answer, language)
        clean = text(
            problems,
            "answer",
            answer,
            required=False,
            max_length=ANSWER_MAX,
            multiline=True,
        )
        if clean:
            problems.add(
                "answer",
                Code.INVALID_CHOICE,
                _("Change the standard answer's text instead of adding an answer."),
            )
    else:
        clean = text(
            problems,
            "answer",
            answer,
            required=True,
            max_length=ANSWER_MAX,
            multiline=True,
        )
    problems.raise_if_any()
    person = request.person
    assert person is not None  # noqa: S101 - refused above otherwise
    team = request.team.code if request.team_id in actor.team_ids else None
    references = {REFERENCE_KIND: request.reference}
    flags: dict[str, Any] = {"is_flagged": is_flagged, "flag_reason": flag_reason}
    if template is not None:
        letter = letter_draft_create(
            actor=actor,
            person_id=person.uuid,
            letter_type=template.letter_type.code,
            language=template.language,
            team=team,
            body=_own_body(actor, request, template, body),
            free_values=free_values or {},
            references=references,
            **flags,
        )
    elif LetterTemplate.objects.filter(letter_type__code=LETTER_TYPE).exists():
        letter = letter_draft_create(
            actor=actor,
            person_id=person.uuid,
            letter_type=LETTER_TYPE,
            language=person.language,
            team=team,
            free_values={"request_reference": request.reference, "answer": clean},
            references=references,
            **flags,
        )
    else:
        letter = letter_draft_create(
            actor=actor,
            person_id=person.uuid,
            language=person.language,
            team=team,
            subject=f"{request.reference}: {request.subject}",
            body=clean,
            references=references,
            **flags,
        )
    letter = letter_submit(
        actor=actor, letter_id=letter.uuid, expected_version=letter.version
    )
    if letter.status == LetterStatus.ISSUED:
        return _go_out(actor, request, letter)
    planned = reply_channel(
        preferred=request.reply_channel, has_email=person.emails.exists()
    )
    request_reply_record(
        actor=actor,
        request=request,
        channel=planned,
        letter=str(letter.uuid),
        text_=_answer_of(letter),
        dispatched=False,
    )
    return Reply(letter, planned, False, None, None)


@transaction.atomic
def request_reply_dispatch(
    *, actor: Agent, request: Request, letter_id: object
) -> Reply:
    """Send a reply a supervisor has approved since, by the person's preferred
    channel, and record it: once (a second call is refused, nothing sent twice).
    A reply by post was already in the print queue from its approval: this records
    that it went out."""
    policy.require(actor, RequestAction.REQUEST_WORK, request)
    key = parse_uuid(letter_id)
    letter = (
        policy.visible(actor, Letter.objects.all())
        .filter(
            uuid=key,
            pk__in=LetterReference.objects.filter(
                kind=REFERENCE_KIND, object_id=request.reference
            ).values("letter_id"),
        )
        .select_for_update(of=("self",))
        .first()
        if key
        else None
    )
    # Read after the letter's lock: a second call waits, then sees the first's record.
    if letter is None or str(letter.uuid) not in reply_letters_waiting(request=request):
        raise NotFound(_("No such reply waiting to go out."))
    # Sending a letter, or recording that it went by post, is its team's (issue
    # #12, item 4), even when the request has since gone to another team.
    policy.require(actor, LetterAction.LETTER_DISPATCH, letter)
    channel = reply_channel(
        preferred=request.reply_channel, has_email=letter.person.emails.exists()
    )
    under_way = letter.dispatches.filter(status__in=DISPATCH_UNDER_WAY).exists()
    if letter.status not in (LetterStatus.ISSUED, LetterStatus.SENT) or (
        channel == ContactChannel.EMAIL and under_way
    ):
        raise WrongState(
            _("This reply is not approved yet, or has already gone out."),
        )
    return _go_out(actor, request, letter)
