"""The contacts' part of a merge of two persons (parties/merge.py): the person
concerned and the caller acting for them move to the kept person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge

from .models import Contact


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "contacts", _("Contacts"), Contact, "person", "caller_person", order=10
        )
    )
