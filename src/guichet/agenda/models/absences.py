"""Absences of agents and their private iCalendar feeds (issue #17, parts 4 and 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Substitution
from guichet.core.models import BaseModel


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("leave")
    TRAINING = "training", _("training")
    SICK = "sick", _("sick")
    OTHER = "other", _("other")


class Absence(BaseModel):
    """An agent away from `starts_at` to `ends_at` (end excluded, stored in UTC).

    Whole days start and end at midnight in Brussels (`all_day`), so a day the
    clocks change lasts 23 or 25 hours. The kind (sick!) is for the agent and their
    supervisors only; the others see "absent". A cancelled absence is kept.
    """

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AbsenceKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    all_day = models.BooleanField(_("whole days"), default=True)
    substitution = models.ForeignKey(
        Substitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitution"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="agenda_absence_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["agent", "starts_at"], name="agenda_absence_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind} {self.starts_at:%Y-%m-%d}"


class FeedToken(BaseModel):
    """A private iCalendar feed of one agent's agenda: only the token's SHA-256 is
    kept (the token is shown once); a revoked feed answers 404."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agent"),
    )
    token_sha256 = models.CharField(_("token SHA-256"), max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("agenda feed")
        verbose_name_plural = _("agenda feeds")

    def __str__(self) -> str:
        return f"feed of {self.agent_id}"
