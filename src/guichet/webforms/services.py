"""The public web form's writes: a citizen's message becomes a request, the
anti-spam counters and refusals, the acknowledgement e-mail.

A citizen has no account, so the form acts as one agent named by
GUICHET_WEBFORMS_AGENT (a first-line agent without a usable password): the contact
and the request are registered through the requests app's own services
(`anonymous_contact_with_request`), audited under that agent, routed by the
routing rules, and name nobody until an agent identifies the person
(`request_identify`).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent, Language
from guichet.audit.services import audit_record
from guichet.contacts import services as contact_services
from guichet.contacts.models import Channel, Topic
from guichet.core import clock
from guichet.core.validation import Problems, choice, parse_uuid, text
from guichet.documents import sniffing, storage
from guichet.parties import validation as party_validation
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import Kind, Seriousness

from . import antispam, tokens
from .errors import Code, FormClosed
from .models import (
    AckStatus,
    Attachment,
    RateWindow,
    Refusal,
    RefusalReason,
    Submission,
)

logger = logging.getLogger(__name__)

KINDS = (Kind.QUESTION, Kind.COMPLAINT)
MESSAGE_MAX = 5000
NAME_MAX = 200
SUBJECT_MAX = 80
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
RATE_WINDOW = dt.timedelta(hours=1)
# How long a refusal (an address and a check) is kept, to see an attack's pattern.
REFUSALS_KEPT = dt.timedelta(days=30)
SENDING_TIMEOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SubmissionInput:
    """What the citizen typed; the topic is a shared topic's public id."""

    kind: str
    topic: str
    message: str
    name: str
    email: str
    phone: str = ""
    consent: bool = False
    language: str = Language.FR


@dataclass(frozen=True)
class Upload:
    """A file the citizen sent (its name is theirs; its type is read from it)."""

    name: str
    file: File[Any]


def form_agent() -> Agent:
    """The agent the form acts as; `FormClosed` when there is none."""
    agent = Agent.objects.filter(
        username=settings.WEBFORMS_AGENT, is_active=True
    ).first()
    if agent is None:
        raise FormClosed()
    return agent


def _subject(message: str) -> str:
    first = " ".join(message.strip().splitlines()[0].split()) if message.strip() else ""
    return first if len(first) <= SUBJECT_MAX else first[: SUBJECT_MAX - 1] + "…"


def _check_uploads(problems: Problems, uploads: Sequence[Upload]) -> list[str]:
    """The content type read from each file's bytes; a problem for each refusal."""
    types: list[str] = []
    if len(uploads) > MAX_FILES:
        problems.add(
            "attachments",
            Code.TOO_MANY_FILES,
            _("Send at most %(count)d files."),
            count=MAX_FILES,
        )
        return types
    for upload in uploads:
        size = upload.file.size or 0
        if size == 0:
            problems.add(
                "attachments",
                Code.FILE_EMPTY,
                _("The file %(name)s is empty."),
                name=upload.name,
            )
            continue
        if size > MAX_FILE_BYTES:
            problems.add(
                "attachments",
                Code.FILE_TOO_LARGE,
                _("The file %(name)s is %(size)s; at most %(limit)s are accepted."),
                name=upload.name,
                size=filesizeformat(size),
                limit=filesizeformat(MAX_FILE_BYTES),
            )
            continue
        upload.file.seek(0)
        head = upload.file.read(sniffing.HEAD_SIZE)
        upload.file.seek(0)
        found = sniffing.sniff(head)
        if found is None:
            problems.add(
                "attachments",
                Code.FILE_TYPE_REFUSED,
                _(
                    "The file %(name)s is not a PDF document or a JPEG, PNG or TIFF "
                    "image, whatever its name says."
                ),
                name=upload.name,
            )
            continue
        types.append(found.content_type)
    return types


def _clean_topic(problems: Problems, value: str) -> Topic | None:
    if not value:
        problems.add("topic", Code.REQUIRED, _("Choose a topic."))
        return None
    uuid = parse_uuid(value)
    topic = (
        Topic.objects.filter(team__isnull=True, is_active=True, uuid=uuid).first()
        if uuid is not None
        else None
    )
    if topic is None:
        problems.add("topic", Code.UNKNOWN_TOPIC, _("Choose one of the topics listed."))
    return topic


def submission_create(
    *,
    data: SubmissionInput,
    uploads: Sequence[Upload] = (),
    status_base: str,
) -> Submission:
    """Register a citizen's message from the public form as an anonymous contact
    with its request, keep its files, and queue the acknowledgement e-mail.

    Every field is checked before anything is written (and every problem is told at
    once, in the citizen's language); files are refused by what their bytes are,
    not by their names. `status_base` is the absolute URL the status link starts
    with (the token follows)."""
    agent = form_agent()
    problems = Problems()
    kind = choice(problems, "kind", data.kind, KINDS)
    topic = _clean_topic(problems, data.topic)
    message = text(
        problems,
        "message",
        data.message,
        required=True,
        max_length=MESSAGE_MAX,
        multiline=True,
    )
    name = text(problems, "name", data.name, required=True, max_length=NAME_MAX)
    email = ""
    if not data.email.strip():
        problems.add("email", Code.REQUIRED, _("This field is required."))
    else:
        email = party_validation.email(problems, "email", data.email)
    phone = (
        party_validation.phone(problems, "phone", data.phone)
        if data.phone.strip()
        else ""
    )
    if not data.consent:
        problems.add(
            "consent",
            Code.CONSENT_REQUIRED,
            _("We can only handle your message if you agree to this."),
        )
    language = choice(problems, "language", data.language, Language.values) or "fr"
    types = _check_uploads(problems, uploads)
    problems.raise_if_any()
    assert kind is not None  # noqa: S101 - problems raised otherwise
    assert topic is not None  # noqa: S101
    stored = [
        storage.store(upload.file.chunks(storage.CHUNK), max_bytes=MAX_FILE_BYTES)
        for upload in uploads
    ]
    now = clock.now()
    details = "\n".join(
        line
        for line in (
            name,
            f"E-mail: {email}",
            f"Tel: {phone}" if phone else "",
        )
        if line
    )
    token = tokens.token_new()
    with transaction.atomic():
        _contact, opened = request_services.anonymous_contact_with_request(
            actor=agent,
            contact=contact_services.ContactInput(
                channel=Channel.WEB_FORM,
                started_at=now,
                ended_at=now,
                anonymous_details=details,
                address_used=email,
                topic=str(topic.uuid),
                summary=_subject(message),
                language=language,
            ),
            request=request_services.RequestInput(
                kind=kind,
                subject=_subject(message),
                topic=str(topic.uuid),
                channel=Channel.WEB_FORM,
                description=message,
                requester_name=name,
                reply_channel=Channel.EMAIL,
                language=language,
                seriousness=Seriousness.MINOR if kind == Kind.COMPLAINT else "",
            ),
        )
        submission = Submission(
            request=opened,
            token_sha256=tokens.token_digest(token),
            email=email,
            language=language,
            consented_at=now,
            status_base=status_base,
        )
        submission.sealed_token = tokens.seal(token, key_id=str(submission.uuid))
        submission.save(force_insert=True)
        Attachment.objects.bulk_create(
            [
                Attachment(
                    submission=submission,
                    filename=upload.name[:200],
                    content_type=content_type,
                    size=kept.size,
                    sha256=kept.sha256,
                )
                for upload, content_type, kept in zip(
                    uploads, types, stored, strict=True
                )
            ]
        )
        audit_record(
            actor=agent,
            action="webform.submit",
            obj=submission,
            summary={
                "request": opened.reference,
                "attachments": len(stored),
                "language": language,
            },
        )
        from .tasks import send_acknowledgement

        send_acknowledgement.enqueue(str(submission.uuid))
    return submission


def rate_allow(*, scope: str, address: str, limit: int) -> bool:
    """Count one request of `address` to `scope` in the current window; whether it
    stays within `limit`. The count is an `F()` update of one row, which the
    database locks until the transaction ends: concurrent requests, from any
    process, are counted one after the other, so exactly `limit` pass."""
    key = antispam.rate_key(address)
    start = antispam.window_start(clock.now(), RATE_WINDOW)
    with transaction.atomic():
        RateWindow.objects.get_or_create(scope=scope, address=key, window_start=start)
        row = RateWindow.objects.filter(scope=scope, address=key, window_start=start)
        row.update(count=F("count") + 1)
        count = row.values_list("count", flat=True).get()
    return count <= limit


def antispam_prune(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete the rate-limit windows that ended and the refusals older than
    `REFUSALS_KEPT` (client addresses are personal data: kept no longer than the
    checks need them). Returns how many of each were deleted."""
    now = now or clock.now()
    windows, _by_model = RateWindow.objects.filter(
        window_start__lt=now - RATE_WINDOW
    ).delete()
    refusals, _by_model = Refusal.objects.filter(
        created_at__lt=now - REFUSALS_KEPT
    ).delete()
    return windows, refusals


def refusal_record(*, reason: RefusalReason, page: str, address: str) -> Refusal:
    """Keep a refusal (which check, which page, from where), never the content."""
    return Refusal.objects.create(
        reason=reason, page=page, address=antispam.rate_key(address)
    )


def submission_screen(
    *, stamp: str, honeypot: str, address: str
) -> RefusalReason | None:
    """Run the anti-spam checks of a submission, in order: the rate limit (every
    attempt counts), the honeypot, the time trap. The first that fails is recorded
    and returned; None lets the submission through."""
    reason: RefusalReason | None
    if not rate_allow(
        scope="submit", address=address, limit=settings.WEBFORMS_SUBMIT_LIMIT
    ):
        reason = RefusalReason.RATE_LIMITED
    else:
        reason = antispam.honeypot_check(honeypot) or antispam.stamp_check(
            stamp,
            now=clock.now(),
            min_seconds=settings.WEBFORMS_MIN_SECONDS,
            max_age=dt.timedelta(minutes=settings.WEBFORMS_MAX_AGE_MINUTES),
        )
    if reason is not None:
        refusal_record(reason=reason, page="submit", address=address)
    return reason


def status_screen(*, address: str) -> bool:
    """Count a status page view of `address`; False (recorded) past the limit."""
    if rate_allow(
        scope="status", address=address, limit=settings.WEBFORMS_STATUS_LIMIT
    ):
        return True
    refusal_record(reason=RefusalReason.RATE_LIMITED, page="status", address=address)
    return False


def _acknowledgement(submission: Submission, token: str) -> EmailMessage:
    request = submission.request
    with translation.override(submission.language):
        context = {
            "institution": settings.INSTITUTION_NAME,
            "reference": request.reference,
            "received": timezone.localtime(request.received_at),
            "due": timezone.localtime(request.resolution_due)
            if request.resolution_due
            else None,
            "is_complaint": request.kind == Kind.COMPLAINT,
            "link": submission.status_base + token + "/",
        }
        subject = " ".join(
            render_to_string("webforms/acknowledgement_subject.txt", context).split()
        )
        body = render_to_string("webforms/acknowledgement.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[submission.email],
        headers={
            # RFC 3834: no auto-reply should answer it.
            "Auto-Submitted": "auto-generated",
            "Content-Language": submission.language,
        },
    )


def acknowledgement_deliver(*, submission_id: str) -> Submission:
    """Send a submission's acknowledgement (a system task; safe to run twice).

    Claimed ('sending') before the SMTP conversation, marked sent after it, and the
    sealed token wiped; a second run finds it claimed or sent and does nothing. A
    failure leaves it failed with its error, for the task to try again."""
    now = clock.now()
    claimable = Q(ack_status__in=[AckStatus.QUEUED, AckStatus.FAILED]) | Q(
        ack_status=AckStatus.SENDING, updated_at__lt=now - SENDING_TIMEOUT
    )
    with transaction.atomic():
        claimed = Submission.objects.filter(claimable, uuid=submission_id).update(
            ack_status=AckStatus.SENDING,
            ack_attempts=F("ack_attempts") + 1,
            updated_at=now,
        )
    submission = Submission.objects.select_related("request").get(uuid=submission_id)
    if not claimed:
        return submission
    token = tokens.unseal(submission.sealed_token, key_id=str(submission.uuid))
    try:
        _acknowledgement(submission, token).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Acknowledgement of %s failed: %s", submission.uuid, error)
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(
                ack_status=AckStatus.FAILED,
                ack_error=str(error)[:1000],
                updated_at=clock.now(),
            )
            audit_record(
                actor=None,
                action="webform.acknowledge_failed",
                obj=submission,
                summary={"error": str(error)[:200]},
            )
        submission.refresh_from_db()
        return submission
    with transaction.atomic():
        sent_at = clock.now()
        Submission.objects.filter(pk=submission.pk).update(
            ack_status=AckStatus.SENT,
            ack_sent_at=sent_at,
            ack_error="",
            sealed_token="",
            updated_at=sent_at,
        )
        audit_record(
            actor=None,
            action="webform.acknowledge",
            obj=submission,
            summary={"request": submission.request.reference},
        )
    submission.refresh_from_db()
    return submission
