"""Demo contradictions for the "Data quality" section (issue #19), built through
the services so that the page shows real findings:

- an address whose postal code is another municipality's (4000 is Liège's, the
  address says Namur): `person_create` checks the form of a postal code, not
  whether it serves the municipality;
- a birth date kept against the national number, with the reason the agent gave
  (`contradiction_override`): listed apart, as kept on purpose;
- an identity card that expired 45 days ago, handed in for an open passport
  dossier (`document_upload` accepts a past expiry date: it records what the
  citizen brought).

A birth date that contradicts the number without a reason cannot be saved through
the services (they refuse it), so the demo has none: such rows come from data
loaded before the check existed.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.documents.models import Document, DocumentType
from guichet.documents.services import DocumentDetails, document_upload
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person
from guichet.parties.services import AddressInput, Identity, person_create

from . import data
from .correspondence import _blank_scan
from .identifiers import national_number

EXPIRED_CARD_NUMBER = "592-0012345-67"
WRONG_POSTAL_CODE = Identity(
    given_names="Claire",
    surname="Fontaine",
    birth_date=dt.date(1978, 3, 14),
    sex="F",
    national_number=national_number(dt.date(1978, 3, 14), 58),
    language="fr",
)
KEPT_BIRTH_DATE = Identity(
    given_names="Hendrik",
    surname="Vermeulen",
    birth_date=dt.date(1952, 1, 1),
    sex="M",
    national_number=national_number(dt.date(1952, 6, 30), 61),
    language="nl",
)
PERSONS = 2  # the persons this module adds to the demo


def _missing(identity: Identity) -> bool:
    return not Person.objects.filter(national_number=identity.national_number).exists()


def build(agents: dict[str, Agent]) -> int:
    """Add the contradictions that are missing; return how many were added."""
    loader = agents[data.LOADER[0]]
    added = 0
    if _missing(WRONG_POSTAL_CODE):
        person_create(
            actor=loader,
            identity=WRONG_POSTAL_CODE,
            addresses=[
                AddressInput(
                    street="Rue de Fer",
                    house_number="21",
                    postal_code="4000",
                    municipality="Namur",
                    is_primary=True,
                )
            ],
            acknowledge_duplicates=True,
        )
        added += 1
    if _missing(KEPT_BIRTH_DATE):
        person_create(
            actor=loader,
            identity=KEPT_BIRTH_DATE,
            addresses=[
                AddressInput(
                    street="Veldstraat",
                    house_number="8",
                    postal_code="9000",
                    municipality="Gent",
                    is_primary=True,
                )
            ],
            acknowledge_duplicates=True,
            contradiction_override=(
                "Born abroad: the register kept 1 January 1952 for lack of a birth "
                "certificate; the national number was given later."
            ),
        )
        added += 1
    dossier = (
        Dossier.objects.filter(
            case_type__code="consular-passport",
            closed_at__isnull=True,
            person__confidential_team__isnull=True,
        )
        .exclude(person=None)
        .order_by("id")
        .first()
    )
    if (
        dossier is not None
        and dossier.person is not None
        and not Document.objects.filter(document_number=EXPIRED_CARD_NUMBER).exists()
    ):
        expired = clock.today() - dt.timedelta(days=45)
        document_upload(
            actor=agents["front.travel"],
            person_id=dossier.person.uuid,
            file=ContentFile(_blank_scan(), name="identity-card.pdf"),
            details=DocumentDetails(
                document_type=DocumentType.IDENTITY_CARD,
                issued_on=expired - dt.timedelta(days=3652),
                expires_on=expired,
                document_number=EXPIRED_CARD_NUMBER,
                description="Demo: the identity card handed in has expired.",
                dossier_reference=dossier.reference,
            ),
        )
        added += 1
    return added
