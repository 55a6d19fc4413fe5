"""The `dossier.*` placeholders of letters (issue #15, item 3: standard answers
filled from the dossier): discovered by `correspondence.placeholders`, which sits
above this app and writes the dates and amounts in the letter's language.

A letter names its dossier by reference (`references["dossier"]`). The values are
given only when the dossier's applicant is the letter's recipient and its writer
sees the dossier; otherwise they are unknown, and a letter that uses them is
refused for its holes rather than filled from someone else's case.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Dossier
from .selectors import by_reference, dossiers_visible

NAMES = {
    "reference": _("the dossier's reference (DOS-2026-0000042)"),
    "case_type": _("the kind of case, in the letter's language"),
    "received_on": _("the date the dossier was received"),
    "due_on": _("the legal deadline of the dossier"),
    "fee_due": _("the fees still to pay on the dossier, in euros"),
}


def _dossier(context: Any) -> Dossier | None:
    reference = context.references.get("dossier")
    condition = by_reference(reference) if reference else None
    if condition is None:
        return None
    return (
        dossiers_visible(agent=context.agent)
        .select_related("case_type")
        .filter(condition, person_id=context.person.pk)
        .first()
    )


class DossierSource:
    prefix = "dossier"
    names = NAMES

    def values(self, context: Any) -> Mapping[str, object]:
        dossier = _dossier(context)
        if dossier is None:
            return {}
        unpaid = [fee.amount for fee in dossier.fees.all() if not fee.settled]
        return {
            "reference": dossier.reference,
            "case_type": dossier.case_type.name(context.language),
            "received_on": dossier.received_on,
            "due_on": dossier.processing_due,
            "fee_due": sum(unpaid, Decimal(0)),
        }


SOURCES = [DossierSource()]
