"""Debts: the garnishment bracket tables and the debts ledger.

- `BracketTable`: the thresholds of art. 1409 in force over a period, for earned
  and/or replacement income, with its legal source. Reference data, loaded by
  migration or `guichet garnishment tables import`, never changed once loaded.
- `Debt`: a claim on a person's benefit that this payment office was notified of
  (maintenance, seizure, assignment, CPAS subrogation) or its own claim for unduly
  paid benefits (recovery), with the notice in the incoming-mail register it came
  by, when it came by paper. Editable fields carry a version.
- `DebtEntry`: every movement of a debt (principal, interest, costs, retentions,
  direct payments, remissions, corrections). Append-only: the balance is the sum of
  a debt's entries, never a stored figure.
- `InstalmentPlan`: the monthly amount agreed for an own claim; a new plan
  replaces the previous one from its start date. Append-only.
- `DebtComment`: a message for the colleagues who follow a debt, with its author
  and when it was written. Append-only: never edited or deleted; a correction is a
  new comment. (`Debt.comment` stays the claim's short description: what it is,
  the judgment or decision it comes from.)
- `AllocationPosting`: one month's allocation posted for a person by a payment
  office, with the whole computation kept as it was shown. Append-only; its unique
  key (person, team, period) makes posting twice a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team
from guichet.core.models import (
    AppendOnlyModel,
    VersionedModel,
)
from guichet.correspondence.models import IncomingMail
from guichet.parties.models import Organisation, Person


class Confidence(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class BracketTable(AppendOnlyModel):
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("For example 2025.")
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), help_text=_("Inclusive."))
    for_earned = models.BooleanField(_("applies to earned income"))
    for_replacement = models.BooleanField(_("applies to replacement income"))
    t0 = models.DecimalField(
        _("fully protected up to (T0)"), max_digits=12, decimal_places=2
    )
    t1 = models.DecimalField(_("20% band up to (T1)"), max_digits=12, decimal_places=2)
    t2 = models.DecimalField(
        _("30% band up to (T2, earned income)"), max_digits=12, decimal_places=2
    )
    t3 = models.DecimalField(_("40% band up to (T3)"), max_digits=12, decimal_places=2)
    child_reduction = models.DecimalField(
        _("reduction per dependent child"), max_digits=12, decimal_places=2
    )
    source = models.TextField(
        _("legal source"), help_text=_("Royal decree or law and its date.")
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["valid_from", "code"]
        verbose_name = _("garnishment bracket table")
        verbose_name_plural = _("garnishment bracket tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")),
                name="debts_brackets_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(for_earned=True) | Q(for_replacement=True),
                name="debts_brackets_some_income",
            ),
            models.CheckConstraint(
                condition=Q(t0__gte=0)
                & Q(t1__gt=F("t0"))
                & Q(t2__gt=F("t1"))
                & Q(t3__gt=F("t2")),
                name="debts_brackets_thresholds_rise",
            ),
            models.CheckConstraint(
                condition=Q(child_reduction__gte=0),
                name="debts_brackets_child_reduction_positive",
            ),
        ]
        # On PostgreSQL, migration 0003 adds exclusion constraints: no two tables
        # in force on the same day for the same kind of income.

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from} - {self.valid_to})"


class DebtKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("maintenance")
    SEIZURE = "seizure", _("seizure")
    ASSIGNMENT = "assignment", _("assignment of income")
    SUBROGATION = "subrogation", _("subrogation (CPAS advance)")
    RECOVERY = "recovery", _("recovery of benefits paid unduly")


class DebtStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    EXTINGUISHED = "extinguished", _("extinguished")


class Debt(VersionedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="debts", verbose_name=_("person")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payment office"),
        help_text=_(
            "The payment office the claim was notified to; it applies to that office's payments."
        ),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DebtKind.choices)
    creditor_name = models.CharField(_("creditor"), max_length=200, blank=True)
    creditor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creditor organisation"),
    )
    reference = models.CharField(_("creditor's reference"), max_length=100, blank=True)
    notified_on = models.DateField(
        _("notice date"),
        help_text=_(
            "Date of the notice in the central file of notices, or of the decision."
        ),
    )
    notice_mail = models.ForeignKey(
        IncomingMail,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice in the mail register"),
        help_text=_(
            "The registered paper mail that notified the claim, with its scan."
        ),
    )
    fraud = models.BooleanField(
        _("fraud"),
        default=False,
        help_text=_("Recovery only: the undue payment was obtained by fraud."),
    )
    period_from = models.DateField(_("period covered from"), null=True, blank=True)
    period_to = models.DateField(_("period covered until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DebtStatus.choices,
        default=DebtStatus.ACTIVE,
    )
    # The column keeps its name (and the API its field `comment`) for the clients
    # that send it; since comments became a thread (`DebtComment`) it holds only
    # what the claim is. See docs/debts-workbench.md, "Comments colleagues see".
    comment = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "What the claim is: the judgment or decision it comes from. Messages "
            "for colleagues go in the comments."
        ),
    )

    class Meta:
        ordering = ["person", "notified_on", "id"]
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        constraints = [
            models.CheckConstraint(
                condition=Q(fraud=False) | Q(kind="recovery"),
                name="debts_debt_fraud_only_recovery",
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True)
                | Q(period_to__isnull=True)
                | Q(period_to__gte=F("period_from")),
                name="debts_debt_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="subrogation")
                | Q(period_from__isnull=False, period_to__isnull=False),
                name="debts_debt_subrogation_has_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "team", "status"], name="debts_debt_person_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.creditor_name} ({self.notified_on})"


class EntryKind(models.TextChoices):
    PRINCIPAL = "principal", _("principal")
    INTEREST = "interest", _("interest")
    COSTS = "costs", _("costs")
    RETENTION = "retention", _("kept back from a payment")
    DIRECT_PAYMENT = "direct_payment", _("paid directly to the creditor")
    REMISSION = "remission", _("remission")
    CORRECTION = "correction", _("correction")


# The sign each kind of entry must have: + raises the balance, - lowers it.
ENTRY_SIGNS: dict[str, int] = {
    EntryKind.PRINCIPAL: 1,
    EntryKind.INTEREST: 1,
    EntryKind.COSTS: 1,
    EntryKind.RETENTION: -1,
    EntryKind.DIRECT_PAYMENT: -1,
    EntryKind.REMISSION: -1,
    EntryKind.CORRECTION: 0,  # either way, never zero
}


class AllocationPosting(AppendOnlyModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payment office"),
    )
    period = models.CharField(
        _("month"),
        max_length=7,
        help_text=_("The month the payment is for, as YYYY-MM."),
    )
    paid_on = models.DateField(_("payment date"))
    earned = models.DecimalField(
        _("earned income"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    replacement = models.DecimalField(
        _("replacement income"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    children = models.PositiveSmallIntegerField(_("dependent children"))
    table_code = models.CharField(_("bracket table"), max_length=40)
    to_beneficiary = models.DecimalField(
        _("paid to the beneficiary"), max_digits=12, decimal_places=2
    )
    result = models.JSONField(_("computation"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("posted by"),
    )

    class Meta:
        ordering = ["person", "period", "id"]
        verbose_name = _("allocation posting")
        verbose_name_plural = _("allocation postings")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "team", "period"], name="debts_posting_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="debts_posting_period_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.person_id}"


class DebtEntry(AppendOnlyModel):
    debt = models.ForeignKey(
        Debt, on_delete=models.PROTECT, related_name="entries", verbose_name=_("debt")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.DecimalField(
        _("amount"),
        help_text=_("Positive raises the balance, negative lowers it."),
        max_digits=12,
        decimal_places=2,
    )
    booked_on = models.DateField(_("date"))
    period = models.CharField(_("month"), max_length=7, blank=True)
    posting = models.ForeignKey(
        AllocationPosting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("allocation posting"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["debt", "booked_on", "id"]
        verbose_name = _("debt entry")
        verbose_name_plural = _("debt entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["principal", "interest", "costs"], amount__gt=0)
                | Q(kind__in=["retention", "direct_payment", "remission"], amount__lt=0)
                | (Q(kind="correction") & ~Q(amount=0)),
                name="debts_entry_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="retention")
                | Q(posting__isnull=False, period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="debts_entry_retention_has_posting",
            ),
            models.UniqueConstraint(
                fields=["debt", "period"],
                condition=Q(kind="retention"),
                name="debts_entry_one_retention_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class InstalmentPlan(AppendOnlyModel):
    debt = models.ForeignKey(
        Debt, on_delete=models.PROTECT, related_name="plans", verbose_name=_("debt")
    )
    amount = models.DecimalField(_("amount per month"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )

    class Meta:
        ordering = ["debt", "starts_on", "id"]
        verbose_name = _("instalment plan")
        verbose_name_plural = _("instalment plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="debts_plan_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["debt", "starts_on"], name="debts_plan_one_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} from {self.starts_on}"


class DebtComment(AppendOnlyModel):
    debt = models.ForeignKey(
        Debt, on_delete=models.PROTECT, related_name="comments", verbose_name=_("debt")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["debt", "-written_at", "-id"]
        verbose_name = _("comment on a debt")
        verbose_name_plural = _("comments on debts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="debts_comment_not_empty"
            ),
        ]
        indexes = [
            models.Index(
                fields=["debt", "-written_at", "-id"], name="debts_comment_debt_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.written_at:%Y-%m-%d %H:%M} {self.text[:40]}"
