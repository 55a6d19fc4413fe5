"""The public web form in a real browser (issue #16, point 6): a citizen writes,
with a file; the acknowledgement reaches a real SMTP server (aiosmtpd on
loopback); its link opens the status page in another browser; an agent of the
team the request was routed to finds it in their queue. The form (also with its
field errors), the confirmation and the status page are checked by axe-core and
for keyboard use, and saved in the four languages at 1280 and 390 px, every text
whole.
"""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from email import policy as email_policy
from typing import Any

from django.conf import settings as django_settings

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.contacts.models import Topic
from guichet.demo import data
from guichet.webforms.models import Submission
from tests.correspondence.test_dispatch import Inbox, smtp  # noqa: F401
from tests.e2e.conftest import widths_for
from tests.e2e.test_crawl import check_keyboard_order, text_that_does_not_fit

Check = Callable[[str, str | None], None]

WIDE = {"width": 1280, "height": 800}
SMALL = {"width": 390, "height": 800}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _in_language(ui: Any, language: str) -> None:
    ui.page.context.add_cookies(
        [
            {
                "name": django_settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": ui.base_url,
            }
        ]
    )


def _fits(ui: Any, name: str) -> None:
    overflow = ui.page.evaluate(
        "() => document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} overflows"
    assert not text_that_does_not_fit(ui), name


def test_a_citizen_writes_follows_the_link_and_an_agent_sees_the_request(
    ui: Any,
    checked: Check,
    demo: Any,
    smtp: Inbox,  # noqa: F811 - the fixture imported above
    settings: Any,
) -> None:
    # A person takes longer than a second; the test types faster.
    settings.WEBFORMS_MIN_SECONDS = 1
    page = ui.page
    topic = Topic.objects.get(team__isnull=True, code="legalisation")

    # The browser speaks English; the citizen switches to French on the page.
    ui.go("/public/contact/")
    expect(page.locator("h1")).to_have_text("Ask a question or file a complaint")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    checked("the web form", None)
    check_keyboard_order(ui, "the web form")

    # Sent empty: every field error, in French, and nothing registered.
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".alert.error")).to_be_visible()
    expect(page.get_by_text("Choisissez un sujet.")).to_be_visible()
    expect(
        page.get_by_text(
            "Nous ne pouvons traiter votre message que si vous l'acceptez."
        )
    ).to_be_visible()
    checked("the web form with errors", "webforms/form-errors-fr")
    assert Submission.objects.count() == 0

    page.get_by_label("Introduire une plainte").check()
    page.get_by_label("Sujet").select_option(str(topic.uuid))
    page.get_by_label("Votre message").fill(
        "Mon acte de naissance légalisé n'est jamais arrivé.\nJ'ai payé le 3 novembre."
    )
    page.get_by_label("Fichiers (facultatif)").set_input_files(
        [{"name": "preuve.jpg", "mimeType": "image/jpeg", "buffer": PNG}]
    )
    page.get_by_label("Votre nom").fill("Claire Dubois")
    page.get_by_label("Votre adresse e-mail").fill("claire.dubois@example.org")
    page.get_by_label("J'accepte").check()
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url("**/public/contact/sent/?r=*")
    submission = Submission.objects.get()
    request = submission.request
    expect(page.locator(".reference")).to_have_text(request.reference)
    checked("the confirmation", None)
    sent_path = page.url.removeprefix(ui.base_url)
    assert request.team.code == "legalisations"
    assert request.kind == "complaint"
    assert submission.attachments.get().content_type == "image/png"

    # The acknowledgement, received by the SMTP server, carries the link.
    assert len(smtp.messages) == 1
    _sender, recipients, raw = smtp.messages[0]
    assert recipients == ["claire.dubois@example.org"]
    message = email.message_from_bytes(raw, policy=email_policy.default)
    assert request.reference in str(message["Subject"])
    body = message.get_content()
    assert "Nous avons bien reçu votre plainte" in body
    found = re.search(re.escape(ui.base_url) + r"(/public/status/[\w-]{43}/)", body)
    assert found is not None, body
    status_path = found.group(1)

    # The link opens the status page in a fresh browser, with no cookie.
    page.context.clear_cookies()
    ui.go(status_path)
    expect(page.locator(".reference")).to_have_text(request.reference)
    expect(page.locator(".public-status")).to_have_text(
        "Received: it is waiting to be handled."
    )
    checked("the status page", None)
    assert "Claire" not in page.content()

    # An agent of the team the request was routed to finds it in the queue.
    ui.login("front.legal", data.DEMO_PASSWORD)
    ui.go("/requests/")
    row = page.locator("tr", has_text=request.reference)
    expect(row).to_be_visible()
    checked("the queue with the web request", None)
    row.get_by_role("link", name=request.reference).click()
    expect(page.get_by_text("Claire Dubois").first).to_be_visible()
    # The citizen's file is offered for download on the request's page, whose
    # new part fits in every language at both widths.
    request_path = f"/requests/{request.reference}/"
    for language in ("fr", "nl", "de", "en"):
        Agent.objects.filter(username="front.legal").update(language=language)
        for width, suffix in widths_for(language):
            page.set_viewport_size(width)
            ui.go(request_path)
            files = page.locator("section[aria-labelledby='files-title']")
            expect(files.get_by_role("link", name="preuve.jpg")).to_be_visible()
            checked(
                f"the request's files in {language}{suffix}",
                f"webforms/request-files-{language}{suffix}",
            )
            _fits(ui, f"the request's files in {language}{suffix}")
    page.set_viewport_size(WIDE)
    with page.expect_download() as download:
        files.get_by_role("link", name="preuve.jpg").click()
    assert download.value.suggested_filename.endswith(".png")
    page.context.clear_cookies()

    # Every public screen in four languages at both widths.
    screens = [
        ("form", "/public/contact/"),
        ("sent", sent_path),
        ("status", status_path),
    ]
    for language in ("fr", "nl", "de", "en"):
        _in_language(ui, language)
        for name, path in screens:
            for width, suffix in widths_for(language):
                page.set_viewport_size(width)
                response = ui.go(path)
                assert response.status == 200, (name, language)
                expect(page.locator("html")).to_have_attribute("lang", language)
                checked(
                    f"{name} in {language}{suffix}",
                    f"webforms/{name}-{language}{suffix}",
                )
                _fits(ui, f"{name} in {language}{suffix}")
    page.set_viewport_size(WIDE)
