"""The debt workbench in a real browser (issue #18): a payment agent of the demo
registers a seizure from the bailiff's notice in the mail register, books its
interest, writes a comment for colleagues, sets an instalment plan on the office's
own claim, and downloads the creditor's statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.debts.models import Debt, InstalmentPlan
from guichet.demo import builders, data
from guichet.parties.models import Person

Check = Callable[[str, str | None], None]


def test_a_seizure_from_its_notice_to_the_creditors_statement(
    ui: Any, checked: Check, demo: Any
) -> None:
    specs = builders.person_specs()
    debtor = Person.objects.get(national_number=specs[4].identity.national_number)
    Agent.objects.filter(username="payment.c").update(language="en")
    ui.login("payment.c", data.DEMO_PASSWORD)
    page = ui.page
    # given the demo person with two seizures, on their Debts tab
    ui.go(f"/persons/{debtor.uuid}/debts/")
    page.get_by_role("link", name="Register a debt").click()
    # when the agent registers the seizure from the notice in the mail register
    notice = page.get_by_label("Notice in the mail register")
    notice.select_option(
        label=notice.locator("option", has_text="Avis de saisie").inner_text()
    )
    page.get_by_label("Creditor", exact=True).fill("Étude Lambert & Associés")
    page.get_by_label("Creditor's reference").fill("LAM-2026-0415")
    notified = clock.today() - dt.timedelta(days=5)
    page.get_by_label("Notice date").fill(notified.isoformat())
    page.get_by_label("Amount owed (EUR)").fill("980.00")
    checked("registering a debt", None)
    page.get_by_role("button", name="Register the debt").click()
    expect(page.get_by_text("The debt is registered.")).to_be_visible()
    debt = Debt.objects.get(reference="LAM-2026-0415")
    assert debt.notice_mail is not None
    assert debt.notice_mail.subject == "Avis de saisie sur allocations de chômage"
    # and books its interest, then a comment for colleagues
    entry = page.locator("#entry-form")
    entry.get_by_label("Movement").select_option("interest")
    entry.get_by_label("Amount (EUR)").fill("14.70")
    entry.get_by_role("button", name="Book the entry").click()
    expect(page.get_by_text("The entry is booked.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("994.70 €")
    comment = page.locator("#comment-form")
    comment.get_by_label("Comment").fill("Bailiff called on 1 Dec.")
    comment.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("The comment is written.")).to_be_visible()
    checked("a debt's page", "debt-detail")
    # then the creditor's statement downloads as a PDF
    with page.expect_download() as download:
        page.get_by_role("link", name="Statement FR").click()
    assert download.value.suggested_filename.startswith("statement-etude-lambert")
    # and the tab shows the comment to colleagues, with its author
    page.get_by_role("link", name="Back to the person's debts").click()
    expect(page.locator(".debt-comments")).to_contain_text("Bailiff called on 1 Dec.")
    assert "Bailiff called on 1 Dec." in debt.comments.get().text

    # when the agent sets a plan on the office's own claim of another demo person
    recovery = Debt.objects.get(reference="DEMO-ONEM-C31-5521")
    ui.go(f"/debts/{recovery.uuid}/")
    plan = page.locator("#plan-form")
    plan.get_by_label("Amount per month (EUR)").fill("45.00")
    plan.get_by_label("From").fill("2026-12-01")
    plan.get_by_role("button", name="Set the plan").click()
    expect(page.get_by_text("The instalment plan is set.")).to_be_visible()
    assert InstalmentPlan.objects.filter(debt=recovery).count() == 2
