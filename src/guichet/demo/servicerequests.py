"""Demo contacts and requests: routing, service levels, and a few requests in
several statuses for the demo persons. Idempotent.

The routing and service-level rules are reference data an administrator keeps;
the demo ensures them (a second run finds them). The figures are configuration
chosen for the demo, not legal deadlines: Belgian law sets no response time for
these requests (the service's own charter does).

Each demo request is keyed by its subject and person: a second run finds it and
changes nothing. They are registered through the services, by the agents who
would, so they are routed, timed and audited like real ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from guichet.agents.models import Agent, Team
from guichet.contacts.models import Topic
from guichet.contacts.services import ContactInput, contact_register
from guichet.core import clock
from guichet.parties.models import Person
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import (
    RequestInput,
    contact_with_request,
    request_take,
    request_transition,
    routing_rule_ensure,
    service_level_rule_ensure,
)

# topic code (or None) -> team code, language, order: the most specific rule wins.
ROUTING = [
    ("legalisation", "", "legalisations", 10),
    ("visa-extension", "", "visas", 10),
    ("travel-documents", "", "travel-documents", 10),
    ("benefits", "", "payment-office", 10),
    ("complaints", "", "support", 10),
    (None, "fr", "cc-fr", 50),
    (None, "nl", "cc-nl", 50),
    (None, "de", "cc-fr", 60),
]

# kind -> hours to the first answer, to resolution (business hours). Demo
# configuration, not legal figures.
SERVICE_LEVELS = [
    ("question", Decimal(8), Decimal(24)),
    ("information", Decimal(8), Decimal(16)),
    ("complaint", Decimal(40), Decimal(160)),
]


@dataclass(frozen=True)
class DemoRequest:
    person_index: int  # among the demo persons that are not confidential
    creator: str
    kind: str
    topic: str
    subject: str
    summary: str
    seriousness: str = ""
    language: str = ""  # the language the citizen asked in (else theirs)
    # (agent, status, text, classification) moves after creation, in order
    moves: list[tuple[str, str, str, str]] = field(default_factory=list)
    taker: str = ""


REQUESTS = [
    DemoRequest(
        0,
        "first.fr",
        "question",
        "general-information",
        "Changement d'adresse après un déménagement",
        "Demande comment signaler sa nouvelle adresse.",
    ),
    DemoRequest(
        1,
        "first.fr",
        "question",
        "benefit-payment",
        "Allocation de mars non reçue",
        "L'allocation de mars n'est pas arrivée sur le compte.",
        taker="payment.c",
        moves=[("payment.c", "in_progress", "", "")],
    ),
    DemoRequest(
        2,
        "first.fr",
        "information",
        "legalisation",
        "Légalisation d'un acte de naissance",
        "Veut faire légaliser un acte de naissance pour un mariage à l'étranger.",
        taker="front.legal",
        moves=[
            (
                "front.legal",
                "waiting_citizen",
                "Demandé une copie de l'acte par e-mail.",
                "",
            )
        ],
    ),
    DemoRequest(
        3,
        "first.fr",
        "complaint",
        "complaints",
        "Attente trop longue au guichet",
        "Se plaint d'avoir attendu deux heures au guichet.",
        seriousness="minor",
    ),
    DemoRequest(
        4,
        "first.fr",
        "complaint",
        "complaints",
        "Courrier envoyé à une ancienne adresse",
        "Un courrier important a été envoyé à son ancienne adresse.",
        seriousness="serious",
        taker="support.b",
        moves=[
            (
                "support.b",
                "closed",
                "Adresse corrigée; excuses présentées par lettre.",
                "partly_founded",
            )
        ],
    ),
    DemoRequest(
        5,
        "first.nl",
        "question",
        "general-information",
        "Openingsuren van het loket",
        "Vraagt wanneer het loket open is tijdens de feestdagen.",
        language="nl",
        taker="second.nl",
        moves=[("second.nl", "answered", "Openingsuren per e-mail bezorgd.", "")],
    ),
]

# Contacts answered at once (person index, agent, topic, summary).
ANSWERED = [
    (6, "first.fr", "attestations", "Demande d'attestation C4 : envoyée par e-mail."),
    (7, "first.nl", "appointments", "Afspraak verzet naar volgende week."),
]


def _rules() -> None:
    teams = {team.code: team for team in Team.objects.all()}
    for topic_code, language, team_code, order in ROUTING:
        topic = (
            Topic.objects.get(team__isnull=True, code=topic_code)
            if topic_code
            else None
        )
        routing_rule_ensure(
            actor=None,
            team=teams[team_code],
            topic=topic,
            language=language,
            order=order,
        )
    for kind, first, resolution in SERVICE_LEVELS:
        service_level_rule_ensure(
            actor=None, kind=kind, first_answer_hours=first, resolution_hours=resolution
        )


def _persons() -> list[Person]:
    from .builders import person_specs  # builders calls this module: import late

    numbers = [spec.identity.national_number for spec in person_specs()]
    by_number = {
        person.national_number: person
        for person in Person.objects.filter(
            national_number__in=numbers, confidential_team__isnull=True
        )
    }
    return [by_number[number] for number in numbers if number in by_number]


def persons_for_demo() -> list[Person]:
    """The demo persons everyone may see, in the order of the specs."""
    return _persons()


def build(agents: dict[str, Agent]) -> int:
    """Ensure the rules and register the demo requests and contacts that are
    missing; return how many requests and contacts were created."""
    _rules()
    persons = _persons()
    created = 0
    started = clock.now() - dt.timedelta(minutes=6)
    for item in REQUESTS:
        person = persons[item.person_index]
        if Request.objects.filter(subject=item.subject, person=person).exists():
            continue
        _contact, request = contact_with_request(
            actor=agents[item.creator],
            contact=ContactInput(
                channel="phone",
                started_at=started,
                ended_at=clock.now(),
                person=str(person.uuid),
                topic=item.topic,
                summary=item.summary,
            ),
            request=RequestInput(
                kind=item.kind,
                subject=item.subject,
                topic=item.topic,
                channel="phone",
                description=item.summary,
                person=str(person.uuid),
                seriousness=item.seriousness,
                language=item.language,
            ),
        )
        if item.taker:
            request = request_take(actor=agents[item.taker], request=request)
        for username, status, text, classification in item.moves:
            request = request_transition(
                actor=agents[username],
                request=request,
                expected_version=request.version,
                to=status,
                text_=text,
                classification=classification,
            )
        created += 1
    for index, username, topic, summary in ANSWERED:
        person = persons[index]
        if person.contacts.filter(summary=summary).exists():
            continue
        contact_register(
            actor=agents[username],
            data=ContactInput(
                channel="phone",
                started_at=started,
                ended_at=clock.now(),
                person=str(person.uuid),
                topic=topic,
                summary=summary,
                outcome="answered",
            ),
        )
        created += 1
    return created
