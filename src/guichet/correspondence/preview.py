"""Previews of templates with invented sample data (administrators see no citizen data).

The sample person is not in the database; free fields show their label (or their
name), so the administrator sees where each one lands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.parties.models import AddressKind, EmailAddress, PhoneNumber, PostalAddress

from . import content, fields, pdf, placeholders, templating
from .models import Letterhead, TypeKind


@dataclass
class _Related:
    rows: list[Any]

    def all(self) -> list[Any]:
        return self.rows


@dataclass
class SamplePerson:
    given_names: str = "Marie"
    surname: str = "Exemple"
    sex: str = "F"
    language: str = "fr"
    birth_date: Any = None
    national_number: str | None = "90051700283"
    confidential_team_id: int | None = None
    addresses: _Related = field(
        default_factory=lambda: _Related(
            [
                PostalAddress(
                    kind=AddressKind.RESIDENCE,
                    street="Rue de la Loi",
                    house_number="16",
                    postal_code="1000",
                    municipality="Bruxelles",
                    is_primary=True,
                )
            ]
        )
    )
    emails: _Related = field(
        default_factory=lambda: _Related(
            [EmailAddress(address="marie.exemple@example.be")]
        )
    )
    phones: _Related = field(
        default_factory=lambda: _Related([PhoneNumber(e164="+32470123456")])
    )

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"


def template_preview(
    *,
    kind: str,
    language: str,
    subject: str,
    body: str,
    head: Letterhead,
    agent: Agent,
    declared: Mapping[str, Any] | None = None,
) -> pdf.Rendered:
    """The template filled with sample data, as the PDF an agent would get (DRAFT);
    each free field shows its label (`declared`) or its name, in brackets."""
    import datetime as dt

    person = SamplePerson(language=language, birth_date=dt.date(1990, 5, 17))
    labels = fields.specs(declared)
    parsed_subject = templating.parse(subject)
    parsed_body = templating.parse(body, allow_fields=kind == TypeKind.FORM)
    free = placeholders.free_field_names([*parsed_subject.names, *parsed_body.names])
    context = placeholders.LetterContext(
        language=language,
        person=person,
        agent=agent,
        team=head.team,
        letterhead=head,
        date=clock.today(),
        free_values={
            name: f"[{labels[name].label_in(language) if name in labels else name}]"
            for name in free
        },
    )
    if kind == TypeKind.FORM:
        names = [*parsed_body.names, *(item.name for item in parsed_body.fields)]
        html = content.form_html(
            language=language,
            title=subject,
            service=content.service_block(head, language),
            paragraphs=templating.form_segments(
                parsed_body, placeholders.resolve(context, names)
            ),
        )
        return pdf.render_form(html)
    composed = content.compose(
        context=context,
        sources=content.Sources(subject, body, None, None),
        draft=True,
    )
    return pdf.render_pdfa(content.letter_html(composed.content))
