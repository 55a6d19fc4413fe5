"""The PDF/A of a meeting's minutes, rendered here as letters are.

The minutes and their actions live in `agenda` (issue #17), above correspondence:
the agenda freezes what the minutes say (`minutes_labels`, the dates written by
`formatting.letter_date`) and asks this module for the document; nothing here
reads the agenda's tables.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from . import content, pdf


def minutes_labels(language: str) -> dict[str, str]:
    """The headings of the minutes' document, in their language."""
    with translation.override(language):
        return {
            "minutes": pgettext("minutes", "Minutes"),
            "date": pgettext("minutes", "Date"),
            "place": pgettext("minutes", "Place"),
            "author": pgettext("minutes", "Written by"),
            "attendees": pgettext("minutes", "Present"),
            "absentees": pgettext("minutes", "Excused"),
            "agenda": pgettext("minutes", "Agenda"),
            "decisions": pgettext("minutes", "Decisions"),
            "actions": pgettext("minutes", "Actions"),
            "action": pgettext("minutes", "Action"),
            "owner": pgettext("minutes", "Who"),
            "due": pgettext("minutes", "By"),
            "none": pgettext("minutes", "None."),
            "page": pgettext("letter", "Page"),
        }


def minutes_html(frozen: dict[str, Any]) -> str:
    return render_to_string(
        "correspondence/pdf/minutes.html",
        {
            "c": frozen,
            "footer": content.css_string(
                f"{frozen['service']['name']}{content.SEPARATOR}{frozen['title']}"
            ),
            "page_label": content.css_string(frozen["labels"]["page"]),
        },
    )


def minutes_render(frozen: dict[str, Any]) -> pdf.Rendered:
    """The minutes frozen in `frozen` as PDF/A-3b."""
    return pdf.render_pdfa(minutes_html(frozen))
