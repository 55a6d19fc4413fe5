"""Articles for the knowledge tests, written through the services."""

from __future__ import annotations

from guichet.agents.models import Agent
from guichet.contacts.models import Topic
from guichet.knowledge import services
from guichet.knowledge.models import Article
from tests.factories import AgentFactory, TeamFactory


def topic(code: str = "legalisation") -> Topic:
    return Topic.objects.get(team__isnull=True, code=code)


def staff() -> dict[str, Agent]:
    """A reader (first line, D), an author (first line, C), two reviewers."""
    team = TeamFactory(code="cc-fr")
    return {
        "reader": AgentFactory(roles=["first_line"], level="D", teams=[team]),
        "author": AgentFactory(roles=["first_line"], level="C", teams=[team]),
        "reviewer": AgentFactory(roles=["second_line"], level="B", teams=[team]),
        "supervisor": AgentFactory(roles=["supervisor"], level="C", teams=[team]),
        "admin": AgentFactory(roles=["admin"], level="A2", teams=[team]),
    }


def published(
    agents: dict[str, Agent],
    *,
    title: str = "Legalisation fee",
    body: str = "The fee is paid at the counter.",
    language: str = "en",
    code: str = "legalisation",
) -> Article:
    article = services.article_create(
        actor=agents["author"],
        topic=topic(code),
        kind="faq",
        language=language,
        title=title,
        body=body,
    )
    article = services.article_transition(
        actor=agents["author"],
        article=article,
        expected_version=article.version,
        move="submit",
    )
    return services.article_transition(
        actor=agents["reviewer"],
        article=article,
        expected_version=article.version,
        move="publish",
    )
