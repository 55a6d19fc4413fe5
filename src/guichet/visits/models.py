"""The counter's queue (issue #16, point 5).

- `Site`: a place that receives visitors (a consular post), known by a code that
  its kiosk's and display's addresses carry.
- `Service`: what a site offers at its counters (passports, visas, ...), named in
  the four languages, with the letter of its tickets and the team that serves it.
- `Desk`: one counter of the site, with the services it serves; a desk that takes
  fees is the cash book's counter (`till`), not a second record of it.
- `Ticket`: a visitor's place in a service's queue: numbered per service and day
  from `TicketNumbering`, locked in the transaction that issues it, so numbers have
  no gap and no duplicate. Called by one desk (a conditional update: exactly one
  desk wins), then served (a contact is registered) or marked absent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agenda.models import Appointment
from guichet.agents.models import Language, Team
from guichet.cashbook.models import Counter
from guichet.contacts.models import Contact
from guichet.core.models import BaseModel, VersionedModel


class Site(BaseModel):
    """A place that receives visitors, with its kiosk and its display."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("first language of the kiosk"),
        max_length=2,
        choices=Language.choices,
        default=Language.FR,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Service(BaseModel):
    """What a site offers at its counters; its tickets carry its letter."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="services", verbose_name=_("site")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_nl = models.CharField(_("name in Dutch"), max_length=120)
    name_de = models.CharField(_("name in German"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    prefix = models.CharField(_("ticket letter"), max_length=1)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site", "order", "code"]
        verbose_name = _("counter service")
        verbose_name_plural = _("counter services")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"], name="visits_service_code_once"
            ),
            models.UniqueConstraint(
                fields=["site", "prefix"], name="visits_service_prefix_once"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        """The service's name in `language` (fr, nl, de, en), else in English."""
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class Desk(BaseModel):
    """One counter of a site, and the services its agent serves."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="desks", verbose_name=_("site")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    services = models.ManyToManyField(
        Service, related_name="desks", verbose_name=_("services")
    )
    till = models.OneToOneField(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cash book counter"),
        help_text=_("The till of this desk, when fees are paid there."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site", "code"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="visits_desk_once")
        ]

    def __str__(self) -> str:
        return self.name


class TicketNumbering(models.Model):
    """The last ticket number a service gave on a day (locked to give the next)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["service", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day"], name="visits_numbering_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.day}: {self.last}"


class Status(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVED = "served", _("served")
    NO_SHOW = "no_show", _("did not come")


class Ticket(VersionedModel):
    """A visitor's place in a service's queue, from the kiosk to the end of the
    visit. Times: issued (arrival), first called (the wait ends), last announced
    (the display shows it again on a recall), ended (served or absent)."""

    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("service"),
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    issued_at = models.DateTimeField(_("taken at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("last announced at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("calls repeated"), default=0)
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("desk"),
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    contact = models.OneToOneField(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("contact"),
    )
    # A booked citizen who checked in: called first at their time (`appointments`).
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("appointment"),
    )

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(
                fields=["service", "status", "issued_at"], name="visits_queue_idx"
            ),
            models.Index(fields=["desk", "status"], name="visits_desk_idx"),
            models.Index(fields=["day", "announced_at"], name="visits_display_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day", "number"], name="visits_ticket_number_once"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting")
                | Q(called_at__isnull=False, desk__isnull=False),
                name="visits_ticket_called_at_a_desk",
            ),
            models.CheckConstraint(
                condition=~Q(status="served") | Q(contact__isnull=False),
                name="visits_ticket_served_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the visitor reads: the service's letter and three digits (P-042)."""
        return f"{self.service.prefix}-{self.number:03d}"
