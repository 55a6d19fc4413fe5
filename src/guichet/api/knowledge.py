"""The knowledge base over HTTP: search, read an article, propose an improvement,
report feedback from the floor.

Handlers parse, call one service or selector and shape the answer; the rules live
in `guichet.knowledge`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from guichet.knowledge import selectors, services

from .common import actor, responses

router = Router(tags=["knowledge"])


class KnowledgeStrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class KnowledgeSearchQuery(Schema):
    q: str = Field("", max_length=200, description="Words to look for.")
    language: str = Field(
        "", max_length=2, description="fr, nl, de or en; empty: every language."
    )


class SnippetPartOut(Schema):
    text: str
    hit: bool


class KnowledgeHitOut(Schema):
    id: UUID
    kind: str
    state: str
    topic: str
    language: str
    title: str
    snippet: list[SnippetPartOut]
    rank: float


class KnowledgeHitsOut(Schema):
    items: list[KnowledgeHitOut]


class ArticlePlaceOut(Schema):
    kind: str
    topic: str | None
    case_type: str
    status: str
    screen: str


class ArticleOut(Schema):
    id: UUID
    kind: str
    state: str
    topic: str
    version: int
    revision: int | None
    language: str = Field(
        description="The language shown (the asked one, else a fallback)."
    )
    languages: list[str]
    title: str
    body: str
    updated_at: dt.datetime
    places: list[ArticlePlaceOut]


class ArticleReadQuery(Schema):
    language: str = Field("", max_length=2)


class ProposalIn(KnowledgeStrictIn):
    language: str = Field(max_length=2)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20_000)
    reason: str = Field(max_length=2000)


class ProposalOut(Schema):
    id: UUID = Field(alias="uuid")
    language: str
    status: str
    based_on_revision: int
    created_at: dt.datetime


class FeedbackIn(KnowledgeStrictIn):
    kind: str = Field(description="recurring_problem, incident or improvement")
    text: str = Field(max_length=4000)
    screen: str = Field("", max_length=100)
    article: UUID | None = None


class FeedbackOut(Schema):
    id: UUID = Field(alias="uuid")
    kind: str
    status: str
    team: str
    created_at: dt.datetime

    @staticmethod
    def resolve_team(obj: Any) -> str:
        return str(obj.team.code)


@router.get(
    "/knowledge/articles",
    response=responses({200: KnowledgeHitsOut}, 403),
    summary="Search the knowledge base (ranked, with a snippet)",
)
def article_search(request: HttpRequest, filters: Query[KnowledgeSearchQuery]) -> Any:
    hits = selectors.articles_search(
        agent=actor(request), query=filters.q, language=filters.language or None
    )
    return {
        "items": [
            {
                "id": hit.article.uuid,
                "kind": hit.article.kind,
                "state": hit.article.state,
                "topic": hit.article.topic.code,
                "language": hit.language,
                "title": hit.title,
                "snippet": [{"text": p.text, "hit": p.hit} for p in hit.snippet],
                "rank": hit.rank,
            }
            for hit in hits
        ]
    }


@router.get(
    "/knowledge/articles/{article_id}",
    response=responses({200: ArticleOut}, 404),
    summary="An article in the asked language, else a fallback",
)
def article_read(
    request: HttpRequest, article_id: UUID, filters: Query[ArticleReadQuery]
) -> Any:
    reading = selectors.article_read(
        agent=actor(request), article_id=article_id, language=filters.language or None
    )
    article = reading.article
    return {
        "id": article.uuid,
        "kind": article.kind,
        "state": article.state,
        "topic": article.topic.code,
        "version": article.version,
        "revision": reading.text.revision if reading.text else None,
        "language": reading.language,
        "languages": reading.languages,
        "title": reading.text.title if reading.text else "",
        "body": reading.text.body if reading.text else "",
        "updated_at": article.updated_at,
        "places": [
            {
                "kind": place.kind,
                "topic": place.topic.code if place.topic else None,
                "case_type": place.case_type_code,
                "status": place.status_code,
                "screen": place.screen,
            }
            for place in reading.places
        ],
    }


@router.post(
    "/knowledge/articles/{article_id}/proposals",
    response=responses({201: ProposalOut}, 403, 404),
    summary="Propose a better text for one language of an article",
)
def proposal_create(request: HttpRequest, article_id: UUID, payload: ProposalIn) -> Any:
    agent = actor(request)
    article = selectors.article_get_for_agent(agent=agent, article_id=article_id).obj
    proposal = services.proposal_create(
        actor=agent,
        article=article,
        language=payload.language,
        title=payload.title,
        body=payload.body,
        reason=payload.reason,
    )
    return Status(201, proposal)


@router.post(
    "/knowledge/feedback",
    response=responses({201: FeedbackOut}, 403, 404),
    summary="Report a recurring problem, an incident or an improvement",
)
def feedback_create(request: HttpRequest, payload: FeedbackIn) -> Any:
    agent = actor(request)
    article = (
        selectors.article_get_for_agent(agent=agent, article_id=payload.article).obj
        if payload.article
        else None
    )
    feedback = services.feedback_report(
        actor=agent,
        kind=payload.kind,
        text_value=payload.text,
        screen=payload.screen,
        article=article,
    )
    return Status(201, feedback)
