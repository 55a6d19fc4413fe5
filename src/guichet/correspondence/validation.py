"""Checks of template texts and free-field values, reported as field errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent, Team
from guichet.core.validation import Problems

from . import fields, placeholders, templating
from .errors import Code
from .models import Letterhead

_SYNTAX_MESSAGES = {
    "bad_markup": _(
        "Line %(line)d: %(markup)s is not allowed here; write a placeholder as "
        "{{ person.surname }}."
    ),
    "unknown_filter": _(
        "Line %(line)d: there is no filter %(markup)s; use upper, lower or capfirst."
    ),
    "field_outside_form": _(
        "Line %(line)d: %(markup)s is a form field; form fields belong in forms only."
    ),
}


def template_text(
    problems: Problems, field: str, value: str, *, allow_fields: bool = False
) -> templating.Parsed:
    """Parse a text with placeholders; report bad markup and names no source provides."""
    parsed = templating.parse(value, allow_fields=allow_fields)
    for problem in parsed.problems:
        problems.add(
            field,
            Code.TEMPLATE_SYNTAX,
            _SYNTAX_MESSAGES[problem.code],
            line=problem.line,
            markup=problem.text,
        )
    reported: set[str] = set()
    for placeholder in parsed.placeholders:
        if placeholder.name in reported or placeholders.is_known(placeholder.name):
            continue
        reported.add(placeholder.name)
        problems.add(
            field,
            Code.UNKNOWN_PLACEHOLDER,
            _("Line %(line)d: no data source provides %(name)s."),
            line=placeholder.line,
            name=placeholder.name,
        )
    return parsed


def field_declarations(
    problems: Problems, raw: object, *, used: list[str], field: str = "fields"
) -> dict[str, dict[str, Any]]:
    """Check a template's free-field declarations against the free fields its texts
    use: each one declared, and nothing declared that no text uses."""
    clean, mistakes = fields.declarations(raw)
    for mistake in mistakes:
        problems.add(
            f"{field}.{mistake.path}" if mistake.path else field,
            Code.INVALID_DECLARATION,
            mistake.message,
            **mistake.params,
        )
    if mistakes:
        return clean
    for name in used:
        if name not in clean:
            problems.add(
                f"{field}.{name}",
                Code.INVALID_DECLARATION,
                _(
                    "The text uses the free field free.%(name)s: declare its type and "
                    "its label in fr, nl, de and en."
                ),
                name=name,
            )
    for name in clean:
        if name not in used:
            problems.add(
                f"{field}.{name}",
                Code.INVALID_DECLARATION,
                _("No text uses the free field free.%(name)s: remove its declaration."),
                name=name,
            )
    return clean


def free_values(
    problems: Problems,
    values: Mapping[str, object],
    allowed: list[str],
    declared: Mapping[str, fields.FieldSpec] | None = None,
) -> dict[str, str]:
    """Clean the agent's free-field values: known names, each fitting its declared
    type (a free field of the agent's own text is a text); canonical values."""
    clean: dict[str, str] = {}
    for name, raw in values.items():
        field = f"free_values.{name}"
        if name not in allowed:
            problems.add(
                field,
                Code.UNKNOWN_FREE_FIELD,
                _(
                    "This letter has no free field %(name)s; its free fields are: %(allowed)s."
                ),
                name=name,
                allowed=", ".join(allowed) or "-",
            )
            continue
        spec = (declared or {}).get(name) or fields.undeclared(name)
        try:
            value = fields.parse(spec, raw)
        except fields.InvalidValue as invalid:
            problems.add(field, Code.INVALID_VALUE, invalid.message, **invalid.params)
            continue
        if value:
            clean[name] = value
    return clean


def stored_free_values(
    problems: Problems,
    values: Mapping[str, object],
    declared: Mapping[str, fields.FieldSpec],
) -> None:
    """Report the stored values that do not fit their declared type (a draft written
    before its template typed its fields), naming each field."""
    for name, spec in declared.items():
        if name not in values:
            continue
        try:
            fields.parse(spec, values[name])
        except fields.InvalidValue as invalid:
            problems.add(
                f"free_values.{name}",
                Code.INVALID_VALUE,
                invalid.message,
                **invalid.params,
            )


def team_of(
    problems: Problems, actor: Agent, code: str | None, field: str = "team"
) -> Team | None:
    """The service the agent acts for: the one named, or their only one."""
    teams = list(
        Team.objects.filter(pk__in=actor.team_ids, is_active=True).order_by("code")
    )
    if code:
        chosen = next((team for team in teams if team.code == code), None)
        if chosen is None:
            problems.add(
                field,
                Code.NOT_YOUR_TEAM,
                _("You do not work in the service %(team)s."),
                team=code,
            )
        return chosen
    if len(teams) == 1:
        return teams[0]
    problems.add(
        field,
        Code.REQUIRED,
        _("Choose the service you act for: %(teams)s."),
        teams=", ".join(team.code for team in teams) or "-",
    )
    return None


def letterhead_of(
    problems: Problems, team: Team | None, field: str = "team"
) -> Letterhead | None:
    if team is None:
        return None
    head = Letterhead.objects.filter(team=team).first()
    if head is None:
        problems.add(
            field,
            Code.NO_LETTERHEAD,
            _(
                "The service %(team)s has no letterhead yet; an administrator sets it up in "
                "the admin (Correspondence, letterheads)."
            ),
            team=team.code,
        )
    return head
