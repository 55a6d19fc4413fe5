"""Real servers on the loopback (issue #16, "done when"): messages delivered to a
dovecot IMAP mailbox are fetched and become contacts and requests; an agent's
reply leaves through SMTP (aiosmtpd receives it) with our reference and its
Message-ID; the citizen's answer to it comes back through IMAP and threads into
the request, reopening it."""

from __future__ import annotations

import email
import email.policy
import imaplib
from pathlib import Path
from typing import Any

from django.core import mail

import pytest

from guichet.correspondence.models import LetterDispatch
from guichet.correspondence.services import request_reply, templates_load
from guichet.inbox import services
from guichet.inbox.fetching import mailbox_fetch
from guichet.inbox.models import InboundMessage, State
from guichet.servicerequests.models import Request, Status
from guichet.servicerequests.services import RequestInput
from tests.correspondence.factories import person_with_address
from tests.inbox.conftest import PASSWORD, USER, Imap

pytestmark = pytest.mark.django_db

QUESTION = b"""From: Marie Dubois <marie.dubois@example.be>\r
To: population@guichet.example\r
Subject: Extrait d'acte de naissance\r
Message-ID: <question-1@example.be>\r
Content-Type: text/plain; charset=utf-8\r
\r
Bonjour, je voudrais un extrait d'acte de naissance pour ma fille.\r
"""


def _unseen(imap: Imap) -> list[bytes]:
    client = imaplib.IMAP4("127.0.0.1", imap.port)
    try:
        client.login(USER, PASSWORD)
        client.select("INBOX")
        _, found = client.uid("SEARCH", "UNSEEN")
        return list(found[0].split())
    finally:
        client.logout()


def test_mail_fetched_by_imap_is_stored_once_and_marked_seen_after(
    imap: Imap, service: Any, corpus: Path
) -> None:
    for name in ("encoded_fr.eml", "auto_reply.eml", "script_and_remote_images.eml"):
        imap.deliver((corpus / name).read_bytes(), name)

    fetched = mailbox_fetch(imap.mailbox("population"))

    assert (fetched.stored, fetched.already) == (3, 0)
    assert _unseen(imap) == []
    states = dict(InboundMessage.objects.values_list("message_id", "state"))
    assert states == {
        "encoded-fr-1@example.be": "new",
        "auto-1@example.be": "auto_reply",
        "script-1@example.be": "new",
    }
    # The bytes stored are the bytes delivered.
    stored = InboundMessage.objects.get(message_id="encoded-fr-1@example.be")
    assert bytes(stored.raw) == (corpus / "encoded_fr.eml").read_bytes()
    assert mailbox_fetch(imap.mailbox("population")).stored == 0


def test_a_message_seen_again_after_a_crash_is_stored_once(
    imap: Imap, service: Any
) -> None:
    imap.deliver(QUESTION, "question")
    # As if an earlier run stored it and died before flagging it seen.
    services.message_receive(raw=QUESTION, source="earlier", team=service.team)

    fetched = mailbox_fetch(imap.mailbox("population"))

    assert (fetched.stored, fetched.already) == (0, 1)
    assert InboundMessage.objects.count() == 1
    assert _unseen(imap) == []


def test_a_done_folder_receives_the_stored_messages(imap: Imap, service: Any) -> None:
    client = imaplib.IMAP4("127.0.0.1", imap.port)
    client.login(USER, PASSWORD)
    client.create("Guichet")
    client.logout()
    imap.deliver(QUESTION, "question")

    mailbox_fetch(imap.mailbox("population", done_folder="Guichet"))

    client = imaplib.IMAP4("127.0.0.1", imap.port)
    client.login(USER, PASSWORD)
    _, inbox = client.select("INBOX")
    _, done = client.select("Guichet")
    client.logout()
    assert (inbox[0], done[0]) == (b"0", b"1")


def test_from_imap_to_a_request_answered_by_smtp_and_back(
    imap: Imap, smtp: Any, service: Any, clerk: Any
) -> None:
    templates_load(actor=None)
    marie = person_with_address(
        given_names="Marie", surname="Dubois", email="marie.dubois@example.be"
    )
    imap.deliver(QUESTION, "question")
    mailbox_fetch(imap.mailbox("population"))
    message = InboundMessage.objects.get()
    assert (message.state, message.sender_person) == (State.NEW, marie)

    handled = services.message_open_request(
        actor=clerk,
        message=message,
        data=RequestInput(
            kind="question",
            subject="Extrait d'acte de naissance",
            topic="attestations",
            channel="email",
        ),
    )
    request = Request.objects.get(pk=handled.request_id)
    Request.objects.filter(pk=request.pk).update(owner=clerk)
    mail.outbox.clear()
    reply = request_reply(
        actor=clerk,
        request=request,
        standard_answer="answer_legalisation_procedure",
    )
    assert reply.dispatched

    # The reply reached the SMTP server, with our reference and its Message-ID.
    assert len(smtp.messages) == 1
    _, recipients, content = smtp.messages[0]
    assert recipients == ["marie.dubois@example.be"]
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert request.reference in str(sent["Subject"])
    dispatch = LetterDispatch.objects.get(letter=reply.letter)
    assert dispatch.status == "sent"
    assert sent["Message-ID"] == dispatch.message_id
    assert sent["X-Guichet-Dispatch"] == str(dispatch.uuid)

    # The request is closed; Marie answers the e-mail (no reference in her subject).
    Request.objects.filter(pk=request.pk).update(status=Status.CLOSED)
    answer = (
        "From: Marie Dubois <marie.dubois@example.be>\r\n"
        "To: population@guichet.example\r\n"
        "Subject: Re: merci\r\n"
        "Message-ID: <answer-1@example.be>\r\n"
        f"In-Reply-To: {dispatch.message_id}\r\n"
        f"References: <question-1@example.be> {dispatch.message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Merci, mais il me faut aussi une copie certifiee.\r\n"
    ).encode()
    imap.deliver(answer, "answer")
    mailbox_fetch(imap.mailbox("population"))

    threaded = InboundMessage.objects.get(message_id="answer-1@example.be")
    assert (threaded.state, threaded.request_id) == (State.THREADED, request.pk)
    request.refresh_from_db()
    assert request.status == Status.REOPENED
    assert request.contacts.filter(pk=threaded.contact_id).exists()

    # Our own e-mail coming back in (a forward to the service's address) is a loop.
    imap.deliver(content, "loop")
    mailbox_fetch(imap.mailbox("population"))
    assert InboundMessage.objects.get(
        message_id=dispatch.message_id.strip("<>")
    ).state == (State.LOOP)
