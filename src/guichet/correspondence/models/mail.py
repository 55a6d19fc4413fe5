"""The register of incoming mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team
from guichet.core.models import VersionedModel
from guichet.parties.models import Organisation, Person


class MailStatus(models.TextChoices):
    REGISTERED = "registered", _("registered, not dispatched")
    DISPATCHED = "dispatched", _("dispatched")


class IncomingMail(VersionedModel):
    """A piece of paper mail, registered with a number and its scan, then dispatched."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by service"),
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    received_on = models.DateField(_("received on"))
    sender_name = models.CharField(_("sender"), max_length=300)
    sender_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_mail",
        verbose_name=_("sender (person)"),
    )
    sender_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_mail",
        verbose_name=_("sender (organisation)"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    scan_sha256 = models.CharField(_("scan SHA-256"), max_length=64)
    scan_name = models.CharField(_("scan file name"), max_length=200)
    scan_content_type = models.CharField(_("scan type"), max_length=100)
    scan_size = models.PositiveIntegerField(_("scan size"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MailStatus.choices,
        default=MailStatus.REGISTERED,
    )
    dispatched_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched to"),
    )
    dispatched_dossier = models.CharField(
        _("dossier reference as written"),
        max_length=64,
        blank=True,
        help_text=_(
            "The dossier reference the mail gives, as the mail room typed it; the "
            "dossier itself is linked when one of the service has it."
        ),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_mail",
        verbose_name=_("dossier"),
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        indexes = [
            models.Index(fields=["status", "team"], name="correspondence_mail_queue"),
            models.Index(
                fields=["dispatched_dossier"], name="correspondence_mail_dossier"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "sequence"],
                name="correspondence_mail_sequence_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", dispatched_team__isnull=True)
                | Q(status="dispatched", dispatched_team__isnull=False),
                name="correspondence_mail_dispatched_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.number
