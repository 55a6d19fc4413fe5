"""E-mail received from citizens (issue #16, item 1).

Each message is committed with its raw source before anything else is done with
it (`services.message_receive`), unique on its Message-ID, then processed
(`services.message_process`): classified, read, its sender matched, its
attachments stored by the documents app, threaded into its request. A failure
leaves it in `retry` (then `failed`) with its reason, for an administrator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import BaseModel


class State(models.TextChoices):
    RECEIVED = "received", _("received, not read yet")
    NEW = "new", _("waiting for an agent")
    THREADED = "threaded", _("added to its request")
    HANDLED = "handled", _("handled")
    AUTO_REPLY = "auto_reply", _("automatic reply")
    BOUNCE = "bounce", _("delivery failure report")
    LOOP = "loop", _("mail loop")
    RETRY = "retry", _("to be read again")
    FAILED = "failed", _("failed")


# Messages an agent may act on; the others are recorded and never answered.
ACTIONABLE = (State.NEW, State.THREADED)
# Recognised as automatic: never answered, never a request.
AUTOMATIC = (State.AUTO_REPLY, State.BOUNCE, State.LOOP)
PROBLEMS = (State.RETRY, State.FAILED)


class InboundMessage(BaseModel):
    """One e-mail received, with its raw source and what was read from it."""

    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    raw = models.BinaryField(_("raw source"))
    raw_size = models.PositiveIntegerField(_("size in bytes"))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "The mailbox it was fetched from, or the file it was imported from."
        ),
    )
    team = models.ForeignKey(
        "agents.Team",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # What was read from it (empty until processed).
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    in_reply_to = models.TextField(_("in reply to"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(
        _("sanitised HTML"),
        blank=True,
        help_text=_("Only when the message has no plain text: sanitised by nh3."),
    )
    remote_images = models.PositiveIntegerField(_("remote images blocked"), default=0)
    sender_person = models.ForeignKey(
        "parties.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    request = models.ForeignKey(
        "servicerequests.Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail received")
        verbose_name_plural = _("e-mails received")
        indexes = [models.Index(fields=["team", "state"], name="inbox_team_state_idx")]

    def __str__(self) -> str:
        return self.message_id


class RefusedReason(models.TextChoices):
    TOO_LARGE = "too_large", _("larger than the limit")
    TYPE_NOT_ACCEPTED = "type_not_accepted", _("a kind of file that is not accepted")


class InboundAttachment(BaseModel):
    """A file attached to a message: stored once under its SHA-256 by the documents
    app's content store, or refused with its reason (the message is kept)."""

    message = models.ForeignKey(
        InboundMessage,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    filename = models.CharField(
        _("name given by the sender"), max_length=255, blank=True
    )
    declared_type = models.CharField(_("declared type"), max_length=255, blank=True)
    content_type = models.CharField(
        _("type read from its content"), max_length=100, blank=True
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    refused = models.CharField(
        _("refused"), max_length=20, choices=RefusedReason.choices, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename or self.sha256
