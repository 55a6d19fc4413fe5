"""The grant tables and visibility rules of each domain, gathered by `access.policy`.

One module per domain; each defines `Action` (a StrEnum of its action names),
`GRANTS` (action -> who may) and `KINDS` (model label -> visibility rule), and may
define `ADMIN_MODELS` (model label -> the action that opens it in Django's admin).
Add a new module to `MODULES` below. Every decision is still taken by
`access.policy` alone.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    administration,
    agenda_absences,
    agenda_appointments,
    calendars,
    cashbook,
    contacts,
    correspondence,
    debts,
    documents,
    dossiers,
    inbox,
    knowledge,
    meetings,
    parties,
    payments,
    reports,
    servicerequests,
    visits,
)

MODULES: tuple[ModuleType, ...] = (
    parties,
    administration,
    correspondence,
    debts,
    documents,
    calendars,
    contacts,
    servicerequests,
    dossiers,
    cashbook,
    knowledge,
    visits,
    inbox,
    agenda_absences,
    agenda_appointments,
    meetings,
    payments,
    reports,
)
