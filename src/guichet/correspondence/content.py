"""A letter's texts, composed from its template, its values and the agent's edits.

`compose` returns the content a letter is printed from: letterhead, address block,
number, date line, subject, paragraphs and signature, every word already in the
letter's language. When a letter is issued this content is frozen on it, so the PDF
can be rendered again, identically worded, years later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from . import placeholders, templating
from .placeholders import LetterContext

ADDRESS = "person.address"
# The en dash between the parts of a line (service, phone, e-mail).
SEPARATOR = " \u2013 "


def labels(language: str) -> dict[str, str]:
    """The fixed words of the letter's layout, in its language."""
    with translation.override(language):
        return {
            "our_reference": pgettext("letter", "Our reference"),
            "contact": pgettext("letter", "Contact"),
            "subject": pgettext("letter", "Subject"),
            "page": pgettext("letter", "Page"),
            "draft": pgettext("letter", "DRAFT"),
            "enclosures": pgettext("letter", "Enclosures"),
        }


def place_date(place: str, date_text: str, language: str) -> str:
    with translation.override(language):
        return pgettext("letter date line", "%(place)s, %(date)s") % {
            "place": place,
            "date": date_text,
        }


@dataclass(frozen=True)
class Sources:
    """The texts a letter is written from: the template's and the agent's own."""

    template_subject: str | None
    template_body: str | None
    subject: str | None
    body: str | None

    @property
    def has_template(self) -> bool:
        return self.template_body is not None

    @property
    def subject_source(self) -> str:
        return self.subject if self.subject is not None else self.template_subject or ""

    @property
    def body_source(self) -> str:
        return self.body if self.body is not None else self.template_body or ""


@dataclass(frozen=True)
class Composed:
    content: dict[str, Any]
    is_changed: bool


def service_block(head: Any, language: str) -> dict[str, Any]:
    """The letterhead's texts in a language, as printed at the top of every page."""
    contact = [item for item in (head.phone, head.email, head.website) if item]
    return {
        "name": head.name_in(language),
        "lines": [
            line.strip() for line in head.address_lines.splitlines() if line.strip()
        ],
        "contact": contact,
        "footer": SEPARATOR.join([head.name_in(language), *contact]),
    }


def compose(*, context: LetterContext, sources: Sources, draft: bool) -> Composed:
    """Fill the letter in; raise `templating.MissingValues` listing every hole."""
    subject_parsed = templating.parse(sources.subject_source)
    body_parsed = templating.parse(sources.body_source)
    names = [*subject_parsed.names, *body_parsed.names]
    values = placeholders.resolve(context, names)
    recipient = placeholders.recipient_lines(context.person, context.language)
    missing = templating.missing_names(subject_parsed, values)
    missing += [
        name
        for name in templating.missing_names(body_parsed, values)
        if name not in missing
    ]
    if recipient is None and ADDRESS not in missing:
        missing.insert(0, ADDRESS)
    if missing:
        raise templating.MissingValues(missing)
    subject = " ".join(templating.render(subject_parsed, values).split())
    body = templating.render(body_parsed, values)
    letter_values = placeholders.resolve(
        context, ["letter.number", "letter.date", "agent.full_name"]
    )
    language = context.language
    content: dict[str, Any] = {
        "language": language,
        "service": service_block(context.letterhead, context.language),
        "recipient": recipient,
        "labels": labels(language),
        "number": letter_values["letter.number"],
        "contact": SEPARATOR.join(
            item
            for item in (context.agent.get_full_name(), context.agent.email)
            if item
        ),
        "place_date": place_date(
            context.letterhead.place_in(language),
            letter_values["letter.date"] or "",
            language,
        ),
        "subject": subject,
        "body": templating.paragraphs(body),
        "signature": [
            letter_values["agent.full_name"] or context.agent.get_username(),
            context.letterhead.name_in(language),
        ],
        "draft": draft,
    }
    return Composed(
        content=content, is_changed=_is_changed(context, sources, subject, body)
    )


def _is_changed(
    context: LetterContext, sources: Sources, subject: str, body: str
) -> bool:
    """Whether the agent's text says something else than the template would."""
    if not sources.has_template:
        return True
    if sources.subject is None and sources.body is None:
        return False
    template_subject = templating.parse(sources.template_subject or "")
    template_body = templating.parse(sources.template_body or "")
    values = placeholders.resolve(
        context, [*template_subject.names, *template_body.names]
    )
    try:
        expected_subject = templating.render(template_subject, values)
        expected_body = templating.render(template_body, values)
    except templating.MissingValues:
        return True
    return templating.normalised(expected_subject) != templating.normalised(
        subject
    ) or templating.normalised(expected_body) != templating.normalised(body)


def css_string(text: str) -> SafeString:
    """A CSS string literal that cannot close the string or the style element."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3C ")
        .replace("\n", "\\A ")
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped for CSS just above


def letter_html(content: dict[str, Any]) -> str:
    return render_to_string(
        "correspondence/pdf/letter.html",
        {
            "c": content,
            "footer": css_string(content["service"]["footer"]),
            "page_label": css_string(content["labels"]["page"]),
        },
    )


def form_html(
    *,
    language: str,
    title: str,
    service: dict[str, Any],
    paragraphs: list[list[list[templating.Segment]]],
) -> str:
    """A fillable form; PDF field names may not contain dots (they mean hierarchy)."""
    laid_out = [
        [
            [
                {
                    "text": segment.text,
                    "field": segment.field,
                    "kind": segment.kind,
                    "value": segment.value,
                    "pdf_name": segment.field.replace(".", "_"),
                }
                for segment in line
            ]
            for line in paragraph
        ]
        for paragraph in paragraphs
    ]
    with translation.override(language):
        page = pgettext("letter", "Page")
    return render_to_string(
        "correspondence/pdf/form.html",
        {
            "language": language,
            "title": title,
            "service": service,
            "paragraphs": laid_out,
            "footer": css_string(service["footer"]),
            "page_label": css_string(page),
        },
    )
