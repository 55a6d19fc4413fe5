"""The demo dossiers: each shipped case type, built through the services."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.documents.models import Document
from guichet.dossiers import selectors
from guichet.dossiers.models import DocumentRequest, Dossier

pytestmark = pytest.mark.django_db


def test_the_demo_opens_dossiers_of_every_case_type_once(demo: Any, cli: Any) -> None:
    statuses = sorted(Dossier.objects.values_list("case_type__code", "status"))
    assert statuses == [
        ("consular-legalisation", "awaiting_documents"),
        # Three more, paid at the demo counter (demo/cashbook.py).
        ("consular-legalisation", "awaiting_payment"),
        ("consular-legalisation", "awaiting_payment"),
        ("consular-legalisation", "awaiting_payment"),
        ("consular-legalisation", "checking"),
        ("consular-legalisation", "received"),
        ("consular-passport", "checking"),
        ("consular-passport", "received"),
        ("unemployment-benefit", "received"),
        ("unemployment-benefit", "transmitted"),
        ("visa-extension", "awaiting_documents"),
        ("visa-extension", "received"),
    ]
    assert set(DocumentRequest.objects.values_list("document_code", flat=True)) == {
        "sworn_translation",
        "travel_insurance",
    }
    assert Document.objects.filter(dossier__isnull=False).exists()
    # The demo agents see their team's queue.
    front = Agent.objects.get(username="front.legal")
    page = selectors.queue(agent=front, filters=selectors.QueueFilter())
    assert {row.case_type.code for row in page.rows} == {"consular-legalisation"}
    # Built once: a second run opens nothing.
    assert cli("demo", "--i-know-this-is-not-production")[0] == 0
    assert Dossier.objects.count() == len(statuses)
