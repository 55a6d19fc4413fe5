"""The knowledge base: FAQ entries and procedure guides, their revisions, the
improvements agents propose, and the feedback agents send from the floor.

An `Article` is one piece of knowledge about one topic; its text in each of the
four languages is an `ArticleText` (the current version of that language), and
every change of a text is an append-only `ArticleRevision` (who, when, what, why),
so an older version can be shown, compared and restored (as a new revision). An
article goes draft -> in review -> published -> archived (`transitions.py`).
`ArticlePlace` says where the article helps: a topic, a case type's status, a
screen. A `Proposal` is any agent's suggested text for one language of an article,
accepted (it becomes a revision) or rejected with a reason by a reviewer.
`Feedback` is a recurring problem, an incident or an improvement reported from
any screen, routed to the team that owns the topic or the article.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.contacts.models import Topic
from guichet.core.models import AppendOnlyModel, BaseModel, VersionedModel


class ArticleKind(models.TextChoices):
    FAQ = "faq", _("FAQ entry")
    PROCEDURE = "procedure", _("procedure guide")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class Article(VersionedModel):
    """One FAQ entry or procedure guide; its texts are its language versions."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.FAQ
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("topic"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("owning team"),
        help_text=_("Receives the feedback about the article."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ArticleState.choices,
        default=ArticleState.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for review by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revision_count = models.PositiveIntegerField(_("revisions"), default=0)

    class Meta:
        ordering = ["topic_id", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"


class ArticleText(BaseModel):
    """The current version of an article in one language (searched)."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="texts",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    revision = models.PositiveIntegerField(_("revision"))

    class Meta:
        ordering = ["article_id", "language"]
        verbose_name = _("article text")
        verbose_name_plural = _("article texts")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="knowledge_one_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleRevision(AppendOnlyModel):
    """One change of one language of an article: never changed, never removed."""

    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("article"),
    )
    number = models.PositiveIntegerField(_("number"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    restored_from = models.PositiveIntegerField(
        _("restored from revision"), null=True, blank=True
    )
    proposal = models.ForeignKey(
        "Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the proposal"),
    )

    class Meta:
        ordering = ["article_id", "-number"]
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="knowledge_revision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number} ({self.language})"


class PlaceKind(models.TextChoices):
    TOPIC = "topic", _("topic")
    STATUS = "status", _("case type status")
    SCREEN = "screen", _("screen")


class ArticlePlace(BaseModel):
    """Where an article helps: a topic, a case type's status, or a screen (the URL
    name of a workspace page)."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("article"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PlaceKind.choices)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    case_type_code = models.SlugField(_("case type"), max_length=60, blank=True)
    status_code = models.SlugField(_("status"), max_length=60, blank=True)
    screen = models.CharField(_("screen"), max_length=100, blank=True)

    class Meta:
        ordering = ["article_id", "kind", "id"]
        verbose_name = _("article place")
        verbose_name_plural = _("article places")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="topic",
                        topic__isnull=False,
                        case_type_code="",
                        status_code="",
                        screen="",
                    )
                    | (
                        Q(kind="status", topic__isnull=True, screen="")
                        & ~Q(case_type_code="")
                        & ~Q(status_code="")
                    )
                    | (
                        Q(kind="screen", topic__isnull=True)
                        & Q(case_type_code="", status_code="")
                        & ~Q(screen="")
                    )
                ),
                name="knowledge_place_fields_fit_kind",
            ),
            models.UniqueConstraint(
                fields=[
                    "article",
                    "kind",
                    "topic",
                    "case_type_code",
                    "status_code",
                    "screen",
                ],
                name="knowledge_place_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["case_type_code", "status_code"], name="knowledge_place_status"
            ),
            models.Index(fields=["screen"], name="knowledge_place_screen"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.topic_id or self.case_type_code or self.screen}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Proposal(VersionedModel):
    """An agent's improvement of one language of an article, with its reason."""

    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    reason = models.TextField(_("reason"), max_length=2000)
    based_on_revision = models.PositiveIntegerField(_("based on revision"), default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.OPEN,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    revision_number = models.PositiveIntegerField(
        _("resulting revision"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"proposal {self.uuid}"


class FeedbackKind(models.TextChoices):
    RECURRING_PROBLEM = "recurring_problem", _("recurring problem")
    INCIDENT = "incident", _("incident")
    IMPROVEMENT = "improvement", _("improvement of a procedure or article")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DONE = "done", _("done")


class Feedback(VersionedModel):
    """A report from the floor, routed to a team and followed to a decision."""

    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    text = models.TextField(_("description"), max_length=4000)
    screen = models.CharField(_("screen"), max_length=100, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("article"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("routed to"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.OPEN,
        db_index=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"feedback {self.uuid}"
