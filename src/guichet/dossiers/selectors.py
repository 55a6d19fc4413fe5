"""Reads of dossiers: a team's queue, a dossier's workbench, a person's dossiers,
an agent's dossier tasks.

Always for an agent, always through the policy (`policy.visible`) and the access
log. Queues sort and filter on stored columns (the due dates are written by the
services, never computed on read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.dossiers import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.casetypes.definition import Definition
from guichet.casetypes.models import CaseType
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.parties.models import Person

from . import export, guards, hooks, services
from .models import (
    Decision,
    DecisionState,
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierFee,
    DossierNote,
    DossierParty,
    DossierTask,
    ExportPackage,
    parse_reference,
)

QUEUE_PAGE = 50


def dossiers_visible(*, agent: Agent) -> QuerySet[Dossier]:
    return policy.visible(agent, Dossier.objects.all())


def _listing(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related(
        "case_type", "team", "owner", "person", "organisation"
    )


def by_reference(reference: str) -> Q | None:
    """`DOS-2026-0000042` -> the row with id 42 opened in 2026 (a day either side
    of the year, for time zones)."""
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    year, number = parsed
    if not 1 <= number < 2**62 or not 2000 <= year <= 9999:
        return None
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return Q(pk=number, created_at__gte=start, created_at__lt=end)


def dossier_get_for_agent(*, agent: Agent, key: object) -> Seen[Dossier]:
    """One dossier the agent sees, by public id or reference; missing and hidden
    alike raise `NotFound`."""
    uuid = parse_uuid(key)
    condition = Q(uuid=uuid) if uuid is not None else by_reference(str(key))
    dossier = (
        _listing(dossiers_visible(agent=agent))
        .select_related("case_type_version")
        .filter(condition)
        .first()
        if condition is not None
        else None
    )
    if dossier is None:
        raise NotFound(_("There is no such dossier."))
    access_record(actor=agent, action="dossier.read", obj=dossier)
    return policy.seen(agent, dossier)


@dataclass(frozen=True)
class QueueFilter:
    """A team (else all the agent's teams), a status (else every open one), a case
        type's code, an owner ("me", "none" or a username), overdue only, waiting for this
    agent's review only; `page` from 1."""

    team: str = ""
    status: str = ""
    case_type: str = ""
    owner: str = ""
    overdue: bool = False
    page: int = 1
    # Only the dossiers whose proposed decision waits for a second agent, and not
    # one this agent proposed (four eyes: they may not review it).
    to_review: bool = False


@dataclass(frozen=True)
class QueuePage:
    rows: list[Dossier]
    page: int
    has_next: bool
    teams: list[Team]


def queue_rows(
    *, agent: Agent, filters: QueueFilter, teams: list[Team] | None = None
) -> QuerySet[Dossier]:
    """Every dossier of the queue `filters` choose, in the queue's order (not
    logged: the caller logs the rows it shows; the export of the queue reads it)."""
    policy.require(agent, Action.DOSSIER_WORK)
    if teams is None:
        teams = list(Team.objects.filter(pk__in=agent.team_ids).order_by("code"))
    chosen = [team for team in teams if not filters.team or team.code == filters.team]
    # A destroyed dossier is only a tombstone: never in a queue.
    rows = dossiers_visible(agent=agent).filter(
        team__in=chosen, destroyed_at__isnull=True
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.filter(closed_at__isnull=True)
    if filters.case_type:
        # By id, not by a join on the code: the planner then knows how many of
        # the team's open dossiers are of that case type and walks the queue's
        # index (joined, it sorted a team's whole queue: 600 ms at 1M dossiers).
        rows = rows.filter(
            case_type_id__in=list(
                CaseType.objects.filter(code=filters.case_type).values_list(
                    "id", flat=True
                )
            )
        )
    if filters.owner == "me":
        rows = rows.filter(owner=agent)
    elif filters.owner == "none":
        rows = rows.filter(owner__isnull=True)
    elif filters.owner:
        rows = rows.filter(owner__username=filters.owner)
    if filters.overdue:
        today = clock.today()
        rows = rows.filter(
            Q(processing_due__lt=today) | Q(service_norm_due__lt=today),
            closed_at__isnull=True,
            suspended_since__isnull=True,
        )
    if filters.to_review:
        pending = Decision.objects.filter(state=DecisionState.PROPOSED)
        rows = rows.filter(
            pk__in=pending.exclude(proposed_by=agent).values("dossier_id")
        )
    return _listing(rows).order_by(
        F("processing_due").asc(nulls_last=True),
        F("service_norm_due").asc(nulls_last=True),
        "id",
    )


def queue(*, agent: Agent, filters: QueueFilter) -> QueuePage:
    """A page of the agent's teams' open dossiers, the earliest legal deadline first
    (then the service norm; dossiers without a deadline last)."""
    policy.require(agent, Action.DOSSIER_WORK)
    teams = list(Team.objects.filter(pk__in=agent.team_ids).order_by("code"))
    rows = queue_rows(agent=agent, filters=filters, teams=teams)
    page = max(1, min(filters.page, 10_000))
    start = (page - 1) * QUEUE_PAGE
    found = list(rows[start : start + QUEUE_PAGE + 1])
    shown = found[:QUEUE_PAGE]
    if shown:
        access_record(actor=agent, action="dossier.queue", objects=shown)
    return QueuePage(
        rows=shown, page=page, has_next=len(found) > QUEUE_PAGE, teams=teams
    )


@dataclass(frozen=True)
class Workbench:
    """Everything the dossier's page shows, read once."""

    seen: Seen[Dossier]
    definition: Definition
    timeline: list[DossierEvent]
    parties: list[DossierParty]
    documents: list[hooks.DocumentState]
    missing_documents: list[str]
    tasks: list[DossierTask]
    notes: list[DossierNote]
    open_document_requests: list[DocumentRequest]
    offered: list[services.Offered]
    pending_decision: Decision | None
    decisions: list[Decision]
    fees: list[DossierFee]
    # The latest export package, once the dossier was transmitted.
    export_package: ExportPackage | None = None


def workbench(*, agent: Agent, key: object) -> Workbench:
    """A dossier's workbench: timeline, parties the agent may see, documents with
    their checks, tasks, notes, open document requests, the transitions this agent
    may take now (with the reasons of those a guard refuses), the decisions."""
    seen = dossier_get_for_agent(agent=agent, key=key)
    dossier = seen.obj
    definition = services.definition_of(dossier)
    if dossier.destroyed_at is not None:
        # Only the tombstone is left (`retention.py`): nothing else to read.
        return Workbench(
            seen=seen,
            definition=definition,
            timeline=[],
            parties=[],
            documents=[],
            missing_documents=[],
            tasks=[],
            notes=[],
            open_document_requests=[],
            offered=[],
            pending_decision=None,
            decisions=[],
            fees=list(DossierFee.objects.filter(dossier=dossier)),
        )
    parties = [
        party
        for party in DossierParty.objects.filter(dossier=dossier).select_related(
            "person", "organisation"
        )
        if party.person is None or policy.may(agent, "person.view", party.person)
    ]
    decisions = list(
        Decision.objects.filter(dossier=dossier).select_related(
            "proposed_by", "reviewed_by"
        )
    )
    # Read once: the page lists them, and the missing ones and the guards of the
    # steps offered (documents complete, checks passed) are computed from them.
    documents = hooks.dossier_documents(dossier)
    return Workbench(
        seen=seen,
        definition=definition,
        timeline=list(
            DossierEvent.objects.filter(dossier=dossier)
            .select_related("agent")
            .order_by("created_at", "id")
        ),
        parties=parties,
        documents=documents,
        missing_documents=[
            d.code for d in guards.missing_documents(dossier, definition, documents)
        ],
        tasks=list(
            DossierTask.objects.filter(dossier=dossier).select_related(
                "assignee", "done_by"
            )
        ),
        notes=list(
            DossierNote.objects.filter(dossier=dossier).select_related("author")
        ),
        open_document_requests=list(
            DocumentRequest.objects.filter(dossier=dossier, answered_at__isnull=True)
        ),
        offered=services.transitions_offered(
            actor=agent, dossier=dossier, documents=documents
        ),
        pending_decision=next(
            (d for d in decisions if d.state == DecisionState.PROPOSED), None
        ),
        decisions=decisions,
        fees=list(DossierFee.objects.filter(dossier=dossier)),
        export_package=(
            _latest_package(dossier) if dossier.transmitted_at is not None else None
        ),
    )


def _latest_package(dossier: Dossier) -> ExportPackage | None:
    return (
        ExportPackage.objects.filter(dossier=dossier)
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class PackageDownload:
    filename: str
    data: bytes


def export_package_for_agent(*, agent: Agent, key: object) -> PackageDownload:
    """The latest export package of a dossier the agent sees, as it was sent; a
    hidden dossier is missing, and so is a dossier never transmitted. Each
    download is written to the access log."""
    dossier = dossier_get_for_agent(agent=agent, key=key).obj
    package = _latest_package(dossier)
    if package is None:
        raise NotFound(_("This dossier has no export package."))
    access_record(
        actor=agent,
        action="dossier.export_download",
        obj=dossier,
        context={"package": str(package.uuid), "sha256": package.sha256},
    )
    package.dossier = dossier
    return PackageDownload(
        filename=export.package_filename(package),
        data=export.package_content(package),
    )


def dossiers_of_person(
    *, agent: Agent, person: Person, limit: int = 50
) -> list[Dossier]:
    """The dossiers in which `person` has a role (the person's Dossiers tab), newest
    first."""
    policy.require(agent, Action.DOSSIER_VIEW)
    rows = list(
        _listing(dossiers_visible(agent=agent))
        .filter(Q(person=person) | Q(parties__person=person))
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )
    if rows:
        access_record(actor=agent, action="dossier.list", objects=rows, obj=person)
    return rows


def my_dossier_tasks(*, agent: Agent, limit: int = 50) -> list[DossierTask]:
    """The open tasks assigned to the agent, on dossiers they see, earliest due
    first."""
    if not policy.may(agent, Action.DOSSIER_VIEW):
        return []
    visible = dossiers_visible(agent=agent).values("pk")
    tasks = list(
        DossierTask.objects.filter(
            assignee=agent,
            done_at__isnull=True,
            dossier__in=visible,
            dossier__archived_at__isnull=True,  # read-only: cannot be done
        )
        .select_related("dossier", "dossier__case_type")
        .order_by(F("due_on").asc(nulls_last=True), "id")[:limit]
    )
    if tasks:
        access_record(
            actor=agent,
            action="dossier.my_tasks",
            objects=list({task.dossier_id: task.dossier for task in tasks}.values()),
        )
    return tasks
