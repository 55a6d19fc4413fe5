"""A creditor's statement of account, as PDF/A.

Rendered through `correspondence.pdf` as letters, minutes and the cash book's
receipts are (PDF/A-3b, fonts embedded, tagged), in the language asked (fr, nl, de
or en): the payment office, the person and their national number, the creditor,
then each of the person's debts to that creditor with its reference, notice,
status, every ledger entry and its balance, and the total still due on the day.
Drawn from the ledger each time: entries are append-only, so a statement for a day
says what the ledger said on that day, and a posted month never changes in it.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.core.errors import NotFound
from guichet.core.money import format_amount
from guichet.correspondence import content, pdf

from .models import Debt, DebtKind, DebtStatus, EntryKind
from .selectors import CreditorStatement, creditor_statement_for_agent

LANGUAGES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class Statement:
    filename: str
    data: bytes


def _debt(debt: Debt) -> dict[str, object]:
    return {
        "kind": DebtKind(debt.kind).label,
        "reference": debt.reference,
        "notified_on": debt.notified_on.strftime("%d/%m/%Y"),
        "notice": debt.notice_mail.number if debt.notice_mail else "",
        "status": DebtStatus(debt.status).label,
        "entries": [
            {
                "booked_on": entry.booked_on.strftime("%d/%m/%Y"),
                "kind": EntryKind(entry.kind).label,
                "period": entry.period,
                "amount": format_amount(entry.amount),
            }
            for entry in debt.entries.all()
        ],
        "balance": format_amount(debt.balance),  # type: ignore[attr-defined]  # annotated by with_balance
    }


def statement_html(statement: CreditorStatement, language: str) -> str:
    person = statement.person
    creditor = statement.creditor_name or statement.team.name
    with translation.override(language):
        title = gettext("Statement of account")
        context = {
            "language": language,
            "title": title,
            "service": statement.team.name,
            "person": person.full_name,
            "national_number": person.national_number,
            "creditor": creditor,
            "on": statement.on.strftime("%d/%m/%Y"),
            "debts": [_debt(debt) for debt in statement.debts],
            "total": format_amount(statement.total),
            "footer": content.css_string(
                f"{statement.team.name}{content.SEPARATOR}{title}"
            ),
            "page_label": content.css_string(gettext("Page")),
        }
        return render_to_string("debts/pdf/statement.html", context)


def statement_filename(statement: CreditorStatement) -> str:
    creditor = slugify(statement.creditor_name or statement.team.code)[:40]
    return f"statement-{creditor or 'creditor'}-{statement.on.isoformat()}.pdf"


def statement_render(statement: CreditorStatement, language: str) -> Statement:
    """The statement as a PDF/A document and its file name."""
    rendered = pdf.render_pdfa(statement_html(statement, language))
    return Statement(filename=statement_filename(statement), data=rendered.data)


def statement_for_agent(
    *, agent: Agent, debt_id: str | uuid_module.UUID, language: str | None = None
) -> Statement:
    """The statement of the creditor of `debt_id`, in `language` (by default the
    person's); `NotFound` for a debt the agent does not see or another language."""
    if language is not None and language not in LANGUAGES:
        raise NotFound(_("No such statement."))
    found = creditor_statement_for_agent(agent=agent, debt_id=debt_id)
    chosen = language or found.person.language
    return statement_render(found, chosen if chosen in LANGUAGES else "fr")
