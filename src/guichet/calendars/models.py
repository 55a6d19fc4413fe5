"""Business calendars: opening hours per weekday, closing days, and which team uses
which calendar. The arithmetic is `business_time`; these rows only describe it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team
from guichet.core.models import BaseModel, VersionedModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_CODE = "default"
DEFAULT_TIME_ZONE = "Europe/Brussels"

# The fields holding each weekday's opening hours, Monday first (date.weekday()).
WEEKDAY_FIELDS = (
    "monday_hours",
    "tuesday_hours",
    "wednesday_hours",
    "thursday_hours",
    "friday_hours",
    "saturday_hours",
    "sunday_hours",
)

HOURS_HELP = _(
    "Opening hours in local time, in order, separated by commas: "
    "09:00-12:00, 13:00-17:00. Empty: closed all day. 24:00 ends at midnight."
)


def _hours_field(label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(label, max_length=200, blank=True, help_text=HOURS_HELP)


class BusinessCalendar(VersionedModel):
    """When a team is open, in its time zone: deadlines are counted in these hours.

    Every change (of the calendar or of its closing days) moves `version`, which is
    how each process knows its cached description is stale.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        help_text=_("An IANA time zone, such as Europe/Brussels."),
    )
    monday_hours = _hours_field(_("Monday"))
    tuesday_hours = _hours_field(_("Tuesday"))
    wednesday_hours = _hours_field(_("Wednesday"))
    thursday_hours = _hours_field(_("Thursday"))
    friday_hours = _hours_field(_("Friday"))
    saturday_hours = _hours_field(_("Saturday"))
    sunday_hours = _hours_field(_("Sunday"))
    closes_on_public_holidays = models.BooleanField(
        _("closed on Belgian public holidays"),
        default=True,
        help_text=_(
            "New Year, Easter Monday, 1 May, Ascension, Whit Monday, 21 July, "
            "15 August, 1 November, 11 November and Christmas."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def weekly_hours(self) -> list[str]:
        """The opening hours of each weekday as typed, Monday first."""
        return [getattr(self, name) for name in WEEKDAY_FIELDS]


class ClosingDay(BaseModel):
    """A date the calendar is closed all day besides the public holidays
    (a bridge day, a substitute day, a regional or staff holiday)."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="closing_days",
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="calendars_closing_day_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.reason}"


class TeamCalendar(BaseModel):
    """The calendar a team counts its deadlines in (the default one without)."""

    team = models.OneToOneField(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="business_calendar_link",
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        on_delete=models.PROTECT,
        related_name="team_links",
    )

    class Meta:
        ordering = ["team"]
        verbose_name = _("team calendar")
        verbose_name_plural = _("team calendars")

    def __str__(self) -> str:
        return f"{self.team}: {self.calendar}"
