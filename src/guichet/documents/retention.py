"""A destroyed dossier's documents (`dossiers.hooks.dossier_erasers`).

When a dossier is destroyed at the end of its retention (`dossiers.retention`),
the documents handed in for it go with it: their rows, their checks and specimen
comparisons (append-only otherwise: the end of retention is the one write allowed
to remove them), and their stored content once no other document or specimen
holds the same bytes (`storage.py` stores equal content once). The files are
removed after the destruction commits, so a rollback never leaves rows without
their content; a crash between the two leaves an unreferenced file, harmless and
collectable by hash, as after a failed upload.
"""

from __future__ import annotations

from functools import partial

from django.core.files.storage import default_storage
from django.db import models, transaction

from guichet.dossiers.models import Dossier

from . import storage
from .models import Document, DocumentVerification, Specimen, SpecimenComparison


def dossier_documents_erase(dossier: Dossier) -> int:
    """Delete the dossier's documents and their checks; return the rows removed."""
    documents = Document.objects.filter(dossier=dossier)
    hashes = set(documents.values_list("content_sha256", flat=True))
    removed = 0
    for model in (DocumentVerification, SpecimenComparison):
        deleted, _by_model = (
            models.QuerySet(model=model).filter(document__dossier=dossier).delete()
        )
        removed += deleted
    deleted, _by_model = documents.delete()
    removed += deleted
    transaction.on_commit(partial(_files_remove, sorted(hashes)))
    return removed


def _files_remove(hashes: list[str]) -> None:
    """Remove each stored content no document nor specimen refers to any more."""
    for sha256 in hashes:
        if Document.objects.filter(content_sha256=sha256).exists():
            continue
        if Specimen.objects.filter(content_sha256=sha256).exists():
            continue
        default_storage.delete(storage.name_of(sha256))
