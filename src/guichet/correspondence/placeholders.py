"""Where placeholder values come from: a registry of sources, one per prefix.

Correspondence provides `person.*`, `agent.*`, `service.*`, `letter.*` and `free.*`.
Another app offers its own names without editing this module: it ships a module
`letter_placeholders.py` with `SOURCES`, a list of objects that have

- `prefix`: the first part of the names (`"debt"` for `{{ debt.balance }}`);
- `names`: a mapping from the rest of each name to a short description;
- `values(context)`: the values for one letter, a mapping from the same short names to
  text (or None when the value is unknown, which refuses the letter). A date
  (`datetime.date`, or an aware `datetime.datetime`, read in the local time zone) or
  an amount in euros (`decimal.Decimal`) may be given as such: it is written as the
  letter's language writes it (23 novembre 2026; 1.234,50 €).

`context` is a `LetterContext`; `context.references` maps a kind of object
(`"debt"`) to the id the letter was written about. The plug-in needs no import of
this app (apps of the same layer may not import each other), only these attributes.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.parties.models import AddressKind, PostalAddress

from . import fields, formatting


@dataclass(frozen=True)
class LetterContext:
    """Everything a source may read to fill in one letter."""

    language: str
    person: Any
    agent: Agent
    team: Any
    letterhead: Any
    date: dt.date
    number: str | None = None
    free_values: Mapping[str, str] = field(default_factory=dict)
    free_fields: Mapping[str, fields.FieldSpec] = field(default_factory=dict)
    references: Mapping[str, str] = field(default_factory=dict)


class PlaceholderSource(Protocol):
    @property
    def prefix(self) -> str: ...

    @property
    def names(self) -> Mapping[str, Any]: ...

    def values(self, context: LetterContext) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class Source:
    prefix: str
    names: Mapping[str, Any]
    compute: Callable[[LetterContext], Mapping[str, object]]

    def values(self, context: LetterContext) -> Mapping[str, object]:
        return self.compute(context)


def written(value: object, language: str) -> str | None:
    """A source's value as the letter writes it: dates and amounts in the
    letter's language, anything else as text; None stays unknown."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return formatting.letter_date(timezone.localtime(value).date(), language)
    if isinstance(value, dt.date):
        return formatting.letter_date(value, language)
    if isinstance(value, Decimal):
        return fields.amount_text(value, language)
    return str(value)


def postal_address(person: Any) -> PostalAddress | None:
    """The address letters go to: a postal address first, then the preferred one."""
    addresses = list(person.addresses.all())
    if not addresses:
        return None
    postal = [item for item in addresses if item.kind == AddressKind.POSTAL]
    preferred = [item for item in addresses if item.is_primary]
    chosen: PostalAddress = (postal or preferred or addresses)[0]
    return chosen


def recipient_lines(person: Any, language: str) -> list[str] | None:
    """The address block: title and name, then the bpost lines of the address."""
    address = postal_address(person)
    if address is None:
        return None
    title = formatting.address_title(person.sex, language)
    name = f"{title} {person.given_names} {person.surname}".strip()
    return [name, *address.formatted_lines()]


def _person(context: LetterContext) -> dict[str, str | None]:
    person = context.person
    address = postal_address(person)
    emails = list(person.emails.all())
    phones = list(person.phones.all())
    return {
        "given_names": person.given_names,
        "surname": person.surname,
        "full_name": person.full_name,
        "title": formatting.address_title(person.sex, context.language) or None,
        "salutation": formatting.salutation(
            person.sex, person.surname, context.language
        ),
        "birth_date": (
            formatting.letter_date(person.birth_date, context.language)
            if person.birth_date
            else None
        ),
        "national_number": (
            formatting.national_number(person.national_number)
            if person.national_number
            else None
        ),
        "address": "\n".join(address.formatted_lines()) if address else None,
        "street_line": address.formatted_lines()[0] if address else None,
        "postal_code": address.postal_code if address else None,
        "municipality": address.municipality if address else None,
        "email": emails[0].address if emails else None,
        "phone": phones[0].e164 if phones else None,
    }


def _agent(context: LetterContext) -> dict[str, str | None]:
    agent = context.agent
    return {
        "full_name": agent.get_full_name() or None,
        "first_name": agent.first_name or None,
        "last_name": agent.last_name or None,
        "email": agent.email or None,
    }


def _service(context: LetterContext) -> dict[str, str | None]:
    head = context.letterhead
    return {
        "name": head.name_in(context.language),
        "place": head.place_in(context.language),
        "address": head.address_lines.strip() or None,
        "phone": head.phone or None,
        "email": head.email or None,
        "website": head.website or None,
    }


def _letter(context: LetterContext) -> dict[str, str | None]:
    head = context.letterhead
    number = context.number or formatting.draft_number(head.prefix, context.date.year)
    return {
        "number": number,
        "date": formatting.letter_date(context.date, context.language),
    }


def _free(context: LetterContext) -> dict[str, str | None]:
    """The agent's values, written as the letter's language writes each declared
    type (a date, an amount...); a value that does not fit counts as missing."""
    values: dict[str, str | None] = {}
    for name, value in context.free_values.items():
        spec = context.free_fields.get(name)
        if spec is None:
            values[name] = value
            continue
        try:
            values[name] = fields.display(spec, value, context.language) or None
        except fields.InvalidValue:
            values[name] = None
    return values


FREE = "free"

BUILT_IN: tuple[Source, ...] = (
    Source(
        "person",
        {
            "given_names": _("given names"),
            "surname": _("surname"),
            "full_name": _("given names and surname"),
            "title": _("Madam or Sir, in the letter's language"),
            "salutation": _("opening of the letter, such as 'Dear Ms Peeters,'"),
            "birth_date": _("birth date"),
            "national_number": _("national register number, with dots"),
            "address": _("postal address, several lines"),
            "street_line": _("street, number and box"),
            "postal_code": _("postal code"),
            "municipality": _("municipality"),
            "email": _("preferred e-mail address"),
            "phone": _("preferred phone number"),
        },
        _person,
    ),
    Source(
        "agent",
        {
            "full_name": _("the writing agent's name"),
            "first_name": _("the writing agent's first name"),
            "last_name": _("the writing agent's last name"),
            "email": _("the writing agent's e-mail address"),
        },
        _agent,
    ),
    Source(
        "service",
        {
            "name": _("name of the service"),
            "place": _("the service's town"),
            "address": _("the service's postal address"),
            "phone": _("the service's phone"),
            "email": _("the service's e-mail address"),
            "website": _("the service's website"),
        },
        _service,
    ),
    Source(
        "letter",
        {"number": _("the letter's number"), "date": _("the letter's date")},
        _letter,
    ),
    Source(FREE, {}, _free),
)


@functools.cache
def discovered() -> tuple[PlaceholderSource, ...]:
    """The sources other apps ship in their `letter_placeholders` module (once)."""
    found: list[PlaceholderSource] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.letter_placeholders")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.letter_placeholders":
                raise
            continue
        found.extend(getattr(module, "SOURCES", ()))
    return tuple(found)


def sources() -> list[PlaceholderSource]:
    return [*BUILT_IN, *discovered()]


def by_prefix() -> dict[str, PlaceholderSource]:
    return {source.prefix: source for source in sources()}


def is_known(name: str) -> bool:
    prefix, _dot, rest = name.partition(".")
    source = by_prefix().get(prefix)
    if source is None:
        return False
    return prefix == FREE or rest in source.names


def free_field_names(names: Iterable[str]) -> list[str]:
    """The free fields among placeholder names (without the `free.` prefix)."""
    return list(
        dict.fromkeys(
            name.split(".", 1)[1] for name in names if name.startswith(f"{FREE}.")
        )
    )


def resolve(context: LetterContext, names: Iterable[str]) -> dict[str, str | None]:
    """The value of each name; None when no source knows it or has no value."""
    wanted = list(dict.fromkeys(names))
    prefixes = {name.split(".", 1)[0] for name in wanted}
    known = by_prefix()
    values_by_prefix: dict[str, Mapping[str, object]] = {
        prefix: known[prefix].values(context) for prefix in prefixes if prefix in known
    }
    result: dict[str, str | None] = {}
    for name in wanted:
        prefix, _dot, rest = name.partition(".")
        result[name] = written(
            values_by_prefix.get(prefix, {}).get(rest), context.language
        )
    return result


def catalogue() -> list[tuple[str, str]]:
    """Every placeholder name with its description, for the admin and the API."""
    return [
        (f"{source.prefix}.{name}", str(description))
        for source in sources()
        for name, description in source.names.items()
    ]
