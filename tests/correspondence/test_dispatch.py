"""Sending issued letters: by e-mail through a real SMTP server, in a print batch,
at the counter; and the letter in the person's timeline."""

from __future__ import annotations

import email
import email.policy
import io
import socket
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from django.core.management import call_command

import pikepdf
import pytest
from aiosmtpd.controller import Controller

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, ValidationFailed
from guichet.correspondence import archive, pdfcheck, selectors, services
from guichet.correspondence.errors import WrongState
from guichet.correspondence.models import (
    DispatchStatus,
    Letter,
    LetterDispatch,
    PrintBatch,
)
from guichet.parties.models import EmailAddress
from tests.correspondence.factories import person_with_address

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(
                (envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 and a random port; Django sends to it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Guichet <noreply@guichet.example>"
    try:
        yield inbox
    finally:
        controller.stop()


def _issue(agent: Any, someone: Any, letter_type: str = "acknowledgement") -> Letter:
    draft = services.letter_draft_create(
        actor=agent, person_id=someone.uuid, letter_type=letter_type
    )
    letter = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    letter.refresh_from_db()
    return letter


def test_an_email_reaches_the_smtp_server_with_the_pdf_attached(
    smtp: Inbox, writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    letter = _issue(agent, person)

    dispatch = services.letter_send_email(actor=agent, letter_id=letter.uuid)

    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts, dispatch.error) == ("sent", 1, "")
    assert dispatch.address == "helene.lefevre@example.be"
    assert len(smtp.messages) == 1
    sender, recipients, raw = smtp.messages[0]
    assert (sender, recipients) == (
        "noreply@guichet.example",
        ["helene.lefevre@example.be"],
    )
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(message["Subject"]).strip() == (
        f"Notre lettre {letter.number} : Réception de votre demande"
    )
    assert message["Message-ID"] == f"<{dispatch.uuid}@guichet.example>"
    assert message["Reply-To"] == "legalisation@guichet.example"
    attachments = list(message.iter_attachments())
    assert [part.get_filename() for part in attachments] == [
        f"LEG-{letter.year}-000001.pdf"
    ]
    attached = attachments[0].get_content()
    assert attached == archive.read(letter.pdf_sha256, "pdf")
    assert pdfcheck.inspect(attached).is_pdfa_3b
    letter.refresh_from_db()
    assert (letter.status, letter.channel) == ("sent", "email")
    assert letter.sent_at == dispatch.sent_at
    assert (
        AuditEvent.objects.filter(
            action="letter.send", object_id=str(letter.uuid)
        ).count()
        == 1
    )

    # Delivering the same dispatch again sends nothing more.
    services.letter_email_deliver(dispatch_id=dispatch.uuid)
    assert len(smtp.messages) == 1


def test_an_unreachable_server_marks_the_dispatch_failed_and_a_retry_sends_it(
    settings: Any, writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    letter = _issue(agent, person)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_TIMEOUT = 5

    dispatch = services.letter_send_email(actor=agent, letter_id=letter.uuid)

    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts) == ("failed", 1)
    assert dispatch.error
    letter.refresh_from_db()
    assert (letter.status, letter.channel) == ("issued", "")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        call_command("letters", "retry-mail", "--json", stdout=io.StringIO())
    finally:
        controller.stop()
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts) == ("sent", 2)
    assert [recipients for _from, recipients, _raw in inbox.messages] == [
        ["helene.lefevre@example.be"]
    ]
    letter.refresh_from_db()
    assert letter.status == "sent"


def test_an_email_needs_an_address(writer: Callable[..., Any], templates: int) -> None:
    agent = writer("C")
    letter = _issue(agent, person_with_address(email=None))
    with pytest.raises(ValidationFailed) as caught:
        services.letter_send_email(actor=agent, letter_id=letter.uuid)
    assert [(e.field, e.code) for e in caught.value.errors] == [("address", "no_email")]
    with pytest.raises(ValidationFailed) as caught:
        services.letter_send_email(
            actor=agent, letter_id=letter.uuid, address="not an address"
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("address", "invalid_email")
    ]
    assert LetterDispatch.objects.count() == 0


def test_an_email_goes_to_any_address_the_person_gave_us(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    # given a person with a second e-mail address on record
    EmailAddress.objects.create(
        person=person, address="Helene@Work.example", address_key="helene@work.example"
    )
    agent = writer("D")
    letter = _issue(agent, person)
    # when a level-D agent sends the letter there (typed in another case)
    dispatch = services.letter_send_email(
        actor=agent, letter_id=letter.uuid, address=" helene@work.EXAMPLE "
    )
    # then it goes to that address as recorded, with no reason asked
    assert dispatch.address == "Helene@Work.example"
    event = AuditEvent.objects.get(action="letter.dispatch")
    assert (event.summary["on_record"], event.reason) == (True, "")


def test_only_level_b_sends_elsewhere_and_says_why(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    # given an issued letter
    letter = _issue(writer("C"), person)
    # when a level-C agent sends it to an address the person never gave
    with pytest.raises(Forbidden) as refused:
        services.letter_send_email(
            actor=writer("C"), letter_id=letter.uuid, address="stranger@example.org"
        )
    # then it is refused and nothing is queued
    assert refused.value.code == "address_not_on_record"
    assert LetterDispatch.objects.count() == 0
    # a level-B agent must say why, then it goes, and the reason is kept
    level_b = writer("B")
    with pytest.raises(ValidationFailed) as caught:
        services.letter_send_email(
            actor=level_b, letter_id=letter.uuid, address="stranger@example.org"
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("address_reason", "required")
    ]
    assert LetterDispatch.objects.count() == 0
    dispatch = services.letter_send_email(
        actor=level_b,
        letter_id=letter.uuid,
        address="stranger@example.org",
        address_reason="Her lawyer, by her signed mandate of 3 March.",
    )
    assert dispatch.address == "stranger@example.org"
    event = AuditEvent.objects.get(action="letter.dispatch")
    assert event.reason == "Her lawyer, by her signed mandate of 3 March."
    assert event.summary["on_record"] is False


def test_a_print_batch_is_one_pdf_with_a_list_then_each_letter(
    writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    letters = [
        _issue(agent, person_with_address(surname=f"Dupont{index}"))
        for index in range(3)
    ]
    other = _issue(agent, person_with_address(surname="Ailleurs"))
    services.letter_hand_over(actor=agent, letter_id=other.uuid)

    waiting = selectors.letters_to_post(agent=agent)
    assert [letter.uuid for letter in waiting] == [letter.uuid for letter in letters]
    batch = services.print_batch_create(actor=agent)

    assert batch.letter_count == 3
    _batch, data = selectors.print_batch_pdf(agent=agent, batch_id=batch.uuid)
    assert archive.digest(data) == batch.pdf_sha256
    with pikepdf.open(io.BytesIO(data)) as merged:
        assert len(merged.pages) == 1 + 3
        for page, letter in zip(merged.pages[1:], letters, strict=True):
            with pikepdf.open(
                io.BytesIO(archive.read(letter.pdf_sha256, "pdf"))
            ) as single:
                assert (
                    page.Contents.read_bytes() == single.pages[0].Contents.read_bytes()
                )
    for letter in letters:
        letter.refresh_from_db()
        assert (letter.status, letter.channel) == ("sent", "post")
    assert (
        LetterDispatch.objects.filter(
            print_batch=batch, status=DispatchStatus.SENT
        ).count()
        == 3
    )
    cover = services.letters._cover_html("Légalisations", letters, "fr", [1, 1, 1])
    assert "Lettres à poster" in cover
    for letter in letters:
        assert letter.number in cover
        assert letter.content["recipient"][0] in cover
    # Nothing is left to print: a second batch is refused and nothing is created.
    with pytest.raises(ValidationFailed) as caught:
        services.print_batch_create(actor=agent)
    assert caught.value.errors[0].code == "nothing_to_print"
    assert PrintBatch.objects.count() == 1


def test_a_letter_handed_over_at_the_counter_is_sent_and_in_the_timeline(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    letter = _issue(agent, person)

    dispatch = services.letter_hand_over(actor=agent, letter_id=letter.uuid)

    assert (dispatch.channel, dispatch.status) == ("counter", "sent")
    letter.refresh_from_db()
    assert (letter.status, letter.channel) == ("sent", "counter")
    timeline = selectors.letters_for_person(agent=agent, person_id=person.uuid)
    assert [(item.uuid, item.status, item.channel) for item in timeline] == [
        (letter.uuid, "sent", "counter")
    ]
    # A second copy handed over later does not change when it was first sent.
    services.letter_hand_over(
        actor=agent, letter_id=letter.uuid, resend_reason="She lost the first one."
    )
    first_sent = letter.sent_at
    letter.refresh_from_db()
    assert letter.sent_at == first_sent
    assert LetterDispatch.objects.filter(letter=letter).count() == 2


def test_a_draft_cannot_be_sent(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    with pytest.raises(WrongState):
        services.letter_hand_over(actor=agent, letter_id=draft.uuid)
    with pytest.raises(WrongState):
        services.letter_send_email(actor=agent, letter_id=draft.uuid)
    assert LetterDispatch.objects.count() == 0


def test_a_letter_whose_email_waits_is_not_offered_for_printing(
    monkeypatch: pytest.MonkeyPatch, writer: Callable[..., Any], templates: int
) -> None:
    # given a letter queued for e-mail, with no worker sending it yet (the demo)
    monkeypatch.setattr(
        "guichet.correspondence.tasks.send_letter_email",
        SimpleNamespace(enqueue=lambda *args: None),
    )
    agent = writer("C")
    letter = _issue(agent, person_with_address())
    services.letter_send_email(actor=agent, letter_id=letter.uuid)
    assert LetterDispatch.objects.get().status == "queued"
    # then it is not among the letters to post, and a batch has nothing to print
    assert selectors.letters_to_post(agent=agent) == []
    with pytest.raises(ValidationFailed) as caught:
        services.print_batch_create(actor=agent)
    assert caught.value.errors[0].code == "nothing_to_print"
    # nor is it e-mailed, handed over or printed again without a reason
    for again in (
        lambda: services.letter_send_email(actor=agent, letter_id=letter.uuid),
        lambda: services.letter_hand_over(actor=agent, letter_id=letter.uuid),
        lambda: services.print_batch_create(actor=agent, letter_ids=[letter.uuid]),
    ):
        with pytest.raises(ValidationFailed) as caught:
            again()
        assert [(e.field, e.code) for e in caught.value.errors] == [
            ("resend_reason", "already_dispatched")
        ]
    assert LetterDispatch.objects.count() == 1
    assert PrintBatch.objects.count() == 0


def test_a_second_dispatch_confirmed_with_a_reason_is_recorded(
    writer: Callable[..., Any], templates: int
) -> None:
    # given a letter sent by e-mail, and one not sent yet
    agent = writer("C")
    letter = _issue(agent, person_with_address())
    first = _issue(agent, person_with_address(surname="Neuf"))
    services.letter_send_email(actor=agent, letter_id=letter.uuid)
    # when the agent prints both, saying why the first goes once more
    batch = services.print_batch_create(
        actor=agent,
        letter_ids=[letter.uuid, first.uuid],
        resend_reason="The citizen asked for a paper copy.",
    )
    # then both are posted, and the reason is recorded for the one sent before
    assert batch.letter_count == 2
    posted_once = AuditEvent.objects.get(
        action="letter.send", object_id=str(first.uuid)
    )
    assert (posted_once.summary["again"], posted_once.reason) == (False, "")
    assert list(
        LetterDispatch.objects.filter(letter=letter)
        .order_by("created_at", "id")
        .values_list("channel", "status")
    ) == [("email", "sent"), ("post", "sent")]
    event = AuditEvent.objects.get(
        action="letter.send", summary__channel="post", object_id=str(letter.uuid)
    )
    assert (event.summary["again"], event.reason) == (
        True,
        "The citizen asked for a paper copy.",
    )
    letter.refresh_from_db()
    assert (letter.status, letter.channel) == ("sent", "email")


def test_a_failed_email_does_not_count_as_sent(
    settings: Any, writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    letter = _issue(agent, person_with_address())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_TIMEOUT = 5
    services.letter_send_email(actor=agent, letter_id=letter.uuid)
    assert LetterDispatch.objects.get().status == "failed"
    # the letter is still to post, and may be handed over without a reason
    assert [item.uuid for item in selectors.letters_to_post(agent=agent)] == [
        letter.uuid
    ]
    services.letter_hand_over(actor=agent, letter_id=letter.uuid)
