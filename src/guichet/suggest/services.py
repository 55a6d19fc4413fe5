"""Suggestions for an incoming message, the agent's choice as feedback, and the
retraining from the service's own history (issue #15, item 5).

`suggestions_for(agent, text)` gives the message's language, its three likely
topics with their scores, three standard answers of those topics in that language
and three articles. The topics come from the model at `settings.SUGGEST_MODEL`
(`model.py`; read once, read again when the file changes); with no model yet they
come from a search: the knowledge base's articles matching the message's words
and the topics' own names. Only what the agent may see is suggested: articles
through the knowledge policy, standard answers when the agent may draft letters,
topics the agent's services use.

`request_topic_choose` sets a request's topic and writes a `SuggestionFeedback`
(what was suggested, what was chosen); `training_examples` turns the classified
requests and contacts and that feedback into examples, and `retrain` writes a new
model atomically (a temporary file then a rename), keeping the old one when there
are too few examples. `tasks.py` runs it weekly.

This app sits above contacts, servicerequests, knowledge and correspondence in
the layers (pyproject.toml), so it combines them itself: nothing below it needs
to know suggestions exist.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action as LetterAction
from guichet.access.domains.knowledge import Action as KnowledgeAction
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record
from guichet.contacts.models import Contact, Topic
from guichet.core.text import fold
from guichet.correspondence.models import LetterTemplate, LetterType, TypeKind
from guichet.correspondence.selectors import topic_lineage
from guichet.knowledge.models import Article, ArticleState, ArticleText
from guichet.knowledge.selectors import FALLBACK, articles_search
from guichet.servicerequests import services as request_services
from guichet.servicerequests.models import Request

from .errors import SuggestInputInvalid
from .language import LANGUAGES, language_guess
from .model import Model, load, train
from .models import MessageKind, SuggestionFeedback

TOP = 3
# Fewer classified messages than this, or fewer than two topics: no new model.
MIN_EXAMPLES = 20
# Words of the message searched one by one when there is no model.
SEARCH_WORDS = 8
MIN_WORD = 4


@dataclass(frozen=True)
class TopicScore:
    topic: Topic
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class AnswerHint:
    """A standard answer: the letter type's code (what "insert" names), its title."""

    code: str
    title: str
    topic: str


@dataclass(frozen=True)
class ArticleHint:
    article: Article
    title: str
    language: str


@dataclass(frozen=True)
class Suggestions:
    language: str
    topics: list[TopicScore] = field(default_factory=list)
    answers: list[AnswerHint] = field(default_factory=list)
    articles: list[ArticleHint] = field(default_factory=list)
    # False: no model yet, the topics come from a search.
    from_model: bool = False

    def feedback(self) -> list[dict[str, Any]]:
        return [
            {"topic": item.topic.code, "score": round(item.score, 4)}
            for item in self.topics
        ]


# ------------------------------------------------------------------ the model

_lock = threading.Lock()
_cached: tuple[Path, int, Model] | None = None


def model_path() -> Path:
    return Path(settings.SUGGEST_MODEL)


def current_model() -> Model | None:
    """The model at `settings.SUGGEST_MODEL`, read once and again when the file
    changes (a retraining renames a new file in place); None without one."""
    global _cached  # the one per-process cache of the model
    path = model_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    with _lock:
        if _cached is not None and _cached[0] == path and _cached[1] == stamp:
            return _cached[2]
        try:
            model = load(path)
        except SuggestInputInvalid:
            return None
        _cached = (path, stamp, model)
        return model


def forget_model() -> None:
    """Drop the cached model (tests; after a retraining in this process)."""
    global _cached  # the one per-process cache of the model
    with _lock:
        _cached = None


# ------------------------------------------------------------- suggestions


def _topics_in_use(agent: Agent, team: Team | None) -> Any:
    """The shared topics and the team's (the message's service), else those of
    the agent's services."""
    teams = {team.pk} if team is not None else set(agent.team_ids)
    return Topic.objects.filter(
        Q(team__isnull=True) | Q(team_id__in=teams), is_active=True
    ).order_by("team_id")


def _by_code(topics: Iterable[Topic], team: Team | None) -> dict[str, Topic]:
    """Each code's topic: the team's own before a shared one."""
    found: dict[str, Topic] = {}
    for topic in topics:
        mine = team is not None and topic.team_id == team.pk
        if topic.code not in found or mine:
            found[topic.code] = topic
    return found


def _words(text: str) -> list[str]:
    """The message's longest distinct words, for a search word by word (the
    knowledge search requires every word of a query)."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        if len(word) >= MIN_WORD and word.isalpha():
            seen.setdefault(word)
    return sorted(seen, key=len, reverse=True)[:SEARCH_WORDS]


def _search(agent: Agent, words: Sequence[str]) -> dict[int, tuple[float, Any]]:
    """Articles matching the words (any language): article id -> (score, hit)."""
    found: dict[int, tuple[float, Any]] = {}
    if not policy.may(agent, KnowledgeAction.KNOWLEDGE_VIEW):
        return found
    for word in words:
        for place, hit in enumerate(articles_search(agent=agent, query=word, limit=10)):
            score, first = found.get(hit.article.pk, (0.0, hit))
            found[hit.article.pk] = (score + 1.0 / (1 + place), first)
    return found


def _topics_by_search(
    words: Sequence[str], hits: dict[int, tuple[float, Any]], topics: dict[str, Topic]
) -> list[TopicScore]:
    """Without a model: the topics of the matching articles, and those whose name
    shares a word with the message; scores are shares of that evidence."""
    evidence: dict[str, float] = defaultdict(float)
    code_of = {topic.pk: code for code, topic in topics.items()}
    for score, hit in hits.values():
        code = code_of.get(hit.article.topic_id)
        if code:
            evidence[code] += score
    stems = {word[: MIN_WORD + 1] for word in words}
    for code, topic in topics.items():
        names = {fold(getattr(topic, f"name_{lang}")) for lang in LANGUAGES} | {
            fold(code.replace("-", " "))
        }
        name_words = {word[: MIN_WORD + 1] for name in names for word in name.split()}
        shared = len(stems & name_words)
        if shared:
            evidence[code] += shared
    total = sum(evidence.values())
    return [
        TopicScore(topics[code], value / total)
        for code, value in sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0]))[
            :TOP
        ]
    ]


def _answers(
    agent: Agent, topics: Sequence[TopicScore], language: str
) -> list[AnswerHint]:
    if not topics or not policy.may(agent, LetterAction.LETTER_DRAFT):
        return []
    answers: list[AnswerHint] = []
    for item in topics:
        types = LetterType.objects.filter(
            is_active=True,
            is_standard=True,
            kind=TypeKind.LETTER,
            topic_id__in=topic_lineage(item.topic),
        )
        rows = (
            LetterTemplate.objects.filter(
                letter_type__in=types, language=language, is_active=True
            )
            .select_related("letter_type__topic")
            .order_by("letter_type__code")
        )
        for row in rows:
            if any(known.code == row.letter_type.code for known in answers):
                continue
            answers.append(
                AnswerHint(
                    code=row.letter_type.code,
                    title=row.title,
                    topic=row.letter_type.topic.code if row.letter_type.topic else "",
                )
            )
            if len(answers) == TOP:
                return answers
    return answers


def _title(article: Article, language: str) -> tuple[str, str]:
    texts = {
        text.language: text.title
        for text in ArticleText.objects.filter(article=article)
    }
    for lang in (language, *FALLBACK):
        if lang in texts:
            return texts[lang], lang
    return "", language


def _articles(
    agent: Agent,
    topics: Sequence[TopicScore],
    hits: dict[int, tuple[float, Any]],
    language: str,
) -> list[ArticleHint]:
    """The articles matching the message, those of its likely topics first
    weighed by the topic's score."""
    if not policy.may(agent, KnowledgeAction.KNOWLEDGE_VIEW):
        return []
    weight: dict[int, float] = defaultdict(float)
    for pk, (score, _hit) in hits.items():
        weight[pk] += score
    by_topic = {item.topic.pk: item.score for item in topics}
    if by_topic:
        on_topics = policy.visible(
            agent,
            Article.objects.filter(topic_id__in=by_topic, state=ArticleState.PUBLISHED),
        )
        for article in on_topics:
            weight[article.pk] += 2 * by_topic[article.topic_id]
    best = sorted(weight, key=lambda pk: (-weight[pk], pk))[:TOP]
    visible = policy.visible(
        agent, Article.objects.filter(pk__in=best).exclude(state=ArticleState.ARCHIVED)
    ).in_bulk()
    shown = []
    for pk in best:
        if pk in visible:
            title, lang = _title(visible[pk], language)
            shown.append(ArticleHint(visible[pk], title, lang))
    return shown


def suggestions_for(
    agent: Agent, text: str, team: Team | None = None, language: str = ""
) -> Suggestions:
    """The language, likely topics, standard answers and articles for a message;
    `language` is the one to use when the text says too little to guess."""
    guess = language_guess(text)
    lang = guess.language or (language if language in LANGUAGES else "fr")
    topics_known = _by_code(_topics_in_use(agent, team), team)
    words = _words(text)
    hits = _search(agent, words)
    model = current_model()
    topics: list[TopicScore] = []
    if model is not None:
        for item in model.predict_top(text, k=min(len(model.labels), 10)):
            topic = topics_known.get(item.label)
            if topic is not None:
                topics.append(TopicScore(topic, float(item.score)))
            if len(topics) == TOP:
                break
    else:
        topics = _topics_by_search(words, hits, topics_known)
    return Suggestions(
        language=lang,
        topics=topics,
        answers=_answers(agent, topics, lang),
        articles=_articles(agent, topics, hits, lang),
        from_model=model is not None,
    )


def suggestions_for_request(agent: Agent, request: Request) -> Suggestions:
    """Suggestions for a request's subject and description."""
    text = f"{request.subject}\n{request.description}"
    return suggestions_for(agent, text, team=request.team, language=request.language)


def suggestions_for_contact(agent: Agent, contact: Contact) -> Suggestions | None:
    """Suggestions for a contact's summary (None without one)."""
    if not contact.summary.strip():
        return None
    return suggestions_for(
        agent, contact.summary, team=contact.team, language=contact.language
    )


# ---------------------------------------------------------------- feedback


def request_topic_choose(
    *, agent: Agent, request: Request, expected_version: int, topic: str
) -> Request:
    """Set the request's topic (`servicerequests.request_topic_set`: its policy,
    its audit) and record what had been suggested and what the agent chose."""
    suggested = suggestions_for_request(agent, request)
    with transaction.atomic():
        changed = request_services.request_topic_set(
            actor=agent, request=request, expected_version=expected_version, topic=topic
        )
        feedback = SuggestionFeedback.objects.create(
            message_kind=MessageKind.REQUEST,
            message_id=str(request.uuid),
            text=f"{request.subject}\n{request.description}",
            language=suggested.language,
            suggested=suggested.feedback(),
            chosen=changed.topic,
            agent=agent,
        )
        audit_record(
            actor=agent,
            action="suggest.feedback",
            obj=feedback,
            summary={
                "request": request.reference,
                "chosen": changed.topic.code,
                "suggested": [item["topic"] for item in feedback.suggested],
            },
        )
    return changed


# ---------------------------------------------------------------- training


@dataclass(frozen=True)
class Retrained:
    examples: int
    topics: int
    written: bool
    path: str
    message: str


def training_examples() -> list[tuple[str, str]]:
    """(text, topic code) of every classified request and contact; a message the
    agents reclassified after a suggestion counts with the topic they chose."""
    chosen: dict[tuple[str, str], str] = {}
    for row in SuggestionFeedback.objects.order_by("created_at").select_related(
        "chosen"
    ):
        chosen[(row.message_kind, row.message_id)] = row.chosen.code
    examples: list[tuple[str, str]] = []
    for uuid, subject, description, code in Request.objects.values_list(
        "uuid", "subject", "description", "topic__code"
    ):
        label = chosen.pop((MessageKind.REQUEST, str(uuid)), code)
        text = f"{subject}\n{description}".strip()
        if text and label:
            examples.append((text, label))
    for uuid, summary, code in Contact.objects.filter(topic__isnull=False).values_list(
        "uuid", "summary", "topic__code"
    ):
        label = chosen.pop((MessageKind.CONTACT, str(uuid)), code)
        if summary.strip() and label:
            examples.append((summary.strip(), label))
    return examples


def retrain(
    path: str | Path | None = None, extra: Sequence[tuple[str, str]] = ()
) -> Retrained:
    """Train a model on `training_examples()` (and `extra` ones: the demo's
    sample) and put it at `path` (the setting by default) atomically; too few
    examples keep the model there as it is."""
    target = Path(path) if path else model_path()
    examples = [*training_examples(), *extra]
    labels = {label for _text, label in examples}
    if len(examples) < MIN_EXAMPLES or len(labels) < 2:
        return Retrained(
            examples=len(examples),
            topics=len(labels),
            written=False,
            path=str(target),
            message=str(
                _(
                    "Too few classified messages to train on ({count}, at least "
                    "{least} on two topics are needed): the current model is kept."
                ).format(count=len(examples), least=MIN_EXAMPLES)
            ),
        )
    model = train(
        [text for text, _label in examples], [label for _text, label in examples]
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}-", suffix=".npz"
    )
    os.close(handle)
    try:
        model.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    forget_model()
    return Retrained(
        examples=len(examples),
        topics=len(labels),
        written=True,
        path=str(target),
        message=str(
            _("Model trained on {count} messages of {topics} topics.").format(
                count=len(examples), topics=len(labels)
            )
        ),
    )
