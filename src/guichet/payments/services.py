"""Every write of the payments app.

Beneficiaries, accounts, entitlements and declarations are written one at a time
by an agent, each in one transaction with its audit record. A payment run is a
batch: each phase (prepare, execute) commits in batches with its cursor in the run
row, so a run killed at any point resumes where it stopped; one audit record per
step of the run, never per payment (the ledger is the record of each amount).
See docs/payments.md.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.checks.bic import check_bic
from guichet.checks.iban import check_iban
from guichet.checks.ogm import check_ogm
from guichet.core import clock
from guichet.core.errors import Forbidden, NotFound
from guichet.core.validation import Problems, parse_uuid
from guichet.core.versioning import check_version, versioned_update
from guichet.debts import selectors as debt_selectors
from guichet.dossiers import hooks as dossier_hooks
from guichet.dossiers.models import Dossier
from guichet.parties.selectors import persons_visible

from . import calculation, selectors
from .errors import Code, Invalid, RunStateError
from .models import (
    AccountChange,
    AccountChangeStatus,
    Beneficiary,
    BeneficiaryStatus,
    CreditorAccount,
    Declaration,
    Entitlement,
    EntitlementCategory,
    PaymentRun,
    RunState,
)

# Runs: the batch phases live in `runs.py`; re-exported here as the app's services.
from .runs import ExecuteResult, run_execute, run_prepare

__all__ = ["ExecuteResult", "run_execute", "run_prepare"]

NOTHING_SAVED = _("Some values are not valid; nothing was saved.")


def _problems() -> Problems:
    return Problems(message=NOTHING_SAVED)


# Reading and checking input


def clean_month(problems: Problems, name: str, raw: object) -> str | None:
    if not isinstance(raw, str) or not selectors.MONTH.fullmatch(raw.strip()):
        problems.add(name, Code.INVALID_MONTH, _("Give a month as YYYY-MM."))
        return None
    return raw.strip()


def clean_month_or_refuse(raw: object) -> str:
    problems = _problems()
    month = clean_month(problems, "month", raw)
    problems.raise_if_any()
    return str(month)


def clean_iban(problems: Problems, name: str, raw: str) -> str:
    result = check_iban(raw or "")
    if not result.valid:
        error = result.errors[0]
        problems.add(name, Code.INVALID_IBAN, error.message, **error.params)
    return result.normalized


def clean_bic(problems: Problems, name: str, raw: str) -> str:
    if not raw:
        return ""
    result = check_bic(raw)
    if not result.valid:
        error = result.errors[0]
        problems.add(name, Code.INVALID_BIC, error.message, **error.params)
    return result.normalized


def clean_amount(
    problems: Problems, name: str, raw: object, *, positive: bool = True
) -> Decimal | None:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        problems.add(name, Code.NOT_AN_AMOUNT, _("Give an amount such as 54.32."))
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        problems.add(
            name,
            Code.NOT_AN_AMOUNT,
            _("Give an amount in euros with at most two decimals."),
        )
        return None
    if value < 0 or (positive and value == 0):
        problems.add(
            name, Code.NEGATIVE_AMOUNT, _("The amount must be more than zero.")
        )
        return None
    return value


def clean_text(problems: Problems, name: str, raw: str, *, required: bool) -> str:
    value = " ".join((raw or "").split())
    if required and not value:
        problems.add(name, Code.REQUIRED, _("This field is required."))
    return value


# Beneficiaries


def beneficiaries_writable(actor: Agent, action: str) -> Any:
    return policy.visible(actor, Beneficiary.objects.all()).filter(
        team_id__in=actor.team_ids
    )


def _locked_beneficiary(
    actor: Agent, beneficiary_id: str | uuid_module.UUID, action: str
) -> Beneficiary:
    policy.require(actor, action)
    key = parse_uuid(beneficiary_id)
    found = (
        beneficiaries_writable(actor, action).filter(uuid=key).first() if key else None
    )
    if found is None:
        raise NotFound(_("No such beneficiary."))
    beneficiary = Beneficiary.objects.select_for_update().get(pk=found.pk)
    if not policy.may(actor, action, beneficiary):  # pragma: no cover - seen implies
        raise Forbidden(_("You may not do this."))
    return beneficiary


@transaction.atomic
def beneficiary_register(
    *,
    actor: Agent,
    person_id: str | uuid_module.UUID,
    team_code: str | None = None,
    dossier_id: str | uuid_module.UUID | None = None,
    children: int = 0,
) -> Beneficiary:
    """Make a person a beneficiary of the agent's payment office (once per office)."""
    policy.require(actor, Action.BENEFICIARY_MANAGE)
    key = parse_uuid(person_id)
    person = persons_visible(agent=actor).filter(uuid=key).first() if key else None
    if person is None:
        raise NotFound(_("No such person."))
    team = debt_selectors.team_for(actor, team_code)
    dossier = None
    if dossier_id is not None:
        dossier_key = parse_uuid(dossier_id)
        dossier = (
            Dossier.objects.filter(uuid=dossier_key, team=team).first()
            if dossier_key
            else None
        )
        if dossier is None:
            raise NotFound(_("No such dossier."))
    problems = _problems()
    if (
        not isinstance(children, int)
        or isinstance(children, bool)
        or not 0 <= children <= 30
    ):
        problems.add(
            "children", Code.INVALID_DAYS, _("Give a number of children from 0 to 30.")
        )
    if Beneficiary.objects.filter(team=team, person=person).exists():
        problems.add(
            "person",
            Code.ALREADY_BENEFICIARY,
            _("This person is already a beneficiary of this payment office."),
        )
    problems.raise_if_any()
    beneficiary = Beneficiary.objects.create(
        person=person, team=team, dossier=dossier, children=children
    )
    audit_record(
        actor=actor,
        action="payment.beneficiary_register",
        obj=person,
        summary={
            "beneficiary": str(beneficiary.uuid),
            "team": team.code,
            "dossier": str(dossier.uuid) if dossier else None,
            "children": children,
        },
    )
    return beneficiary


HAND_OVER = "hand_over_to_payments"


def beneficiary_from_dossier(*, actor: Agent, dossier: Dossier) -> Beneficiary:
    """The hand-over of a dossier to payments: its applicant becomes (or already
    is) a beneficiary of the dossier's payment office (team), linked to the
    dossier. Called inside the transition's transaction, whose roles the case type
    checked (a dossier handler may hand over without a payments role): no other
    grant is asked. Audited."""
    if dossier.person is None:
        raise Invalid(
            _("Only a person's dossier is handed over to payments."), code=Code.REQUIRED
        )
    beneficiary, created = Beneficiary.objects.get_or_create(
        team_id=dossier.team_id,
        person=dossier.person,
        defaults={"dossier": dossier},
    )
    if created:
        audit_record(
            actor=actor,
            action="payment.beneficiary_register",
            obj=dossier.person,
            summary={
                "beneficiary": str(beneficiary.uuid),
                "team": dossier.team.code,
                "dossier": str(dossier.uuid),
                "children": 0,
            },
        )
    return beneficiary


def on_transition(done: dossier_hooks.TransitionDone) -> None:
    """`dossiers.hooks.transition_listeners`: the hand-over makes a beneficiary."""
    if done.transition == HAND_OVER:
        beneficiary_from_dossier(actor=done.actor, dossier=done.dossier)


@transaction.atomic
def beneficiary_stop(
    *,
    actor: Agent,
    beneficiary_id: str | uuid_module.UUID,
    expected_version: int,
    reason: str,
) -> Beneficiary:
    """Stop paying a beneficiary, with the reason (the seeds' "payments stopped")."""
    beneficiary = _locked_beneficiary(actor, beneficiary_id, Action.BENEFICIARY_MANAGE)
    check_version(beneficiary, expected_version)
    problems = _problems()
    text = clean_text(problems, "reason", reason, required=True)
    if beneficiary.status != BeneficiaryStatus.ACTIVE:
        problems.add("status", Code.NOT_ACTIVE, _("Payments are already stopped."))
    problems.raise_if_any()
    versioned_update(
        beneficiary,
        expected_version=expected_version,
        status=BeneficiaryStatus.STOPPED,
        stop_reason=text,
    )
    audit_record(
        actor=actor,
        action="payment.beneficiary_stop",
        obj=beneficiary.person,
        summary={"beneficiary": str(beneficiary.uuid)},
        reason=text,
    )
    return beneficiary


@transaction.atomic
def beneficiary_resume(
    *, actor: Agent, beneficiary_id: str | uuid_module.UUID, expected_version: int
) -> Beneficiary:
    beneficiary = _locked_beneficiary(actor, beneficiary_id, Action.BENEFICIARY_MANAGE)
    check_version(beneficiary, expected_version)
    if beneficiary.status != BeneficiaryStatus.STOPPED:
        raise Invalid(
            NOTHING_SAVED,
            errors=[],
            code=Code.NOT_STOPPED,
        )
    versioned_update(
        beneficiary,
        expected_version=expected_version,
        status=BeneficiaryStatus.ACTIVE,
        stop_reason="",
    )
    audit_record(
        actor=actor,
        action="payment.beneficiary_resume",
        obj=beneficiary.person,
        summary={"beneficiary": str(beneficiary.uuid)},
    )
    return beneficiary


# Accounts


@transaction.atomic
def account_change_request(
    *,
    actor: Agent,
    beneficiary_id: str | uuid_module.UUID,
    iban: str,
    holder: str,
    effective_on: dt.date,
    bic: str = "",
    reason: str = "",
) -> AccountChange:
    """Enter a new payment account; it is paid once a second agent confirms it."""
    beneficiary = _locked_beneficiary(actor, beneficiary_id, Action.ACCOUNT_CHANGE)
    problems = _problems()
    clean = clean_iban(problems, "iban", iban)
    clean_b = clean_bic(problems, "bic", bic)
    name = clean_text(problems, "holder", holder, required=True)
    if len(name) > 140:
        problems.add("holder", Code.REQUIRED, _("At most 140 characters."))
    if AccountChange.objects.filter(
        beneficiary=beneficiary, status=AccountChangeStatus.PENDING
    ).exists():
        problems.add(
            "iban",
            Code.CHANGE_PENDING,
            _(
                "Another change of account waits for confirmation; confirm or refuse it first."
            ),
        )
    problems.raise_if_any()
    change = AccountChange.objects.create(
        beneficiary=beneficiary,
        iban=clean,
        bic=clean_b,
        holder=name,
        effective_on=effective_on,
        reason=" ".join(reason.split()),
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="payment.account_change_request",
        obj=beneficiary.person,
        summary={
            "beneficiary": str(beneficiary.uuid),
            "change": str(change.uuid),
            "iban": clean,
            "effective_on": effective_on,
        },
        reason=change.reason,
    )
    return change


def _locked_change(actor: Agent, change_id: str | uuid_module.UUID) -> AccountChange:
    policy.require(actor, Action.ACCOUNT_CONFIRM)
    key = parse_uuid(change_id)
    change = (
        AccountChange.objects.filter(
            uuid=key,
            beneficiary__in=beneficiaries_writable(actor, Action.ACCOUNT_CONFIRM),
        ).first()
        if key
        else None
    )
    if change is None:
        raise NotFound(_("No such change of account."))
    _locked_beneficiary(actor, change.beneficiary.uuid, Action.ACCOUNT_CONFIRM)
    change.refresh_from_db()
    if change.status != AccountChangeStatus.PENDING:
        raise RunStateError(
            _("This change of account was already confirmed or refused."),
            code=Code.CHANGE_NOT_PENDING,
        )
    if change.requested_by_id == actor.pk:
        raise Forbidden(
            _("A second agent must confirm a change of account you entered."),
            code=Code.SAME_AGENT,
        )
    return change


@transaction.atomic
def account_change_confirm(
    *, actor: Agent, change_id: str | uuid_module.UUID
) -> AccountChange:
    """A second agent confirms: from now on the new account is paid."""
    change = _locked_change(actor, change_id)
    now = clock.now()
    AccountChange.objects.filter(pk=change.pk).update(
        status=AccountChangeStatus.CONFIRMED, decided_by=actor, decided_at=now
    )
    beneficiary = change.beneficiary
    versioned_update(
        beneficiary,
        expected_version=None,
        account_iban=change.iban,
        account_bic=change.bic,
        account_holder=change.holder,
        account_since=change.effective_on,
    )
    audit_record(
        actor=actor,
        action="payment.account_change_confirm",
        obj=beneficiary.person,
        summary={"beneficiary": str(beneficiary.uuid), "change": str(change.uuid)},
    )
    change.refresh_from_db()
    return change


@transaction.atomic
def account_change_refuse(
    *, actor: Agent, change_id: str | uuid_module.UUID, reason: str
) -> AccountChange:
    change = _locked_change(actor, change_id)
    problems = _problems()
    text = clean_text(problems, "reason", reason, required=True)
    problems.raise_if_any()
    AccountChange.objects.filter(pk=change.pk).update(
        status=AccountChangeStatus.REFUSED, decided_by=actor, decided_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="payment.account_change_refuse",
        obj=change.beneficiary.person,
        summary={
            "beneficiary": str(change.beneficiary.uuid),
            "change": str(change.uuid),
        },
        reason=text,
    )
    change.refresh_from_db()
    return change


@transaction.atomic
def creditor_account_set(
    *,
    actor: Agent,
    debt_id: str | uuid_module.UUID,
    name: str,
    iban: str,
    bic: str = "",
    ogm: str = "",
    text: str = "",
) -> CreditorAccount:
    """Where the amounts kept back for a debt are transferred (set or replaced)."""
    policy.require(actor, Action.BENEFICIARY_MANAGE)
    key = parse_uuid(debt_id)
    debt = (
        debt_selectors.debts_visible(agent=actor).filter(uuid=key).first()
        if key
        else None
    )
    if debt is None:
        raise NotFound(_("No such debt."))
    problems = _problems()
    clean = clean_iban(problems, "iban", iban)
    clean_b = clean_bic(problems, "bic", bic)
    clean_name = clean_text(problems, "name", name, required=True)
    clean_ogm = ""
    if ogm:
        result = check_ogm(ogm)
        if not result.valid:
            error = result.errors[0]
            problems.add("ogm", Code.INVALID_OGM, error.message, **error.params)
        clean_ogm = result.normalized
    problems.raise_if_any()
    account, created = CreditorAccount.objects.select_for_update().get_or_create(
        debt=debt,
        defaults={
            "name": clean_name,
            "iban": clean,
            "bic": clean_b,
            "ogm": clean_ogm,
            "text": text.strip(),
        },
    )
    if not created:
        versioned_update(
            account,
            expected_version=None,
            name=clean_name,
            iban=clean,
            bic=clean_b,
            ogm=clean_ogm,
            text=text.strip(),
        )
    audit_record(
        actor=actor,
        action="payment.creditor_account_set",
        obj=debt.person,
        summary={"debt": str(debt.uuid), "iban": clean, "ogm": clean_ogm},
    )
    return account


# Entitlements


def _overlapping(
    beneficiary: Beneficiary,
    category: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude: int | None = None,
) -> bool:
    query = Entitlement.objects.filter(
        beneficiary=beneficiary, category=category
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        query = query.filter(starts_on__lte=ends_on)
    if exclude is not None:
        query = query.exclude(pk=exclude)
    return query.exists()


@transaction.atomic
def entitlement_add(
    *,
    actor: Agent,
    beneficiary_id: str | uuid_module.UUID,
    category: str,
    daily_amount: Decimal | str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    withholding_rate: Decimal | str,
    decided_on: dt.date,
    decision_reference: str = "",
) -> Entitlement:
    """Record the deciding body's decision; an overlap in one category is refused
    (checked under the beneficiary's lock, so two agents cannot both add one)."""
    beneficiary = _locked_beneficiary(actor, beneficiary_id, Action.BENEFICIARY_MANAGE)
    problems = _problems()
    if category not in EntitlementCategory.values:
        problems.add(
            "category", Code.INVALID_CHOICE, _("Choose a category from the list.")
        )
    amount = clean_amount(problems, "daily_amount", daily_amount)
    rate: Decimal | None = None
    try:
        rate = Decimal(str(withholding_rate).strip())
    except (InvalidOperation, ValueError):
        rate = None
    if (
        rate is None
        or not rate.is_finite()
        or not Decimal(0) <= rate < 1
        or (rate != rate.quantize(Decimal("0.0001")))
    ):
        problems.add(
            "withholding_rate",
            Code.INVALID_RATE,
            _(
                "Give the rate of the decision as a fraction from 0 to 1, such as 0.1009."
            ),
        )
    if ends_on is not None and ends_on < starts_on:
        problems.add("ends_on", Code.PERIOD_REVERSED, _("The end is before the start."))
    elif category in EntitlementCategory.values and _overlapping(
        beneficiary, category, starts_on, ends_on
    ):
        problems.add(
            "starts_on",
            Code.ENTITLEMENT_OVERLAPS,
            _("Another entitlement of this category covers part of this period."),
        )
    problems.raise_if_any()
    assert amount is not None  # noqa: S101 - checked above
    assert rate is not None  # noqa: S101 - checked above
    entitlement = Entitlement.objects.create(
        beneficiary=beneficiary,
        category=category,
        daily_amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        withholding_rate=rate,
        decided_on=decided_on,
        decision_reference=decision_reference.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="payment.entitlement_add",
        obj=beneficiary.person,
        summary={
            "beneficiary": str(beneficiary.uuid),
            "entitlement": str(entitlement.uuid),
            "category": category,
            "daily_amount": amount,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "withholding_rate": rate,
        },
    )
    return entitlement


@transaction.atomic
def entitlement_end(
    *,
    actor: Agent,
    entitlement_id: str | uuid_module.UUID,
    expected_version: int,
    ends_on: dt.date,
) -> Entitlement:
    """Set (or move) the end of an entitlement, as a new decision says."""
    key = parse_uuid(entitlement_id)
    found = (
        Entitlement.objects.filter(
            uuid=key,
            beneficiary__in=beneficiaries_writable(actor, Action.BENEFICIARY_MANAGE),
        ).first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("No such entitlement."))
    _locked_beneficiary(actor, found.beneficiary.uuid, Action.BENEFICIARY_MANAGE)
    entitlement = Entitlement.objects.get(pk=found.pk)
    check_version(entitlement, expected_version)
    problems = _problems()
    if ends_on < entitlement.starts_on:
        problems.add("ends_on", Code.PERIOD_REVERSED, _("The end is before the start."))
    elif _overlapping(
        entitlement.beneficiary,
        entitlement.category,
        entitlement.starts_on,
        ends_on,
        exclude=entitlement.pk,
    ):
        problems.add(
            "ends_on",
            Code.ENTITLEMENT_OVERLAPS,
            _("Another entitlement of this category covers part of this period."),
        )
    problems.raise_if_any()
    before = entitlement.ends_on
    versioned_update(entitlement, expected_version=expected_version, ends_on=ends_on)
    audit_record(
        actor=actor,
        action="payment.entitlement_end",
        obj=entitlement.beneficiary.person,
        summary={
            "entitlement": str(entitlement.uuid),
            "ends_on": [before, ends_on],
        },
    )
    return entitlement


# Declarations


def _clean_days(problems: Problems, values: dict[str, Any], month: str | None) -> None:
    for name, value in values.items():
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 0 <= value <= 31
        ):
            problems.add(
                name, Code.INVALID_DAYS, _("Give a number of days from 0 to 31.")
            )
    if month is not None and not problems.errors:
        _first, last = calculation.month_bounds(month)
        if sum(values.values()) > last.day:
            problems.add(
                "days_payable",
                Code.INVALID_DAYS,
                _("The days declared are more than the days of the month."),
            )


@transaction.atomic
def declaration_record(
    *,
    actor: Agent,
    beneficiary_id: str | uuid_module.UUID,
    month: str,
    days_payable: int,
    days_worked: int,
    days_sick: int,
    days_holiday: int,
    received_on: dt.date,
    signed: bool,
    dated_on: dt.date | None,
) -> Declaration:
    """Record a month's control card (once; a correction is `declaration_correct`)."""
    beneficiary = _locked_beneficiary(actor, beneficiary_id, Action.BENEFICIARY_MANAGE)
    problems = _problems()
    clean = clean_month(problems, "month", month)
    days = {
        "days_payable": days_payable,
        "days_worked": days_worked,
        "days_sick": days_sick,
        "days_holiday": days_holiday,
    }
    _clean_days(problems, days, clean)
    if (
        clean
        and Declaration.objects.filter(beneficiary=beneficiary, month=clean).exists()
    ):
        problems.add(
            "month",
            Code.DECLARATION_EXISTS,
            _("This month's declaration is already recorded; correct it instead."),
        )
    if clean and selectors.month_paid(beneficiary.team_id, clean):
        problems.add(
            "month",
            Code.MONTH_ALREADY_RUN,
            _("This month was already paid; its declaration can no longer change."),
        )
    problems.raise_if_any()
    declaration = Declaration.objects.create(
        beneficiary=beneficiary,
        month=str(clean),
        received_on=received_on,
        signed=bool(signed),
        dated_on=dated_on,
        created_by=actor,
        **days,
    )
    audit_record(
        actor=actor,
        action="payment.declaration_record",
        obj=beneficiary.person,
        summary={
            "beneficiary": str(beneficiary.uuid),
            "month": clean,
            **days,
            "signed": bool(signed),
            "dated_on": dated_on,
        },
    )
    return declaration


@transaction.atomic
def declaration_correct(
    *,
    actor: Agent,
    declaration_id: str | uuid_module.UUID,
    expected_version: int,
    days_payable: int,
    days_worked: int,
    days_sick: int,
    days_holiday: int,
    signed: bool,
    dated_on: dt.date | None,
) -> Declaration:
    """Correct a month's declaration before the month is paid."""
    key = parse_uuid(declaration_id)
    found = (
        Declaration.objects.filter(
            uuid=key,
            beneficiary__in=beneficiaries_writable(actor, Action.BENEFICIARY_MANAGE),
        ).first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("No such declaration."))
    beneficiary = _locked_beneficiary(
        actor, found.beneficiary.uuid, Action.BENEFICIARY_MANAGE
    )
    declaration = Declaration.objects.get(pk=found.pk)
    if declaration.version != expected_version:
        from guichet.core.errors import StaleVersion

        raise StaleVersion(
            _("Someone changed this declaration since you read it; nothing was saved."),
            extra={"current_version": declaration.version},
        )
    problems = _problems()
    days = {
        "days_payable": days_payable,
        "days_worked": days_worked,
        "days_sick": days_sick,
        "days_holiday": days_holiday,
    }
    _clean_days(problems, days, declaration.month)
    if selectors.month_paid(beneficiary.team_id, declaration.month):
        problems.add(
            "month",
            Code.MONTH_ALREADY_RUN,
            _("This month was already paid; its declaration can no longer change."),
        )
    problems.raise_if_any()
    Declaration.objects.filter(pk=declaration.pk, version=expected_version).update(
        version=F("version") + 1,
        signed=bool(signed),
        dated_on=dated_on,
        updated_at=clock.now(),
        **days,
    )
    audit_record(
        actor=actor,
        action="payment.declaration_correct",
        obj=beneficiary.person,
        summary={
            "declaration": str(declaration.uuid),
            "month": declaration.month,
            **days,
            "signed": bool(signed),
        },
    )
    declaration.refresh_from_db()
    return declaration


# Runs: review and approval (prepare and execute are batches, in runs.py)


def _locked_run(
    actor: Agent, run_id: str | uuid_module.UUID, action: str
) -> PaymentRun:
    policy.require(actor, action)
    key = parse_uuid(run_id)
    found = (
        policy.visible(actor, PaymentRun.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("No such payment run."))
    return PaymentRun.objects.select_for_update().get(pk=found.pk)


@transaction.atomic
def run_review(
    *,
    actor: Agent,
    run_id: str | uuid_module.UUID,
    expected_version: int | None = None,
) -> PaymentRun:
    """Mark a prepared run reviewed: the agent saw its totals, exceptions and the
    largest changes against last month (`selectors.run_review_data`)."""
    run = _locked_run(actor, run_id, Action.RUN_REVIEW)
    if expected_version is not None:
        check_version(run, expected_version)
    if run.state != RunState.PREPARED:
        raise RunStateError(
            _("Only a prepared run can be reviewed; this one is %(state)s."),
            params={"state": run.get_state_display()},
        )
    versioned_update(
        run,
        expected_version=None,
        state=RunState.REVIEWED,
        reviewed_by=actor,
        reviewed_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="payment.run_review",
        obj=run,
        summary=selectors.run_summary(run),
    )
    return run


@transaction.atomic
def run_approve(
    *,
    actor: Agent,
    run_id: str | uuid_module.UUID,
    expected_version: int | None = None,
) -> PaymentRun:
    """A second agent approves a reviewed run: never the agent who prepared it."""
    run = _locked_run(actor, run_id, Action.RUN_APPROVE)
    if expected_version is not None:
        check_version(run, expected_version)
    if run.state != RunState.REVIEWED:
        raise RunStateError(
            _("Only a reviewed run can be approved; this one is %(state)s."),
            params={"state": run.get_state_display()},
        )
    if run.prepared_by_id == actor.pk:
        raise Forbidden(
            _("A second agent must approve a run you prepared."), code=Code.SAME_AGENT
        )
    versioned_update(
        run,
        expected_version=None,
        state=RunState.APPROVED,
        approved_by=actor,
        approved_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="payment.run_approve",
        obj=run,
        summary=selectors.run_summary(run),
    )
    return run
