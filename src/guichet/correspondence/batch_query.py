"""The selection language of `guichet letters render --for QUERY` (no ORM).

A query is terms separated by spaces, all of which must hold:

    all                           every person the agent may see
    language=nl                   preferred language (fr, nl, de, en)
    postal_code=1000              postal code of an address, or a range 1000-1299
    municipality=Gent             municipality of an address (case does not matter)
    born_before=1960-01-01        born before this date
    born_after=1990-12-31         born after this date
    national_number=85073003328   one national register or BIS number
    person=<uuid>                 one person, by id (repeatable)

Example: `language=nl postal_code=9000-9099 born_before=1960-01-01`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

KEYS = (
    "all",
    "language",
    "postal_code",
    "municipality",
    "born_before",
    "born_after",
    "national_number",
    "person",
)
LANGUAGES = ("fr", "nl", "de", "en")


class QueryError(ValueError):
    """The query cannot be read; the message says which term and why."""

    def __init__(self, message: Any, **params: str) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))


@dataclass(frozen=True)
class Term:
    key: str
    value: str


def _check(key: str, value: str) -> None:
    term = f"{key}={value}"
    if key == "language" and value not in LANGUAGES:
        raise QueryError(_("%(term)s: choose one of fr, nl, de, en."), term=term)
    if key == "postal_code" and not re.fullmatch(r"\d{4}(-\d{4})?", value):
        raise QueryError(
            _("%(term)s: give 4 digits, or a range such as 1000-1299."), term=term
        )
    if key in {"born_before", "born_after"}:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError(
                _("%(term)s: give a date as YYYY-MM-DD."), term=term
            ) from None
    if key == "national_number" and not re.fullmatch(
        r"\d{11}", value.replace(".", "").replace("-", "")
    ):
        raise QueryError(_("%(term)s: give the 11 digits."), term=term)
    if key == "person":
        try:
            uuid.UUID(value)
        except ValueError:
            raise QueryError(
                _("%(term)s: give a person's id (a UUID)."), term=term
            ) from None
    if key == "municipality" and not value.strip():
        raise QueryError(_("%(term)s: give a name."), term=term)


def parse(query: str) -> list[Term]:
    """Read a query into terms; `QueryError` names the first term that is wrong."""
    terms: list[Term] = []
    for word in query.split():
        if word == "all":
            terms.append(Term("all", ""))
            continue
        key, equals, value = word.partition("=")
        if not equals or key not in KEYS or key == "all":
            raise QueryError(
                _("%(term)s: unknown term; use %(keys)s."),
                term=word,
                keys=", ".join(KEYS),
            )
        _check(key, value)
        if key == "national_number":
            value = value.replace(".", "").replace("-", "")
        terms.append(Term(key, value))
    if not terms:
        raise QueryError(
            _("The query is empty; write 'all' to select every person you may see.")
        )
    return terms
