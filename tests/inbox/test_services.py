"""E-mail in: stored first and once, read, classified, threaded; the agent's actions;
the tricky corpus through `guichet inbox import` (issue #16, items 1 and 3)."""

from __future__ import annotations

import json
import mailbox
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

from guichet.audit.models import AuditEvent
from guichet.contacts.models import Contact, Direction
from guichet.core.errors import Forbidden, ValidationFailed
from guichet.documents import storage
from guichet.inbox import services
from guichet.inbox.models import InboundAttachment, InboundMessage, State
from guichet.servicerequests.models import Request, Status
from guichet.servicerequests.services import RequestInput
from tests.correspondence.factories import person_with_address
from tests.inbox.conftest import question
from tests.inbox.make_corpus import big_message

pytestmark = pytest.mark.django_db

CITIZEN = b"""From: Marie Dubois <marie.dubois@example.be>\r
To: population@guichet.example\r
Subject: %s\r
Message-ID: <%s@example.be>\r
Content-Type: text/plain; charset=utf-8\r
\r
Bonjour, je voudrais un extrait d'acte de naissance pour ma fille.\r
"""


def _citizen(
    subject: bytes = b"Extrait", ident: bytes = b"one", **headers: str
) -> bytes:
    extra = "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    return extra.encode() + CITIZEN % (subject, ident)


def _import(paths: list[Path], team: str = "population") -> dict[str, Any]:
    out = StringIO()
    call_command(
        "inbox", "import", "--team", team, "--json", *map(str, paths), stdout=out
    )
    return dict(json.loads(out.getvalue()))


def _receive(raw: bytes, service: Any) -> InboundMessage:
    received = services.message_receive(raw=raw, source="test", team=service.team)
    return services.message_process(message_id=received.message.pk)


def test_every_corpus_message_ends_as_a_message_to_handle_or_recognised(
    service: Any, corpus: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.eml"
    big.write_bytes(big_message())

    summary = _import([corpus, big])

    assert summary["found"] == summary["stored"] == 14
    assert summary["states"] == {
        "auto_reply": 2,
        "bounce": 1,
        "loop": 1,
        "new": 10,
    }
    for message in InboundMessage.objects.all():
        assert message.raw_size == len(bytes(message.raw))
        assert message.state in {"new", "auto_reply", "bounce", "loop"}
        if message.state != "new":
            assert message.reason  # the header that told
    html = InboundMessage.objects.get(message_id="script-1@example.be").html
    assert "<script" not in html
    assert "<img" not in html


def test_a_second_import_stores_nothing_again(service: Any, corpus: Path) -> None:
    first = _import([corpus])
    count = InboundMessage.objects.count()

    again = _import([corpus])

    assert first["stored"] == count == 13
    assert (again["stored"], again["already"]) == (0, 13)
    assert InboundMessage.objects.count() == count


def test_an_mbox_and_a_maildir_are_imported(service: Any, tmp_path: Path) -> None:
    box = mailbox.mbox(str(tmp_path / "archive.mbox"))
    box.add(_citizen(ident=b"mbox-1"))
    box.add(_citizen(ident=b"mbox-2"))
    box.close()
    folder = mailbox.Maildir(str(tmp_path / "maildir"))
    folder.add(_citizen(ident=b"maildir-1"))

    summary = _import([tmp_path / "archive.mbox", tmp_path / "maildir"])

    assert (summary["found"], summary["stored"]) == (3, 3)
    assert set(InboundMessage.objects.values_list("message_id", flat=True)) == {
        "mbox-1@example.be",
        "mbox-2@example.be",
        "maildir-1@example.be",
    }


def test_an_unknown_team_is_refused(db: Any, corpus: Path) -> None:
    with pytest.raises(Exception, match="No service"):
        _import([corpus], team="nowhere")
    assert not InboundMessage.objects.exists()


def test_attachments_are_sniffed_limited_and_stored_once(
    service: Any, corpus: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.eml"
    big.write_bytes(big_message())
    _import([corpus / "misleading_extensions.eml", big])

    rows = {
        row.filename: row
        for row in InboundAttachment.objects.filter(
            message__message_id="misleading-1@example.be"
        )
    }
    # A "PDF" that is a program is refused; a ".txt" that is a PNG is a PNG.
    assert (rows["facture.pdf"].refused, rows["facture.pdf"].sha256) == (
        "type_not_accepted",
        "",
    )
    assert (rows["photo.txt"].content_type, rows["photo.txt"].refused) == (
        "image/png",
        "",
    )
    assert rows["photo.txt"].sha256 == rows["copie.png"].sha256
    assert storage.exists(rows["photo.txt"].sha256)
    huge = InboundAttachment.objects.get(message__message_id="big-1@example.be")
    assert (huge.refused, huge.sha256) == ("too_large", "")
    assert huge.size == 20 * 1024 * 1024
    kept = InboundMessage.objects.get(message_id="big-1@example.be")
    assert kept.state == State.NEW
    assert "dossier complet" in kept.text


def test_the_sender_is_matched_to_the_one_person_with_that_address(
    service: Any,
) -> None:
    marie = person_with_address(
        given_names="Marie", surname="Dubois", email="Marie.Dubois@example.be"
    )

    message = _receive(_citizen(), service)

    assert message.sender_person == marie
    assert message.language == "fr"


def test_two_persons_with_one_address_leave_the_sender_to_the_agent(
    service: Any,
) -> None:
    person_with_address(surname="Dubois", email="marie.dubois@example.be")
    person_with_address(surname="Dubois-Martin", email="marie.dubois@example.be")

    assert _receive(_citizen(), service).sender_person is None


def test_a_failure_leaves_the_message_to_retry_with_its_reason(
    service: Any, monkeypatch: Any
) -> None:
    # The failure is forced: nothing in a well-formed message makes processing fail.
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(services, "_store_attachments", broken)
    message = _receive(_citizen(), service)
    assert (message.state, message.attempts) == (State.RETRY, 1)
    assert message.reason == "OSError: disk full"
    assert message.next_attempt_at is not None
    assert bytes(message.raw).startswith(b"From: Marie")
    monkeypatch.undo()

    assert services.messages_process_due() == 0  # not due yet
    assert services.messages_process_due(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert (message.state, message.reason) == (State.NEW, "")


def test_after_the_last_attempt_the_message_is_failed(
    service: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "_store_attachments", lambda *a: 1 / 0)
    message = _receive(_citizen(), service)
    for _ in range(services.ATTEMPTS - 1):
        InboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        services.message_process(message_id=message.pk)
        message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.attempts == services.ATTEMPTS
    assert "ZeroDivisionError" in message.reason


def test_an_administrator_retries_a_failed_message_without_reading_it(
    service: Any, make_agent: Any, clerk: Any
) -> None:
    message = _receive(_citizen(), service)
    InboundMessage.objects.filter(pk=message.pk).update(state=State.FAILED, attempts=5)
    admin = make_agent("admin", teams=())

    retried = services.message_retry(actor=admin, message=message)

    assert retried.state == State.NEW
    assert AuditEvent.objects.filter(action="inbox.retry").exists()
    with pytest.raises(ValidationFailed):
        services.message_retry(actor=admin, message=retried)
    with pytest.raises(Forbidden):
        services.message_retry(actor=clerk, message=retried)


def test_the_reference_in_the_subject_threads_and_reopens_a_closed_request(
    service: Any, clerk: Any
) -> None:
    marie = person_with_address(surname="Dubois", email="marie.dubois@example.be")
    request = question(clerk, marie, status=Status.CLOSED)
    Request.objects.filter(pk=request.pk).update(owner=clerk)

    message = _receive(_citizen(subject=f"Re: {request.reference}".encode()), service)

    assert message.state == State.THREADED
    assert message.request == request
    request.refresh_from_db()
    assert request.status == Status.REOPENED
    contact = Contact.objects.get(pk=message.contact_id)
    assert (contact.channel, contact.direction, contact.person) == (
        "email",
        Direction.INBOUND,
        marie,
    )
    assert list(request.contacts.all()) == [contact]


def test_automatic_messages_are_never_threaded_nor_handled(
    service: Any, clerk: Any, corpus: Path
) -> None:
    marie = person_with_address(surname="Dubois", email="marie.dubois@example.be")
    request = question(clerk, marie, status=Status.CLOSED)
    raw = (
        (corpus / "auto_reply.eml")
        .read_bytes()
        .replace(b"Absence du bureau", f"Re: {request.reference}".encode())
    )

    message = _receive(raw, service)

    assert (message.state, message.request, message.contact) == (
        "auto_reply",
        None,
        None,
    )
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    with pytest.raises(ValidationFailed):
        services.message_attach(actor=clerk, message=message, request=request)


def test_an_agent_opens_a_request_from_a_message(service: Any, clerk: Any) -> None:
    marie = person_with_address(surname="Dubois", email="marie.dubois@example.be")
    message = _receive(_citizen(), service)

    handled = services.message_open_request(
        actor=clerk,
        message=message,
        data=RequestInput(
            kind="question", subject="Extrait", topic="attestations", channel="email"
        ),
    )

    assert handled.state == State.HANDLED
    request = Request.objects.get(pk=handled.request_id)
    assert (request.person, request.channel, request.reply_channel) == (
        marie,
        "email",
        "email",
    )
    assert "extrait d'acte" in request.description
    with pytest.raises(ValidationFailed):
        services.message_open_request(
            actor=clerk,
            message=handled,
            data=RequestInput(
                kind="question", subject="x", topic="attestations", channel="email"
            ),
        )


def test_an_unknown_sender_opens_a_request_about_nobody_yet(
    service: Any, clerk: Any
) -> None:
    message = _receive(_citizen(), service)

    handled = services.message_open_request(
        actor=clerk,
        message=message,
        data=RequestInput(
            kind="question", subject="Extrait", topic="attestations", channel="email"
        ),
    )

    request = Request.objects.get(pk=handled.request_id)
    assert request.person is None
    assert request.requester_name == "Marie Dubois"


def test_an_agent_of_another_service_cannot_handle_the_message(
    service: Any, make_agent: Any
) -> None:
    message = _receive(_citizen(), service)
    stranger = make_agent("front_office", teams=("elsewhere",), username="stranger")

    with pytest.raises(Forbidden):
        services.message_open_request(
            actor=stranger,
            message=message,
            data=RequestInput(
                kind="question", subject="x", topic="attestations", channel="email"
            ),
        )
