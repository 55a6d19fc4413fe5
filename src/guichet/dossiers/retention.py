"""The end of retention: closed dossiers archived or destroyed (issue #14, point 3).

Closing a dossier (`services.retention_close`) stores until when it is kept
(`Dossier.retention_until`, that day included) and what happens then
(`retention_then`), both from the result type of the dossier's case-type version:
the periods are the case type's, never this module's. A periodic task
(`tasks.dossiers_retention_run`, daily) and `guichet dossiers retention` act on the
dossiers whose day has passed:

- **archive**: the dossier is marked archived (`archived_at`) and stays whole and
  visible to those allowed to see it, read-only: every write of this app refuses it
  (`services.retention_check`, called by `services._require` and `fees`).
- **destroy**: its personal content is erased and a tombstone is left, what a
  register of destruction keeps (see `KEPT` and `ERASED` below).

Each dossier is processed in its own transaction, its row locked (skipping a row
another run holds, on PostgreSQL) and re-read under the lock: a crash leaves the
dossiers done before it done and the others for the next run, and a doubled run
finds nothing left to do (a processed dossier no longer matches `due`). Each
archived or destroyed dossier writes one record in the audit chain, by the system
(no agent), as the other background tasks of this app do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet

from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.versioning import versioned_update

from . import hooks
from .models import (
    Decision,
    DocumentRequest,
    Dossier,
    DossierContact,
    DossierEvent,
    DossierNote,
    DossierParty,
    DossierRequest,
    DossierSuspension,
    DossierTask,
    EventKind,
)
from .services import definition_of

ARCHIVE = "archive"
DESTROY = "destroy"
BATCH = 200

# What a destroyed dossier keeps, and why. The dossier's row stays as the
# tombstone, with only the columns a register of destruction needs: that the
# dossier existed and under which rule it was destroyed, so a citizen's or an
# auditor's question ("what became of DOS-2026-0000042?") has an answer without
# any personal content (GDPR art. 5(1)(e) and 5(2), docs/sources.md §8.1):
KEPT = (
    "reference (id and year of opening)",
    "case type and the version it was opened under",
    "team (the service that held it)",
    "dates: received, opened, closed, destroyed",
    "status and result code at closure",
    "retention rule applied: kept until, then, and the result type's period",
    # Payments of the counter point at these (`cashbook.Payment`, protected):
    # accounting records, kept under the accounting rules and with no personal
    # content of their own (a fee code, an amount, an exemption code, dates).
    "fees due, exempted or paid",
    # The audit trail is append-only, signed and chained (`audit`): removing a row
    # would break the chain that proves nothing else was changed. Its rows name
    # objects by id and actions, not the dossier's content.
    "every audit record",
)
# What is erased: the applicant and every party (so the person's Dossiers tab no
# longer lists it), the facts, the timeline (texts, checklist answers,
# motivations), notes, tasks, document requests, suspensions (their reasons),
# decisions (their motivations), links to requests and contacts, and what the apps
# above registered in `hooks.dossier_erasers` (`documents`: the dossier's
# documents, their checks and their stored files).
ERASED = (
    "applicant and parties",
    "facts",
    "timeline",
    "notes",
    "tasks",
    "document requests",
    "suspensions",
    "decisions",
    "links to requests and contacts",
    "what the apps above registered (the dossier's documents and their files)",
)


@dataclass
class RetentionReport:
    """What one run did (or would do, dry): the references, in order."""

    today: dt.date
    dry_run: bool = False
    archived: list[str] = field(default_factory=list)
    destroyed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.archived) + len(self.destroyed)


def due(*, today: dt.date) -> QuerySet[Dossier]:
    """Closed dossiers kept until a day before `today`, not yet archived nor
    destroyed, whose case type says what happens then; oldest first."""
    return Dossier.objects.filter(
        closed_at__isnull=False,
        archived_at__isnull=True,
        destroyed_at__isnull=True,
        retention_until__isnull=False,
        retention_until__lt=today,
        retention_then__in=(ARCHIVE, DESTROY),
    ).order_by("retention_until", "id")


def due_batches(*, today: dt.date, batch: int = BATCH) -> Iterator[list[int]]:
    """The ids of the due dossiers, `batch` at a time, by id (keyset: a dossier
    another run holds, and skipped, is not met again)."""
    last = 0
    while True:
        ids = list(
            due(today=today)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def dossiers_retention_run(
    *, today: dt.date | None = None, batch: int = BATCH, dry_run: bool = False
) -> RetentionReport:
    """Archive or destroy every dossier whose retention has ended (listing them
    only, when `dry_run`), reading their ids `batch` at a time."""
    report = RetentionReport(today=today or clock.today(), dry_run=dry_run)
    for _outcome in dossiers_retention_steps(report=report, batch=batch):
        pass
    return report


def dossiers_retention_steps(
    *, report: RetentionReport, batch: int = BATCH
) -> Iterator[str | None]:
    """Process the due dossiers one by one, yielding after each (for a progress
    bar): what was done, or None when another run had done it meanwhile."""
    today = report.today
    for ids in due_batches(today=today, batch=batch):
        for pk in ids:
            if report.dry_run:
                dossier = due(today=today).filter(pk=pk).first()
                outcome = dossier.retention_then if dossier is not None else None
                reference = dossier.reference if dossier is not None else ""
            else:
                outcome, reference = dossier_retention_end(dossier_id=pk, today=today)
            if outcome == ARCHIVE:
                report.archived.append(reference)
            elif outcome == DESTROY:
                report.destroyed.append(reference)
            yield outcome


def dossier_retention_end(*, dossier_id: int, today: dt.date) -> tuple[str | None, str]:
    """Archive or destroy one dossier in its own transaction; (None, "") when it
    is not due any more (done by another run, or held by one right now)."""
    with transaction.atomic():
        dossier = (
            due(today=today)
            .filter(pk=dossier_id)
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if dossier is None:
            return None, ""
        if dossier.retention_then == ARCHIVE:
            _archive(dossier)
        else:
            _destroy(dossier)
        return dossier.retention_then, dossier.reference


def _rule(dossier: Dossier) -> dict[str, Any]:
    """The retention rule the dossier was kept under (for the audit record)."""
    rule: dict[str, Any] = {
        "until": dossier.retention_until.isoformat() if dossier.retention_until else "",
        "then": dossier.retention_then,
    }
    result = next(
        (r for r in definition_of(dossier).results if r.code == dossier.result_code),
        None,
    )
    if result is not None:
        period = result.retention.period
        rule.update(
            period=f"{period.amount} {period.unit}",
            counts_from=result.retention.counts_from,
        )
    return rule


def _archive(dossier: Dossier) -> None:
    versioned_update(
        dossier, expected_version=None, refresh=False, archived_at=clock.now()
    )
    DossierEvent.objects.create(dossier=dossier, kind=EventKind.ARCHIVED, agent=None)
    audit_record(
        actor=None,
        action="dossier.archive",
        obj=dossier,
        summary={"reference": dossier.reference, "retention": _rule(dossier)},
    )


def _erase(model: type[models.Model], **lookups: Any) -> int:
    """Delete the rows, also of append-only models (notes, the timeline): the end
    of retention is the one write allowed to remove them. A plain `QuerySet`
    bypasses the append-only manager's refusal, on purpose and only here."""
    deleted, _by_model = models.QuerySet(model=model).filter(**lookups).delete()
    return deleted


def _destroy(dossier: Dossier) -> None:
    rule = _rule(dossier)
    removed: dict[str, int] = {}
    for name, eraser in sorted(hooks.dossier_erasers.items()):
        removed[name] = eraser(dossier)
    # Document requests first: they point at parties (protected).
    for name, model in (
        ("document_requests", DocumentRequest),
        ("tasks", DossierTask),
        ("suspensions", DossierSuspension),
        ("decisions", Decision),
        ("request_links", DossierRequest),
        ("contact_links", DossierContact),
        ("parties", DossierParty),
        ("notes", DossierNote),
        ("events", DossierEvent),
    ):
        removed[name] = _erase(model, dossier=dossier)
    versioned_update(
        dossier,
        expected_version=None,
        refresh=False,
        destroyed_at=clock.now(),
        person=None,
        organisation=None,
        facts={},
    )
    audit_record(
        actor=None,
        action="dossier.destroy",
        obj=dossier,
        summary={
            "reference": dossier.reference,
            "case_type": dossier.case_type.code,
            "version": dossier.case_type_version.number,
            "result": dossier.result_code,
            "retention": rule,
            "removed": removed,
        },
    )
