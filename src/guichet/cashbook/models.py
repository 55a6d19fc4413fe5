"""The counter's cash book: tills, their days, payments of dossier fees, refunds.

- `Counter`: a till of a team (a consular post's front office); its receipts are
  numbered gap-free per year from `ReceiptNumbering`, locked in the transaction
  that writes the payment or refund (as `correspondence.locks` numbers letters).
- `CashDay`: one counter's day: opened by the first payment, closed by an agent
  who enters what they counted per means of payment against what was expected
  (signed: who, when), then checked by a supervisor (who, when, note). A day that
  does not balance is closed only with a supervisor's note. Never reopened.
- `Payment` and `Refund` are append-only (model, queryset and, on PostgreSQL, a
  trigger): a mistake is corrected by a refund with its reason, never by editing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team
from guichet.core.models import AppendOnlyModel, BaseModel, VersionedModel
from guichet.dossiers.models import DossierFee

ZERO = Decimal("0.00")


class Means(models.TextChoices):
    CARD = "card", _("card")
    CASH = "cash", _("cash")
    TRANSFER = "transfer", _("transfer")


class Counter(BaseModel):
    """A till of a team: where fees are paid and cash is counted."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["team", "code"]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "code"], name="cashbook_counter_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReceiptNumbering(models.Model):
    """The last receipt number a counter gave in a year (locked to give the next)."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["counter", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "year"], name="cashbook_numbering_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counter_id}/{self.year}: {self.last}"


class DayStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    CHECKED = "checked", _("checked")


def _money(label: Any, *, null: bool = False) -> Any:
    """An amount field of the closing (figures filled in when the day closes)."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, null=null, blank=null
    )


class CashDay(VersionedModel):
    """One counter's day of payments and refunds, its closing and its check."""

    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        related_name="days",
        verbose_name=_("counter"),
    )
    day = models.DateField(_("day"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=DayStatus.choices, default=DayStatus.OPEN
    )
    # The closing, signed by the agent who counted.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expected_card = _money(_("expected by card"), null=True)
    expected_cash = _money(_("expected in cash"), null=True)
    expected_transfer = _money(_("expected by transfer"), null=True)
    counted_card = _money(_("counted by card"), null=True)
    counted_cash = _money(_("counted in cash"), null=True)
    counted_transfer = _money(_("counted by transfer"), null=True)
    difference = _money(_("difference"), null=True)
    balanced = models.BooleanField(
        _("balanced"),
        null=True,
        blank=True,
        help_text=_("Every means of payment counted as expected."),
    )
    difference_note = models.TextField(
        _("supervisor's note on the difference"), blank=True
    )
    # The supervisor's check.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("check note"), blank=True)

    class Meta:
        ordering = ["-day", "counter"]
        verbose_name = _("cash-book day")
        verbose_name_plural = _("cash-book days")
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "day"], name="cashbook_day_once"
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(closed_by__isnull=False) & Q(closed_at__isnull=False)),
                name="cashbook_day_closed_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="checked")
                | (Q(checked_by__isnull=False) & Q(checked_at__isnull=False)),
                name="cashbook_day_checked_signed",
            ),
            models.CheckConstraint(
                condition=~Q(balanced=False) | ~Q(difference_note=""),
                name="cashbook_difference_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.day}"


class Payment(AppendOnlyModel):
    """A payment of a dossier's fee at a counter, with its numbered receipt."""

    day = models.ForeignKey(
        CashDay,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("day"),
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="+", verbose_name=_("counter")
    )
    fee = models.ForeignKey(
        DossierFee,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fee"),
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    means = models.CharField(_("means of payment"), max_length=8, choices=Means.choices)
    ogm = models.CharField(
        _("structured reference"),
        max_length=12,
        blank=True,
        help_text=_("The 12 digits of the transfer's structured communication."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("receipt number"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "year", "number"], name="cashbook_payment_number"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="cashbook_payment_positive"
            ),
            models.CheckConstraint(
                condition=(Q(means="transfer") & ~Q(ogm=""))
                | (~Q(means="transfer") & Q(ogm="")),
                name="cashbook_ogm_for_transfers",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_reference

    @property
    def receipt_reference(self) -> str:
        return receipt_reference(self.counter_id, self.year, self.number)


class Refund(AppendOnlyModel):
    """Money given back on a payment, with its reason and its numbered receipt."""

    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("payment"),
    )
    day = models.ForeignKey(
        CashDay, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("day")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="+", verbose_name=_("counter")
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("receipt number"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "year", "number"], name="cashbook_refund_number"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="cashbook_refund_positive"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="cashbook_refund_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_reference

    @property
    def receipt_reference(self) -> str:
        return receipt_reference(self.counter_id, self.year, self.number)


def receipt_reference(counter_id: int, year: int, number: int) -> str:
    """`R-12-2026-000042`: counter, year, number of the year."""
    return f"R-{counter_id}-{year}-{number:06d}"
