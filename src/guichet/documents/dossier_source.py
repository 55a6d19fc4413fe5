"""The dossiers' view of their documents (`dossiers.hooks.document_sources`).

A document answers one required document of its dossier's case type
(`dossier_item`); a check passed when its latest verification of that kind is
valid, failed when it is not.
"""

from __future__ import annotations

from django.db.models import Prefetch

from guichet.dossiers.hooks import DocumentState
from guichet.dossiers.models import Dossier

from .models import Document, DocumentVerification


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
