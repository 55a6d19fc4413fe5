"""A month's payment documents: complete or not, and the letter for what is missing.

The month's payment document is the control card (C3A / eC3, docs/sources.md §7.4):
"hand in / confirm at the end of each month"; the payment body "checks
completeness, signatures" (§6.1.6) and pays "after the month's control card is
received" (§6.1.9). So a month can be paid when its card is recorded, signed and
dated, and no card is missing for an earlier month since the entitlement began
("no missing month"). An incomplete month is an exception of the run, and the
beneficiary is sent the letter `payment_documents_missing` once for that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.core.errors import GuichetError

from . import calculation
from .errors import ExceptionCode

LETTER_TYPE = "payment_documents_missing"


@dataclass(frozen=True)
class Card:
    month: str
    declared: calculation.Declared
    signed: bool
    dated: bool


@dataclass(frozen=True)
class Missing:
    code: str
    month: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "month": self.month}


MESSAGES = {
    ExceptionCode.NO_DECLARATION: _("the declaration (control card) of %(month)s"),
    ExceptionCode.NOT_SIGNED: _("your signature on the declaration of %(month)s"),
    ExceptionCode.NOT_DATED: _("the date on the declaration of %(month)s"),
    ExceptionCode.MISSING_MONTH: _("the declaration (control card) of %(month)s"),
}


def missing(*, cards: Mapping[str, Card], month: str, since: dt.date) -> list[Missing]:
    """What prevents paying `month`: the month's card missing, unsigned or undated,
    then each earlier month since `since` without a card. Empty: complete."""
    found: list[Missing] = []
    card = cards.get(month)
    if card is None:
        found.append(Missing(ExceptionCode.NO_DECLARATION, month))
    else:
        if not card.signed:
            found.append(Missing(ExceptionCode.NOT_SIGNED, month))
        if not card.dated:
            found.append(Missing(ExceptionCode.NOT_DATED, month))
    start = f"{since.year:04d}-{since.month:02d}"
    found.extend(
        Missing(ExceptionCode.MISSING_MONTH, earlier)
        for earlier in calculation.months_between(
            start, calculation.previous_month(month)
        )
        if earlier not in cards
    )
    return found


def describe(items: list[dict[str, str]], language: str) -> str:
    """The list of what is missing, in the letter's language, one per line."""
    with translation.override(language):
        return "\n".join(
            "- " + str(MESSAGES[ExceptionCode(item["code"])]) % {"month": item["month"]}
            for item in items
        )


def request_letters_for_run(*, actor: Agent, run: Any) -> int:
    """Draft the letter asking for what is missing to every beneficiary of `run`
    whose month is incomplete, once per beneficiary and month. Returns how many."""
    from .models import DocumentsRequest, RunItem

    codes = [code.value for code in MESSAGES]
    items = RunItem.objects.filter(run=run, exception__in=codes).select_related(
        "beneficiary__person"
    )
    asked = set(
        DocumentsRequest.objects.filter(
            beneficiary__team_id=run.team_id, month=run.month
        ).values_list("beneficiary_id", flat=True)
    )
    count = 0
    for item in items:
        if item.beneficiary_id in asked:
            continue
        documents_request_create(
            actor=actor,
            beneficiary=item.beneficiary,
            month=run.month,
            missing=item.detail.get("missing", []),
        )
        count += 1
    return count


def documents_request_create(
    *, actor: Agent, beneficiary: Any, month: str, missing: list[dict[str, str]]
) -> Any:
    """Record the request and draft its letter through correspondence (the letter
    then follows correspondence's approval and dispatch). Without the shipped
    template (an installation that did not load it) the request is recorded with
    no letter, and the agent writes it by hand."""
    from guichet.correspondence.services import letter_draft_create

    from .models import DocumentsRequest

    request, created = DocumentsRequest.objects.get_or_create(
        beneficiary=beneficiary, month=month, defaults={"missing": missing}
    )
    if not created or request.letter_id is not None:
        return request
    person = beneficiary.person
    try:
        letter = letter_draft_create(
            actor=actor,
            person_id=person.uuid,
            letter_type=LETTER_TYPE,
            team=beneficiary.team.code,
            free_values={
                "month": month,
                "missing": describe(missing, person.language or "fr"),
            },
        )
    except GuichetError:
        return request
    DocumentsRequest.objects.filter(pk=request.pk).update(letter=letter)
    request.letter = letter
    return request
