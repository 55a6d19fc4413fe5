"""The demo counter of the consular post and a day of payments, built through the
services: three legalisation dossiers taken to their payment step, their 20-euro
fees paid at the counter in cash, by card and by transfer, and part of one given
back with its reason. The day is left open, for the closing screen to show."""

from __future__ import annotations

from guichet.agents.models import Agent, Team
from guichet.cashbook import services
from guichet.cashbook.models import Counter
from guichet.dossiers import services as dossier_services
from guichet.dossiers.models import DossierFee
from guichet.parties.models import Person

from .dossiers import _hand_in, _step

COUNTER_CODE = "consular-1"
# (person index among the demo persons, means, amount); the fee is 20.00 EUR.
PAYMENTS = [(5, "cash", "20.00"), (6, "card", "20.00"), (7, "transfer", "20.00")]


def build(agents: dict[str, Agent], persons: list[Person]) -> int:
    """Make the counter and its day once; return how many payments were taken."""
    team = Team.objects.get(code="legalisations")
    if Counter.objects.filter(team=team, code=COUNTER_CODE).exists():
        return 0
    counter = services.counter_create(
        actor=agents["supervisor.consular"],
        team=team,
        code=COUNTER_CODE,
        name="Consular post, counter 1",
    )
    clerk = agents["front.legal"]
    taken = 0
    payments = []
    for index, means, amount in PAYMENTS:
        dossier = dossier_services.dossier_open(
            actor=clerk,
            case_type="consular-legalisation",
            applicant=persons[index],
            facts={"document_language": "fr"},
        )
        _hand_in(clerk, dossier, frozenset())
        for code in ("conclude_complete", "request_payment"):
            dossier = _step(clerk, dossier, code)
        fee = DossierFee.objects.get(dossier=dossier)
        payments.append(
            services.payment_record(
                actor=clerk, counter=counter, fee=fee, amount=amount, means=means
            )
        )
        taken += 1
    services.refund_record(
        actor=clerk,
        payment=payments[1],
        amount="20.00",
        reason="The citizen withdrew the request before the legalisation.",
    )
    return taken
