"""Demo dossiers of each shipped case type, at the steps reachable without
identifiers to check, all built through the services: a file just received, one
waiting for the citizen's documents (the incomplete-file loop), one complete under
checking, a benefit application transmitted to the deciding body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from guichet.agents.models import Agent
from guichet.casetypes.definition import required_documents
from guichet.core import clock
from guichet.documents.services import DocumentDetails, document_upload
from guichet.dossiers import services
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person

from .correspondence import _blank_scan


@dataclass(frozen=True)
class DemoDossier:
    case_type: str
    agent: str
    person_index: int
    facts: dict[str, Any]
    # Steps taken in order; "documents" hands in every required document.
    steps: tuple[str, ...] = ()
    omit: frozenset[str] = field(default_factory=frozenset)


DOSSIERS = [
    DemoDossier("consular-legalisation", "front.legal", 0, {"document_language": "fr"}),
    DemoDossier(
        "consular-legalisation",
        "front.legal",
        1,
        {"document_language": "es"},
        ("documents", "request_documents"),
        frozenset({"sworn_translation"}),
    ),
    DemoDossier(
        "consular-legalisation",
        "front.legal",
        2,
        {"document_language": "nl"},
        ("documents", "conclude_complete"),
    ),
    DemoDossier(
        "consular-passport",
        "front.travel",
        3,
        {"previous_passport_available": True, "applicant_age": 34},
    ),
    DemoDossier(
        "consular-passport",
        "front.travel",
        4,
        {"previous_passport_available": False, "applicant_age": 12},
        ("documents", "conclude_complete"),
    ),
    DemoDossier("visa-extension", "front.visa", 5, {"ground": "medical"}),
    DemoDossier(
        "visa-extension",
        "front.visa",
        6,
        {"ground": "force_majeure"},
        ("documents", "request_documents"),
        frozenset({"travel_insurance"}),
    ),
    DemoDossier(
        "unemployment-benefit",
        "payment.c",
        7,
        {"c4_available": True, "bridge_pension": False},
    ),
    DemoDossier(
        "unemployment-benefit",
        "payment.c",
        8,
        {"c4_available": False, "bridge_pension": False},
        ("documents", "transmit"),
    ),
]


def _hand_in(agent: Agent, dossier: Dossier, omit: frozenset[str]) -> None:
    definition = services.definition_of(dossier)
    for document in required_documents(definition, dossier.facts):
        if document.code in omit:
            continue
        document_upload(
            actor=agent,
            person_id=dossier.person.uuid if dossier.person else None,
            file=ContentFile(_blank_scan(), name=f"{document.code}.pdf"),
            details=DocumentDetails(
                document_type=document.document_type,
                dossier_reference=dossier.reference,
                dossier_item=document.code,
            ),
        )


def _step(agent: Agent, dossier: Dossier, code: str) -> Dossier:
    definition = services.definition_of(dossier)
    checklist = {
        item.code: True for item in definition.status(dossier.status).checklist
    }
    return services.dossier_transition(
        actor=agent,
        dossier=dossier,
        expected_version=dossier.version,
        transition=code,
        checklist=checklist,
        text_="Demo" if definition.transition(code).requires_text else "",
        completion_due=clock.today() + dt.timedelta(days=15),
    )


def build(agents: dict[str, Agent], persons: list[Person]) -> int:
    """Open the demo dossiers that are missing; return how many were opened."""
    created = 0
    for item in DOSSIERS:
        person = persons[item.person_index]
        if Dossier.objects.filter(
            person=person, case_type__code=item.case_type
        ).exists():
            continue
        agent = agents[item.agent]
        dossier = services.dossier_open(
            actor=agent, case_type=item.case_type, applicant=person, facts=item.facts
        )
        for code in item.steps:
            if code == "documents":
                _hand_in(agent, dossier, item.omit)
            else:
                dossier = _step(agent, dossier, code)
        created += 1
    return created
