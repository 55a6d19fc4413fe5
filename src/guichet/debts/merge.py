"""The debts' part of a merge of two persons (parties/merge.py).

Debts move to the kept person. Garnishment postings (`AllocationPosting`) are an
append-only ledger (refused by trigger on PostgreSQL): they cannot be moved, so a
person with postings can only be the one kept; when both have some, the merge is
refused (the month's allocation was computed for each record apart).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.parties import merge
from guichet.parties.models import Person

from .models import AllocationPosting, Debt


def _postings_refuse(keep: Person, absorb: Person) -> list[str | Promise]:
    if not AllocationPosting.objects.filter(person=absorb).exists():
        return []
    if AllocationPosting.objects.filter(person=keep).exists():
        return [
            _(
                "Both persons have garnishment postings, which cannot be moved: "
                "these records cannot be merged."
            )
        ]
    return [
        _(
            "The person to absorb has garnishment postings, which cannot be moved: "
            "keep that person instead."
        )
    ]


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover("debts", _("Debts"), Debt, "person", order=60)
    )
    merge.register(
        merge.Mover(
            key="allocation_postings",
            label=_("Garnishment postings"),
            fields=frozenset({merge.field_name(AllocationPosting, "person")}),
            move=lambda keep, absorb: {"allocation_postings": 0},
            refuse=_postings_refuse,
            order=61,
        )
    )
