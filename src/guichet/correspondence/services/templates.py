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
from guichet.contacts.models import Topic
from guichet.core.validation import Problems, text
from guichet.core.versioning import check_version
from guichet.correspondence import archive, placeholders, validation
from guichet.correspondence.errors import Code
from guichet.correspondence.models import (
    Brochure,
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
    topic: str | None = None,
    is_standard: bool = True,
) -> LetterType:
    """Create a letter type, or return it unchanged if the code exists (idempotent).

    `topic` (a shared topic's code) makes it a standard answer on that topic;
    `is_standard` off marks a frame whose text is the agent's own."""
    _require_admin(actor)
    topic_row = None
    if topic:
        topic_row = Topic.objects.filter(code=topic, team__isnull=True).first()
        if topic_row is None:
            problems = Problems()
            problems.add(
                "topic",
                Code.INVALID_CHOICE,
                _("There is no shared topic %(topic)s."),
                topic=topic,
            )
            problems.raise_if_any()
    letter_type, created = LetterType.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "description": description,
            "topic": topic_row,
            "is_standard": is_standard,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="letter_type.create",
            obj=letter_type,
            summary={
                "code": code,
                "kind": kind,
                "topic": topic or None,
                "is_standard": is_standard,
            },
        )
    return letter_type


BROCHURE_MAX = 10 * 1024 * 1024
# What may go with a letter: documents a citizen opens anywhere.
BROCHURE_TYPES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
BROCHURE_EXTENSION = "brochure"


@transaction.atomic
def brochure_add(
    *,
    actor: Agent | None,
    letter_type: LetterType,
    title: str,
    filename: str,
    data: bytes,
    language: str = "",
) -> Brochure:
    """Send a file with every letter of a type (a standard answer's brochure), in
    one language or all of them. The bytes are archived by their hash; the type is
    read from the bytes themselves (PDF, PNG or JPEG), never from the name."""
    _require_admin(actor)
    problems = Problems()
    clean_title = text(problems, "title", title, required=True, max_length=200)
    clean_name = text(problems, "filename", filename, required=True, max_length=200)
    if language and language not in Language.values:
        problems.add(
            "language",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    media_type = next(
        (kind for kind, magic in BROCHURE_TYPES.items() if data.startswith(magic)),
        None,
    )
    if len(data) > BROCHURE_MAX:
        problems.add(
            "file",
            Code.FILE_TOO_LARGE,
            _("The file is larger than %(max)d MB."),
            max=BROCHURE_MAX // (1024 * 1024),
        )
    elif media_type is None:
        problems.add(
            "file",
            Code.INVALID_FILE,
            _("Send a PDF, PNG or JPEG file with letters."),
        )
    problems.raise_if_any()
    stored = archive.store(data, BROCHURE_EXTENSION)
    brochure = Brochure.objects.create(
        letter_type=letter_type,
        language=language,
        title=clean_title,
        filename=clean_name.replace("/", "-").replace("\\", "-"),
        media_type=str(media_type),
        sha256=stored.sha256,
        size=stored.size,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="brochure.add",
        obj=brochure,
        summary={
            "letter_type": letter_type.code,
            "language": language or None,
            "title": clean_title,
            "sha256": stored.sha256,
            "size": stored.size,
        },
    )
    return brochure


@transaction.atomic
def brochure_withdraw(*, actor: Agent | None, brochure: Brochure) -> Brochure:
    """Stop sending a brochure with new letters; issued letters keep theirs."""
    _require_admin(actor)
    if brochure.is_active:
        brochure.is_active = False
        brochure.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="brochure.withdraw",
            obj=brochure,
            summary={"letter_type": brochure.letter_type.code, "title": brochure.title},
        )
    return brochure


def templates_load(*, actor: Agent | None, path: Path = SHIPPED) -> int:
    """Create the shipped letter types and templates that do not exist yet.

    Idempotent, and never overwrites a template an administrator changed.
    Returns how many templates were created.
    """
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    for entry in entries:
        topic = entry.get("topic")
        if topic and not Topic.objects.filter(code=topic, team__isnull=True).exists():
            # A standard answer on a topic this installation does not have (an
            # administrator removed it): nothing to offer it on.
            continue
        letter_type = letter_type_ensure(
            actor=actor,
            code=entry["code"],
            name=entry["name"],
            kind=entry.get("kind", TypeKind.LETTER),
            description=entry.get("description", ""),
            topic=entry.get("topic"),
            is_standard=entry.get("standard", True),
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
