"""The letters a step names are drafted by correspondence, through the registry
dossiers keeps (dependency inversion)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.correspondence.models import Letter
from guichet.correspondence.services import templates_load
from guichet.dossiers import services
from guichet.dossiers.models import Dossier, DossierEvent
from tests.correspondence.factories import LetterheadFactory

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
