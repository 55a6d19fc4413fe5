"""The public web form and status pages over HTTP, as a citizen's browser (or a
program) uses them: no login, the citizen's language, the anti-spam answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from guichet.agents.models import Agent
from guichet.contacts.models import Topic
from guichet.core import clock
from guichet.core.addresses import proxy_networks
from guichet.servicerequests.models import Request
from guichet.webforms import antispam
from guichet.webforms.models import Refusal, Submission

pytestmark = pytest.mark.django_db

FORM = "/public/contact/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """One instant for the whole test: the time trap measures from the stamp a
    test makes to the check the view makes, which a busy machine may space out by
    seconds (a form "sent at once" then passed)."""
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def topic(demo: Any) -> Topic:
    return Topic.objects.get(team__isnull=True, code="legalisation")


def _fields(topic: Topic, *, seconds_ago: float = 30, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "topic": str(topic.uuid),
        "message": "Hoe laat ik een geboorteakte legaliseren?",
        "name": "Jan Peeters",
        "email": "jan.peeters@example.be",
        "phone": "",
        "consent": "on",
        "website": "",
        "stamp": antispam.stamp_make(clock.now() - dt.timedelta(seconds=seconds_ago)),
        **changes,
    }


def _client(language: str = "nl", address: str = "192.0.2.10", **extra: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address, **extra)


def _link(body: str) -> str:
    found = re.search(r"http://testserver(/public/status/[A-Za-z0-9_-]{43}/)", body)
    assert found is not None, body
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "heading", "topic_name"),
    [
        ("fr", "Poser une question ou introduire une plainte", "Légalisation"),
        ("nl", "Een vraag stellen of een klacht indienen", "Legalisatie"),
        ("de", "Eine Frage stellen oder eine Beschwerde einreichen", "Legalisation"),
        ("en", "Ask a question or file a complaint", "Legalisation"),
    ],
)
def test_the_form_needs_no_login_and_speaks_the_browser_language(
    topic: Topic, language: str, heading: str, topic_name: str
) -> None:
    response = _client(language).get(FORM)
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert topic.name(language) == topic_name
    assert topic_name in html
    for code in ("fr", "nl", "de", "en"):
        assert f'name="language" value="{code}"' in html
    # No agent navigation, no script of the workspace, nothing inline.
    assert "sidenav" not in html
    assert "<script" not in html
    assert 'name="website"' in html
    assert 'name="stamp"' in html


def test_a_citizen_sends_the_form_and_follows_it_by_the_link(topic: Topic) -> None:
    client = _client("nl")
    response = client.post(
        FORM,
        {
            **_fields(topic),
            "attachments": [SimpleUploadedFile("scan.jpg", PNG, "image/jpeg")],
        },
    )

    assert response.status_code == 302
    request = Request.objects.get(web_submission__isnull=False)
    assert request.language == "nl"
    assert request.team.code == "legalisations"
    submission = Submission.objects.get()
    assert submission.attachments.get().content_type == "image/png"
    sent = client.get(response["Location"])
    assert request.reference in sent.content.decode()
    assert "Dank u: wij hebben uw bericht ontvangen" in sent.content.decode()
    # The link of the acknowledgement opens the status page, in any browser.
    assert len(mail.outbox) == 1
    status = _client("nl", address="198.51.100.1").get(_link(mail.outbox[0].body))
    html = status.content.decode()
    assert status.status_code == 200
    assert request.reference in html
    assert "Ontvangen: wacht op behandeling." in html
    assert status["Referrer-Policy"] == "same-origin"
    assert status["Cache-Control"] == "no-store"
    # Nothing personal: not the name, the address or the message.
    for personal in ("Jan Peeters", "jan.peeters@example.be", "geboorteakte"):
        assert personal not in html


def test_field_errors_are_told_in_the_citizen_language_and_change_nothing(
    topic: Topic,
) -> None:
    before = Request.objects.count()
    response = _client("de").post(
        FORM, _fields(topic, message="", email="jan@", consent="")
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "Dieses Feld ist erforderlich." in html
    assert "Wir können Ihre Nachricht nur bearbeiten, wenn Sie dem zustimmen." in html
    assert 'aria-invalid="true"' in html
    # What was typed is kept.
    assert "Jan Peeters" in html
    assert Request.objects.count() == before
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_a_misleading_file_is_refused_with_its_name(topic: Topic) -> None:
    before = Request.objects.count()
    response = _client("fr").post(
        FORM,
        {
            **_fields(topic),
            "attachments": [
                SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" * 40, "application/pdf")
            ],
        },
    )
    assert response.status_code == 400
    assert "Le fichier facture.pdf n&#x27;est pas un document PDF" in (
        response.content.decode()
    )
    assert Request.objects.count() == before


@pytest.mark.parametrize(
    ("_case", "changes", "reason"),
    [
        ("too fast", {"seconds_ago": 1}, "too_fast"),
        ("too old", {"seconds_ago": 240 * 60 + 5}, "too_old"),
        ("honeypot", {"website": "http://cheap.example"}, "honeypot"),
        ("no stamp", {"stamp": ""}, "bad_stamp"),
    ],
)
def test_spam_gets_one_generic_answer_and_only_the_register_knows_why(
    topic: Topic, _case: str, changes: dict[str, Any], reason: str
) -> None:
    before = Request.objects.count()
    response = _client("en").post(FORM, _fields(topic, **changes))
    html = response.content.decode()

    assert response.status_code == 400
    alert = re.findall(
        r'<div class="alert error" role="alert">(.*?)</div>', html, re.DOTALL
    )
    assert alert == [
        "<p>We could not accept your message. Please check it and send it again; "
        "your text is kept below, but choose your files again.</p>"
    ]
    # The text is kept for a person who sends again, with a fresh stamp.
    assert "Hoe laat ik een geboorteakte legaliseren?" in html
    assert Request.objects.count() == before
    refusal = Refusal.objects.get()
    assert (refusal.reason, refusal.page, refusal.address) == (
        reason,
        "submit",
        "192.0.2.10",
    )


def test_every_spam_answer_is_the_same_page(topic: Topic) -> None:
    def body(**changes: Any) -> str:
        response = _client("en").post(FORM, _fields(topic, **changes))
        assert response.status_code == 400, changes
        html = response.content.decode()
        # The fresh stamp and the CSRF token differ on every page.
        html = re.sub(r'name="stamp" value="[^"]*"', "", html)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert body(seconds_ago=0) == body(website="x") == body(stamp="forged")


def test_the_rate_limit_boundary_counts_every_attempt_of_an_address(
    topic: Topic, settings: Any
) -> None:
    settings.WEBFORMS_SUBMIT_LIMIT = 2
    client = _client("en")
    assert client.post(FORM, _fields(topic, website="spam")).status_code == 400
    assert client.post(FORM, _fields(topic)).status_code == 302
    refused = client.post(FORM, _fields(topic))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "many messages from your connection" in refused.content.decode()
    assert Submission.objects.count() == 1
    # Another address is not held back.
    assert (
        _client("en", address="192.0.2.11").post(FORM, _fields(topic)).status_code
        == 302
    )
    assert list(
        Refusal.objects.values_list("reason", flat=True).order_by("created_at")
    ) == [
        "honeypot",
        "rate_limited",
    ]


def test_behind_a_trusted_proxy_the_limit_counts_the_client(
    topic: Topic, settings: Any
) -> None:
    settings.WEBFORMS_SUBMIT_LIMIT = 1
    settings.TRUSTED_PROXIES = proxy_networks("10.1.0.0/24")

    def through_proxy(forwarded: str) -> int:
        client = _client("en", address="10.1.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(FORM, _fields(topic)).status_code

    assert through_proxy("192.0.2.7") == 302
    # The client writes another address first: not believed.
    assert through_proxy("203.0.113.9, 192.0.2.7") == 429
    assert through_proxy("192.0.2.8") == 302


def test_any_other_token_is_a_plain_404(topic: Topic) -> None:
    client = _client("en")
    client.post(FORM, _fields(topic))
    link = _link(mail.outbox[0].body)
    token = link.split("/")[-2]
    other = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert client.get(link).status_code == 200
    for path in (
        f"/public/status/{other}/",
        f"/public/status/{Submission.objects.get().token_sha256}/",
        "/public/status/x/",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert Submission.objects.get().request.reference not in (
            response.content.decode()
        )


def test_the_status_page_is_rate_limited(topic: Topic, settings: Any) -> None:
    _client("en").post(FORM, _fields(topic))
    link = _link(mail.outbox[0].body)
    settings.WEBFORMS_STATUS_LIMIT = 2
    guesser = _client("en", address="203.0.113.5")

    assert guesser.get("/public/status/" + "A" * 43 + "/").status_code == 404
    assert guesser.get(link).status_code == 200
    refused = guesser.get(link)
    assert refused.status_code == 429
    assert Submission.objects.get().request.reference not in refused.content.decode()
    assert Refusal.objects.get().page == "status"


def test_the_confirmation_page_needs_its_signed_reference(topic: Topic) -> None:
    assert _client().get("/public/contact/sent/?r=REQ-2026-0000001").status_code == 404
    assert _client().get("/public/contact/sent/").status_code == 404


def test_without_its_agent_the_form_says_it_is_closed(
    topic: Topic, settings: Any
) -> None:
    settings.WEBFORMS_AGENT = "nobody"
    response = _client("fr").post(FORM, _fields(topic))
    assert response.status_code == 503
    assert "pas disponible" in response.content.decode()
    assert Submission.objects.count() == 0


def test_an_agent_sees_the_request_in_the_queue_named_by_nobody(
    topic: Topic, client: Client
) -> None:
    _client("nl").post(FORM, _fields(topic))
    request = Submission.objects.get().request
    client.force_login(Agent.objects.get(username="front.legal"))
    page = client.get(f"/requests/{request.reference}/")
    assert page.status_code == 200
    assert "Jan Peeters" in page.content.decode()


def test_the_agent_downloads_the_files_the_citizen_sent(
    topic: Topic, client: Client
) -> None:
    _client("nl").post(
        FORM,
        {
            **_fields(topic),
            "attachments": [SimpleUploadedFile("scan.jpg", PNG, "image/jpeg")],
        },
    )
    submission = Submission.objects.get()
    sent = submission.attachments.get()
    client.force_login(Agent.objects.get(username="front.legal"))
    page = client.get(f"/requests/{submission.request.reference}/").content.decode()
    url = f"/requests/files/{sent.uuid}/"
    assert f'<a href="{url}">scan.jpg</a>' in page

    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.content == PNG
    # named by the type read from the bytes, never displayed in the workspace
    assert answer["Content-Type"] == "image/png"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="file-{sent.uuid}.png"'
    )
    assert answer["X-Content-Type-Options"] == "nosniff"
    # an agent who does not see the request (an administrator sees no citizen
    # data) finds nothing; a visitor is sent to the login page
    client.force_login(Agent.objects.get(username="admin"))
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
