"""The dossiers' view of their documents (`dossiers.hooks.document_sources`).

A document answers one required document of its dossier's case type
(`dossier_item`); a check passed when its latest verification of that kind is
valid, failed when it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Prefetch

from guichet.dossiers.hooks import DocumentState, ExportCheck, ExportDocument
from guichet.dossiers.models import Dossier

from . import storage
from .models import Document, DocumentType, DocumentVerification
from .sniffing import EXTENSIONS


def dossier_document_states(dossier: Dossier) -> list[DocumentState]:
    documents = Document.objects.filter(dossier=dossier).prefetch_related(
        Prefetch(
            "verifications",
            queryset=DocumentVerification.objects.order_by("-verified_at", "-id"),
        )
    )
    states = []
    for document in documents:
        latest: dict[str, bool] = {}
        for verification in document.verifications.all():
            latest.setdefault(verification.kind, verification.is_valid)
        states.append(
            DocumentState(
                code=document.dossier_item,
                document_type=document.document_type,
                passed=frozenset(kind for kind, valid in latest.items() if valid),
                failed=frozenset(kind for kind, valid in latest.items() if not valid),
            )
        )
    return states


def _read(sha256: str) -> Callable[[], bytes]:
    def read() -> bytes:
        with storage.open_content(sha256) as handle:
            return handle.read()

    return read


def dossier_export_documents(dossier: Dossier) -> list[ExportDocument]:
    """The dossier's documents for its export package, in the order they were
    handed in, each with every verification (oldest first) and its stored content.
    Guichet does not record a document's language: `language` is None."""
    documents = (
        Document.objects.filter(dossier=dossier)
        .prefetch_related(
            Prefetch(
                "verifications",
                queryset=DocumentVerification.objects.order_by("verified_at", "id"),
            )
        )
        .order_by("created_at", "id")
    )
    return [
        ExportDocument(
            description=document.description,
            kind=document.document_type,
            kind_label=DocumentType(document.document_type).label,
            required_document=document.dossier_item,
            language=None,
            media_type=document.content_type,
            extension=EXTENSIONS.get(document.content_type, "bin"),
            size=document.size,
            sha256=document.content_sha256,
            issued_on=_date(document.issued_on),
            expires_on=_date(document.expires_on),
            checks=tuple(
                ExportCheck(
                    kind=verification.kind,
                    valid=verification.is_valid,
                    outcome=verification.outcome,
                    checked_on=verification.checked_on.isoformat(),
                    verified_at=verification.verified_at.astimezone(dt.UTC)
                    .isoformat()
                    .replace("+00:00", "Z"),
                )
                for verification in document.verifications.all()
            ),
            read=_read(document.content_sha256),
        )
        for document in documents
    ]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
