"""The payments' part of a merge of two persons (parties/merge.py).

A beneficiary record moves to the kept person. Both persons beneficiaries of the
same payment office (one record per person and office) would make two records of
one beneficiary, each with its own bank account and history of runs: the merge is
refused, the office settles it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.parties import merge
from guichet.parties.models import Person

from .models import Beneficiary


def _beneficiary_refuse(keep: Person, absorb: Person) -> list[str | Promise]:
    both = Beneficiary.objects.filter(
        person=absorb,
        team_id__in=Beneficiary.objects.filter(person=keep).values("team_id"),
    )
    if both.exists():
        return [
            _(
                "Both persons are beneficiaries of the same payment office: these "
                "records cannot be merged; the payment office must settle it."
            )
        ]
    return []


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "beneficiaries",
            _("Beneficiary records"),
            Beneficiary,
            "person",
            refuse=_beneficiary_refuse,
            order=80,
        )
    )
