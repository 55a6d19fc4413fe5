"""The inbox in a real browser (issue #16, items 1 and 2): an agent reads a
citizen's e-mail (its HTML sanitised, its script never run, its remote images
never loaded), opens a request from it, replies with a standard answer, and the
reply arrives at a real SMTP server on the loopback with the request's reference;
the request page shows the e-mail sent. The inbox's screens are checked by
axe-core in four languages at 1280 and 390 px."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent, Team
from guichet.correspondence.services import templates_load
from guichet.demo import correspondence as demo_correspondence
from guichet.demo import data
from guichet.inbox import services
from guichet.inbox.models import InboundMessage
from guichet.parties.models import Person
from guichet.servicerequests.models import Request
from tests.correspondence.test_dispatch import smtp  # noqa: F401 - the fixture
from tests.e2e.conftest import widths_for
from tests.e2e.test_requests import office  # noqa: F401 - the fixture

Check = Callable[[str, str | None], None]
CORPUS = Path(__file__).resolve().parent.parent / "inbox" / "corpus"
SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}
ANSWER = "answer_legalisation_procedure"


def _login(ui: Any, username: str) -> None:
    ui.page.context.clear_cookies()
    ui.login(username, data.DEMO_PASSWORD)


def _received(raw: bytes) -> InboundMessage:
    team = Team.objects.get(code="legalisations")
    stored = services.message_receive(raw=raw, source="e2e", team=team)
    return services.message_process(message_id=stored.message.pk)


def test_an_email_becomes_a_request_answered_by_smtp(
    ui: Any,
    checked: Check,
    office: Person,  # noqa: F811 - the fixture imported above
    smtp: Any,  # noqa: F811 - the fixture imported above
) -> None:
    demo_correspondence.letterheads()
    templates_load(actor=None)
    Person.objects.filter(pk=office.pk).update(language="fr")
    address = office.emails.first()
    assert address is not None
    question = _received(
        (
            f"From: <{address.address}>\r\n"
            "To: legalisations@guichet.example\r\n"
            "Subject: =?utf-8?q?L=C3=A9galisation_d=27un_dipl=C3=B4me?=\r\n"
            "Message-ID: <e2e-question@example.be>\r\n"
            "Content-Type: text/html; charset=utf-8\r\n\r\n"
            "<p>Bonjour, comment faire légaliser mon diplôme ?</p>"
            "<script>document.title='pwned'</script>"
            '<img src="https://tracker.example.net/p.gif">\r\n'
        ).encode()
    )
    hostile = _received((CORPUS / "script_and_remote_images.eml").read_bytes())
    assert question.sender_person_id == office.pk

    # The inbox's screens, in four languages at both widths; nothing from the
    # messages runs (the Browser fixture fails on any script error, CSP report
    # or failed load: a remote image would be one).
    for language in ("en", "fr", "nl", "de"):
        Agent.objects.filter(username="front.legal").update(language=language)
        _login(ui, "front.legal")
        for name, path in (
            ("inbox", "/inbox/"),
            ("message", f"/inbox/{question.uuid}/"),
            ("hostile", f"/inbox/{hostile.uuid}/"),
        ):
            for width, suffix in widths_for(language):
                ui.page.set_viewport_size(width)
                assert ui.go(path).status == 200
                checked(
                    f"{name} {language}{suffix}", f"inbox/{name}-{language}{suffix}"
                )
                overflow = ui.page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} in {language}{suffix} overflows"
            assert ui.page.title() != "pwned"
    Agent.objects.filter(username="front.legal").update(language="en")
    _login(ui, "front.legal")
    ui.page.set_viewport_size(WIDE)

    # The agent opens a request from the e-mail, the sender already identified.
    ui.go(f"/inbox/{question.uuid}/")
    expect(ui.page.locator(".message-html")).to_contain_text("légaliser mon diplôme")
    expect(ui.page.locator("#open_person")).to_have_value(str(office.uuid))
    ui.page.locator("#open_topic").select_option("legalisation")
    ui.page.locator("button[name=open]").click()
    ui.page.wait_for_url("**/requests/REQ-*/")
    request = Request.objects.get(person=office)
    assert (request.channel, request.reply_channel) == ("email", "email")

    # The standard answer goes out by e-mail and reaches the SMTP server.
    ui.go(f"/requests/{request.reference}/?answer={ANSWER}")
    ui.page.locator("form[action$='/reply/'] button[type=submit]").click()
    ui.page.wait_for_url(f"**/requests/{request.reference}/")
    assert len(smtp.messages) == 1
    _, recipients, content = smtp.messages[0]
    assert recipients == [address.address]
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert request.reference in str(sent["Subject"])
    expect(ui.page.locator("#emails-title")).to_be_visible()
    checked("request with its reply e-mail", "inbox/request-reply-sent")

    # The administrator's screen of messages that could not be read.
    InboundMessage.objects.filter(pk=hostile.pk).update(
        state="failed", attempts=5, reason="OSError: disk full"
    )
    for language in ("en", "fr", "nl", "de"):
        Agent.objects.filter(username="admin").update(language=language)
        _login(ui, "admin")
        for width, suffix in widths_for(language):
            ui.page.set_viewport_size(width)
            assert ui.go("/inbox/problems/").status == 200
            checked(
                f"problems {language}{suffix}", f"inbox/problems-{language}{suffix}"
            )
            expect(ui.page.locator("main")).not_to_contain_text("Attacker")
