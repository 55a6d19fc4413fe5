"""The inbox's part of a merge of two persons (parties/merge.py): e-mail received
from the absorbed person is from the kept one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge

from .models import InboundMessage


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "inbound_messages",
            _("E-mail received"),
            InboundMessage,
            "sender_person",
            order=90,
        )
    )
