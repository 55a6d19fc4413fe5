"""The numbered receipt of a payment or a refund, as PDF/A.

Rendered through `correspondence.pdf` as letters and minutes are (PDF/A-3b, fonts
embedded, tagged), in the language asked (fr, nl, de or en): the counter and its
service, the receipt number, the day and time, the dossier's reference, the fee's
name in that language, the amount in figures with its currency, the means of
payment, the structured reference of a transfer, the agent; for a refund its
reason and the receipt it refunds. A receipt is drawn again from its append-only
row each time, so it never changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from guichet.casetypes.selectors import version_definition
from guichet.checks.ogm import formatted
from guichet.core.money import format_amount
from guichet.correspondence import content, pdf

from .models import Means, Payment, Refund

LANGUAGES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class Receipt:
    filename: str
    data: bytes


def _fee_name(payment: Payment, language: str) -> str:
    definition = version_definition(payment.fee.dossier.case_type_version)
    for fee in definition.fees:
        if fee.code == payment.fee.fee_code:
            return fee.names.get(language)
    return payment.fee.fee_code


def receipt_html(entry: Payment | Refund, language: str) -> str:
    payment = entry.payment if isinstance(entry, Refund) else entry
    with translation.override(language):
        context = {
            "language": language,
            "is_refund": isinstance(entry, Refund),
            "reference": entry.receipt_reference,
            "refunded_reference": payment.receipt_reference,
            "service": entry.counter.team.name,
            "counter": entry.counter.name,
            "when": timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M"),
            "dossier": payment.fee.dossier.reference,
            "fee": _fee_name(payment, language),
            "amount": format_amount(entry.amount),
            "currency": payment.currency,
            "means": Means(payment.means).label,
            "ogm": formatted(payment.ogm) if payment.ogm else "",
            "reason": entry.reason if isinstance(entry, Refund) else "",
            "agent": entry.recorded_by.get_full_name() or entry.recorded_by.username,
            "footer": content.css_string(
                f"{entry.counter.team.name}{content.SEPARATOR}{entry.receipt_reference}"
            ),
            "page_label": content.css_string(gettext("Page")),
        }
        return render_to_string("cashbook/pdf/receipt.html", context)


def receipt_render(entry: Payment | Refund, language: str) -> Receipt:
    """The receipt as a PDF/A document and its file name."""
    rendered = pdf.render_pdfa(receipt_html(entry, language))
    return Receipt(filename=f"{entry.receipt_reference}.pdf", data=rendered.data)
