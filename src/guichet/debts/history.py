"""The debts app's entries in a person's history (`parties.history`).

A posted garnishment is recorded on the person and seen by those who may see the
person's debts. A debt's own writes (registered, an entry, a plan, a change of
status or creditor, a comment) are recorded on the debt: they reach the person's
history through a source that offers only the debts the agent sees, so another
payment office's debt, or a debt of a person confidential to another team, never
shows there. Each is told in words: the debt it concerns, and what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access.domains.debts import Action
from guichet.agents.models import Team
from guichet.parties.history import (
    HistoryKind,
    HistorySource,
    register,
    register_source,
)

from .models import Debt, DebtKind, DebtStatus, EntryKind
from .selectors import debts_in_history

if TYPE_CHECKING:
    from guichet.agents.models import Agent
    from guichet.parties.models import Person

COMMENT_SHOWN = 200  # characters of a comment quoted in the history


def _amount(value: object) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(number, decimal_pos=2, use_l10n=True, force_grouping=True)


def _day(value: object) -> str:
    try:
        return date_format(dt.date.fromisoformat(str(value)), "d/m/Y")
    except ValueError:
        return str(value)


def _label(choices: type[DebtKind | DebtStatus | EntryKind], value: object) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value or "—")


def _registered(summary: Mapping[str, Any], reason: str) -> str:
    parts = [
        gettext("amount owed %(amount)s €")
        % {"amount": _amount(summary.get("principal"))}
    ]
    for name, words in (
        ("interest", gettext("interest %(amount)s €")),
        ("costs", gettext("costs %(amount)s €")),
    ):
        if summary.get(name):
            parts.append(words % {"amount": _amount(summary[name])})
    notified = (summary.get("after") or {}).get("notified_on")
    if notified:
        parts.append(gettext("notice of %(date)s") % {"date": _day(notified)})
    return ", ".join(parts)


def _entry(summary: Mapping[str, Any], reason: str) -> str:
    before, after = summary.get("balance") or (None, None)
    text = gettext(
        "%(movement)s of %(amount)s €, balance %(before)s € → %(after)s €"
    ) % {
        "movement": _label(EntryKind, summary.get("kind")),
        "amount": _amount(summary.get("amount")),
        "before": _amount(before),
        "after": _amount(after),
    }
    return _with_reason(text, reason)


def _plan(summary: Mapping[str, Any], reason: str) -> str:
    text = gettext("%(amount)s € a month from %(date)s") % {
        "amount": _amount(summary.get("amount")),
        "date": _day(summary.get("starts_on")),
    }
    return _with_reason(text, reason)


def _updated(summary: Mapping[str, Any], reason: str) -> str:
    parts = []
    for name, (before, after) in (summary.get("changes") or {}).items():
        if name == "status":
            before, after = _label(DebtStatus, before), _label(DebtStatus, after)
        try:
            label = str(getattr(Debt._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a field recorded by an older version
            label = name
        parts.append(f"{label}: {before or '—'} → {after or '—'}")
    return _with_reason("; ".join(parts), reason)


def _commented(summary: Mapping[str, Any], reason: str) -> str:
    text = str(summary.get("text", ""))
    cut = text if len(text) <= COMMENT_SHOWN else text[:COMMENT_SHOWN] + "…"
    return f"“{cut}”" if cut else ""


def _with_reason(text: str, reason: str) -> str:
    if not reason:
        return text
    return gettext("%(what)s (why: %(reason)s)") % {"what": text, "reason": reason}


for _action, _sentence, _describe in (
    ("debt.register", _("Debt registered"), _registered),
    ("debt.entry_add", _("Entry added to a debt's ledger"), _entry),
    ("debt.plan_add", _("Instalment plan set"), _plan),
    ("debt.update", _("Debt changed"), _updated),
    ("debt.comment_add", _("Comment written on a debt"), _commented),
):
    register(
        HistoryKind(
            action=_action,
            sentence=_sentence,
            needs=Action.DEBT_VIEW,
            describe=_describe,
        )
    )


def _posted_by_own_office(agent: Agent, summary: Mapping[str, Any]) -> bool:
    """A posting is recorded on the person: only its payment office reads it."""
    return Team.objects.filter(id__in=agent.team_ids, code=summary.get("team")).exists()


register(
    HistoryKind(
        action="debt.allocation_post",
        sentence=_("Garnishment retentions posted"),
        needs=Action.DEBT_VIEW,
        shows=_posted_by_own_office,
    )
)


def _debts_seen(agent: Agent, person: Person) -> dict[str, str]:
    return {
        public_id: f"{debt.get_kind_display()}, {debt.creditor_name or debt.team.name}"
        + (f" ({debt.reference})" if debt.reference else "")
        for public_id, debt in debts_in_history(agent=agent, person=person).items()
    }


register_source(HistorySource(object_type=Debt._meta.label_lower, objects=_debts_seen))
