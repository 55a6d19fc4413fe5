"""Correspondence's part of a merge of two persons (parties/merge.py): letters and
incoming mail. Two letters of one batch (one per person and batch) cannot both
belong to the kept person: such a merge is refused. A batch still running keeps the
ids it selected (`LetterBatch.selection`) to resume with: while one selected the
person to absorb, the merge is refused too (the resumed run would write to them)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.parties import merge
from guichet.parties.models import Person

from .models import IncomingMail, Letter, LetterBatch


def _letters_refuse(keep: Person, absorb: Person) -> list[str | Promise]:
    shared = Letter.objects.filter(
        person=absorb,
        batch__isnull=False,
        batch_id__in=Letter.objects.filter(person=keep).values("batch_id"),
    )
    reasons: list[str | Promise] = []
    if shared.exists():
        reasons.append(
            _(
                "Both persons received a letter of the same batch: these records "
                "cannot be merged."
            )
        )
    running = LetterBatch.objects.filter(finished_at__isnull=True).values_list(
        "selection", flat=True
    )
    if any(absorb.pk in (selection or []) for selection in running):
        reasons.append(
            _(
                "A letter batch still running selected the person to absorb: merge "
                "them once it is finished."
            )
        )
    return reasons


def register_movers() -> None:
    merge.register(
        merge.foreign_key_mover(
            "letters", _("Letters"), Letter, "person", refuse=_letters_refuse, order=50
        )
    )
    merge.register(
        merge.foreign_key_mover(
            "incoming_mail", _("Incoming mail"), IncomingMail, "sender_person", order=51
        )
    )
