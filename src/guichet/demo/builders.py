"""Build the demo data set: teams, agents, persons, organisations. Idempotent.

Everything is derived from a fixed random seed and keyed by a natural key (team
code, username, national number, enterprise number), so a second run finds every
row present and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from guichet.agents.models import Agent, Team
from guichet.agents.services import agent_create, roles_ensure, team_ensure
from guichet.core.text import fold
from guichet.parties.models import Organisation, Person
from guichet.parties.services import (
    AddressInput,
    EmailInput,
    Identity,
    PhoneInput,
    organisation_create,
    party_link_create,
    person_create,
    person_restrict,
)
from guichet.telephony.services import extension_assign

from . import (
    agenda_absences,
    agenda_appointments,
    agenda_meetings,
    casetypes,
    cashbook,
    correspondence,
    data,
    debts,
    dossiers,
    duplicates,
    inbox,
    knowledge,
    payments,
    quality,
    servicerequests,
    specimens,
    suggest,
    visits,
    webforms,
)
from .identifiers import enterprise_number, national_number

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterator[T]]

SEED = 2026
PERSONS = 200


@dataclass
class Report:
    teams: int = 0
    agents: int = 0
    persons: int = 0
    organisations: int = 0
    links: int = 0
    specimens: int = 0


def _no_progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    yield from items


def teams_and_agents(report: Report) -> dict[str, Agent]:
    roles_ensure()
    for code, name, language in data.TEAMS:
        if not Team.objects.filter(code=code).exists():
            team_ensure(actor=None, code=code, name=name, language=language)
            report.teams += 1
    agents: dict[str, Agent] = {}
    for username, first, last, level, roles, teams, leads, language in [
        *data.AGENTS,
        data.LOADER,
    ]:
        agent = Agent.objects.filter(username=username).first()
        if agent is None:
            agent = agent_create(
                actor=None,
                username=username,
                password=None if username == data.LOADER[0] else data.DEMO_PASSWORD,
                level=level,
                roles=roles,
                teams=teams,
                lead_teams=leads,
                first_name=first,
                last_name=last,
                email=f"{username}@guichet.example",
                language=language,
                check_password=False,
            )
            report.agents += 1
        agents[username] = agent
    for username, extension in data.EXTENSIONS.items():
        if agents[username].phone_extension != extension:
            extension_assign(actor=None, agent=agents[username], extension=extension)
    return agents


@dataclass(frozen=True)
class PersonSpec:
    identity: Identity
    phone: str
    email: str
    address: AddressInput
    confidential: bool


def person_specs(count: int = PERSONS, seed: int = SEED) -> list[PersonSpec]:
    """The demo persons, the same list on every run."""
    rng = random.Random(seed)
    specs = []
    used: set[str] = set()
    for index in range(count):
        sex = "M" if index % 2 == 0 else "F"
        given = rng.choice(data.GIVEN_NAMES[sex])
        surname = rng.choice(data.SURNAMES)
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 66))
        counter = rng.randrange(1, 499) * 2 - (1 if sex == "M" else 0)
        number = national_number(birth, counter, bis=index % 25 == 7)
        while number in used:
            counter += 2
            number = national_number(birth, counter, bis=index % 25 == 7)
        used.add(number)
        postal_code, municipality, language, streets = rng.choice(data.MUNICIPALITIES)
        mobile = f"+3247{rng.randrange(0, 10**7):07d}"
        local = fold(f"{given} {surname}").replace(" ", ".")
        specs.append(
            PersonSpec(
                identity=Identity(
                    given_names=given,
                    surname=surname,
                    birth_date=birth,
                    sex=sex,
                    national_number=number,
                    language=language,
                ),
                phone=mobile,
                email=f"{local}{index}@example.be",
                address=AddressInput(
                    street=rng.choice(streets),
                    house_number=str(rng.randrange(1, 250)),
                    box=str(rng.randrange(1, 30)) if rng.random() < 0.2 else "",
                    postal_code=postal_code,
                    municipality=municipality,
                    is_primary=True,
                ),
                confidential=index % 40 == 13,
            )
        )
    return specs


def persons(
    report: Report, agents: dict[str, Agent], progress: Progress[Any] = _no_progress
) -> list[Person]:
    loader = agents[data.LOADER[0]]
    restrictor = agents["supervisor.consular"]
    visas = Team.objects.get(code="visas")
    specs = person_specs()
    existing = set(
        Person.objects.filter(
            national_number__in=[spec.identity.national_number for spec in specs]
        ).values_list("national_number", flat=True)
    )
    created: list[Person] = []
    for spec in progress(specs, len(specs), "persons"):
        if spec.identity.national_number in existing:
            continue
        person = person_create(
            actor=loader,
            identity=spec.identity,
            phones=[PhoneInput(number=spec.phone, kind="mobile", is_primary=True)],
            emails=[EmailInput(address=spec.email, is_primary=True)],
            addresses=[spec.address],
            acknowledge_duplicates=True,
        )
        if spec.confidential:
            person = person_restrict(
                actor=restrictor,
                person_id=person.uuid,
                expected_version=person.version,
                team=visas,
                reason="Demo: a protected person, visible to the visas team only.",
            )
        created.append(person)
        report.persons += 1
    return created


def organisations(
    report: Report, agents: dict[str, Agent], new_persons: list[Person]
) -> None:
    loader = agents[data.LOADER[0]]
    for serial, (name, language) in enumerate(data.ORGANISATIONS, start=1):
        number = enterprise_number(serial * 7919)
        if Organisation.objects.filter(enterprise_number=number).exists():
            continue
        organisation = organisation_create(
            actor=loader,
            name=name,
            enterprise_number=number,
            language=language,
            emails=[EmailInput(address=f"info{serial}@example.be")],
        )
        report.organisations += 1
        # Link two of the persons created in this run: a representative, an employee.
        for offset, kind in ((0, "representative"), (1, "employer")):
            index = serial * 3 + offset
            if (
                index < len(new_persons)
                and new_persons[index].confidential_team_id is None
            ):
                party_link_create(
                    actor=loader,
                    person_id=new_persons[index].uuid,
                    organisation_id=organisation.uuid,
                    kind=kind,
                    since=dt.date(2020, 1, 1),
                )
                report.links += 1


def build(progress: Progress[Any] = _no_progress) -> Report:
    report = Report()
    agents = teams_and_agents(report)
    new_persons = persons(report, agents, progress)
    organisations(report, agents, new_persons)
    casetypes.build()
    correspondence.build(agents)
    debts.build(agents)
    servicerequests.build(agents)
    report.agents += webforms.build()
    dossiers.build(agents, servicerequests.persons_for_demo())
    cashbook.build(agents, servicerequests.persons_for_demo())
    knowledge.build(agents)
    visits.build(agents)
    agenda_appointments.build(agents)
    agenda_meetings.build(agents)
    report.specimens = specimens.build(agents)
    suggest.build()
    inbox.build()
    agenda_absences.build(agents)
    payments.build(agents)
    quality.build(agents)
    duplicates.build(agents)
    return report
