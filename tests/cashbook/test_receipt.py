"""The numbered receipt: PDF/A, in four languages, with what it must say."""

from __future__ import annotations

import io

import pikepdf
import pytest

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.cashbook import receipt, selectors, services
from guichet.cashbook.models import Counter
from guichet.core.errors import NotFound
from guichet.correspondence import pdfcheck
from guichet.dossiers.models import DossierFee


def test_a_transfer_receipt_is_pdfa_and_says_everything(
    clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount="20", means="transfer"
    )

    html = receipt.receipt_html(payment, "nl")
    got = selectors.receipt_for_agent(
        agent=clerk, kind="payment", key=payment.uuid, language="nl"
    )

    assert payment.receipt_reference in html
    assert "20.00 EUR" in html
    assert fee.dossier.reference in html
    assert "Retributie voor legalisatie of apostille" in html
    assert f"+++{payment.ogm[:3]}/{payment.ogm[3:7]}/{payment.ogm[7:]}+++" in html
    assert got.filename == f"{payment.receipt_reference}.pdf"
    assert pdfcheck.inspect(got.data).is_pdfa_3b
    with pikepdf.open(io.BytesIO(got.data)) as document:
        assert len(document.pages) == 1
    assert AuditEvent.objects.filter(action="cashbook.payment_read").count() == 1


@pytest.mark.parametrize(
    ("language", "word"),
    [("fr", "Reçu"), ("nl", "Ontvangstbewijs"), ("de", "Quittung"), ("en", "Receipt")],
)
def test_receipt_speaks_each_language(
    clerk: Agent, counter: Counter, fee: DossierFee, language: str, word: str
) -> None:
    payment = services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount="20", means="cash"
    )
    assert word in receipt.receipt_html(payment, language)


def test_refund_receipt_names_its_reason_and_payment(
    clerk: Agent, senior_clerk: Agent, counter: Counter, fee: DossierFee
) -> None:
    payment = services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount="20", means="card"
    )
    refund = services.refund_record(
        actor=senior_clerk, payment=payment, amount="20", reason="Dossier withdrawn"
    )

    html = receipt.receipt_html(refund, "en")

    assert "Refund receipt" in html
    assert "Dossier withdrawn" in html
    assert payment.receipt_reference in html


def test_receipt_of_another_team_or_language_is_not_found(
    clerk: Agent, counter: Counter, fee: DossierFee, agent_in: object
) -> None:
    payment = services.payment_record(
        actor=clerk, counter=counter, fee=fee, amount="20", means="cash"
    )
    other = agent_in("front_office", "C", "visas")  # type: ignore[operator]
    with pytest.raises(NotFound):
        selectors.receipt_for_agent(
            agent=other, kind="payment", key=payment.uuid, language="fr"
        )
    with pytest.raises(NotFound):
        selectors.receipt_for_agent(
            agent=clerk, kind="payment", key=payment.uuid, language="es"
        )
