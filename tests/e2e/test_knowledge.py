"""The knowledge base in a real browser: a first-line agent searches, reads an
article and proposes a better text; a reviewer accepts it, and the article shows
the new text. Each screen is checked with axe at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.knowledge.models import ArticleText, Proposal
from tests.factories import AgentFactory, TeamFactory
from tests.knowledge.factories import published
from tests.servicerequests.conftest import shipped_reference_data

Check = Callable[[str, str | None], None]


def _both_widths(ui: Any, checked: Check, context: str) -> None:
    checked(f"{context} at 1280 px", None)
    ui.page.set_viewport_size({"width": 390, "height": 800})
    checked(f"{context} at 390 px", None)
    ui.page.set_viewport_size({"width": 1280, "height": 800})


def test_search_read_propose_and_review(
    ui: Any, checked: Check, transactional_db: Any
) -> None:
    # given a published article, a first-line agent and a reviewer
    shipped_reference_data()  # flushed by the transactional test before
    team = TeamFactory(code="cc-fr", name="Contact center FR")
    agents = {
        "author": AgentFactory(
            username="author", roles=["first_line"], level="C", teams=[team]
        ),
        "reader": AgentFactory(
            username="reader", roles=["first_line"], level="D", teams=[team]
        ),
        "reviewer": AgentFactory(
            username="reviewer", roles=["supervisor"], level="B", teams=[team]
        ),
    }
    article = published(
        agents,
        title="Legalisation fees",
        body="The fees are paid at the counter.",
    )
    ui.login("reader")

    # when the agent searches the knowledge base and opens the article
    ui.go("/knowledge/")
    ui.page.get_by_label("Words to look for").fill("fee")
    ui.page.get_by_role("button", name="Search").click()
    expect(ui.page.locator("mark").first).to_have_text("fees")
    _both_widths(ui, checked, "knowledge search results")
    ui.page.get_by_role("link", name="Legalisation fees").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Legalisation fees")
    _both_widths(ui, checked, "an article")

    # and proposes a better text
    ui.page.get_by_role("link", name="Propose an improvement").click()
    ui.page.get_by_label("Text").fill(
        "The fees are paid at the counter, by card or in cash."
    )
    ui.page.get_by_label("Why this change").fill("Citizens ask how they can pay.")
    _both_widths(ui, checked, "a proposal")
    ui.page.get_by_role("button", name="Send the proposal").click()
    expect(ui.page.locator(".alert")).to_contain_text("a reviewer will decide")
    ui.page.get_by_role("button", name="Log out").click()

    # then the reviewer accepts it from the review queue
    ui.login("reviewer")
    ui.go("/knowledge/review/")
    expect(ui.page.get_by_text("Citizens ask how they can pay.")).to_be_visible()
    _both_widths(ui, checked, "the review queue")
    ui.page.get_by_role("button", name="Accept").click()
    expect(ui.page.locator(".alert")).to_contain_text("The proposal is decided.")
    proposal = Proposal.objects.get()
    assert proposal.status == "accepted"
    assert ArticleText.objects.get(article=article, language="en").body.endswith(
        "by card or in cash."
    )
