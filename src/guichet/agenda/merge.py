"""The agenda's part of a merge of two persons (parties/merge.py): appointments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge

from .models import Appointment


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "appointments", _("Appointments"), Appointment, "person", order=70
        )
    )
