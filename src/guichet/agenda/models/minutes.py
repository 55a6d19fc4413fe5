"""Minutes of meetings and their action items.

Moved here from correspondence (issue #17): the tables were renamed, the rows kept
(migrations correspondence 0010 and agenda 0001); minutes may name the meeting they
are of (agenda 0005). Their PDF/A is still rendered by
correspondence (`correspondence.minutes`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.core.models import BaseModel, VersionedModel


class Minutes(BaseModel):
    """The minutes of an internal meeting: who came, what was discussed and decided."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    attendees = models.JSONField(_("attendees"), default=list)
    absentees = models.JSONField(_("excused"), default=list)
    agenda = models.JSONField(_("agenda points"), default=list)
    decisions = models.JSONField(_("decisions"), default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    content = models.JSONField(_("content as archived"), default=dict)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), null=True, blank=True)
    # The meeting of the agenda these minutes are of (none for minutes written
    # before meetings were planned in Guichet, or of a meeting planned elsewhere).
    meeting = models.ForeignKey(
        "agenda.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes",
        verbose_name=_("meeting"),
    )

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting_date} {self.title}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class ActionItem(VersionedModel):
    """An action decided in a meeting: who does what by when."""

    minutes = models.ForeignKey(
        Minutes,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("minutes"),
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["owner", "status"], name="agenda_action_owner")]

    def __str__(self) -> str:
        return self.description
