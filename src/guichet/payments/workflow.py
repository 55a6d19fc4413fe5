"""The run's steps as the screens take them: start a month's preparation in the
background, ask for an approved run's execution, follow their progress, and
download a run's SEPA files.

The batch phases are the payments services' (`runs.py`); this module only queues
them (`tasks.py`) and reads how far they are, so a long run never holds a web
request, and the page polls its progress (htmx) until the phase is done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuid_module
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core.errors import Conflict, NotFound
from guichet.core.money import quantize
from guichet.core.versioning import stale
from guichet.debts.models import DebtKind

from . import selectors
from .errors import RunStateError
from .models import PayeeKind, Payment, PaymentRun, RunItem, RunState, SepaFile
from .runs import beneficiaries_due, run_open
from .tasks import run_execute_task, run_prepare_task

ZERO = Decimal("0.00")


def run_start(
    *,
    actor: Agent,
    month: str,
    team_code: str | None = None,
    paid_on: dt.date | None = None,
) -> PaymentRun:
    """Open a month's run and queue its preparation (refused as `run_open` is)."""
    run = run_open(actor=actor, month=month, team_code=team_code, paid_on=paid_on)
    run_prepare_task.enqueue(str(run.uuid), actor.pk)
    run.refresh_from_db()
    return run


def run_execute_request(
    *, actor: Agent, run_id: str | uuid_module.UUID, expected_version: int
) -> PaymentRun:
    """Queue the execution of an approved run (or the resumption of one)."""
    policy.require(actor, Action.RUN_EXECUTE)
    run = selectors.run_get_for_agent(agent=actor, run_id=run_id)
    policy.require(actor, Action.RUN_EXECUTE, run)
    if run.state == RunState.APPROVED and run.version != expected_version:
        raise stale(run, expected_version)
    if run.state not in (RunState.APPROVED, RunState.EXECUTING):
        raise RunStateError(
            _("Only an approved run can be executed; this one is %(state)s."),
            params={"state": run.get_state_display()},
        )
    run_execute_task.enqueue(str(run.uuid), actor.pk)
    run.refresh_from_db()
    return run


def run_prepare_resume(*, actor: Agent, run_id: str | uuid_module.UUID) -> PaymentRun:
    """Queue the preparation again (a worker stopped while it prepared)."""
    policy.require(actor, Action.RUN_PREPARE)
    run = selectors.run_get_for_agent(agent=actor, run_id=run_id)
    if run.state != RunState.PREPARING:
        raise RunStateError(
            _("Only a run being prepared can be resumed; this one is %(state)s."),
            params={"state": run.get_state_display()},
        )
    run_prepare_task.enqueue(str(run.uuid), actor.pk)
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class Progress:
    state: str
    done: int
    total: int
    files: int

    @property
    def working(self) -> bool:
        return self.state in (RunState.PREPARING, RunState.EXECUTING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


def run_progress(*, agent: Agent, run_id: str | uuid_module.UUID) -> Progress:
    """How far the run's current phase is: beneficiaries prepared out of those
    due, or payments booked out of the run's paid items."""
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    files = SepaFile.objects.filter(run=run).count()
    if run.state == RunState.PREPARING:
        total = beneficiaries_due(run.team, run.month).count()
        done = RunItem.objects.filter(run=run).count()
        return Progress(run.state, done, total, files)
    items = RunItem.objects.filter(run=run, exception="")
    total = items.count()
    if run.state == RunState.EXECUTING:
        done = items.filter(id__lte=run.execute_cursor).count()
    elif run.state == RunState.EXECUTED:
        done = total
    else:
        done = 0
    return Progress(run.state, done, total, files)


@dataclass(frozen=True)
class FileDownload:
    filename: str
    data: bytes


def sepa_file_for_agent(
    *, agent: Agent, run_id: str | uuid_module.UUID, sequence: int
) -> FileDownload:
    """A run's SEPA file, for an agent who may execute runs; refused when its
    bytes no longer match the SHA-256 recorded when it was written."""
    if not policy.may(agent, Action.RUN_EXECUTE):
        raise NotFound(_("There is no such file."))
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    found = SepaFile.objects.filter(run=run, sequence=sequence).first()
    if found is None:
        raise NotFound(_("There is no such file."))
    try:
        data = Path(found.path).read_bytes()
    except OSError as error:
        raise NotFound(_("There is no such file.")) from error
    if hashlib.sha256(data).hexdigest() != found.sha256:
        raise Conflict(
            _(
                "The file on disk is not the one written for this run (its SHA-256 "
                "differs): it was not sent."
            ),
            code="sepa_file_altered",
        )
    access_record(
        actor=agent,
        action="payment.sepa_file_download",
        obj=run,
        context={"file": found.message_id, "sha256": found.sha256},
    )
    return FileDownload(filename=Path(found.path).name, data=data)


# What the review page shows beyond the run's own totals

EXCEPTION_TEXTS = {
    "no_confirmed_account": _("No confirmed payment account."),
    "declaration_missing": _("The month's declaration (control card) is missing."),
    "declaration_not_signed": _("The month's declaration is not signed."),
    "declaration_not_dated": _("The month's declaration is not dated."),
    "earlier_month_missing": _("The declaration of an earlier month is missing."),
    "creditor_account_missing": _(
        "A creditor to pay has no account recorded (creditor's account)."
    ),
    "no_garnishment_table": _(
        "No table of seizable amounts is in force on the payment date."
    ),
    "engine_error": _("The calculation met an inconsistency; see the detail."),
}


def exception_text(code: str) -> str:
    text = EXCEPTION_TEXTS.get(code)
    return str(text) if text is not None else code


@dataclass(frozen=True)
class Figures:
    deductions_by_kind: dict[str, Decimal]  # debt kind -> amount kept back
    to_creditors: Decimal  # transferred to creditors
    creditor_transfers: int


def run_figures(*, agent: Agent, run_id: str | uuid_module.UUID) -> Figures:
    """The deductions of a run by kind of debt, and what goes to creditors, from
    aggregates in the database (a run of a million beneficiaries is never read
    into memory): every deduction but the office's own recovery is a transfer to
    its creditor (`runs._prepare_one`), so the recovery kept back is the run's
    deductions less those transfers."""
    run = selectors.run_get_for_agent(agent=agent, run_id=run_id)
    rows = (
        Payment.objects.filter(run=run, kind=PayeeKind.CREDITOR)
        .values("debt__kind")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("debt__kind")
    )
    by_kind: dict[str, Decimal] = {}
    transferred, transfers = ZERO, 0
    for row in rows:
        total = quantize(row["total"] or ZERO)  # SQLite sums in floating point
        by_kind[row["debt__kind"]] = total
        transferred += total
        transfers += row["n"]
    recovered = run.deductions - transferred
    if recovered > 0:
        by_kind[DebtKind.RECOVERY] = recovered
    return Figures(
        deductions_by_kind=dict(sorted(by_kind.items())),
        to_creditors=transferred,
        creditor_transfers=transfers,
    )
