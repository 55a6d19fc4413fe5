"""Every list as CSV or XLSX (issue #19 item 2): one registry, one writer.

`SOURCES` maps a key to a `ListSpec` (`reports.lists`): the seeds' lists and the
lists of the existing screens (the request and dossier queues, the incoming-mail
register, the payment office's lists), each with the same filters as its screen.
`table` turns (agent, validated filters, language) into a `core.tabular.Table`
built inside `translation.override(language)`: the title, the filters applied, the
headers, and the rows read with `.iterator()` (memory stays flat) and logged in
the access log a thousand at a time.

CSV always streams. An XLSX of more rows than `GUICHET_EXPORT_BACKGROUND_ROWS` is
written by the worker (`ExportJob`, `tasks.export_job_task`): the screen shows its
progress, the agent who asked downloads it when done, anybody else gets 404. The
file is deleted seven days after it was made (`export_files_prune`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action as MailAction
from guichet.access.domains.dossiers import Action as DossierAction
from guichet.access.domains.payments import Action as PaymentAction
from guichet.access.domains.reports import Action
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record, audit_record
from guichet.core import clock, tabular
from guichet.core.errors import Conflict, NotFound
from guichet.correspondence import selectors as mail_selectors
from guichet.dossiers import selectors as dossier_selectors
from guichet.payments import lists as payment_lists
from guichet.payments.models import EntitlementCategory
from guichet.servicerequests import selectors as request_selectors
from guichet.servicerequests.models import Kind, Priority, Status

from . import lists
from .lists import Field, ListSpec, Params
from .models import ExportFormat, ExportJob, ExportState

logger = logging.getLogger(__name__)

KEPT = dt.timedelta(days=7)
NOT_FOUND = _("There is no such list.")
LOG_EVERY = 1000
Source = ListSpec


# The existing screens' lists, with the filters of their screens


def _my_teams(agent: Agent) -> list[tuple[str, str]]:
    teams = Team.objects.filter(pk__in=agent.team_ids).order_by("code")
    return [("", gettext("all my teams")), *((t.code, t.name) for t in teams)]


def _owner(agent: Agent) -> list[tuple[str, str]]:
    return [
        ("", gettext("anyone")),
        ("me", gettext("me")),
        ("none", gettext("nobody")),
    ]


def _request_queue(agent: Agent, params: Params) -> QuerySet[Any]:
    filters = request_selectors.QueueFilter(
        team=params["team"],
        status=params["status"],
        owner=params["owner"],
        kind=params["kind"],
        priority=params["priority"],
        overdue=bool(params["overdue"]),
    )
    return request_selectors.queue_rows(agent=agent, filters=filters).select_related(
        "team", "topic"
    )


REQUEST_QUEUE = ListSpec(
    key="request-queue",
    title=_("Request queue"),
    action=RequestAction.REQUEST_WORK,
    log_action="request.export",
    period=None,
    fields=(
        Field("team", _("Team"), "choice", choices=_my_teams),
        Field(
            "status",
            _("Status"),
            "choice",
            choices=lists.labelled(Status.choices, _("every open status")),
        ),
        Field("owner", _("Owner"), "choice", choices=_owner),
        Field(
            "kind", _("Kind"), "choice", choices=lists.labelled(Kind.choices, _("any"))
        ),
        Field(
            "priority",
            _("Priority"),
            "choice",
            choices=lists.labelled(Priority.choices, _("any")),
        ),
        Field("overdue", _("Overdue only"), "flag"),
    ),
    query=_request_queue,
    headers=lambda params: [
        gettext("Reference"),
        gettext("Kind"),
        gettext("Subject"),
        gettext("Topic"),
        gettext("Team"),
        gettext("Status"),
        gettext("Priority"),
        gettext("Owner"),
        gettext("Citizen"),
        gettext("Received"),
        gettext("Resolution due"),
    ],
    cells=lambda row: [
        row.reference,
        row.get_kind_display(),
        row.subject,
        str(row.topic) if row.topic_id else "",
        row.team.name if row.team_id else "",
        row.get_status_display(),
        row.get_priority_display(),
        row.owner.get_full_name() if row.owner else "",
        str(row.person or row.organisation or row.requester_name or ""),
        row.received_at,
        row.resolution_due,
    ],
)


def _dossier_queue(agent: Agent, params: Params) -> QuerySet[Any]:
    filters = dossier_selectors.QueueFilter(
        team=params["team"],
        status=params["status"],
        case_type=params["case_type"],
        owner=params["owner"],
        overdue=bool(params["overdue"]),
        to_review=bool(params["to_review"]),
    )
    return dossier_selectors.queue_rows(agent=agent, filters=filters)


DOSSIER_QUEUE = ListSpec(
    key="dossier-queue",
    title=_("Dossier queue"),
    action=DossierAction.DOSSIER_WORK,
    log_action="dossier.export",
    period=None,
    fields=(
        Field("team", _("Team"), "choice", choices=_my_teams),
        Field("status", _("Status"), "text"),
        Field("case_type", _("Case type"), "text"),
        Field("owner", _("Owner"), "choice", choices=_owner),
        Field("overdue", _("Overdue only"), "flag"),
        Field("to_review", _("Waiting for my review"), "flag"),
    ),
    query=_dossier_queue,
    headers=lists.DOSSIERS.headers,
    cells=lists.DOSSIERS.cells,
)

MAIL_REGISTER = ListSpec(
    key="mail-register",
    title=_("Incoming-mail register"),
    action=MailAction.MAIL_VIEW,
    log_action="mail.export",
    period=None,
    fields=(),
    query=lambda agent, params: mail_selectors.incoming_mail_visible(agent=agent),
    headers=lists.INCOMING.headers,
    cells=lists.incoming_cells,
)


def _payment_list(agent: Agent, params: Params) -> list[Any]:
    filters = payment_lists.ListFilters(
        kind=params["kind"],
        month=params["month"],
        category=params["category"] if params["kind"] == "maximum" else "",
    )
    found = payment_lists.payment_list(agent=agent, filters=filters)
    table = payment_lists.table(found, language=translation.get_language() or "en")
    return list(table.rows)


PAYMENT_LIST = ListSpec(
    key="payment-list",
    title=_("The payment office's lists"),
    action=PaymentAction.PAYMENT_VIEW,
    period=None,
    fields=(
        Field(
            "kind",
            _("List"),
            "choice",
            choices=lambda agent: [
                (key, str(title)) for key, title in payment_lists.TITLES.items()
            ],
            default=lambda: "prepension",
        ),
        Field("month", _("Month"), "month", default=lists.this_month),
        Field(
            "category",
            _("Category"),
            "choice",
            choices=lists.labelled(EntitlementCategory.choices, _("every category")),
        ),
    ),
    checks=lists.PENSIONS.checks,
    query=_payment_list,
    headers=lists.payment_headers,
    cells=lambda cells: cells,
)


SOURCES: dict[str, Source] = {
    **lists.LISTS,
    **{
        spec.key: spec
        for spec in (REQUEST_QUEUE, DOSSIER_QUEUE, MAIL_REGISTER, PAYMENT_LIST)
    },
}


def source_get(*, agent: Agent, key: str) -> Source:
    """The source `key` if the agent may export it; else `NotFound`."""
    source = SOURCES.get(key)
    if source is None or not (
        policy.may(agent, Action.EXPORT) and policy.may(agent, source.action)
    ):
        raise NotFound(NOT_FOUND)
    return source


# Tables


def _logged(
    agent: Agent, source: Source, params: Params, rows: Any, language: str
) -> Iterator[list[Any]]:
    """The rows' cells in `language`, each thousand rows logged as read."""
    batch: list[Any] = []

    def flush() -> None:
        if batch and source.log_action and hasattr(batch[0], "pk"):
            access_record(
                actor=agent,
                action=source.log_action,
                objects=batch,
                context={"export": source.key, **params},
            )
        batch.clear()

    iterated = (
        rows.iterator(chunk_size=LOG_EVERY) if isinstance(rows, QuerySet) else rows
    )
    with translation.override(language):
        for row in iterated:
            batch.append(row)
            if len(batch) >= LOG_EVERY:
                flush()
            yield source.cells(row)
    flush()


def table(
    *, agent: Agent, source: Source, params: Params, language: str
) -> tabular.Table:
    """The list as a `tabular.Table` in `language`; its rows are read lazily."""
    with translation.override(language):
        return tabular.Table(
            title=str(source.title),
            filters=source.described(agent, params),
            headers=source.headers(params),
            rows=_logged(agent, source, params, source.rows(agent, params), language),
        )


def filename(source: Source, fmt: str) -> str:
    return tabular.filename(f"{source.key}-{clock.today().isoformat()}", fmt)


def is_background(*, agent: Agent, source: Source, params: Params, fmt: str) -> int:
    """The row count when an export of this size is written in the background
    (an XLSX above the threshold); 0 when it is written at once."""
    if fmt != ExportFormat.XLSX:
        return 0
    count = source.count(agent, params)
    return count if count > settings.EXPORT_BACKGROUND_ROWS else 0


# Background exports


def export_job_start(
    *, agent: Agent, source: Source, params: Params, language: str, fmt: str
) -> ExportJob:
    """Queue a background export of `source` with validated `params`."""
    policy.require(agent, Action.EXPORT)
    policy.require(agent, source.action)
    if fmt not in ExportFormat.values:
        raise NotFound(NOT_FOUND)
    total = source.count(agent, params)
    with transaction.atomic():
        job = ExportJob.objects.create(
            agent=agent,
            source=source.key,
            params=params,
            language=language,
            format=fmt,
            rows_total=total,
            expires_at=clock.now() + KEPT,
        )
        audit_record(
            actor=agent,
            action="report.export_start",
            obj=job,
            summary={"source": source.key, "format": fmt, "rows": total},
        )
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ExportJob) -> None:
    from .tasks import export_job_task

    export_job_task.enqueue(str(job.uuid))


def export_job_retry(*, agent: Agent, job_id: Any) -> ExportJob:
    """Start a failed export again, with the same list, filters and language."""
    job = export_job_get_for_agent(agent=agent, job_id=job_id)
    if job.state != ExportState.FAILED:
        return job
    return export_job_start(
        agent=agent,
        source=source_get(agent=agent, key=job.source),
        params=job.params,
        language=job.language,
        fmt=job.format,
    )


def export_job_get_for_agent(*, agent: Agent, job_id: Any) -> ExportJob:
    """One of the agent's own exports; another agent's, or none, is `NotFound`
    (and the attempt is logged)."""
    job = policy.visible(agent, ExportJob.objects.all()).filter(uuid=job_id).first()
    if job is None:
        logger.warning("export %s refused to agent %s", job_id, agent.pk)
        raise NotFound(_("There is no such export."))
    return job


def export_jobs_of(*, agent: Agent, limit: int = 10) -> list[ExportJob]:
    return list(policy.visible(agent, ExportJob.objects.all())[:limit])


def export_job_run(*, job_id: str) -> ExportJob:
    """Write the export (the worker). Idempotent: a job already done or failed is
    left as it is; a job a stopped worker left running is written again."""
    job = ExportJob.objects.select_related("agent").get(uuid=job_id)
    if job.state in (ExportState.DONE, ExportState.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING)
    agent = job.agent
    try:
        source = source_get(agent=agent, key=job.source)
        built = table(
            agent=agent, source=source, params=job.params, language=job.language
        )

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        if job.format == ExportFormat.XLSX:
            data = tabular.to_xlsx(built, progress=progress)
        else:
            data = tabular.to_csv(built)
        folder = Path(settings.EXPORT_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job.uuid}.{job.format}"
        path.write_bytes(data)
    except Exception as error:  # any failure is the job's, shown to the agent
        logger.exception("export %s failed", job.uuid)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.FAILED,
            error=str(getattr(error, "text", "") or error)[:2000],
            finished_at=clock.now(),
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.DONE,
        file_path=str(path),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        finished_at=clock.now(),
        rows_done=job.rows_total,
    )
    job.refresh_from_db()
    return job


def export_job_file(*, agent: Agent, job_id: Any) -> tuple[ExportJob, bytes]:
    """The file of one of the agent's exports that is done and not yet deleted."""
    job = export_job_get_for_agent(agent=agent, job_id=job_id)
    path = Path(job.file_path) if job.file_path else None
    if job.state != ExportState.DONE or path is None or not path.is_file():
        raise NotFound(_("This export has no file (any more)."))
    data = path.read_bytes()
    if job.sha256 and hashlib.sha256(data).hexdigest() != job.sha256:
        # The file on disk is not the one written: never hand it out.
        logger.error("export %s: the file's SHA-256 differs from the job's", job.uuid)
        raise Conflict(
            _("This export's file changed since it was written; start it again."),
            code="export_file_changed",
        )
    access_record(
        actor=agent,
        action="report.export_download",
        obj=job,
        context={"source": job.source},
    )
    return job, data


def export_files_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the expired exports' files and rows; the number deleted."""
    now = now or clock.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file_path:
            Path(job.file_path).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
