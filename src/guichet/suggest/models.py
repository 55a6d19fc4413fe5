"""What the agents chose among the suggestions: the feedback the next training
learns from (issue #15, item 5).

A `SuggestionFeedback` is written once, when an agent sets the topic of a message
(a request or a contact) that had suggestions: the message, the topics suggested
with their scores, the topic chosen, who and when. `services.training_examples`
reads the chosen topic as the message's label.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.contacts.models import Topic
from guichet.core.models import AppendOnlyModel


class MessageKind(models.TextChoices):
    REQUEST = "request", _("request")
    CONTACT = "contact", _("contact")


class SuggestionFeedback(AppendOnlyModel):
    """One choice of topic for a message that had suggestions."""

    message_kind = models.CharField(
        _("kind of message"), max_length=12, choices=MessageKind.choices
    )
    message_id = models.CharField(_("message"), max_length=64)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # [{"topic": code, "score": 0.83}, ...], best first.
    suggested = models.JSONField(_("suggested topics"), default=list)
    chosen = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chosen topic"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")
        indexes = [models.Index(fields=["message_kind", "message_id"])]
