"""Payments: beneficiaries, entitlements, monthly runs, transfers and their ledger.

- `Beneficiary`: a person paid by a payment office (team), optionally from the
  dossier that handed them over; the account paid is the last *confirmed* one.
- `AccountChange`: a change of payment account, dated and audited; it is paid only
  once a second agent confirmed it (never the agent who entered it).
- `Entitlement`: what the deciding body granted: a daily amount over a period (end
  open or given), a category and the withholding rate the decision gives. Two
  entitlements of one beneficiary and category never overlap.
- `Declaration`: the beneficiary's monthly declaration (the control card): the days
  declared payable, the days worked, sick or on holiday (never paid), and whether
  the card is signed and dated. It is the month's payment document.
- `DocumentsRequest`: the letter asking for what is missing for a month (once).
- `CreditorAccount`: where a debt's creditor is paid (IBAN, BIC, structured
  reference), kept here because the debts app knows creditors, not their accounts.
- `PaymentRun`: one month of one payment office: prepared, reviewed, approved by a
  second agent, executed; its cursors make each phase resumable.
- `RunItem`: one beneficiary in a run: gross, withholding, deductions, net, or the
  coded reason it is an exception.
- `Payment`: one credit transfer, unique per (beneficiary, month, entitlement,
  payee): the key that makes a run pay nobody twice.
- `SepaFile`: a pain.001 file written for a run, recorded once written.
- `LedgerTransaction` and `LedgerLine`: the double-entry ledger of every amount
  due, withheld, deducted and transferred.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from django_stubs_ext import StrOrPromise

from guichet.agents.models import Team
from guichet.core.models import AppendOnlyModel, BaseModel, VersionedModel
from guichet.debts.models import Debt
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person

MONTH_REGEX = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def _money(verbose_name: StrOrPromise, *, default: int | None = None) -> Any:
    """A money column: euros and cents (`Decimal`), up to 999 999 999 999.99."""
    if default is None:
        return models.DecimalField(verbose_name, max_digits=14, decimal_places=2)
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, default=default
    )


class BeneficiaryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    STOPPED = "stopped", _("payments stopped")


class Beneficiary(VersionedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payment office"),
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
        help_text=_("The dossier that handed the beneficiary over to payments."),
    )
    children = models.PositiveSmallIntegerField(
        _("dependent children"),
        default=0,
        help_text=_("For the child reduction of the seizable part."),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=BeneficiaryStatus.choices,
        default=BeneficiaryStatus.ACTIVE,
    )
    stop_reason = models.TextField(_("why payments stopped"), blank=True)
    # The confirmed account: the one paid. Empty until a first change is confirmed.
    account_iban = models.CharField(_("IBAN paid"), max_length=34, blank=True)
    account_bic = models.CharField(_("BIC paid"), max_length=11, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=140, blank=True)
    account_since = models.DateField(_("account paid since"), null=True, blank=True)

    class Meta:
        ordering = ["team", "id"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], name="payments_beneficiary_once_per_office"
            ),
            models.CheckConstraint(
                condition=Q(account_iban="") | ~Q(account_holder=""),
                name="payments_beneficiary_account_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.team_id}"


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", _("refused")


class AccountChange(BaseModel):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="account_changes",
        verbose_name=_("beneficiary"),
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder = models.CharField(_("account holder"), max_length=140)
    effective_on = models.DateField(_("paid to this account from"))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=9,
        choices=AccountChangeStatus.choices,
        default=AccountChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or refused by"),
    )
    decided_at = models.DateTimeField(_("confirmed or refused at"), null=True)

    class Meta:
        ordering = ["beneficiary", "created_at", "id"]
        verbose_name = _("change of account")
        verbose_name_plural = _("changes of account")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status="pending"),
                name="payments_account_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(requested_by__isnull=True)
                | ~Q(decided_by=F("requested_by")),
                name="payments_account_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="payments_account_decided_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iban} ({self.status})"


class EntitlementCategory(models.TextChoices):
    FULL_UNEMPLOYMENT = "full_unemployment", _("full unemployment")
    TEMPORARY_UNEMPLOYMENT = "temporary_unemployment", _("temporary unemployment")
    INSERTION = "insertion", _("insertion allowance")
    BRIDGE_PENSION = "bridge_pension", _("unemployment with company supplement")


class Entitlement(VersionedModel):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("beneficiary"),
    )
    category = models.CharField(
        _("category"), max_length=24, choices=EntitlementCategory.choices
    )
    daily_amount = _money(_("daily amount"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Inclusive; empty: open.")
    )
    withholding_rate = models.DecimalField(
        _("withholding tax rate"),
        max_digits=5,
        decimal_places=4,
        default=0,
        help_text=_("As given by the decision, for example 0.1009 for 10.09 %."),
    )
    decision_reference = models.CharField(
        _("decision reference"), max_length=100, blank=True
    )
    decided_on = models.DateField(_("decision date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["beneficiary", "starts_on", "id"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_amount__gt=0), name="payments_entitlement_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="payments_entitlement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(withholding_rate__gte=0) & Q(withholding_rate__lt=1),
                name="payments_entitlement_rate_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["beneficiary", "category", "starts_on"],
                name="payments_entitlement_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.daily_amount} from {self.starts_on}"


class Declaration(BaseModel):
    """The month's control card (C3A / eC3): the month's payment document."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name=_("beneficiary"),
    )
    month = models.CharField(_("month"), max_length=7, help_text=_("YYYY-MM."))
    days_payable = models.PositiveSmallIntegerField(
        _("days of unemployment declared"),
        help_text=_("The days the beneficiary declares payable this month."),
    )
    days_worked = models.PositiveSmallIntegerField(_("days worked"), default=0)
    days_sick = models.PositiveSmallIntegerField(_("days sick"), default=0)
    days_holiday = models.PositiveSmallIntegerField(_("days on holiday"), default=0)
    received_on = models.DateField(_("received on"))
    signed = models.BooleanField(_("signed"), default=False)
    dated_on = models.DateField(
        _("dated"), null=True, blank=True, help_text=_("The date written on the card.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["beneficiary", "month"]
        verbose_name = _("monthly declaration")
        verbose_name_plural = _("monthly declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "month"], name="payments_declaration_once"
            ),
            models.CheckConstraint(
                condition=Q(month__regex=MONTH_REGEX),
                name="payments_declaration_month_format",
            ),
            models.CheckConstraint(
                condition=Q(days_payable__lte=31)
                & Q(days_worked__lte=31)
                & Q(days_sick__lte=31)
                & Q(days_holiday__lte=31),
                name="payments_declaration_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.beneficiary_id}"


class DocumentsRequest(BaseModel):
    """The letter asking a beneficiary for what is missing to pay a month (once)."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beneficiary"),
    )
    month = models.CharField(_("month"), max_length=7)
    missing = models.JSONField(_("what is missing"), default=list)
    letter = models.ForeignKey(
        "correspondence.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("letter"),
    )

    class Meta:
        ordering = ["beneficiary", "month"]
        verbose_name = _("request for payment documents")
        verbose_name_plural = _("requests for payment documents")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "month"], name="payments_documents_request_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.beneficiary_id}"


class CreditorAccount(VersionedModel):
    """Where the amounts kept back for a debt are transferred."""

    debt = models.OneToOneField(
        Debt,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("debt"),
    )
    name = models.CharField(_("creditor's name on the transfer"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    ogm = models.CharField(
        _("structured reference"),
        max_length=20,
        blank=True,
        help_text=_(
            "Belgian structured reference (+++123/4567/89012+++), digits only."
        ),
    )
    text = models.CharField(_("free text"), max_length=140, blank=True)

    class Meta:
        ordering = ["debt"]
        verbose_name = _("creditor's account")
        verbose_name_plural = _("creditors' accounts")

    def __str__(self) -> str:
        return f"{self.name} {self.iban}"


class RunState(models.TextChoices):
    PREPARING = "preparing", _("being prepared")
    PREPARED = "prepared", _("prepared")
    REVIEWED = "reviewed", _("reviewed")
    APPROVED = "approved", _("approved")
    EXECUTING = "executing", _("being executed")
    EXECUTED = "executed", _("executed")


class PaymentRun(VersionedModel):
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payment office"),
    )
    month = models.CharField(_("month"), max_length=7)
    paid_on = models.DateField(_("execution date"))
    state = models.CharField(
        _("state"), max_length=9, choices=RunState.choices, default=RunState.PREPARING
    )
    # Resumable phases: the last beneficiary prepared, the last payment booked.
    prepare_cursor = models.BigIntegerField(_("prepared up to"), default=0)
    execute_cursor = models.BigIntegerField(_("booked up to"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries paid"), default=0)
    exceptions = models.PositiveIntegerField(_("exceptions"), default=0)
    gross = _money(_("gross"), default=0)
    withholding = _money(_("withholding tax"), default=0)
    deductions = _money(_("deductions"), default=0)
    net = _money(_("net to beneficiaries"), default=0)
    transfers = models.PositiveIntegerField(_("credit transfers"), default=0)
    transfers_total = _money(_("total transferred"), default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executed by"),
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "team"]
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month"], name="payments_run_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__regex=MONTH_REGEX), name="payments_run_month_format"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | ~Q(approved_by=F("prepared_by")),
                name="payments_run_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.team_id} ({self.state})"


class RunItem(models.Model):
    """One beneficiary in one run. Written in bulk: no uuid, no timestamps."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("run"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beneficiary"),
    )
    days = models.PositiveSmallIntegerField(_("days paid"), default=0)
    gross = _money(_("gross"), default=0)
    withholding = _money(_("withholding tax"), default=0)
    deductions = _money(_("deductions"), default=0)
    net = _money(_("net"), default=0)
    exception = models.CharField(
        _("exception"),
        max_length=40,
        blank=True,
        help_text=_("Empty when paid; else the coded reason."),
    )
    detail = models.JSONField(_("detail"), default=dict)

    class Meta:
        ordering = ["run", "beneficiary"]
        verbose_name = _("run item")
        verbose_name_plural = _("run items")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "beneficiary"], name="payments_item_once_per_run"
            ),
            models.CheckConstraint(
                condition=Q(exception="")
                | (Q(gross=0) & Q(withholding=0) & Q(deductions=0) & Q(net=0)),
                name="payments_item_exception_unpaid",
            ),
            models.CheckConstraint(
                condition=Q(gross=F("withholding") + F("deductions") + F("net")),
                name="payments_item_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(withholding__gte=0) & Q(deductions__gte=0) & Q(net__gte=0),
                name="payments_item_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.beneficiary_id}"


class PayeeKind(models.TextChoices):
    BENEFICIARY = "beneficiary", _("beneficiary")
    CREDITOR = "creditor", _("creditor")


class PaymentState(models.TextChoices):
    PREPARED = "prepared", _("prepared")
    BOOKED = "booked", _("booked")
    RELEASED = "released", _("in a transfer file")
    REJECTED = "rejected", _("rejected by the bank")


class Payment(models.Model):
    """One credit transfer. Written in bulk: no uuid, no timestamps."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("run"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beneficiary"),
    )
    month = models.CharField(_("month"), max_length=7)
    entitlement = models.ForeignKey(
        Entitlement,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entitlement"),
    )
    payee = models.CharField(
        _("payee key"),
        max_length=40,
        help_text=_('"beneficiary", or "debt:" and the debt\'s id.'),
    )
    kind = models.CharField(_("payee"), max_length=11, choices=PayeeKind.choices)
    debt = models.ForeignKey(
        Debt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("debt"),
    )
    amount = _money(_("amount"))
    creditor_name = models.CharField(_("paid to"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    ogm = models.CharField(_("structured reference"), max_length=20, blank=True)
    text = models.CharField(_("remittance text"), max_length=140, blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, unique=True)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=PaymentState.choices,
        default=PaymentState.PREPARED,
    )
    file = models.ForeignKey(
        "SepaFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("transfer file"),
    )
    # Bank rejects (rejects.py): a rejected transfer is paid again as the next
    # attempt of the same key; at most one attempt of a key is not rejected.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "month", "entitlement", "payee", "attempt"],
                name="payments_payment_once_per_attempt",
            ),
            models.UniqueConstraint(
                fields=["beneficiary", "month", "entitlement", "payee"],
                condition=~Q(state="rejected"),
                name="payments_payment_once",
            ),
            models.CheckConstraint(
                condition=Q(attempt__gte=1), name="payments_payment_attempt_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payments_payment_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="beneficiary", payee="beneficiary", debt__isnull=True)
                | Q(kind="creditor", debt__isnull=False),
                name="payments_payment_payee_matches",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "state", "id"], name="payments_payment_run_idx")
        ]

    def __str__(self) -> str:
        return f"{self.end_to_end_id} {self.amount}"


class SepaFile(AppendOnlyModel):
    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("run"),
    )
    sequence = models.PositiveIntegerField(_("number in the run"))
    path = models.CharField(_("path"), max_length=500)
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    version = models.CharField(_("pain.001 version"), max_length=20)
    count = models.PositiveIntegerField(_("transfers"))
    total = _money(_("total"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    first_payment = models.BigIntegerField(_("first payment"))
    last_payment = models.BigIntegerField(_("last payment"))
    retry = models.BooleanField(
        _("payments made again"),
        default=False,
        help_text=_("A file of transfers paid again after a bank's reject."),
    )

    class Meta:
        ordering = ["run", "sequence"]
        verbose_name = _("transfer file")
        verbose_name_plural = _("transfer files")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "sequence"], name="payments_file_once"
            ),
        ]

    def __str__(self) -> str:
        return self.message_id


class Account(models.TextChoices):
    BENEFITS_EXPENSE = "benefits_expense", _("benefits expense")
    WITHHOLDING_PAYABLE = "withholding_payable", _("withholding tax payable")
    BENEFICIARY_PAYABLE = "beneficiary_payable", _("due to beneficiaries")
    CREDITOR_PAYABLE = "creditor_payable", _("due to creditors")
    RECOVERY_RECEIVABLE = "recovery_receivable", _("own claims recovered")
    BANK = "bank", _("bank")


class TransactionKind(models.TextChoices):
    DUE = "due", _("amounts due for a month")
    TRANSFER = "transfer", _("transfer made")
    REJECT = "reject", _("transfer rejected by the bank")


class LedgerTransaction(models.Model):
    """A balanced set of lines. Its `key` makes a repeated booking a no-op."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(_("key"), max_length=80, unique=True)
    run = models.ForeignKey(
        PaymentRun,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=TransactionKind.choices)
    booked_on = models.DateField(_("date"))
    total = _money(_("total debited"))

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="payments_transaction_total_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class LedgerLine(models.Model):
    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("transaction"),
    )
    account = models.CharField(_("account"), max_length=20, choices=Account.choices)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beneficiary"),
    )
    debt = models.ForeignKey(
        Debt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("debt (creditor)"),
    )
    booked_on = models.DateField(_("date"))
    debit = _money(_("debit"), default=0)
    credit = _money(_("credit"), default=0)

    class Meta:
        ordering = ["transaction", "id"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0))
                | (Q(debit=0) & Q(credit__gt=0)),
                name="payments_line_one_side",
            ),
        ]
        indexes = [
            models.Index(
                fields=["beneficiary", "booked_on"], name="payments_line_benef_idx"
            ),
            models.Index(fields=["debt", "booked_on"], name="payments_line_debt_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.debit}/{self.credit}"


class RejectReason(models.TextChoices):
    """ISO 20022 status reason codes a bank gives for a rejected transfer
    (ExternalStatusReason1Code), the ones a benefits office meets; "other" with
    the bank's text."""

    AC01 = "AC01", _("AC01 incorrect account number")
    AC04 = "AC04", _("AC04 closed account number")
    AC06 = "AC06", _("AC06 blocked account")
    AG01 = "AG01", _("AG01 transaction forbidden on this account")
    AM05 = "AM05", _("AM05 duplication")
    BE04 = "BE04", _("BE04 missing creditor address")
    MD07 = "MD07", _("MD07 end customer deceased")
    MS03 = "MS03", _("MS03 reason not specified")
    RC01 = "RC01", _("RC01 bank identifier incorrect")
    OTHER = "other", _("other reason")


class BankReject(BaseModel):
    """A bank's reject of one transfer: the money came back; the payee is owed it
    again (the ledger's "reject" transaction) until it is paid again."""

    payment = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        related_name="reject",
        verbose_name=_("payment"),
    )
    reason = models.CharField(_("reason"), max_length=5, choices=RejectReason.choices)
    reason_text = models.CharField(_("bank's text"), max_length=140, blank=True)
    bank_reference = models.CharField(_("bank's reference"), max_length=35, blank=True)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    retry = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retry_of",
        verbose_name=_("paid again as"),
    )

    class Meta:
        ordering = ["-received_on", "id"]
        verbose_name = _("bank reject")
        verbose_name_plural = _("bank rejects")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(reason_text=""),
                name="payments_reject_other_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.reason}"
