"""The requests' part of a merge of two persons (parties/merge.py): the person a
request is about and the requester move to the kept person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge

from .models import Request


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "requests", _("Requests"), Request, "person", "requester_person", order=20
        )
    )
