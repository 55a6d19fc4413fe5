"""The inbox screens: a message shown safely, handled by an agent; the failed
messages' screen for an administrator, without citizen content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.inbox import services
from guichet.inbox.models import InboundMessage, State
from guichet.servicerequests.models import Request
from tests.correspondence.factories import person_with_address
from tests.inbox.conftest import question

pytestmark = pytest.mark.django_db


def _client(agent: Any) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _stored(corpus: Path, name: str, service: Any) -> InboundMessage:
    raw = (corpus / name).read_bytes()
    received = services.message_receive(raw=raw, source="test", team=service.team)
    return services.message_process(message_id=received.message.pk)


def test_a_message_with_a_script_is_shown_without_it(
    service: Any, clerk: Any, corpus: Path
) -> None:
    message = _stored(corpus, "script_and_remote_images.eml", service)

    page = _client(clerk).get(f"/inbox/{message.uuid}/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "pwned" not in body
    assert "tracker.example.net" not in body
    assert "javascript:" not in body
    assert "2 images were not shown" in body
    assert "script-src" in page["Content-Security-Policy"]


def test_an_agent_opens_a_request_from_the_screen(
    service: Any, clerk: Any, corpus: Path
) -> None:
    marie = person_with_address(surname="Dubois", email="marie.dubois@example.be")
    message = _stored(corpus, "no_subject.eml", service)
    client = _client(clerk)
    assert "DUBOIS" in client.get("/inbox/").content.decode()
    # the message shows its suggestions: language, topics, answers and articles
    page = client.get(f"/inbox/{message.uuid}/").content.decode()
    assert 'id="suggestions"' in page
    assert "Language of the message:" in page

    done = client.post(
        f"/inbox/{message.uuid}/",
        {
            "open": "1",
            "person": str(marie.uuid),
            "kind": "question",
            "subject": "Carte d'identité",
            "topic": "attestations",
        },
    )

    assert done.status_code == 302, done.content.decode()[-3000:]
    request = Request.objects.get()
    assert done["Location"] == f"/requests/{request.reference}/"
    assert request.person == marie
    message.refresh_from_db()
    assert message.state == State.HANDLED


def test_attaching_to_a_request_the_agent_does_not_see_is_refused(
    service: Any, clerk: Any, corpus: Path
) -> None:
    message = _stored(corpus, "no_subject.eml", service)

    page = _client(clerk).post(
        f"/inbox/{message.uuid}/", {"attach": "1", "reference": "REQ-2026-0000999"}
    )

    assert page.status_code == 422
    message.refresh_from_db()
    assert message.state == State.NEW


def test_an_agent_of_another_service_does_not_see_the_message(
    service: Any, make_agent: Any, corpus: Path
) -> None:
    message = _stored(corpus, "no_subject.eml", service)
    stranger = make_agent("front_office", teams=("elsewhere",), username="stranger")

    assert _client(stranger).get(f"/inbox/{message.uuid}/").status_code == 404


def test_the_administrator_sees_failures_without_content_and_retries(
    service: Any, make_agent: Any, corpus: Path
) -> None:
    message = _stored(corpus, "encoded_fr.eml", service)
    InboundMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED, attempts=5, reason="OSError: disk full"
    )
    admin = make_agent("admin", teams=(), username="admin")
    client = _client(admin)

    page = client.get("/inbox/problems/").content.decode()

    assert "disk full" in page
    assert "Lefèvre" not in page
    assert "naissance" not in page
    assert client.get(f"/inbox/{message.uuid}/").status_code == 404
    client.post(f"/inbox/problems/{message.uuid}/retry/")
    message.refresh_from_db()
    assert message.state == State.NEW


def test_a_reply_that_cannot_be_sent_shows_its_error_on_the_request(
    service: Any, clerk: Any, settings: Any
) -> None:
    from guichet.correspondence.services import request_reply, templates_load
    from tests.correspondence.test_dispatch import _free_port

    templates_load(actor=None)
    marie = person_with_address(surname="Dubois", email="marie.dubois@example.be")
    request = question(clerk, marie, topic="legalisation")
    # Nothing listens on this port: the SMTP conversation fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_TIMEOUT = 5

    reply = request_reply(
        actor=clerk, request=request, standard_answer="answer_legalisation_procedure"
    )

    assert reply.dispatch is not None
    reply.dispatch.refresh_from_db()
    assert reply.dispatch.status == "failed"
    page = _client(clerk).get(f"/requests/{request.reference}/").content.decode()
    assert "Replies by e-mail" in page
    assert "marie.dubois@example.be" in page
    assert "Error:" in page
    assert "1 attempt, tried again on its own" in page


def test_a_kept_attachment_downloads_and_a_refused_one_does_not(
    service: Any, clerk: Any, make_agent: Any, corpus: Path
) -> None:
    message = _stored(corpus, "misleading_extensions.eml", service)
    rows = {row.filename: row for row in message.attachments.all()}
    client = _client(clerk)
    page = client.get(f"/inbox/{message.uuid}/").content.decode()
    png = rows["photo.txt"]
    url = f"/inbox/{message.uuid}/attachments/{png.uuid}/"
    assert f'href="{url}"' in page
    assert f"/attachments/{rows['facture.pdf'].uuid}/" not in page

    # the type read from the bytes names the file, as a download only
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="file-{png.uuid}.png"'
    )
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer.content.startswith(b"\x89PNG")
    # a refused file was never stored; another service's agent finds nothing
    refused = f"/inbox/{message.uuid}/attachments/{rows['facture.pdf'].uuid}/"
    assert client.get(refused).status_code == 404
    stranger = make_agent("front_office", teams=("elsewhere",), username="stranger")
    assert _client(stranger).get(url).status_code == 404
