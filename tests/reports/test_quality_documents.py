"""Data quality: expired identity documents on open dossiers; the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from guichet.core import clock, tabular
from guichet.documents.models import DocumentType
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person
from guichet.reports import quality
from tests.documents.factories import DocumentFactory
from tests.dossiers import conftest as dossier_fixtures
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

# The dossiers' fixtures, shared: the shipped case types, their teams and agents.
teams = dossier_fixtures.teams
agent_in = dossier_fixtures.agent_in
handler = dossier_fixtures.handler
open_dossier = dossier_fixtures.open_dossier


def _days(count: int) -> dt.date:
    return clock.today() + dt.timedelta(days=count)


def _found(agent: Any) -> list[tuple[str, int, bool]]:
    return [
        (finding.dossier.reference, finding.document.pk, finding.attached)
        for finding in quality.findings(agent=agent, check=quality.EXPIRED_DOCUMENT)
        if finding.dossier and finding.document
    ]


def test_an_expired_identity_document_attached_to_an_open_dossier_is_listed(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    dossier = open_dossier("visa-extension")
    expired = DocumentFactory(
        person=dossier.person,
        dossier=dossier,
        expires_on=_days(-1),
        issued_on=_days(-3650),
    )
    DocumentFactory(person=dossier.person, dossier=dossier, expires_on=_days(0))
    DocumentFactory(
        person=dossier.person,
        dossier=dossier,
        document_type=DocumentType.OTHER,
        expires_on=_days(-30),
        issued_on=_days(-300),
    )

    found = quality.findings(agent=handler, check=quality.EXPIRED_DOCUMENT)

    assert _found(handler) == [(dossier.reference, expired.pk, True)]
    assert found[0].target == ("dossier", dossier.reference)
    assert "attached to the open dossier" in found[0].problem


def test_a_document_expiring_today_is_still_valid(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    dossier = open_dossier("visa-extension")
    DocumentFactory(
        person=dossier.person,
        dossier=dossier,
        document_type=DocumentType.IDENTITY_CARD,
        expires_on=_days(0),
    )

    assert _found(handler) == []


def test_an_applicant_whose_identity_documents_all_expired_is_listed(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    dossier = open_dossier("visa-extension")
    DocumentFactory(
        person=dossier.person,
        document_type=DocumentType.RESIDENCE_PERMIT,
        expires_on=_days(-400),
        issued_on=_days(-2000),
    )
    latest = DocumentFactory(
        person=dossier.person,
        document_type=DocumentType.IDENTITY_CARD,
        expires_on=_days(-2),
        issued_on=_days(-3000),
    )
    renewed = open_dossier("visa-extension")
    DocumentFactory(person=renewed.person, expires_on=_days(-2), issued_on=_days(-3000))
    DocumentFactory(person=renewed.person, expires_on=_days(3000))

    found = quality.findings(agent=handler, check=quality.EXPIRED_DOCUMENT)

    assert _found(handler) == [(dossier.reference, latest.pk, False)]
    assert "has no valid identity document" in found[0].problem


def test_closed_dossiers_and_hidden_applicants_are_left_out(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    closed = open_dossier("visa-extension")
    DocumentFactory(
        person=closed.person, dossier=closed, expires_on=_days(-1), issued_on=_days(-99)
    )
    Dossier.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    hidden = open_dossier("visa-extension")
    Person.objects.filter(pk=hidden.person_id).update(
        confidential_team=TeamFactory(code="protected")
    )
    DocumentFactory(
        person=hidden.person, dossier=hidden, expires_on=_days(-1), issued_on=_days(-99)
    )

    counts = {row.check: row.count for row in quality.summary(agent=handler)}

    assert _found(handler) == []
    assert counts[quality.EXPIRED_DOCUMENT] == 0


def test_the_export_holds_the_filters_and_one_row_per_finding(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    dossier = open_dossier("visa-extension")
    DocumentFactory(
        person=dossier.person,
        dossier=dossier,
        expires_on=_days(-1),
        issued_on=_days(-99),
    )
    found = quality.findings(agent=handler, check=quality.EXPIRED_DOCUMENT)

    data = tabular.to_csv(
        quality.table(quality.EXPIRED_DOCUMENT, found, language="fr")
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))

    assert rows[0] == ["Liste", "Document d'identité expiré sur un dossier ouvert"]
    assert rows[1][1] == clock.today().strftime("%d/%m/%Y")
    assert rows[2] == []
    assert rows[3][:2] == ["Nom", "Prénoms"]
    assert len(rows[3]) == 6
    assert rows[4][3] == dossier.reference
    assert len(rows) == 5
    workbook = tabular.to_xlsx(
        quality.table(quality.EXPIRED_DOCUMENT, found, language="nl")
    )
    assert workbook[:2] == b"PK"


def test_the_check_reads_more_dossiers_in_as_many_queries(
    handler: Any, open_dossier: Callable[..., Dossier]
) -> None:
    def queries_with(count: int) -> int:
        for _index in range(count):
            dossier = open_dossier("visa-extension")
            DocumentFactory(
                person=dossier.person,
                dossier=dossier,
                expires_on=_days(-1),
                issued_on=_days(-99),
            )
            DocumentFactory(
                person=open_dossier("visa-extension").person,
                document_type=DocumentType.IDENTITY_CARD,
                expires_on=_days(-5),
                issued_on=_days(-99),
            )
        with CaptureQueriesContext(connection) as captured:
            quality.findings(agent=handler, check=quality.EXPIRED_DOCUMENT)
        return len(captured)

    assert queries_with(1) == queries_with(2)
