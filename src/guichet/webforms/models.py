"""What the public web form keeps: each submission with its link token's hash and
the state of its acknowledgement, its attachments, the refusals of the anti-spam
checks (never their content) and the rate-limit counters shared by every process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import BaseModel
from guichet.servicerequests.models import Request


class AckStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Submission(BaseModel):
    """One message a citizen sent through the public form, and the request it
    opened. The status link's token is kept only as its SHA-256; until the
    acknowledgement is sent, the token also waits here sealed with a key derived
    from the secret key (`tokens.seal`), and is wiped once sent."""

    request = models.OneToOneField(
        Request,
        on_delete=models.PROTECT,
        related_name="web_submission",
        verbose_name=_("request"),
    )
    token_sha256 = models.CharField(
        _("link token (SHA-256)"), max_length=64, unique=True
    )
    sealed_token = models.CharField(
        _("link token awaiting its e-mail (sealed)"), max_length=64, blank=True
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    status_base = models.CharField(
        _("address of the status pages"),
        max_length=200,
        help_text=_("The absolute URL the status link starts with; the token follows."),
    )
    language = models.CharField(_("language"), max_length=2)
    consented_at = models.DateTimeField(_("consent given at"))
    ack_status = models.CharField(
        _("acknowledgement"),
        max_length=10,
        choices=AckStatus.choices,
        default=AckStatus.QUEUED,
    )
    ack_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    ack_error = models.CharField(_("last error"), max_length=1000, blank=True)
    ack_sent_at = models.DateTimeField(
        _("acknowledgement sent at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("web form submission")
        verbose_name_plural = _("web form submissions")

    def __str__(self) -> str:
        return str(self.uuid)


class Attachment(BaseModel):
    """A file sent with a submission, stored once under its SHA-256 by the
    documents app's content store; its type was read from its bytes."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("submission"),
    )
    filename = models.CharField(_("file name given"), max_length=200)
    content_type = models.CharField(_("type read from the content"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        verbose_name = _("web form attachment")
        verbose_name_plural = _("web form attachments")

    def __str__(self) -> str:
        return self.filename


class RefusalReason(models.TextChoices):
    TOO_FAST = "too_fast", _("sent too fast after the form was shown")
    TOO_OLD = "too_old", _("form shown too long ago")
    BAD_STAMP = "bad_stamp", _("form stamp missing or forged")
    HONEYPOT = "honeypot", _("hidden field filled in")
    RATE_LIMITED = "rate_limited", _("too many requests from the address")


class Refusal(BaseModel):
    """An anti-spam refusal: which check, on which page, from which address. The
    message and contact details are never kept."""

    reason = models.CharField(_("reason"), max_length=20, choices=RefusalReason.choices)
    page = models.CharField(_("page"), max_length=20)
    address = models.CharField(_("client address"), max_length=64)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("web form refusal")
        verbose_name_plural = _("web form refusals")

    def __str__(self) -> str:
        return f"{self.reason} {self.address}"


class RateWindow(models.Model):
    """How many requests one client address (an IPv6 address by its /64) made to one
    page in one fixed window: a row per window, counted with `F()` under the row's
    lock, so every process of every server shares the count."""

    scope = models.CharField(_("page"), max_length=20)
    address = models.CharField(_("client address"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        ordering = ["window_start", "scope", "address"]
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "address", "window_start"],
                name="webforms_one_window_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.address} {self.window_start:%Y-%m-%d %H:%M}"
