"""Composing a letter: its current template, the values of its placeholders, its
content. Reads only, shared by the services (which number and store) and the
selectors (which preview)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.core.validation import Problems
from guichet.correspondence import (
    content,
    fields,
    placeholders,
    templating,
    validation,
)
from guichet.correspondence.errors import (
    Code,
    missing_values,
)
from guichet.correspondence.models import (
    Brochure,
    Letter,
    Letterhead,
    LetterTemplate,
    LetterTemplateVersion,
    TypeKind,
)
from guichet.parties.models import Person


def template_current(
    problems: Problems, code: str, language: str, *, kind: str = TypeKind.LETTER
) -> LetterTemplateVersion | None:
    """The current version of an active template of this type in this language."""
    templates = LetterTemplate.objects.select_related("letter_type").filter(
        letter_type__code=code,
        letter_type__is_active=True,
        letter_type__kind=kind,
        is_active=True,
    )
    template = templates.filter(language=language).first()
    if template is None:
        languages = sorted(templates.values_list("language", flat=True))
        if languages:
            problems.add(
                "language",
                Code.NO_TEMPLATE_IN_LANGUAGE,
                _("The letter %(letter_type)s exists in %(languages)s only."),
                letter_type=code,
                languages=", ".join(languages),
            )
        else:
            problems.add(
                "letter_type",
                Code.UNKNOWN_LETTER_TYPE,
                _("There is no letter type %(letter_type)s."),
                letter_type=code,
            )
        return None
    return template.versions.get(number=template.version)


def declared_fields(
    version: LetterTemplateVersion | None,
) -> dict[str, fields.FieldSpec]:
    """The free fields the letter's template version declares (none without one)."""
    return fields.specs(version.fields) if version is not None else {}


def context_for(
    letter: Letter,
    *,
    number: str | None = None,
    date: dt.date | None = None,
    head: Letterhead | None = None,
) -> placeholders.LetterContext:
    person = (
        Person.objects.prefetch_related("addresses", "emails", "phones")
        .select_related("confidential_team")
        .get(pk=letter.person_id)
    )
    return placeholders.LetterContext(
        language=letter.language,
        person=person,
        agent=letter.author,
        team=letter.team,
        letterhead=head or Letterhead.objects.get(team_id=letter.team_id),
        date=date or clock.today(),
        number=number,
        free_values=dict(letter.free_values),
        free_fields=declared_fields(letter.template_version),
        references={ref.kind: ref.object_id for ref in letter.references.all()},
    )


def sources_of(letter: Letter) -> content.Sources:
    version = letter.template_version
    return content.Sources(
        template_subject=version.subject if version else None,
        template_body=version.body if version else None,
        subject=letter.subject_text,
        body=letter.body_text,
    )


def compose(
    letter: Letter,
    *,
    draft: bool,
    number: str | None = None,
    date: dt.date | None = None,
) -> content.Composed:
    """The letter's content; refuses a free value that does not fit its type
    (naming the field), and lists the placeholders that have no value."""
    problems = Problems()
    validation.stored_free_values(
        problems, letter.free_values, declared_fields(letter.template_version)
    )
    if problems.errors:
        raise ValidationFailed(
            _(
                "Some free fields do not fit their type, so the letter cannot be "
                "written; correct them. Nothing was saved."
            ),
            code=Code.INVALID_VALUE,
            errors=problems.errors,
        )
    try:
        return content.compose(
            context=context_for(letter, number=number, date=date),
            sources=sources_of(letter),
            draft=draft,
        )
    except templating.MissingValues as missing:
        raise missing_values(missing.names) from None


def brochures_of(version: LetterTemplateVersion | None) -> list[dict[str, object]]:
    """What goes with a letter of this template's type in its language (issue #15,
    item 3: a standard answer's brochures), as frozen in the issued letter: its
    title, file name, media type and the hash of its archived bytes."""
    if version is None:
        return []
    template = version.template
    return [
        {
            "title": item.title,
            "filename": item.filename,
            "media_type": item.media_type,
            "sha256": item.sha256,
            "size": item.size,
        }
        for item in Brochure.objects.filter(
            letter_type_id=template.letter_type_id,
            language__in=["", template.language],
            is_active=True,
        )
    ]
