"""Calls the telephone system reports, and every event it sent (docs/telephony.md).

A `Call` is what the screen needs: the caller's number (E.164), the agent who
answered and when it rang, was answered and ended; once the agent registers the
contact, its key. A `CallEvent` is one accepted webhook request: its event id and
its signature are each unique, so a replayed request (the same id, or the same
signed bytes) is refused by the database itself, whichever process sees it second.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.contacts.models import Contact
from guichet.core.models import BaseModel


class EventKind(models.TextChoices):
    RINGING = "ringing", _("ringing")
    ANSWERED = "answered", _("answered")
    ENDED = "ended", _("ended")


class Call(BaseModel):
    call_id = models.CharField(_("call id"), max_length=100, unique=True)
    number = models.CharField(_("caller's number (E.164)"), max_length=16, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("agent who answered"),
    )
    rang_at = models.DateTimeField(_("rang at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # When the answer reached us, by our clock: the workspace's poll compares it
    # with when its page was drawn (the telephone system's clock may differ).
    noted_at = models.DateTimeField(_("answer received at"), null=True, blank=True)
    contact = models.OneToOneField(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call",
        verbose_name=_("contact registered"),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            # The workspace's poll: this agent's latest answered call.
            models.Index(
                fields=["agent", "noted_at"], name="telephony_call_agent_noted"
            )
        ]

    def __str__(self) -> str:
        return self.call_id


class CallEvent(BaseModel):
    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    signature = models.CharField(_("signature"), max_length=80, unique=True)
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="events", verbose_name=_("call")
    )
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"
