from __future__ import annotations

import datetime as dt
import email
import re
from collections.abc import Callable
from email import policy as email_policy
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.contacts.models import Channel, Contact, Topic
from guichet.core.errors import ValidationFailed
from guichet.documents import storage
from guichet.servicerequests.models import Kind, Request, RequestContact, Status
from guichet.webforms import selectors, services, tokens
from guichet.webforms.errors import FormClosed
from guichet.webforms.models import (
    AckStatus,
    Attachment,
    RateWindow,
    Refusal,
    RefusalReason,
    Submission,
)
from tests.webforms.conftest import PDF, PNG, Inbox

pytestmark = pytest.mark.django_db

BASE = "https://guichet.example/public/status/"


def _input(chosen: Topic, /, **changes: Any) -> services.SubmissionInput:
    values: dict[str, Any] = {
        "kind": Kind.QUESTION,
        "topic": str(chosen.uuid),
        "message": "Comment faire légaliser un acte de naissance ?\nMerci.",
        "name": "Claire Dubois",
        "email": "Claire.Dubois@Example.ORG",
        "phone": "0470 12 34 56",
        "consent": True,
        "language": "fr",
        **changes,
    }
    return services.SubmissionInput(**values)


def _counts() -> tuple[int, ...]:
    return (
        Request.objects.count(),
        Contact.objects.count(),
        Submission.objects.count(),
        Attachment.objects.count(),
    )


def _token_of(body: str) -> str:
    found = re.search(re.escape(BASE) + r"([A-Za-z0-9_-]{43})/", body)
    assert found is not None, body
    return found.group(1)


def test_a_submission_opens_a_routed_anonymous_request_and_acknowledges_it(
    shared_topic: Topic,
) -> None:
    submission = services.submission_create(data=_input(shared_topic), status_base=BASE)

    request = submission.request
    assert request.kind == Kind.QUESTION
    assert request.channel == Channel.WEB_FORM
    assert request.reply_channel == Channel.EMAIL
    assert request.status == Status.NEW
    assert request.person_id is None
    assert request.organisation_id is None
    assert request.requester_name == "Claire Dubois"
    assert request.subject == "Comment faire légaliser un acte de naissance ?"
    assert request.description.endswith("Merci.")
    assert request.language == "fr"
    # The demo routes the topic "legalisation" to its team.
    assert request.team.code == "legalisations"
    assert request.created_by.username == "webform"
    contact = RequestContact.objects.get(request=request).contact
    assert contact.channel == Channel.WEB_FORM
    assert contact.anonymous_details == (
        "Claire Dubois\nE-mail: Claire.Dubois@example.org\nTel: +32470123456"
    )
    assert submission.email == "Claire.Dubois@example.org"
    assert AuditEvent.objects.filter(action="webform.submit").count() == 1
    # The acknowledgement went at once (the tests' immediate task backend).
    submission.refresh_from_db()
    assert submission.ack_status == AckStatus.SENT
    assert submission.sealed_token == ""
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["Claire.Dubois@example.org"]
    assert request.reference in sent.subject
    assert "Votre question" in sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    token = _token_of(sent.body)
    assert submission.token_sha256 == tokens.token_digest(token)
    status = selectors.submission_status(token=token)
    assert status is not None
    assert status.reference == request.reference


def test_the_token_is_stored_only_as_its_hash(shared_topic: Topic) -> None:
    submission = services.submission_create(data=_input(shared_topic), status_base=BASE)
    token = _token_of(mail.outbox[0].body)

    row = Submission.objects.filter(pk=submission.pk).values().get()
    assert token not in " ".join(str(value) for value in row.values())
    assert row["token_sha256"] == tokens.token_digest(token)
    assert not AuditEvent.objects.filter(summary__icontains=token).exists()


def test_any_other_token_finds_nothing(shared_topic: Topic) -> None:
    services.submission_create(data=_input(shared_topic), status_base=BASE)
    token = _token_of(mail.outbox[0].body)
    last = "A" if token[-1] != "A" else "B"

    assert selectors.submission_status(token=token) is not None
    assert selectors.submission_status(token=token[:-1] + last) is None
    assert selectors.submission_status(token=tokens.token_new()) is None
    assert selectors.submission_status(token=tokens.token_digest(token)) is None
    assert selectors.submission_status(token="") is None
    assert selectors.submission_status(token=token + "x") is None


def test_a_complaint_in_dutch_is_acknowledged_in_dutch(shared_topic: Topic) -> None:
    submission = services.submission_create(
        data=_input(shared_topic, kind=Kind.COMPLAINT, language="nl"),
        status_base=BASE,
    )

    assert submission.request.kind == Kind.COMPLAINT
    assert submission.request.seriousness == "minor"
    assert submission.request.language == "nl"
    assert "Uw klacht" in mail.outbox[0].subject
    assert "We hebben uw klacht ontvangen" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("_case", "changes", "field", "code"),
    [
        ("no message", {"message": "  "}, "message", "required"),
        ("message too long", {"message": "x" * 5001}, "message", "too_long"),
        ("no name", {"name": ""}, "name", "required"),
        ("no e-mail", {"email": ""}, "email", "required"),
        ("bad e-mail", {"email": "claire@"}, "email", "invalid_email"),
        ("bad phone", {"phone": "12"}, "phone", "invalid_phone"),
        ("no consent", {"consent": False}, "consent", "consent_required"),
        ("no topic", {"topic": ""}, "topic", "required"),
        (
            "unknown topic",
            {"topic": "8d7e9b52-0000-4000-8000-000000000000"},
            "topic",
            "unknown_topic",
        ),
        ("not a topic id", {"topic": "legalisation"}, "topic", "unknown_topic"),
        ("information kind", {"kind": "information"}, "kind", "invalid_choice"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(
    shared_topic: Topic, _case: str, changes: dict[str, Any], field: str, code: str
) -> None:
    before = _counts()

    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(
            data=_input(shared_topic, **changes), status_base=BASE
        )

    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
    assert _counts() == before
    assert mail.outbox == []


def test_every_problem_is_told_at_once(shared_topic: Topic) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(
            data=_input(shared_topic, message="", name="", email="", consent=False),
            status_base=BASE,
        )
    assert {e.field for e in refused.value.errors} == {
        "message",
        "name",
        "email",
        "consent",
    }


def test_a_team_topic_is_not_offered(demo: Any) -> None:
    team_topic = Topic.objects.filter(team__isnull=False, is_active=True).first()
    if team_topic is None:
        team_topic = Topic.objects.create(
            team=Agent.objects.get(username="webform").teams.get(),
            code="internal",
            name_fr="Interne",
            name_nl="Intern",
            name_de="Intern",
            name_en="Internal",
        )
    offered = {option.uuid for option in selectors.public_topics(language="fr")}
    assert str(team_topic.uuid) not in offered
    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(data=_input(team_topic), status_base=BASE)
    assert refused.value.errors[0].code == "unknown_topic"


def test_files_are_kept_by_what_their_bytes_are(
    shared_topic: Topic, pdf: Callable[..., SimpleUploadedFile]
) -> None:
    submission = services.submission_create(
        data=_input(shared_topic),
        uploads=[
            services.Upload(name="scan.pdf", file=pdf("scan.pdf")),
            # A PNG named .pdf: kept, for what it is.
            services.Upload(name="photo.pdf", file=pdf("photo.pdf", PNG)),
        ],
        status_base=BASE,
    )

    kept = list(submission.attachments.order_by("filename"))
    assert [(a.filename, a.content_type, a.size) for a in kept] == [
        ("photo.pdf", "image/png", len(PNG)),
        ("scan.pdf", "application/pdf", len(PDF)),
    ]
    with storage.open_content(kept[1].sha256) as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("_case", "name", "content", "code"),
    [
        (
            "a program named .pdf",
            "invoice.pdf",
            b"MZ\x90\x00" + b"\x00" * 100,
            "file_type_refused",
        ),
        (
            "a web page named .png",
            "photo.png",
            b"<html><script>x()</script></html>",
            "file_type_refused",
        ),
        (
            "a ZIP named .jpg",
            "photo.jpg",
            b"PK\x03\x04" + b"\x00" * 100,
            "file_type_refused",
        ),
        ("empty", "empty.pdf", b"", "file_empty"),
        (
            "one byte too big",
            "big.pdf",
            b"%PDF-" + b"0" * (services.MAX_FILE_BYTES - 4),
            "file_too_large",
        ),
    ],
)
def test_a_refused_file_refuses_the_whole_message(
    shared_topic: Topic,
    pdf: Callable[..., SimpleUploadedFile],
    _case: str,
    name: str,
    content: bytes,
    code: str,
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(
            data=_input(shared_topic),
            uploads=[
                services.Upload(name="ok.pdf", file=pdf()),
                services.Upload(name=name, file=pdf(name, content)),
            ],
            status_base=BASE,
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [("attachments", code)]
    assert name in refused.value.errors[0].text
    assert _counts() == before


def test_the_largest_file_accepted_is_kept(
    shared_topic: Topic, pdf: Callable[..., SimpleUploadedFile]
) -> None:
    content = b"%PDF-" + b"0" * (services.MAX_FILE_BYTES - 5)
    submission = services.submission_create(
        data=_input(shared_topic),
        uploads=[services.Upload(name="big.pdf", file=pdf("big.pdf", content))],
        status_base=BASE,
    )
    assert submission.attachments.get().size == services.MAX_FILE_BYTES


def test_at_most_three_files(
    shared_topic: Topic, pdf: Callable[..., SimpleUploadedFile]
) -> None:
    three = [services.Upload(name=f"{i}.pdf", file=pdf(f"{i}.pdf")) for i in range(3)]
    services.submission_create(
        data=_input(shared_topic), uploads=three, status_base=BASE
    )
    before = _counts()

    four = [services.Upload(name=f"{i}.pdf", file=pdf(f"{i}.pdf")) for i in range(4)]
    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(
            data=_input(shared_topic), uploads=four, status_base=BASE
        )

    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("attachments", "too_many_files")
    ]
    assert _counts() == before


@pytest.mark.parametrize("_case", ["unknown", "inactive"])
def test_without_its_agent_the_form_is_closed(
    shared_topic: Topic, settings: Any, _case: str
) -> None:
    if _case == "unknown":
        settings.WEBFORMS_AGENT = "nobody"
    else:
        Agent.objects.filter(username="webform").update(is_active=False)
    before = _counts()
    with pytest.raises(FormClosed) as closed:
        services.submission_create(data=_input(shared_topic), status_base=BASE)
    assert closed.value.status == 503
    assert _counts() == before


def test_the_form_agent_cannot_log_in(demo: Any) -> None:
    agent = Agent.objects.get(username="webform")
    assert not agent.has_usable_password()


def test_the_rate_limit_lets_exactly_the_limit_through_per_window(
    demo: Any, at: Callable[[dt.datetime], None]
) -> None:
    start = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    at(start)
    allowed = [
        services.rate_allow(scope="submit", address="192.0.2.7", limit=3)
        for _ in range(4)
    ]
    assert allowed == [True, True, True, False]
    # Another address, and another page, have their own counts.
    assert services.rate_allow(scope="submit", address="192.0.2.8", limit=3)
    assert services.rate_allow(scope="status", address="192.0.2.7", limit=3)
    # The last instant of the window is still in it; the next one starts afresh.
    at(start + services.RATE_WINDOW - dt.timedelta(microseconds=1))
    assert not services.rate_allow(scope="submit", address="192.0.2.7", limit=3)
    at(start + services.RATE_WINDOW)
    assert services.rate_allow(scope="submit", address="192.0.2.7", limit=3)
    assert (
        RateWindow.objects.get(
            scope="submit", address="192.0.2.7", window_start=start
        ).count
        == 5
    )


def test_one_ipv6_network_shares_its_count(
    demo: Any, at: Callable[[dt.datetime], None]
) -> None:
    at(dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC))
    assert services.rate_allow(scope="submit", address="2001:db8::1", limit=1)
    assert not services.rate_allow(scope="submit", address="2001:db8::2", limit=1)
    assert services.rate_allow(scope="submit", address="2001:db8:0:1::1", limit=1)


def test_a_refusal_keeps_the_check_and_the_address_only(demo: Any) -> None:
    refusal = services.refusal_record(
        reason=RefusalReason.HONEYPOT, page="submit", address="2001:db8::5"
    )
    row = (
        Refusal.objects.filter(pk=refusal.pk).values("reason", "page", "address").get()
    )
    assert row == {
        "reason": "honeypot",
        "page": "submit",
        "address": "2001:db8::/64",
    }


def test_the_acknowledgement_reaches_a_real_smtp_server(
    shared_topic: Topic, smtp: Inbox
) -> None:
    submission = services.submission_create(
        data=_input(shared_topic, language="de"), status_base=BASE
    )

    assert len(smtp.messages) == 1
    sender, recipients, raw = smtp.messages[0]
    assert sender == "noreply@guichet.example"
    assert recipients == ["Claire.Dubois@example.org"]
    message = email.message_from_bytes(raw, policy=email_policy.default)
    assert submission.request.reference in str(message["Subject"])
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "Wir haben Ihre Frage erhalten" in body
    token = _token_of(body)
    assert tokens.token_digest(token) == Submission.objects.get().token_sha256
    submission.refresh_from_db()
    assert submission.ack_status == AckStatus.SENT
    assert submission.ack_attempts == 1


def test_a_failed_acknowledgement_is_kept_for_a_retry_that_sends_it(
    shared_topic: Topic, settings: Any, smtp: Inbox
) -> None:
    from tests.correspondence.test_dispatch import _free_port

    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 5
    submission = services.submission_create(data=_input(shared_topic), status_base=BASE)
    submission.refresh_from_db()
    assert submission.ack_status == AckStatus.FAILED
    assert submission.ack_error
    assert submission.sealed_token  # kept for the next attempt
    assert smtp.messages == []

    settings.EMAIL_PORT = port
    services.acknowledgement_deliver(submission_id=str(submission.uuid))
    services.acknowledgement_deliver(submission_id=str(submission.uuid))

    submission.refresh_from_db()
    assert submission.ack_status == AckStatus.SENT
    assert submission.ack_attempts == 2
    assert submission.sealed_token == ""
    assert len(smtp.messages) == 1


def test_the_daily_prune_forgets_ended_windows_and_old_refusals(
    demo: Any, at: Callable[[dt.datetime], None]
) -> None:
    from guichet.core.schedule import PERIODIC
    from guichet.webforms import tasks

    start = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    at(start)
    services.rate_allow(scope="submit", address="192.0.2.7", limit=3)
    old = services.refusal_record(
        reason=RefusalReason.HONEYPOT, page="submit", address="192.0.2.7"
    )
    Refusal.objects.filter(pk=old.pk).update(
        created_at=start - services.REFUSALS_KEPT - dt.timedelta(seconds=1)
    )
    kept = services.refusal_record(
        reason=RefusalReason.TOO_FAST, page="submit", address="192.0.2.7"
    )
    # The window still runs until its hour is over.
    at(start + services.RATE_WINDOW - dt.timedelta(microseconds=1))
    assert services.antispam_prune() == (0, 1)
    at(start + services.RATE_WINDOW + dt.timedelta(microseconds=1))
    assert services.antispam_prune() == (1, 0)
    assert list(Refusal.objects.all()) == [kept]
    assert RateWindow.objects.count() == 0
    assert PERIODIC["guichet.webforms.tasks.antispam_prune"].every == dt.timedelta(
        days=1
    )
    assert tasks.antispam_prune.call() == {"windows": 0, "refusals": 0}
