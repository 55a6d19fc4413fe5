"""The knowledge base's screens: search, read with a fallback language, write,
propose, review, history and restore, feedback from any page; and the
"Procedure" panel where the work is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template import Context, Template
from django.test import Client, RequestFactory

import pytest

from guichet.knowledge import services
from guichet.knowledge.models import (
    Article,
    ArticleRevision,
    Feedback,
    Proposal,
)
from tests.knowledge.factories import published, staff, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return staff()


def test_search_read_propose_review(
    people: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    article = published(people, title="Legalisation fee", body="Paid at the counter.")
    reader = client_for(people["reader"])
    page = reader.get("/knowledge/?q=fees")
    assert page.status_code == 200
    assert f"/knowledge/{article.uuid}/?lang=en" in page.content.decode()
    read = reader.get(f"/knowledge/{article.uuid}/?lang=de")
    assert read.status_code == 200
    text = read.content.decode()
    assert "not written in your language yet" in text
    assert "Paid at the counter." in text
    assert "/edit/" not in text  # a reader does not edit
    # the topic by its name in the reader's language, never its code
    assert f"<dd>{article.topic.name('en')}</dd>" in text
    assert "<dd>legalisation</dd>" not in text
    sent = reader.post(
        f"/knowledge/{article.uuid}/propose/?lang=en",
        {
            "language": "en",
            "title": "Legalisation fee",
            "body": "Paid at the counter, by card or cash.",
            "reason": "Citizens ask.",
        },
    )
    assert sent.status_code == 302
    proposal = Proposal.objects.get()
    assert reader.get("/knowledge/review/").status_code == 403
    reviewer = client_for(people["reviewer"])
    queue = reviewer.get("/knowledge/review/")
    assert "Citizens ask." in queue.content.decode()
    decided = reviewer.post(
        f"/knowledge/proposals/{proposal.uuid}/decide/",
        {"version": proposal.version, "decision": "accept", "reason": ""},
    )
    assert decided.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    home = reader.get("/home/").content.decode()
    assert "Your proposals" in home
    assert "accepted" in home


def test_write_submit_and_history(
    people: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    author = client_for(people["author"])
    form = author.get("/knowledge/new/")
    assert form.status_code == 200
    created = author.post(
        "/knowledge/new/",
        {
            "kind": "faq",
            "topic": str(topic().uuid),
            "language": "fr",
            "title": "Frais",
            "body": "Au guichet.",
            "note": "",
        },
    )
    assert created.status_code == 302
    article = Article.objects.get()
    edited = author.post(
        f"/knowledge/{article.uuid}/edit/?lang=fr",
        {
            "version": article.version,
            "language": "fr",
            "title": "Frais",
            "body": "Au guichet, par carte.",
        },
    )
    assert edited.status_code == 302
    stale = author.post(
        f"/knowledge/{article.uuid}/edit/?lang=fr",
        {
            "version": article.version,
            "language": "fr",
            "title": "Frais",
            "body": "Autre.",
        },
    )
    assert stale.status_code == 200
    assert "Another agent changed this record" in stale.content.decode()
    history = author.get(f"/knowledge/{article.uuid}/history/?revision=2")
    assert "<ins>Au guichet, par carte.</ins>" in history.content.decode()
    article.refresh_from_db()
    restored = author.post(
        f"/knowledge/{article.uuid}/restore/",
        {"version": article.version, "revision": 1},
    )
    assert restored.status_code == 302
    assert ArticleRevision.objects.filter(article=article).count() == 3
    article.refresh_from_db()
    author.post(
        f"/knowledge/{article.uuid}/move/",
        {"version": article.version, "move": "submit"},
    )
    article.refresh_from_db()
    assert article.state == "in_review"


def test_feedback_from_any_page(
    people: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    reader = client_for(people["reader"])
    home = reader.get("/home/").content.decode()
    assert "/knowledge/feedback/new/?from=/home/&amp;screen=ui%3Ahome" in home
    sent = reader.post(
        "/knowledge/feedback/new/?from=/home/&screen=ui:home",
        {
            "kind": "incident",
            "text": "The queue froze.",
            "screen": "ui:home",
            "path": "/home/",
        },
    )
    assert sent.status_code == 302
    item = Feedback.objects.get()
    assert (item.screen, item.path, item.team.code) == ("ui:home", "/home/", "cc-fr")
    supervisor = client_for(people["supervisor"])
    listed = supervisor.get("/knowledge/feedback/").content.decode()
    assert "The queue froze." in listed
    supervisor.post(
        f"/knowledge/feedback/{item.uuid}/decide/",
        {"version": item.version, "status": "rejected", "reason": "Known, fixed."},
    )
    item.refresh_from_db()
    assert item.status == "rejected"
    assert "Known, fixed." in reader.get("/knowledge/feedback/").content.decode()
    admin = client_for(people["admin"])
    assert admin.get("/knowledge/feedback/new/").status_code == 403
    assert "/knowledge/feedback/new/" not in admin.get("/home/").content.decode()


def test_procedure_panel_shows_the_articles_of_the_step(people: dict[str, Any]) -> None:
    article = published(people, title="Take the fee", body="At the counter.")
    services.article_place_add(
        actor=people["author"],
        article=article,
        kind="status",
        case_type_code="consular-legalisation",
        status_code="awaiting_payment",
    )
    request = RequestFactory().get("/dossiers/DOS-2026-0000001/")
    request.user = people["reader"]
    panel = Template(
        "{% load guichet_knowledge %}{% procedure_panel case_type=code status=status %}"
    )
    shown = panel.render(
        Context(
            {
                "request": request,
                "code": "consular-legalisation",
                "status": "awaiting_payment",
            }
        )
    )
    assert "Take the fee" in shown
    assert f"/knowledge/{article.uuid}/?lang=en" in shown
    other = panel.render(
        Context(
            {"request": request, "code": "consular-legalisation", "status": "checking"}
        )
    )
    assert "Take the fee" not in other
    request.user = people["admin"]
    assert "Take the fee" not in panel.render(
        Context(
            {
                "request": request,
                "code": "consular-legalisation",
                "status": "awaiting_payment",
            }
        )
    )


def test_an_author_attaches_an_article_to_a_step(
    people: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    article = published(people)
    author = client_for(people["author"])
    assert "Show this article where the work is" in (
        author.get(f"/knowledge/{article.uuid}/").content.decode()
    )
    author.post(
        f"/knowledge/{article.uuid}/places/",
        {
            "kind": "status",
            "case_type_code": "consular-legalisation",
            "status_code": "checking",
        },
    )
    place = article.places.get()
    assert (place.case_type_code, place.status_code) == (
        "consular-legalisation",
        "checking",
    )
    refused = author.post(f"/knowledge/{article.uuid}/places/", {"kind": "screen"})
    assert refused.status_code == 302
    assert article.places.count() == 1
    reader = client_for(people["reader"])
    assert "Show this article where the work is" not in (
        reader.get(f"/knowledge/{article.uuid}/").content.decode()
    )
    assert (
        reader.post(
            f"/knowledge/{article.uuid}/places/{place.uuid}/remove/"
        ).status_code
        == 403
    )
    author.post(f"/knowledge/{article.uuid}/places/{place.uuid}/remove/")
    assert article.places.count() == 0
