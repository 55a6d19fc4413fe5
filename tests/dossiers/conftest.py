"""Fixtures of the dossiers tests: the shipped case types, their teams, agents."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

import pytest

from guichet.agents.models import Agent, Team
from guichet.casetypes import services as casetype_services
from guichet.casetypes.selectors import definition_cache_clear
from guichet.cashbook import services as cashbook_services
from guichet.cashbook.models import Counter
from guichet.documents import storage
from guichet.documents.models import Document, DocumentType, DocumentVerification
from guichet.dossiers import services
from guichet.dossiers.models import Dossier, DossierFee
from tests.documents.factories import DocumentFactory
from tests.factories import AgentFactory, PersonFactory, TeamFactory

TEAMS = ("legalisations", "travel-documents", "payment-office", "visas")


@pytest.fixture
def teams(db: Any) -> dict[str, Team]:
    definition_cache_clear()
    made = {code: TeamFactory(code=code) for code in TEAMS}
    casetype_services.casetypes_import(
        agent=None, files=casetype_services.shipped_files()
    )
    return made


@pytest.fixture
def agent_in(teams: dict[str, Team]) -> Callable[..., Agent]:
    def make(
        role: str = "dossier_handler", level: str = "C", *team_codes: str
    ) -> Agent:
        codes = team_codes or TEAMS
        agent: Agent = AgentFactory(
            roles=[role], level=level, teams=[teams[code] for code in codes]
        )
        return agent

    return make


@pytest.fixture
def handler(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("dossier_handler", "C")


@pytest.fixture
def approver(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("dossier_handler", "B")


@pytest.fixture
def supervisor(agent_in: Callable[..., Agent]) -> Agent:
    return agent_in("supervisor", "B")


@pytest.fixture
def open_dossier(handler: Agent) -> Callable[..., Dossier]:
    def make(
        case_type: str, *, facts: dict[str, Any] | None = None, **kwargs: Any
    ) -> Dossier:
        return services.dossier_open(
            actor=kwargs.pop("actor", handler),
            case_type=case_type,
            applicant=kwargs.pop("applicant", None) or PersonFactory(),
            facts=facts or {},
            **kwargs,
        )

    return make


DOCUMENT_TYPES = {
    "passport_copy": DocumentType.PASSPORT,
    "current_passport": DocumentType.PASSPORT,
    "applicant_identity": DocumentType.IDENTITY_CARD,
    "identity": DocumentType.IDENTITY_CARD,
    "c4": DocumentType.EMPLOYER_CERTIFICATE,
}


def hand_in(
    dossier: Dossier,
    code: str,
    *,
    checks: dict[str, bool] | None = None,
    by: Agent | None = None,
) -> Document:
    """A document of the dossier answering `code`, with the given checks run."""
    agent = by or dossier.created_by
    # Stored for real: transmitting a dossier puts its documents' content in the
    # export package.
    content = b"%PDF-1.7\n% " + f"{dossier.reference} {code} {uuid.uuid4()}".encode()
    stored = storage.store([content], max_bytes=len(content))
    document: Document = DocumentFactory(
        person=dossier.person,
        content_sha256=stored.sha256,
        size=stored.size,
        dossier=dossier,
        dossier_item=code,
        document_type=DOCUMENT_TYPES.get(code, DocumentType.OTHER),
        uploaded_by=agent,
    )
    for kind, valid in (checks or {}).items():
        DocumentVerification.objects.create(
            document=document,
            kind=kind,
            value="x",
            checked_on=dt.date(2026, 3, 2),
            is_valid=valid,
            outcome="verified" if valid else "not_valid",
            result={},
            verified_by=agent,
            verified_at=timezone.now(),
        )
    return document


def hand_in_all(dossier: Dossier) -> None:
    """Every required document, every check passed."""
    definition = services.definition_of(dossier)
    from guichet.casetypes.definition import required_documents

    for document in required_documents(definition, dossier.facts):
        hand_in(dossier, document.code, checks=dict.fromkeys(document.checks, True))


def yes(dossier: Dossier) -> dict[str, bool]:
    """Yes to every question of the dossier's current status."""
    definition = services.definition_of(dossier)
    return {item.code: True for item in definition.status(dossier.status).checklist}


def pay_fee(dossier: Dossier, *, means: str = "card") -> Dossier:
    """Take the fee due at a counter of the dossier's team, as the counter does
    (the cash book numbers its receipt and marks the fee paid)."""
    team = dossier.team
    clerk = AgentFactory(roles=["front_office"], level="C", teams=[team])
    counter = Counter.objects.filter(team=team).first()
    if counter is None:
        chief = AgentFactory(roles=["supervisor"], level="B", teams=[team])
        counter = cashbook_services.counter_create(
            actor=chief, team=team, code=f"{team.code}-1", name="Counter 1"
        )
    fee = DossierFee.objects.get(dossier=dossier, paid_at__isnull=True, exemption="")
    cashbook_services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount=fee.amount, means=means
    )
    dossier.refresh_from_db()
    return dossier
