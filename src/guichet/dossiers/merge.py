"""The dossiers' part of a merge of two persons (parties/merge.py): dossiers of the
absorbed person, and their roles on dossiers. A role the kept person already holds
on the same dossier is not doubled: the absorbed person's copy is removed
(counted as `dossier_parties_identical`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.parties import merge
from guichet.parties.models import Person

from .models import Dossier, DossierParty


def _parties_move(keep: Person, absorb: Person) -> merge.Counts:
    held = set(
        DossierParty.objects.filter(person=keep).values_list("dossier_id", "role")
    )
    doubled = [
        party.pk
        for party in DossierParty.objects.filter(person=absorb)
        if (party.dossier_id, party.role) in held
    ]
    DossierParty.objects.filter(pk__in=doubled).delete()
    moved = merge.repoint(DossierParty, "person", keep, absorb)
    return {"dossier_parties": moved, "dossier_parties_identical": len(doubled)}


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover("dossiers", _("Dossiers"), Dossier, "person", order=30)
    )
    merge.register(
        merge.Mover(
            key="dossier_parties",
            label=_("Roles on dossiers"),
            fields=frozenset({merge.field_name(DossierParty, "person")}),
            move=_parties_move,
            order=31,
        )
    )
