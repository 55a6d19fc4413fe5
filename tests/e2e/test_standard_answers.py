"""Standard answers and the level rule in a real browser (issue #15, items 3 and
4): a level-D agent of the support team inserts a standard answer into the reply
to a complaint in one click and sends it alone; the same agent's adapted answer
waits, and the team's supervisor finds it on their home page and approves it.
The new screens are checked by axe-core at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.correspondence.models import Letter
from guichet.correspondence.services import templates_load
from guichet.demo import correspondence as demo_correspondence
from guichet.demo import data
from guichet.parties.models import Person
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import Request
from tests.e2e.test_requests import office  # noqa: F401 - the fixture

Check = Callable[[str, str | None], None]

SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}
ANSWER = "answer_complaint_examined"


def _login(ui: Any, username: str) -> None:
    ui.page.context.clear_cookies()
    ui.login(username, data.DEMO_PASSWORD)


def _complaint(agent: Agent, person: Person, subject: str) -> Request:
    return request_services.request_create(
        actor=agent,
        data=request_services.RequestInput(
            kind="complaint",
            subject=subject,
            topic="complaints",
            channel="letter",
            person=str(person.uuid),
            language="fr",
            complaint_about="Un courrier envoyé à une ancienne adresse.",
            seriousness="minor",
        ),
    )


def _both_widths(ui: Any, checked: Check, name: str) -> None:
    for width, suffix in ((WIDE, ""), (SMALL, "-390")):
        ui.page.set_viewport_size(width)
        checked(f"{name}{suffix}", f"answers/{name}{suffix}")
    ui.page.set_viewport_size(WIDE)


def test_a_level_d_agent_inserts_an_answer_and_a_supervisor_approves_an_adapted_one(
    ui: Any,
    checked: Check,
    office: Person,  # noqa: F811 - the fixture imported above
) -> None:
    # given the demo's letterheads and shipped answers, and two complaints about
    # a person, in the support team's queue
    demo_correspondence.letterheads()
    templates_load(actor=None)
    Person.objects.filter(pk=office.pk).update(language="fr")
    junior = Agent.objects.get(username="support.d")
    first = _complaint(junior, office, "Courrier à une ancienne adresse")
    second = _complaint(junior, office, "Courrier égaré")
    assert first.team.code == second.team.code == "support"

    # the level-D agent inserts the standard answer in one click and sends it
    _login(ui, "support.d")
    ui.go(f"/requests/{first.reference}/")
    # (the answers' list; the suggestions panel may offer the same answer)
    ui.page.locator(f'a.button[href="?answer={ANSWER}#reply-title"]').click()
    body = ui.page.locator("#reply_body")
    expect(body).to_contain_text(first.reference)
    _both_widths(ui, checked, "answer-inserted")
    ui.page.locator("form[action$='/reply/'] button[type=submit]").click()
    ui.page.wait_for_url(f"**/requests/{first.reference}/")
    answers = Letter.objects.filter(
        author=junior, template_version__template__letter_type__code=ANSWER
    )
    sent = answers.get(references__object_id=first.reference)
    assert (sent.status, sent.autonomy_kind) == ("issued", "standard")

    # an adapted answer is beyond level D: it waits, nothing is numbered
    ui.go(f"/requests/{second.reference}/?answer={ANSWER}")
    body.fill(body.input_value() + "\n\nUn geste commercial vous sera proposé.")
    ui.page.locator("form[action$='/reply/'] button[type=submit]").click()
    ui.page.wait_for_url(f"**/requests/{second.reference}/")
    waiting = answers.get(references__object_id=second.reference)
    assert (waiting.status, waiting.autonomy_kind, waiting.number) == (
        "pending_approval",
        "adapted",
        None,
    )
    expect(ui.page.locator("#replies-title")).to_be_visible()

    # the support team's supervisor finds it on their home page and approves it
    _login(ui, "supervisor.support")
    ui.go("/home/")
    link = ui.page.locator(f'a[href="/correspondence/letters/{waiting.uuid}/"]')
    expect(link).to_be_visible()
    _both_widths(ui, checked, "approval-queue")
    link.click()
    ui.page.wait_for_url(f"**/correspondence/letters/{waiting.uuid}/")
    _both_widths(ui, checked, "approval-letter")
    ui.page.locator("form[action$='/approve/'] button[type=submit]").click()
    ui.page.wait_for_url("**/correspondence/")
    waiting.refresh_from_db()
    assert waiting.status == "issued"
    assert waiting.decided_by == Agent.objects.get(username="supervisor.support")
