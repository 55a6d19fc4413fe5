"""The demo counter of the consular post and a day of payments, built through the
services: three legalisation dossiers taken to their payment step, their 20-euro
fees paid at the counter in cash, by card and by transfer, and part of one given
back with its reason. The day is left open, for the closing screen to show. The
passport and visa desks have a counter each too: their fees are paid there, never
marked paid on the dossier."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.files.base import ContentFile

from guichet.agents.models import Agent, Team
from guichet.cashbook import services
from guichet.cashbook.models import Counter
from guichet.checks.mrz import check_digit
from guichet.core import clock
from guichet.documents.services import DocumentDetails, document_upload, document_verify
from guichet.dossiers import services as dossier_services
from guichet.dossiers.models import Dossier, DossierFee
from guichet.parties.models import Person

from .correspondence import _blank_scan
from .dossiers import _hand_in, _step

COUNTER_CODE = "consular-1"
# (team, code, name) of the other desks' counters, without payments.
OTHER_COUNTERS = [
    ("travel-documents", "passports-1", "Consular post, passports counter"),
    ("visas", "visas-1", "Consular post, visas counter"),
]
# (means, amount) of each payment; the fee is 20.00 EUR.
PAYMENTS = [("cash", "20.00"), ("card", "20.00"), ("transfer", "20.00")]


def _mrz_text(text: str) -> str:
    """A name as the zone writes it: no accents, upper case, "<" between words."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "<".join(plain.upper().split())


def _pad(text: str, width: int) -> str:
    return (text + "<" * width)[:width]


def identity_card_zone(person: Person, number: str, expiry: dt.date) -> list[str]:
    """The three lines of a TD1 identity card's zone (ICAO 9303 part 5) for a demo
    person, with their check digits, so the document's MRZ check passes."""
    document = _pad(number, 9)
    line1 = _pad("IDBEL" + document + check_digit(document), 30)
    birth = person.birth_date.strftime("%y%m%d") if person.birth_date else "<<<<<<"
    ends = expiry.strftime("%y%m%d")
    sex = person.sex if person.sex in {"M", "F"} else "<"
    line2 = (
        birth + check_digit(birth) + sex + ends + check_digit(ends) + "BEL" + "<" * 11
    )
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    names = _mrz_text(person.surname) + "<<" + _mrz_text(person.given_names)
    return [line1, line2, _pad(names, 30)]


def _simple(person: Person) -> bool:
    """A person whose names the zone writes without transliteration doubts."""
    return (
        person.confidential_team_id is None
        and person.birth_date is not None
        and all(part.isalpha() for part in person.surname.split())
        # No letter lost to transliteration (a dotless i has no ASCII form).
        and len(_mrz_text(person.surname).replace("<", ""))
        == len(person.surname.replace(" ", ""))
    )


def _identity_checked(agent: Agent, dossier: Dossier, index: int) -> None:
    person = dossier.person
    assert person is not None  # noqa: S101 - opened for a person just above
    expiry = clock.today() + dt.timedelta(days=3 * 365)
    number = f"DM{index:07d}"
    document = document_upload(
        actor=agent,
        person_id=person.uuid,
        file=ContentFile(_blank_scan(), name="applicant_identity.pdf"),
        details=DocumentDetails(
            document_type="identity_card",
            document_number=number,
            expires_on=expiry,
            dossier_reference=dossier.reference,
            dossier_item="applicant_identity",
        ),
    )
    document_verify(
        actor=agent,
        document_id=document.uuid,
        kind="mrz",
        values=identity_card_zone(person, number, expiry),
    )


def build(agents: dict[str, Agent], persons: list[Person]) -> int:
    """Make the counter and its day once; return how many payments were taken."""
    team = Team.objects.get(code="legalisations")
    if Counter.objects.filter(team=team, code=COUNTER_CODE).exists():
        return 0
    for team_code, code, name in OTHER_COUNTERS:
        services.counter_create(
            actor=agents["supervisor.consular"],
            team=Team.objects.get(code=team_code),
            code=code,
            name=name,
        )
    counter = services.counter_create(
        actor=agents["supervisor.consular"],
        team=team,
        code=COUNTER_CODE,
        name="Consular post, counter 1",
    )
    clerk = agents["front.legal"]
    taken = 0
    payments = []
    applicants = [person for person in persons[5:] if _simple(person)]
    for index, (means, amount) in enumerate(PAYMENTS):
        dossier = dossier_services.dossier_open(
            actor=clerk,
            case_type="consular-legalisation",
            applicant=applicants[index],
            facts={"document_language": "fr"},
        )
        _hand_in(clerk, dossier, frozenset({"applicant_identity"}))
        _identity_checked(clerk, dossier, index + 1)
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
