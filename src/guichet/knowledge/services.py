"""Every write of the knowledge base: articles and their revisions, their state,
where they help, proposals and feedback.

Each service asks the policy first, validates all its input (nothing is written
when anything is wrong), locks and updates the article with its expected version
(a stale edit is refused, `StaleVersion`) and writes its audit record in the same
transaction. Who may move an article where is `transitions.py`'s.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.knowledge import Action
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import audit_record
from guichet.contacts.models import Topic
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden, NotFound
from guichet.core.validation import Problems, choice, text
from guichet.core.versioning import check_version, versioned_update

from . import transitions
from .errors import Code
from .models import (
    Article,
    ArticleKind,
    ArticlePlace,
    ArticleRevision,
    ArticleState,
    ArticleText,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    PlaceKind,
    Proposal,
    ProposalStatus,
)

TITLE_MAX = 200
BODY_MAX = 20_000
NOTE_MAX = 300
REASON_MAX = 2000
FEEDBACK_MAX = 4000


def _grants(agent: Agent) -> tuple[bool, bool]:
    return (
        policy.may(agent, Action.KNOWLEDGE_WRITE),
        policy.may(agent, Action.KNOWLEDGE_PUBLISH),
    )


def _locked(article: Article, expected_version: int | None) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None:
        check_version(locked, expected_version)
    return locked


def _clean_text(
    problems: Problems, language: object, title: object, body: object
) -> tuple[str, str, str]:
    clean_language = choice(problems, "language", language, Language.values)
    clean_title = text(problems, "title", title, required=True, max_length=TITLE_MAX)
    clean_body = text(
        problems, "body", body, required=True, max_length=BODY_MAX, multiline=True
    )
    return clean_language or "", clean_title, clean_body


def _write_revision(
    *,
    actor: Agent,
    article: Article,
    language: str,
    title: str,
    body: str,
    note: str,
    restored_from: int | None = None,
    proposal: Proposal | None = None,
) -> ArticleRevision:
    """Append the next revision of `article` (locked by the caller), make it the
    current text of its language and move the article's version on."""
    number = article.revision_count + 1
    revision = ArticleRevision.objects.create(
        article=article,
        number=number,
        language=language,
        title=title,
        body=body,
        author=actor,
        note=note,
        restored_from=restored_from,
        proposal=proposal,
    )
    ArticleText.objects.update_or_create(
        article=article,
        language=language,
        defaults={"title": title, "body": body, "revision": number},
    )
    versioned_update(article, expected_version=None, revision_count=number)
    return revision


# ---------------------------------------------------------------- articles


def article_create(
    *,
    actor: Agent,
    topic: Topic,
    kind: object,
    language: object,
    title: object,
    body: object,
    team: Team | None = None,
    note: object = "",
) -> Article:
    """A new draft article about `topic`, with its first language version.

    Its owning team (who receives the feedback about it) is `team`, else the
    topic's team, else the author's first team.
    """
    policy.require(actor, Action.KNOWLEDGE_WRITE)
    problems = Problems()
    clean_kind = choice(problems, "kind", kind, ArticleKind.values)
    clean_language, clean_title, clean_body = _clean_text(
        problems, language, title, body
    )
    clean_note = text(problems, "note", note, required=False, max_length=NOTE_MAX)
    if team is not None and team.pk not in actor.team_ids:
        problems.add("team", Code.NO_TEAM, _("You are not a member of this team."))
    owner = team or topic.team or actor.teams.order_by("code").first()
    problems.raise_if_any()
    with transaction.atomic():
        article = Article.objects.create(
            kind=clean_kind or ArticleKind.FAQ,
            topic=topic,
            team=owner,
            created_by=actor,
        )
        revision = _write_revision(
            actor=actor,
            article=article,
            language=clean_language,
            title=clean_title,
            body=clean_body,
            note=clean_note,
        )
        audit_record(
            actor=actor,
            action="knowledge.article_create",
            obj=article,
            summary={
                "kind": clean_kind,
                "topic": topic.code,
                "language": clean_language,
                "revision": revision.number,
            },
        )
    return article


def article_text_save(
    *,
    actor: Agent,
    article: Article,
    expected_version: int,
    language: object,
    title: object,
    body: object,
    note: object = "",
) -> ArticleRevision:
    """A new revision of one language of `article` (a new language is a first
    revision of that language). Authors change drafts; reviewers also change
    articles in review and published ones; an archived one is reopened first."""
    policy.require(actor, Action.KNOWLEDGE_VIEW, article)
    is_author, is_reviewer = _grants(actor)
    problems = Problems()
    clean_language, clean_title, clean_body = _clean_text(
        problems, language, title, body
    )
    clean_note = text(problems, "note", note, required=False, max_length=NOTE_MAX)
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(article, expected_version)
        if not transitions.may_edit(
            locked.state, is_author=is_author, is_reviewer=is_reviewer
        ):
            raise Forbidden(_("You may not change this article in its present state."))
        current = ArticleText.objects.filter(
            article=locked, language=clean_language
        ).first()
        if current and (current.title, current.body) == (clean_title, clean_body):
            problems.add("body", Code.UNCHANGED, _("The text is unchanged."))
            problems.raise_if_any()
        revision = _write_revision(
            actor=actor,
            article=locked,
            language=clean_language,
            title=clean_title,
            body=clean_body,
            note=clean_note,
        )
        audit_record(
            actor=actor,
            action="knowledge.article_text_save",
            obj=locked,
            summary={"language": clean_language, "revision": revision.number},
            reason=clean_note,
        )
    article.refresh_from_db()
    return revision


def article_restore(
    *, actor: Agent, article: Article, expected_version: int, number: int
) -> ArticleRevision:
    """Make revision `number` the current text of its language again, as a new
    revision (history is never rewritten)."""
    policy.require(actor, Action.KNOWLEDGE_VIEW, article)
    is_author, is_reviewer = _grants(actor)
    with transaction.atomic():
        locked = _locked(article, expected_version)
        if not transitions.may_edit(
            locked.state, is_author=is_author, is_reviewer=is_reviewer
        ):
            raise Forbidden(_("You may not change this article in its present state."))
        old = ArticleRevision.objects.filter(article=locked, number=number).first()
        if old is None:
            raise NotFound(_("This article has no such revision."))
        revision = _write_revision(
            actor=actor,
            article=locked,
            language=old.language,
            title=old.title,
            body=old.body,
            note=str(_("Restored revision %(number)d") % {"number": number}),
            restored_from=number,
        )
        audit_record(
            actor=actor,
            action="knowledge.article_restore",
            obj=locked,
            summary={
                "language": old.language,
                "restored_from": number,
                "revision": revision.number,
            },
        )
    article.refresh_from_db()
    return revision


def article_transition(
    *,
    actor: Agent,
    article: Article,
    expected_version: int,
    move: object,
    reason: object = "",
) -> Article:
    """Move `article` along `transitions.TRANSITIONS`: submit, send back (with a
    reason), publish (not one's own submission), archive (with a reason),
    reopen."""
    policy.require(actor, Action.KNOWLEDGE_VIEW, article)
    is_author, is_reviewer = _grants(actor)
    problems = Problems()
    clean_move = choice(
        problems, "move", move, [item.value for item in transitions.Move]
    )
    clean_reason = text(
        problems,
        "reason",
        reason,
        required=False,
        max_length=REASON_MAX,
        multiline=True,
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(article, expected_version)
        step = transitions.transition(locked.state, clean_move or "")
        if step is None:
            raise Conflict(
                _("This article cannot be moved this way from its present state."),
                code=Code.TRANSITION_NOT_ALLOWED,
            )
        allowed = transitions.moves_from(
            locked.state, is_author=is_author, is_reviewer=is_reviewer
        )
        if step not in allowed:
            raise Forbidden(_("You may not do this."))
        if step.needs_reason and not clean_reason:
            problems.add("reason", Code.REQUIRED, _("Say why."))
            problems.raise_if_any()
        if step.move is transitions.Move.PUBLISH and locked.submitted_by_id == actor.pk:
            raise Forbidden(
                _("Another reviewer publishes what you submitted (four eyes)."),
                code=Code.OWN_SUBMISSION,
            )
        values: dict[str, Any] = {"state": step.target}
        if step.move is transitions.Move.SUBMIT:
            values["submitted_by"] = actor
        if step.move is transitions.Move.PUBLISH:
            values["published_at"] = clock.now()
        versioned_update(locked, expected_version=None, **values)
        audit_record(
            actor=actor,
            action=f"knowledge.article_{step.move}",
            obj=locked,
            summary={"from": step.source, "to": step.target},
            reason=clean_reason,
        )
    article.refresh_from_db()
    return article


def article_place_add(
    *,
    actor: Agent,
    article: Article,
    kind: object,
    topic: Topic | None = None,
    case_type_code: object = "",
    status_code: object = "",
    screen: object = "",
) -> ArticlePlace:
    """Attach `article` to a topic, a case type's status or a screen."""
    policy.require(actor, Action.KNOWLEDGE_WRITE, article)
    problems = Problems()
    clean_kind = choice(problems, "kind", kind, PlaceKind.values)
    case_type = text(
        problems, "case_type_code", case_type_code, required=False, max_length=60
    )
    status = text(problems, "status_code", status_code, required=False, max_length=60)
    clean_screen = text(problems, "screen", screen, required=False, max_length=100)
    values: dict[str, Any] = {
        "topic": None,
        "case_type_code": "",
        "status_code": "",
        "screen": "",
    }
    if clean_kind == PlaceKind.TOPIC:
        if topic is None:
            problems.add("topic", Code.PLACE_INCOMPLETE, _("Choose a topic."))
        values["topic"] = topic
    elif clean_kind == PlaceKind.STATUS:
        for name, value in (("case_type_code", case_type), ("status_code", status)):
            if not value:
                problems.add(name, Code.PLACE_INCOMPLETE, _("This field is required."))
        values.update(case_type_code=case_type, status_code=status)
    elif clean_kind == PlaceKind.SCREEN:
        if not clean_screen:
            problems.add("screen", Code.PLACE_INCOMPLETE, _("This field is required."))
        values["screen"] = clean_screen
    problems.raise_if_any()
    with transaction.atomic():
        place, created = ArticlePlace.objects.get_or_create(
            article=article, kind=clean_kind, **values
        )
        if not created:
            raise Conflict(
                _("The article is already attached there."), code=Code.PLACE_EXISTS
            )
        audit_record(
            actor=actor,
            action="knowledge.article_place_add",
            obj=article,
            summary={
                "kind": clean_kind,
                "topic": topic.code if topic else "",
                "case_type": case_type,
                "status": status,
                "screen": clean_screen,
            },
        )
    return place


def article_place_remove(*, actor: Agent, place: ArticlePlace) -> None:
    policy.require(actor, Action.KNOWLEDGE_WRITE, place.article)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="knowledge.article_place_remove",
            obj=place.article,
            summary={"kind": place.kind, "place": str(place)},
        )
        place.delete()


# ---------------------------------------------------------------- proposals


def proposal_create(
    *,
    actor: Agent,
    article: Article,
    language: object,
    title: object,
    body: object,
    reason: object,
) -> Proposal:
    """Any reader proposes a better text for one language of an article, saying
    why; a reviewer decides."""
    policy.require(actor, Action.KNOWLEDGE_PROPOSE, article)
    problems = Problems()
    clean_language, clean_title, clean_body = _clean_text(
        problems, language, title, body
    )
    clean_reason = text(
        problems, "reason", reason, required=True, max_length=REASON_MAX, multiline=True
    )
    current = ArticleText.objects.filter(
        article=article, language=clean_language
    ).first()
    if current and (current.title, current.body) == (clean_title, clean_body):
        problems.add("body", Code.UNCHANGED, _("The text is unchanged."))
    problems.raise_if_any()
    with transaction.atomic():
        proposal = Proposal.objects.create(
            article=article,
            language=clean_language,
            title=clean_title,
            body=clean_body,
            reason=clean_reason,
            based_on_revision=current.revision if current else 0,
            proposed_by=actor,
        )
        audit_record(
            actor=actor,
            action="knowledge.proposal_create",
            obj=proposal,
            summary={"article": str(article.uuid), "language": clean_language},
            reason=clean_reason,
        )
    return proposal


def _decidable(actor: Agent, proposal: Proposal, expected_version: int) -> Proposal:
    policy.require(actor, Action.KNOWLEDGE_PUBLISH, proposal)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    check_version(locked, expected_version)
    if locked.status != ProposalStatus.OPEN:
        raise Conflict(
            _("This proposal has already been decided."), code=Code.PROPOSAL_DECIDED
        )
    if locked.proposed_by_id == actor.pk:
        raise Forbidden(
            _("Another reviewer decides your own proposal (four eyes)."),
            code=Code.OWN_PROPOSAL,
        )
    return locked


def proposal_accept(
    *, actor: Agent, proposal: Proposal, expected_version: int, note: object = ""
) -> ArticleRevision:
    """Accept a proposal: its text becomes the next revision of its language
    (the article keeps its state)."""
    problems = Problems()
    clean_note = text(problems, "note", note, required=False, max_length=NOTE_MAX)
    problems.raise_if_any()
    with transaction.atomic():
        locked = _decidable(actor, proposal, expected_version)
        article = _locked(locked.article, None)
        if article.state == ArticleState.ARCHIVED:
            raise Conflict(
                _("This article is archived: reopen it first."),
                code=Code.NOT_EDITABLE,
            )
        revision = _write_revision(
            actor=actor,
            article=article,
            language=locked.language,
            title=locked.title,
            body=locked.body,
            note=clean_note or locked.reason[:NOTE_MAX],
            proposal=locked,
        )
        versioned_update(
            locked,
            expected_version=None,
            status=ProposalStatus.ACCEPTED,
            decided_by=actor,
            decided_at=clock.now(),
            decision_reason=clean_note,
            revision_number=revision.number,
        )
        audit_record(
            actor=actor,
            action="knowledge.proposal_accept",
            obj=locked,
            summary={"article": str(article.uuid), "revision": revision.number},
            reason=clean_note,
        )
    proposal.refresh_from_db()
    return revision


def proposal_reject(
    *, actor: Agent, proposal: Proposal, expected_version: int, reason: object
) -> Proposal:
    """Reject a proposal, saying why (the proposer reads it)."""
    problems = Problems()
    clean_reason = text(
        problems, "reason", reason, required=True, max_length=REASON_MAX, multiline=True
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = _decidable(actor, proposal, expected_version)
        versioned_update(
            locked,
            expected_version=None,
            status=ProposalStatus.REJECTED,
            decided_by=actor,
            decided_at=clock.now(),
            decision_reason=clean_reason,
        )
        audit_record(
            actor=actor,
            action="knowledge.proposal_reject",
            obj=locked,
            summary={"article": str(locked.article.uuid)},
            reason=clean_reason,
        )
    proposal.refresh_from_db()
    return proposal


# ---------------------------------------------------------------- feedback

# status -> the statuses a handler may move feedback to.
FEEDBACK_MOVES: dict[str, tuple[str, ...]] = {
    FeedbackStatus.OPEN: (
        FeedbackStatus.IN_PROGRESS,
        FeedbackStatus.ACCEPTED,
        FeedbackStatus.REJECTED,
    ),
    FeedbackStatus.IN_PROGRESS: (FeedbackStatus.ACCEPTED, FeedbackStatus.REJECTED),
    FeedbackStatus.ACCEPTED: (FeedbackStatus.DONE,),
}
# A decision says why.
FEEDBACK_NEEDS_REASON = frozenset({FeedbackStatus.ACCEPTED, FeedbackStatus.REJECTED})


def feedback_report(
    *,
    actor: Agent,
    kind: object,
    text_value: object,
    screen: object = "",
    path: object = "",
    article: Article | None = None,
    topic: Topic | None = None,
) -> Feedback:
    """Report a recurring problem, an incident or an improvement from any screen.

    Routed to the article's team, else the topic's (its own, or the article's
    topic's), else the reporter's own first team.
    """
    policy.require(actor, Action.FEEDBACK_REPORT)
    if article is not None:
        policy.require(actor, Action.FEEDBACK_REPORT, article)
    problems = Problems()
    clean_kind = choice(problems, "kind", kind, FeedbackKind.values)
    clean_text = text(
        problems,
        "text",
        text_value,
        required=True,
        max_length=FEEDBACK_MAX,
        multiline=True,
    )
    clean_screen = text(problems, "screen", screen, required=False, max_length=100)
    clean_path = text(problems, "path", path, required=False, max_length=300)
    if clean_path and not clean_path.startswith("/"):
        clean_path = ""
    if topic is None and article is not None:
        topic = article.topic
    team = (
        (article.team if article is not None else None)
        or (topic.team if topic is not None else None)
        or actor.teams.order_by("code").first()
    )
    if team is None:
        problems.add(
            "text", Code.NO_TEAM, _("No team to send this to: you belong to none.")
        )
    problems.raise_if_any()
    assert team is not None  # noqa: S101 - checked above
    with transaction.atomic():
        feedback = Feedback.objects.create(
            kind=clean_kind or FeedbackKind.IMPROVEMENT,
            text=clean_text,
            screen=clean_screen,
            path=clean_path,
            article=article,
            topic=topic,
            team=team,
            reporter=actor,
        )
        audit_record(
            actor=actor,
            action="knowledge.feedback_report",
            obj=feedback,
            summary={"kind": clean_kind, "team": team.code, "screen": clean_screen},
        )
    return feedback


def feedback_decide(
    *,
    actor: Agent,
    feedback: Feedback,
    expected_version: int,
    status: object,
    reason: object = "",
) -> Feedback:
    """Move feedback on: in progress, accepted or rejected (with a reason), done."""
    policy.require(actor, Action.FEEDBACK_HANDLE, feedback)
    problems = Problems()
    clean_status = choice(problems, "status", status, FeedbackStatus.values)
    clean_reason = text(
        problems,
        "reason",
        reason,
        required=False,
        max_length=REASON_MAX,
        multiline=True,
    )
    problems.raise_if_any()
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        check_version(locked, expected_version)
        previous = locked.status
        if clean_status not in FEEDBACK_MOVES.get(locked.status, ()):
            raise Conflict(
                _("This feedback cannot be moved this way from its present status."),
                code=Code.TRANSITION_NOT_ALLOWED,
            )
        if clean_status in FEEDBACK_NEEDS_REASON and not clean_reason:
            problems.add("reason", Code.REQUIRED, _("Say why."))
            problems.raise_if_any()
        values: dict[str, Any] = {"status": clean_status, "handled_by": actor}
        if clean_reason:
            values["decision_reason"] = clean_reason
        if clean_status in FEEDBACK_NEEDS_REASON:
            values["decided_at"] = clock.now()
        versioned_update(locked, expected_version=None, **values)
        audit_record(
            actor=actor,
            action="knowledge.feedback_decide",
            obj=locked,
            summary={"from": previous, "to": clean_status},
            reason=clean_reason,
        )
    feedback.refresh_from_db()
    return feedback
