"""The demo's knowledge base: published articles in four languages, attached to
the shipped case types' steps, found by search, and one feedback item."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.knowledge import selectors
from guichet.knowledge.models import Article, ArticlePlace, Feedback

pytestmark = pytest.mark.django_db


def test_demo_articles_are_published_in_four_languages(demo: Any) -> None:
    articles = Article.objects.all()
    assert articles.count() == 4
    for article in articles:
        assert article.state == "published"
        assert sorted(article.texts.values_list("language", flat=True)) == [
            "de",
            "en",
            "fr",
            "nl",
        ]
    assert set(
        ArticlePlace.objects.filter(kind="status").values_list(
            "case_type_code", "status_code"
        )
    ) == {
        ("consular-legalisation", "awaiting_payment"),
        ("consular-passport", "appointment_planned"),
        ("unemployment-benefit", "checking"),
    }
    feedback = Feedback.objects.get()
    assert (feedback.team.code, feedback.status) == ("legalisations", "open")


def test_demo_articles_help_where_the_work_is(demo: Any) -> None:
    agent = Agent.objects.get(username="front.legal")
    helps = selectors.articles_for_place(
        agent=agent,
        language="nl",
        case_type_code="consular-legalisation",
        status_code="awaiting_payment",
    )
    assert [help.title for help in helps] == ["Legalisatie: de kosten innen"]
    hits = selectors.articles_search(agent=agent, query="empreintes", language="fr")
    assert [hit.title for hit in hits] == [
        "Passeport : rendez-vous pour les données biométriques"
    ]
