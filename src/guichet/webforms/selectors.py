"""The public web form's reads: the topics it offers, and a submission's status as
its citizen sees it through the link token (no account, no agent).

The status page shows only the reference, the kind, the status in plain words and
the dates: what the acknowledgement e-mail already told its holder, nothing the
agents wrote, nothing about the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.contacts.selectors import TopicOption, topic_options
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.documents import storage
from guichet.servicerequests.models import Kind, Request, Status

from . import tokens
from .models import Attachment, Submission

# What each status means for the citizen, in plain words.
PLAIN_STATUS: dict[str, Promise] = {
    Status.NEW: _("Received: it is waiting to be handled."),
    Status.IN_PROGRESS: _("Being handled."),
    Status.REOPENED: _("Being handled again."),
    Status.WAITING_CITIZEN: _("We are waiting for information from you."),
    Status.WAITING_OTHER: _("We are waiting for another service's answer."),
    Status.ANSWERED: _("Answered."),
    Status.CLOSED: _("Closed."),
}


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    is_complaint: bool
    status: Promise
    is_open: bool
    received_at: dt.datetime
    due: dt.datetime | None


def public_topics(*, language: str) -> list[TopicOption]:
    """The topics the form offers: the active ones every service shares, as a
    tree, named in `language`."""
    return topic_options(team=None, language=language)


def submission_status(*, token: str) -> PublicStatus | None:
    """The status of the submission whose link carries `token`; None for any other
    text (the caller answers a plain 404, the same for a malformed token)."""
    if not tokens.is_token_shaped(token):
        return None
    found = (
        Submission.objects.select_related("request")
        .filter(token_sha256=tokens.token_digest(token))
        .first()
    )
    if found is None:
        return None
    request = found.request
    return PublicStatus(
        reference=request.reference,
        is_complaint=request.kind == Kind.COMPLAINT,
        status=PLAIN_STATUS[request.status],
        is_open=request.status not in (Status.ANSWERED, Status.CLOSED),
        received_at=request.received_at,
        due=request.resolution_due,
    )


def request_files(*, request: Request) -> list[Attachment]:
    """The files the citizen sent with the form that opened `request`, for the
    request's page (whose agent read the request through the policy)."""
    return list(Attachment.objects.filter(submission__request=request))


def file_for_agent(*, agent: Agent, file_id: object) -> tuple[Attachment, IO[bytes]]:
    """A file sent with the form, and its bytes, for an agent who sees its
    request; logged. A missing file and one of a hidden request look the same."""
    key = parse_uuid(file_id)
    found = (
        Attachment.objects.select_related("submission").filter(uuid=key).first()
        if key
        else None
    )
    if found is None or not (
        policy.visible(agent, Request.objects.filter(pk=found.submission.request_id))
        .only("pk")
        .exists()
    ):
        raise NotFound(_("No such file."))
    access_record(actor=agent, action="webform.file_download", obj=found)
    return found, storage.open_content(found.sha256)
