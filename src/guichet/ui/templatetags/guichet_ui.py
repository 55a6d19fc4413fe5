"""Template tags of the agent workspace: navigation, and identifiers as agents read them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest
from django.utils.formats import date_format

import phonenumbers

from guichet.parties.models import Person, PostalAddress
from guichet.ui import search, workspace

register = template.Library()

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@register.simple_tag(takes_context=True)
def nav_sections(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections the agent may use, each marked current when the page is in it."""
    request: HttpRequest | None = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    sections = workspace.sections_for(request.user)
    # The section whose address is the longest start of the page's: /agenda/presence/
    # is in Presence, not also in the Agenda at /agenda/.
    matching = [
        section.url
        for section in sections
        if request.path == section.url
        or (section.url != "/home/" and request.path.startswith(section.url))
    ]
    current = max(matching, key=len, default=None)
    return [
        {"section": section, "url": section.url, "current": section.url == current}
        for section in sections
    ]


@register.simple_tag(takes_context=True)
def search_available(context: dict[str, Any]) -> bool:
    """Whether the global search box is for this agent (it answers 403 otherwise)."""
    request: HttpRequest | None = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return search.available_to(request.user)


@register.filter
def history_value(value: Any) -> Any:
    """A value of a recorded change: a date kept as YYYY-MM-DD reads d/m/Y, as
    everywhere else on screen."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date_format(dt.date.fromisoformat(value), "d/m/Y")
    return value


@register.filter
def national_number(value: str | None) -> str:
    """85073003328 -> 85.07.30-033.28, the way it is printed on an identity card."""
    if not value or len(value) != 11 or not value.isdigit():
        return value or ""
    return f"{value[0:2]}.{value[2:4]}.{value[4:6]}-{value[6:9]}.{value[9:11]}"


@register.filter
def enterprise_number(value: str | None) -> str:
    """0403170701 -> 0403.170.701, as the Crossroads Bank for Enterprises prints it."""
    if not value or len(value) != 10 or not value.isdigit():
        return value or ""
    return f"{value[0:4]}.{value[4:7]}.{value[7:10]}"


@register.filter
def phone(value: str | None) -> str:
    """+32470123456 -> +32 470 12 34 56 (international format, readable aloud)."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return str(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )


@register.filter
def person_field_label(name: str) -> str:
    """The translated label of a person's field, as the audit trail names it
    (`address`: a postal address changed in place)."""
    if name == "address":
        return str(PostalAddress._meta.verbose_name)
    try:
        field = Person._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))
