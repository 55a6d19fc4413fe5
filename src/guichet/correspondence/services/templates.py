"""Reference data of correspondence: letter types, their templates, letterheads.

Administrators keep them (in the admin). Every template save is checked (syntax,
placeholders a source provides) and stored as a new immutable version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

import yaml

from guichet.access import policy
from guichet.access.domains.administration import Action as AdminAction
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import audit_record, changes
from guichet.core.validation import Problems, text
from guichet.core.versioning import check_version
from guichet.correspondence import placeholders, validation
from guichet.correspondence.errors import Code
from guichet.correspondence.models import (
    Letterhead,
    LetterTemplate,
    LetterTemplateVersion,
    LetterType,
    TypeKind,
)

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "letter_templates.yaml"
_PREFIX = re.compile(r"^[A-Z]{2,6}$")


def _require_admin(actor: Agent | None) -> None:
    """Administrators keep reference data; None is the installation itself (the
    command line, the demo), as for `agents.services.team_ensure`."""
    if actor is not None:
        policy.require(actor, AdminAction.REFERENCE_MANAGE)


def template_check(
    problems: Problems,
    *,
    kind: str,
    title: str,
    subject: str,
    body: str,
    fields: object = None,
) -> dict[str, Any]:
    """Clean and check a template's texts and its free fields' declarations; return
    them with the free fields found. Every free field the texts use is declared
    (its type and labels, `correspondence.fields`), and every declaration is used."""
    clean: dict[str, Any] = {
        "title": text(problems, "title", title, required=True, max_length=200),
        "subject": text(problems, "subject", subject, required=True, max_length=300),
        "body": text(
            problems, "body", body, required=True, max_length=20_000, multiline=True
        ),
    }
    names = validation.template_text(problems, "subject", clean["subject"]).names
    names += validation.template_text(
        problems, "body", clean["body"], allow_fields=kind == TypeKind.FORM
    ).names
    clean["free_fields"] = placeholders.free_field_names(names)
    clean["fields"] = validation.field_declarations(
        problems, fields, used=clean["free_fields"]
    )
    return clean


@transaction.atomic
def template_save(
    *,
    actor: Agent | None,
    letter_type: LetterType,
    language: str,
    title: str,
    subject: str,
    body: str,
    fields: object = None,
    is_active: bool = True,
    expected_version: int | None = None,
) -> LetterTemplate:
    """Create or change the template of a letter type in a language; a new version.

    `fields` declares the free fields (see `correspondence.fields`)."""
    _require_admin(actor)
    problems = Problems()
    if language not in Language.values:
        problems.add(
            "language",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    clean = template_check(
        problems,
        kind=letter_type.kind,
        title=title,
        subject=subject,
        body=body,
        fields=fields,
    )
    problems.raise_if_any()
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(letter_type=letter_type, language=language)
        .first()
    )
    if template is None:
        template = LetterTemplate.objects.create(
            letter_type=letter_type,
            language=language,
            title=clean["title"],
            subject=clean["subject"],
            body=clean["body"],
            fields=clean["fields"],
            is_active=is_active,
        )
        before: dict[str, Any] = {}
    else:
        if expected_version is not None:
            check_version(template, expected_version)
        before = {
            "title": template.title,
            "subject": template.subject,
            "body": template.body,
            "fields": template.fields,
            "is_active": template.is_active,
        }
        template.title, template.subject, template.body = (
            clean["title"],
            clean["subject"],
            clean["body"],
        )
        template.fields = clean["fields"]
        template.is_active = is_active
        template.version += 1
        template.save()
    LetterTemplateVersion.objects.create(
        template=template,
        number=template.version,
        title=clean["title"],
        subject=clean["subject"],
        body=clean["body"],
        free_fields=clean["free_fields"],
        fields=clean["fields"],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    after = {
        "title": template.title,
        "subject": template.subject,
        "body": template.body,
        "fields": template.fields,
        "is_active": template.is_active,
    }
    audit_record(
        actor=actor,
        action="letter_template.save",
        obj=template,
        summary={
            "letter_type": letter_type.code,
            "language": language,
            "version": template.version,
            "changes": changes(before, after),
        },
    )
    return template


@transaction.atomic
def letter_type_ensure(
    *,
    actor: Agent | None,
    code: str,
    name: str,
    kind: str = TypeKind.LETTER,
    description: str = "",
) -> LetterType:
    """Create a letter type, or return it unchanged if the code exists (idempotent)."""
    _require_admin(actor)
    letter_type, created = LetterType.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "description": description}
    )
    if created:
        audit_record(
            actor=actor,
            action="letter_type.create",
            obj=letter_type,
            summary={"code": code, "kind": kind},
        )
    return letter_type


def templates_load(*, actor: Agent | None, path: Path = SHIPPED) -> int:
    """Create the shipped letter types and templates that do not exist yet.

    Idempotent, and never overwrites a template an administrator changed.
    Returns how many templates were created.
    """
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    for entry in entries:
        letter_type = letter_type_ensure(
            actor=actor,
            code=entry["code"],
            name=entry["name"],
            kind=entry.get("kind", TypeKind.LETTER),
            description=entry.get("description", ""),
        )
        for language, texts in entry["templates"].items():
            if LetterTemplate.objects.filter(
                letter_type=letter_type, language=language
            ).exists():
                continue
            template_save(
                actor=actor,
                letter_type=letter_type,
                language=language,
                title=texts["title"],
                subject=texts["subject"],
                body=texts["body"],
                fields=entry.get("fields"),
            )
            created += 1
    return created


@transaction.atomic
def letterhead_ensure(
    *,
    actor: Agent | None,
    team: Team,
    prefix: str,
    names: Mapping[str, str],
    places: Mapping[str, str],
    address_lines: str,
    phone: str = "",
    email: str = "",
    website: str = "",
) -> Letterhead:
    """Give a service its letterhead and number prefix, unless it has one (idempotent)."""
    _require_admin(actor)
    existing = Letterhead.objects.filter(team=team).first()
    if existing is not None:
        return existing
    problems = Problems()
    if not _PREFIX.match(prefix):
        problems.add(
            "prefix",
            Code.INVALID_CHOICE,
            _("Give 2 to 6 capital letters, such as LEG."),
        )
    elif Letterhead.objects.filter(prefix=prefix).exists():
        problems.add(
            "prefix", Code.INVALID_CHOICE, _("Another service uses this prefix.")
        )
    for language in Language.values:
        text(
            problems,
            f"names.{language}",
            names.get(language),
            required=True,
            max_length=200,
        )
        text(
            problems,
            f"places.{language}",
            places.get(language),
            required=True,
            max_length=100,
        )
    problems.raise_if_any()
    head = Letterhead.objects.create(
        team=team,
        prefix=prefix,
        address_lines=address_lines.strip(),
        phone=phone,
        email=email,
        website=website,
        **{f"name_{language}": names[language] for language in Language.values},
        **{f"place_{language}": places[language] for language in Language.values},
    )
    audit_record(
        actor=actor,
        action="letterhead.create",
        obj=head,
        summary={"team": team.code, "prefix": prefix},
    )
    return head
