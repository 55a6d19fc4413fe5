"""Documents and incoming mail point at dossiers with a key (issue #14, point 2)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

import pytest

from guichet.agents.models import Agent
from guichet.core.errors import ValidationFailed
from guichet.documents import services as document_services
from guichet.documents.models import Document
from guichet.dossiers import guards, services
from guichet.dossiers.models import Dossier
from tests.documents.factories import DocumentFactory, upload
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LINK_DOCUMENTS = importlib.import_module(
    "guichet.documents.migrations.0004_document_dossier_key"
)
LINK_MAIL = importlib.import_module(
    "guichet.correspondence.migrations.0006_incomingmail_dossier_key"
)


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _details(reference: str, item: str = "") -> document_services.DocumentDetails:
    return document_services.DocumentDetails(
        document_type="other", dossier_reference=reference, dossier_item=item
    )


def test_an_upload_names_the_dossier_by_reference_and_the_guard_sees_it(
    open_dossier: Callable[..., Dossier], handler: Agent, media: Any
) -> None:
    dossier = open_dossier("visa-extension", facts={"ground": "medical"})
    definition = services.definition_of(dossier)
    assert "medical_certificate" in {
        d.code for d in guards.missing_documents(dossier, definition)
    }
    document = document_services.document_upload(
        actor=handler,
        person_id=dossier.person.uuid,
        file=upload(),
        details=_details(dossier.reference.lower(), "medical_certificate"),
    )
    assert (document.dossier, document.dossier_reference) == (
        dossier,
        dossier.reference,
    )
    assert "medical_certificate" not in {
        d.code for d in guards.missing_documents(dossier, definition)
    }


@pytest.mark.parametrize("whose", ["unknown", "other_person", "hidden"])
def test_an_upload_refuses_a_dossier_that_is_not_the_persons_or_not_seen(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    agent_in: Callable[..., Agent],
    media: Any,
    whose: str,
) -> None:
    dossier = open_dossier("visa-extension")
    person = dossier.person
    actor = handler
    reference = dossier.reference
    if whose == "unknown":
        reference = "DOS-2026-9999999"
    elif whose == "other_person":
        person = PersonFactory()
    else:  # an agent of another team does not see the dossier
        actor = agent_in("dossier_handler", "C", "payment-office")
    with pytest.raises(ValidationFailed) as refused:
        document_services.document_upload(
            actor=actor,
            person_id=person.uuid,
            file=upload(),
            details=_details(reference),
        )
    assert [e.code for e in refused.value.errors] == ["no_such_dossier"]
    assert Document.objects.count() == 0


def test_an_unknown_required_document_is_refused(
    open_dossier: Callable[..., Dossier], handler: Agent, media: Any
) -> None:
    dossier = open_dossier("visa-extension")
    with pytest.raises(ValidationFailed) as refused:
        document_services.document_upload(
            actor=handler,
            person_id=dossier.person.uuid,
            file=upload(),
            details=_details(dossier.reference, "no_such_item"),
        )
    assert [e.code for e in refused.value.errors] == ["dossier_item_unknown"]


def _apps_after(app: str, migration: str) -> Any:
    return MigrationLoader(connection).project_state((app, migration)).apps


def test_the_migration_links_known_references_and_keeps_the_others(
    open_dossier: Callable[..., Dossier],
) -> None:
    dossier = open_dossier("visa-extension")
    known = DocumentFactory(legacy_dossier_reference=dossier.reference)
    unknown = DocumentFactory(legacy_dossier_reference="D-2024-17")
    LINK_DOCUMENTS.link_dossiers(
        _apps_after("documents", "0004_document_dossier_key"), None
    )
    known.refresh_from_db()
    unknown.refresh_from_db()
    assert (known.dossier, known.legacy_dossier_reference) == (dossier, "")
    assert (unknown.dossier, unknown.legacy_dossier_reference) == (None, "D-2024-17")
    assert unknown.dossier_reference == "D-2024-17"


def test_the_mail_migration_links_a_reference_of_the_team_dispatched_to(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    from guichet.correspondence.models import IncomingMail

    dossier = open_dossier("visa-extension")
    other_team = Dossier.objects.get(pk=open_dossier("consular-legalisation").pk)

    def mail(reference: str, team: Any) -> IncomingMail:
        number = IncomingMail.objects.count() + 1
        return IncomingMail.objects.create(
            team=team,
            number=f"IN/2026/{number:06d}",
            year=2026,
            sequence=number,
            received_on=dt.date(2026, 3, 2),
            sender_name="Sender",
            dispatched_team=dossier.team,
            dispatched_dossier=reference,
            status="dispatched",
            subject="x",
            scan_sha256="0" * 64,
            scan_name="scan.pdf",
            scan_content_type="application/pdf",
            scan_size=1,
            registered_by=handler,
        )

    linked = mail(dossier.reference, dossier.team)
    wrong_team = mail(other_team.reference, dossier.team)
    free_text = mail("D-2026-17", dossier.team)
    LINK_MAIL.link_dossiers(
        _apps_after("correspondence", "0006_incomingmail_dossier_key"), None
    )
    for row in (linked, wrong_team, free_text):
        row.refresh_from_db()
    assert linked.dossier == dossier
    assert (wrong_team.dossier, free_text.dossier) == (None, None)
    assert free_text.dispatched_dossier == "D-2026-17"


def test_a_reference_kept_from_before_does_not_block_other_corrections(
    open_dossier: Callable[..., Dossier], handler: Agent
) -> None:
    document = DocumentFactory(legacy_dossier_reference="D-2024-17")
    corrected = document_services.document_update(
        actor=handler,
        document_id=document.uuid,
        expected_version=document.version,
        data={"description": "Diploma"},
    )
    assert (corrected.description, corrected.dossier_reference) == (
        "Diploma",
        "D-2024-17",
    )
    # Naming a real dossier of the person replaces it by the key.
    dossier = open_dossier("visa-extension", applicant=document.person)
    linked = document_services.document_update(
        actor=handler,
        document_id=document.uuid,
        expected_version=corrected.version,
        data={"dossier_reference": dossier.reference, "dossier_item": "proofs"},
    )
    assert (linked.dossier, linked.legacy_dossier_reference) == (dossier, "")
    assert linked.dossier_item == "proofs"
