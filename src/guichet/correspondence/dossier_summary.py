"""The PDF/A summary of a dossier's export package (`dossiers.export`).

`dossiers` sits below this app: it composes the sheet (`hooks.SummarySheet`, its
texts already in the sheet's language) and asks for it to be drawn through
`hooks.summary_renderers`, which this app fills at start-up. Drawn as letters,
minutes and receipts are (`pdf.render_pdfa`: PDF/A-3b, fonts embedded, tagged).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from guichet.dossiers.hooks import SummarySheet

from . import content, pdf


def summary_html(sheet: SummarySheet) -> str:
    with translation.override(sheet.language):
        return render_to_string(
            "correspondence/pdf/dossier_summary.html",
            {
                "sheet": sheet,
                "footer": content.css_string(sheet.footer),
                "page_label": content.css_string(pgettext("letter", "Page")),
            },
        )


def summary_pdf(sheet: SummarySheet) -> bytes:
    return pdf.render_pdfa(summary_html(sheet)).data
