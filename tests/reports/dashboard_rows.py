"""Rows for the dashboards' tests: built directly, only what a figure counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guichet.casetypes.models import CaseType, CaseTypeVersion
from guichet.contacts.models import Contact, Topic
from guichet.dossiers.models import Decision, Dossier, DossierTask
from guichet.servicerequests.models import Request, ServiceLevelSignal
from tests.factories import PersonFactory

NOW = dt.datetime(2026, 3, 16, 10, 30, tzinfo=dt.UTC)


def case_type(team: Any, code: str = "benefit") -> CaseType:
    made = CaseType.objects.create(
        code=code, name_fr=code, name_nl=code, name_de=code, name_en=code, team=team
    )
    CaseTypeVersion.objects.create(
        case_type=made,
        number=1,
        valid_from=dt.date(2020, 1, 1),
        definition={},
        source="",
        source_filename=f"{code}.yaml",
        source_sha256="0" * 64,
    )
    return made


def topic() -> Topic:
    found, _created = Topic.objects.get_or_create(
        code="dashboard-topic",
        team=None,
        defaults={
            "name_fr": "Sujet",
            "name_nl": "Onderwerp",
            "name_de": "Thema",
            "name_en": "Topic",
        },
    )
    return found


def request(team: Any, agent: Any, *, days: float, **fields: Any) -> Request:
    received = NOW - dt.timedelta(days=days)
    fields.setdefault("topic", topic())
    fields.setdefault("person", PersonFactory())
    return Request.objects.create(
        kind="question",
        subject="A question",
        channel="phone",
        reply_channel="email",
        language="fr",
        team=team,
        created_by=agent,
        received_at=received,
        **fields,
    )


def dossier(kind: CaseType, agent: Any, *, days: int, **fields: Any) -> Dossier:
    fields.setdefault("person", PersonFactory())
    fields.setdefault("team", kind.team)
    return Dossier.objects.create(
        case_type=kind,
        case_type_version=kind.versions.get(),
        created_by=agent,
        status=fields.pop("status", "received"),
        received_on=NOW.date() - dt.timedelta(days=days),
        **fields,
    )


def contact(team: Any, agent: Any, *, at: dt.datetime, **fields: Any) -> Contact:
    fields.setdefault("person", PersonFactory())
    return Contact.objects.create(
        channel=fields.pop("channel", "phone"),
        direction="inbound",
        started_at=at,
        agent=agent,
        team=team,
        **fields,
    )


def decision(made: Dossier, agent: Any) -> Decision:
    return Decision.objects.create(
        dossier=made,
        decision_type="benefit",
        result_code="granted",
        motivation="Because.",
        state="proposed",
        proposed_by=agent,
    )


def task(made: Dossier, agent: Any) -> DossierTask:
    return DossierTask.objects.create(
        dossier=made, title="Check", team=made.team, assignee=agent, created_by=agent
    )


def breach(made: Request, deadline: str, due: dt.datetime) -> ServiceLevelSignal:
    return ServiceLevelSignal.objects.create(
        request=made, deadline=deadline, kind="breach", due_at=due
    )


def today() -> dt.date:
    return timezone.localdate(NOW)
