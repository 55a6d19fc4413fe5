"""The documents' part of a merge of two persons (parties/merge.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge

from .models import Document


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "documents", _("Documents"), Document, "person", order=40
        )
    )
