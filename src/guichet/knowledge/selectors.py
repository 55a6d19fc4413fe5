"""Every read of the knowledge base, always for an agent, through the policy.

Articles, proposals and feedback hold no citizen data: reads are not written to
the access log. Readers see published articles only; authors and reviewers also
drafts, articles in review and archived ones (`access/domains/knowledge.py`).
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.knowledge import Action
from guichet.agents.models import Agent, Language
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, choice

from . import search, transitions
from .models import (
    Article,
    ArticlePlace,
    ArticleRevision,
    ArticleState,
    ArticleText,
    Feedback,
    FeedbackStatus,
    PlaceKind,
    Proposal,
    ProposalStatus,
)

LANGUAGES = ("fr", "nl", "de", "en")
# The language shown when the asked one is missing: English, then the others.
FALLBACK = ("en", "fr", "nl", "de")
PLACE_LIMIT = 5


def _languages_from(language: str) -> list[str]:
    return [language, *(code for code in FALLBACK if code != language)]


def agent_language(agent: Agent, asked: str | None = None) -> str:
    """The language to show: the one asked, else the agent's working one, else
    French (the service's first language)."""
    for candidate in (asked, getattr(agent, "language", ""), "fr"):
        if candidate in LANGUAGES:
            return str(candidate)
    return "fr"


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    article: Article
    language: str
    title: str
    snippet: tuple[search.SnippetPart, ...]
    rank: float


def articles_search(
    *,
    agent: Agent,
    query: str,
    language: str | None = None,
    limit: int = 20,
    include_archived: bool = False,
) -> list[SearchHit]:
    """Articles matching `query`, best first, one hit per article (its best
    language when `language` is None, else that language only): published ones
    for readers, drafts and articles in review too for authors and reviewers."""
    policy.require(agent, Action.KNOWLEDGE_VIEW)
    problems = Problems()
    if language:
        choice(problems, "language", language, Language.values)
    problems.raise_if_any()
    articles = policy.visible(agent, Article.objects.all())
    if not include_archived:
        articles = articles.exclude(state=ArticleState.ARCHIVED)
    texts = ArticleText.objects.filter(article__in=articles.values("pk"))
    if language:
        texts = texts.filter(language=language)
    hits: list[SearchHit] = []
    seen: set[int] = set()
    for match in search.search_texts(texts, query):
        if match.text.article_id in seen:
            continue
        seen.add(match.text.article_id)
        hits.append(
            SearchHit(
                article=match.text.article,
                language=match.text.language,
                title=match.text.title,
                snippet=match.snippet,
                rank=match.rank,
            )
        )
        if len(hits) >= limit:
            break
    return hits


# ---------------------------------------------------------------- reading


def article_get_for_agent(
    *, agent: Agent, article_id: uuid.UUID
) -> policy.Seen[Article]:
    """The article, if the agent may see it (missing and forbidden look alike)."""
    article = (
        policy.visible(agent, Article.objects.select_related("topic", "team"))
        .filter(uuid=article_id)
        .first()
    )
    if article is None:
        raise NotFound(_("There is no such article."))
    return policy.seen(agent, article)


@dataclass(frozen=True)
class ArticleReading:
    seen: policy.Seen[Article]
    text: ArticleText | None
    language: str
    asked: str
    languages: list[str]
    places: list[ArticlePlace]
    moves: list[transitions.Transition]
    may_edit: bool
    open_proposals: int

    @property
    def article(self) -> Article:
        return self.seen.obj

    @property
    def is_fallback(self) -> bool:
        return self.language != self.asked


def article_read(
    *, agent: Agent, article_id: uuid.UUID, language: str | None = None
) -> ArticleReading:
    """The article in the asked language (or the agent's), else the first of
    `FALLBACK` it has, with what the agent may do on it."""
    seen = article_get_for_agent(agent=agent, article_id=article_id)
    article = seen.obj
    asked = agent_language(agent, language)
    texts = {text.language: text for text in article.texts.all()}
    shown = next((code for code in _languages_from(asked) if code in texts), asked)
    is_author = seen.may(Action.KNOWLEDGE_WRITE)
    is_reviewer = seen.may(Action.KNOWLEDGE_PUBLISH)
    proposals = Proposal.objects.filter(article=article, status=ProposalStatus.OPEN)
    return ArticleReading(
        seen=seen,
        text=texts.get(shown),
        language=shown,
        asked=asked,
        languages=[code for code in LANGUAGES if code in texts],
        places=list(article.places.select_related("topic")),
        moves=transitions.moves_from(
            article.state, is_author=is_author, is_reviewer=is_reviewer
        ),
        may_edit=transitions.may_edit(
            article.state, is_author=is_author, is_reviewer=is_reviewer
        ),
        open_proposals=proposals.count() if is_reviewer else 0,
    )


def article_history(*, agent: Agent, article: Article) -> list[ArticleRevision]:
    """Every revision of the article, newest first, with its author."""
    policy.require(agent, Action.KNOWLEDGE_VIEW, article)
    return list(article.revisions.select_related("author").order_by("-number"))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class RevisionDiff:
    revision: ArticleRevision
    previous: ArticleRevision | None
    lines: list[DiffLine] = field(default_factory=list)


def _lines(revision: ArticleRevision | None) -> list[str]:
    if revision is None:
        return []
    return [revision.title, "", *revision.body.splitlines()]


def revision_diff(*, agent: Agent, article: Article, number: int) -> RevisionDiff:
    """Revision `number` against the previous revision of the same language,
    line by line."""
    policy.require(agent, Action.KNOWLEDGE_VIEW, article)
    revision = article.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise NotFound(_("This article has no such revision."))
    previous = (
        article.revisions.filter(language=revision.language, number__lt=number)
        .order_by("-number")
        .first()
    )
    lines = []
    for line in difflib.ndiff(_lines(previous), _lines(revision)):
        tag, content = line[:2], line[2:]
        if tag == "? ":
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(tag, "same")
        lines.append(DiffLine(kind=kind, text=content))
    return RevisionDiff(revision=revision, previous=previous, lines=lines)


# ---------------------------------------------------------------- help in place


@dataclass(frozen=True)
class PlaceHelp:
    article: Article
    title: str
    language: str


def articles_for_place(
    *,
    agent: Agent,
    language: str | None = None,
    topic_id: int | None = None,
    case_type_code: str = "",
    status_code: str = "",
    screen: str = "",
    limit: int = PLACE_LIMIT,
) -> list[PlaceHelp]:
    """The published articles for where the agent stands: the step of a case type
    (its status), the topic, the screen; the most specific first (a status, then
    a topic, then a screen), each titled in the agent's language or the first
    fallback it has."""
    if not policy.may(agent, Action.KNOWLEDGE_VIEW):
        return []
    wanted: list[tuple[int, Q, Callable[[ArticlePlace], bool]]] = []
    if case_type_code and status_code:
        wanted.append(
            (
                0,
                Q(
                    places__kind=PlaceKind.STATUS,
                    places__case_type_code=case_type_code,
                    places__status_code=status_code,
                ),
                lambda place: (
                    place.kind == PlaceKind.STATUS
                    and (place.case_type_code, place.status_code)
                    == (case_type_code, status_code)
                ),
            )
        )
    if topic_id is not None:
        wanted.append(
            (
                1,
                Q(topic_id=topic_id)
                | Q(places__kind=PlaceKind.TOPIC, places__topic_id=topic_id),
                lambda place: (
                    place.kind == PlaceKind.TOPIC and place.topic_id == topic_id
                ),
            )
        )
    if screen:
        wanted.append(
            (
                2,
                Q(places__kind=PlaceKind.SCREEN, places__screen=screen),
                lambda place: place.kind == PlaceKind.SCREEN and place.screen == screen,
            )
        )
    if not wanted:
        return []
    condition = Q(pk__in=[])
    for _order, q, _test in wanted:
        condition |= q
    # One query for the articles (the texts and places come with it when any).
    articles = (
        policy.visible(agent, Article.objects.all())
        .filter(condition, state=ArticleState.PUBLISHED)
        .distinct()
        .prefetch_related("texts", "places")
    )

    def rank(article: Article) -> int:
        orders = [
            order
            for order, _q, test in wanted
            if any(test(place) for place in article.places.all())
        ]
        if topic_id is not None and article.topic_id == topic_id:
            orders.append(1)
        return min(orders)

    preferred = _languages_from(agent_language(agent, language))
    helps = []
    for article in sorted(articles, key=lambda item: (rank(item), item.pk)):
        texts = {text.language: text for text in article.texts.all()}
        code = next((code for code in preferred if code in texts), None)
        if code is not None:
            helps.append(
                PlaceHelp(article=article, title=texts[code].title, language=code)
            )
    return helps[:limit]


# ---------------------------------------------------------------- review, proposals


@dataclass(frozen=True)
class ReviewQueue:
    articles: list[Article]
    proposals: list[Proposal]


def review_queue(*, agent: Agent) -> ReviewQueue:
    """What waits for a reviewer: articles in review and open proposals (their
    own included, marked by the page: another reviewer decides them)."""
    policy.require(agent, Action.KNOWLEDGE_PUBLISH)
    articles = (
        policy.visible(agent, Article.objects.select_related("topic", "submitted_by"))
        .filter(state=ArticleState.IN_REVIEW)
        .prefetch_related("texts")
        .order_by("updated_at", "id")
    )
    proposals = (
        policy.visible(
            agent,
            Proposal.objects.select_related("article", "article__topic", "proposed_by"),
        )
        .filter(status=ProposalStatus.OPEN)
        .order_by("created_at", "id")
    )
    return ReviewQueue(articles=list(articles), proposals=list(proposals))


def proposal_get_for_agent(
    *, agent: Agent, proposal_id: uuid.UUID
) -> policy.Seen[Proposal]:
    proposal = (
        policy.visible(
            agent,
            Proposal.objects.select_related("article", "proposed_by", "decided_by"),
        )
        .filter(uuid=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound(_("There is no such proposal."))
    return policy.seen(agent, proposal)


def proposal_current_text(proposal: Proposal) -> ArticleText | None:
    """The article's present text in the proposal's language (to compare)."""
    return ArticleText.objects.filter(
        article_id=proposal.article_id, language=proposal.language
    ).first()


# ---------------------------------------------------------------- feedback


def feedback_list(
    *, agent: Agent, status: str = "", mine: bool = False
) -> QuerySet[Feedback]:
    """Feedback the agent may see: what they reported, and what was routed to
    the teams they handle feedback for; open first, then the newest."""
    rows = policy.visible(
        agent,
        Feedback.objects.select_related(
            "team", "reporter", "article", "topic", "handled_by"
        ),
    )
    if mine:
        rows = rows.filter(reporter=agent)
    if status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def feedback_get_for_agent(
    *, agent: Agent, feedback_id: uuid.UUID
) -> policy.Seen[Feedback]:
    item = feedback_list(agent=agent).filter(uuid=feedback_id).first()
    if item is None:
        raise NotFound(_("There is no such feedback."))
    return policy.seen(agent, item)


# ---------------------------------------------------------------- my work


@dataclass(frozen=True)
class MyKnowledge:
    proposals: list[Proposal]
    feedback: list[Feedback]
    to_review: int
    feedback_to_handle: int

    def __bool__(self) -> bool:
        return bool(
            self.proposals or self.feedback or self.to_review or self.feedback_to_handle
        )


MY_LIMIT = 5


def my_knowledge(*, agent: Agent) -> MyKnowledge:
    """The home page's block: the agent's latest proposals and feedback with their
    outcome, and what waits for them as a reviewer or a feedback handler."""
    if not policy.may(agent, Action.KNOWLEDGE_VIEW):
        return MyKnowledge([], [], 0, 0)
    proposals = list(
        Proposal.objects.filter(proposed_by=agent)
        .select_related("article", "decided_by")
        .order_by("-updated_at", "-id")[:MY_LIMIT]
    )
    feedback = list(
        Feedback.objects.filter(reporter=agent)
        .select_related("team", "handled_by")
        .order_by("-updated_at", "-id")[:MY_LIMIT]
    )
    to_review = 0
    if policy.may(agent, Action.KNOWLEDGE_PUBLISH):
        queue = policy.visible(agent, Article.objects.all()).filter(
            state=ArticleState.IN_REVIEW
        )
        open_proposals = policy.visible(agent, Proposal.objects.all()).filter(
            status=ProposalStatus.OPEN
        )
        to_review = queue.count() + open_proposals.exclude(proposed_by=agent).count()
    to_handle = 0
    if policy.may(agent, Action.FEEDBACK_HANDLE):
        to_handle = (
            policy.visible(
                agent, Feedback.objects.all(), for_action=Action.FEEDBACK_HANDLE
            )
            .filter(status__in=[FeedbackStatus.OPEN, FeedbackStatus.IN_PROGRESS])
            .count()
        )
    return MyKnowledge(proposals, feedback, to_review, to_handle)
