"""The letters a step names are drafted by correspondence, through the registry
dossiers keeps (dependency inversion)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.correspondence.composing import compose
from guichet.correspondence.models import Letter
from guichet.correspondence.services import templates_load
from guichet.correspondence.services.dossier_letters import decision_values
from guichet.dossiers import services
from guichet.dossiers.models import Decision, DecisionState, Dossier, DossierEvent
from tests.correspondence.factories import LetterheadFactory, person_with_address

from .conftest import hand_in, yes

pytestmark = pytest.mark.django_db


def _outcomes(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        (event.data["letter_type"], event.data["outcome"])
        for event in DossierEvent.objects.filter(dossier=dossier, kind="letter")
        if "outcome" in event.data
    ]


def test_asking_documents_drafts_the_letter_to_the_applicant(
    open_dossier: Callable[..., Dossier], handler: Agent, teams: Any
) -> None:
    templates_load(actor=None)
    LetterheadFactory(team=teams["legalisations"], prefix="LEG")
    dossier = open_dossier("consular-legalisation", facts={"document_language": "fr"})
    hand_in(dossier, "document_to_legalise")
    services.dossier_transition(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        transition="request_documents",
        text_="Your identity card is missing.",
        completion_due=clock.today() + dt.timedelta(days=10),
        checklist=yes(dossier),
    )
    letter = Letter.objects.get(person=dossier.person)
    assert letter.template_version is not None
    assert letter.template_version.template.letter_type.code == "documents_missing"
    assert _outcomes(dossier) == [("documents_missing", "drafted")]


def test_a_letter_without_template_leaves_the_step_done_and_says_so(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = open_dossier("consular-legalisation", facts={"document_language": "fr"})
    services.dossier_transition(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        transition="request_documents",
        text_="Missing.",
        completion_due=clock.today() + dt.timedelta(days=10),
    )
    assert Dossier.objects.get(pk=dossier.pk).status == "awaiting_documents"
    assert Letter.objects.count() == 0
    assert _outcomes(dossier) == [("documents_missing", "no_template")]


def _decided_elsewhere(
    open_dossier: Callable[..., Dossier], handler: Agent, language: str
) -> Dossier:
    """A visa-extension dossier whose other body's decision is recorded (the steps
    before are the lives' own test; here the dossier is put at that status)."""
    dossier = open_dossier(
        "visa-extension",
        facts={"ground": "force_majeure", "fee_exemption": "force_majeure"},
        applicant=person_with_address(language=language),
    )
    Decision.objects.create(
        dossier=dossier,
        decision_type="extension",
        result_code="refused",
        motivation="The stay's conditions are no longer met.",
        state=DecisionState.RECORDED,
        proposed_by=handler,
        body="Office des étrangers",
        body_reference="OE-123",
        decided_on=dt.date(2026, 11, 30),
        appeal_until=dt.date(2026, 12, 30),
    )
    Dossier.objects.filter(pk=dossier.pk).update(status="decision_received")
    dossier.refresh_from_db()
    return dossier


@pytest.mark.parametrize(
    ("language", "result", "decided_on", "appeal_until"),
    [
        ("fr", "Refusé", "30 novembre 2026", "30 décembre 2026"),
        ("de", "Abgelehnt", "30. November 2026", "30. Dezember 2026"),
    ],
)
def test_the_decision_letter_carries_the_decision_and_the_appeal(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    teams: Any,
    language: str,
    result: str,
    decided_on: str,
    appeal_until: str,
) -> None:
    templates_load(actor=None)
    LetterheadFactory(team=teams["visas"], prefix="VIS")
    dossier = _decided_elsewhere(open_dossier, handler, language)
    services.dossier_transition(
        actor=handler,
        dossier=dossier,
        expected_version=dossier.version,
        transition="inform_parties",
        checklist=yes(dossier),
    )
    letter = Letter.objects.get(person=dossier.person)
    assert _outcomes(dossier) == [("decision_notice", "drafted")]
    assert letter.language == language
    assert letter.free_values == {
        "reference": dossier.reference,
        "result": result,
        "decided_on": "2026-11-30",
        "deciding_body": "Office des étrangers",
        "motivation": "The stay's conditions are no longer met.",
        "appeal_until": "2026-12-30",
    }
    # The appeal body is the service's to set: a hole the agent fills in, so
    # the letter cannot be written without it.
    with pytest.raises(ValidationFailed) as hole:
        compose(letter, draft=True)
    assert [error.field for error in hole.value.errors] == ["free.appeal_body"]
    letter.free_values["appeal_body"] = "Conseil du contentieux des étrangers"
    printed = json.dumps(compose(letter, draft=True).content, ensure_ascii=False)
    for value in (dossier.reference, result, decided_on, appeal_until, "contentieux"):
        assert value in printed


def test_no_decision_in_force_leaves_the_decision_fields_to_the_agent(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = _decided_elsewhere(open_dossier, handler, "en")
    Decision.objects.filter(dossier=dossier).update(state=DecisionState.PROPOSED)
    assert decision_values(dossier, "en") == {}
    Decision.objects.filter(dossier=dossier).update(
        state=DecisionState.RECORDED, motivation="x" * 2001
    )
    values = decision_values(dossier, "en")
    assert values["result"] == "Refused"
    assert "motivation" not in values  # longer than a free field: the agent shortens
