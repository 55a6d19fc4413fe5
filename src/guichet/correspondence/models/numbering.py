"""Gap-free numbering: one locked counter per service, series and year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team


class Series(models.TextChoices):
    OUTGOING = "out", _("outgoing letters")
    INCOMING = "in", _("incoming mail")


class Counter(models.Model):
    """The last number given in one series of one service in one year.

    Incremented under `select_for_update` in the transaction that writes the letter or
    the mail (`locks.next_number`), so a rolled-back write gives its number back.
    """

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    series = models.CharField(_("series"), max_length=3, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["team", "series", "year"]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "series", "year"],
                name="correspondence_counter_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.series}/{self.year}: {self.last}"
