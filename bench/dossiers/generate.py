#!/usr/bin/env python3
"""Fill a dedicated PostgreSQL database with dossiers for the dossiers benchmark.

    psql -h 127.0.0.1 -U postgres -c 'create database bench_dossiers'
    .venv/bin/python bench/dossiers/generate.py --size full \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_dossiers
    .venv/bin/python bench/dossiers/generate.py --size small \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_dossiers_small

`full` is 1,000,000 dossiers (200,000 persons), `small` 20,000 (4,000 persons);
`--dossiers N` sets any size. PostgreSQL only (the target is about PostgreSQL).

Resumable and idempotent: run it again after a stop and it goes on where it
stopped; run it on a complete database and it does nothing. Each step says what
it does and how far it got:

1. migrate, then the demo data set (`guichet demo`: the four teams that own the
   shipped case types, their agents, the case types' first versions, letter
   templates), built through the services, once;
2. a second version of each shipped case type, valid from 2026-07-01 (the same
   file with one more checklist question), through `casetype_import`: a dossier
   received before that day keeps version 1, after it gets version 2;
3. 20 more agents per team (`bench.<team>.NN`, front office or payment agent,
   dossier handler, level C; one supervisor level B), and `bench.agent`, the
   load client's agent (dossier handler level B in every team, with a token in
   bench/out/);
4. the persons, with bench/search's generator (their phones and e-mails too);
5. the dossiers, in chunks of --chunk (10,000) dossiers, each chunk one
   transaction with PostgreSQL COPY (foreign-key and append-only triggers off:
   `session_replication_role = replica`; rows consistent by construction), its
   number written to `bench_dossiers_chunk` in the same transaction. A chunk's
   rows come from its own seeded generator, so a partial load is a uniform
   sample of the full one.

A dossier is received on a day of 2026 up to today (the shipped case types are
valid from 2026-01-01), over the four case types (payment office 40%, travel
documents 25%, legalisations 20%, visas 15%), and walks its case type's steps as
the services would take them: the incomplete-file loop (documents asked, the
clock suspended or stopped, documents received), conclusion, checks, the fee
put and paid, the appointment with its task, a proposed decision approved by a
second agent (or refused, then proposed again), transmission to the deciding
body and its decision recorded, the parties informed, the hand-over to payments
with its task, closure with the result and the retention date; a few are
withdrawn. Received more than 45 days ago it is closed (3% stay open, late);
more recent ones stop at a random step. Each step writes what its effects
write: the timeline events (status, suspended/resumed, documents asked, letters
queued, task, fee, decision, approval, transmitted, closed), document requests,
suspensions, tasks, decisions, fees. Applicants are persons (an employer or
representative as a second party on some), the deadlines are computed by the
dossiers app's own clock from the case type's version and the team's business
calendar. Open dossiers and those closed in the last 60 days have their
required documents (with the checks their case type asks, passed), missing ones
where the dossier waits for them. Letters themselves are not written (the
timeline records them queued): the benchmark measures the dossiers app.

Rows are written directly, not through the services: a million dossiers through
the services would take days, and the audit chains (which the benchmark does
not read) stay empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH / "search"))

import database  # noqa: E402 - bench/search's helpers

SIZES = {"full": 1_000_000, "small": 20_000}
AGENT = "bench.agent"
EXTRA_AGENTS = 20
VERSION_2_FROM = dt.date(2026, 7, 1)
YEAR_START = dt.date(2026, 1, 1)
OPEN_WINDOW = 45  # days: older dossiers are closed, but for a late few
DOCUMENTS_WINDOW = 60  # days after closure their documents are still there
WEIGHTS = {
    "unemployment-benefit": 0.40,
    "consular-passport": 0.25,
    "consular-legalisation": 0.20,
    "visa-extension": 0.15,
}
# The way through each case type as its handlers take it: the transitions in order.
PATHS = {
    "consular-legalisation": (
        "conclude_complete",
        "request_payment",
        "propose_decision",
        "approve_decision",
        "inform_parties",
        "close",
    ),
    "consular-passport": (
        "conclude_complete",
        "plan_appointment",
        "request_payment",
        "propose_decision",
        "approve_decision",
        "transmit",
        "passport_received",
        "hand_over",
        "close",
    ),
    "visa-extension": (
        "conclude_complete",
        "propose_decision",
        "approve_decision",
        "transmit",
        "record_external_decision",
        "inform_parties",
        "close",
    ),
    "unemployment-benefit": (
        "conclude_complete",
        "propose_decision",
        "approve_decision",
        "transmit",
        "record_external_decision",
        "inform_parties",
        "hand_over_to_payments",
        "close_after_payments",
    ),
}


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    if name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--dossiers", type=int, default=0, help="Overrides --size.")
    parser.add_argument("--database-url", required=True, help="postgres://...")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=10_000, help="Dossiers a chunk.")
    parser.add_argument(
        "--worker",
        default="0/1",
        help="K/N: load only the chunks whose number is K modulo N (run N at once).",
    )
    options = parser.parse_args(argv)
    if database.vendor(options.database_url) != "postgresql":
        parser.error("PostgreSQL only")
    options.count = options.dossiers or SIZES[options.size]
    part, parts = (int(value) for value in options.worker.split("/"))
    options.part, options.parts = part, parts
    return options


def token_file(url: str) -> Path:
    return database.OUT / f"dossiers-{database.label(url)}.token"


# ---------------------------------------------------------------- reference data


def _second_versions() -> None:
    """Version 2 of each shipped case type, valid from VERSION_2_FROM."""
    from guichet.casetypes.models import CaseTypeVersion
    from guichet.casetypes.services import casetypes_import, shipped_files

    if CaseTypeVersion.objects.filter(number=2).count() >= len(shipped_files()):
        return
    files = []
    for name, source in shipped_files():
        text = source.decode()
        text = text.replace("valid_from: 2026-01-01", f"valid_from: {VERSION_2_FROM}")
        # One more (optional) question on the initial status's checklist.
        text = text.replace(
            "  checklist:\n",
            "  checklist:\n"
            "  - code: bench_v2_question\n"
            "    question:\n"
            "      fr: Le dossier est-il enregistré ?\n"
            "      nl: Is het dossier geregistreerd?\n"
            "      de: Ist die Akte erfasst?\n"
            "      en: Is the file registered?\n"
            "    required: false\n",
            1,
        )
        files.append((name, text))
    casetypes_import(agent=None, files=files)
    print("  version 2 of each case type imported", flush=True)


def _agents(url: str) -> None:
    from guichet.agents.models import Agent
    from guichet.agents.services import agent_create, token_create
    from guichet.casetypes.models import CaseType

    for case_type in CaseType.objects.select_related("team").order_by("code"):
        team = case_type.team
        first = "payment_agent" if team.code == "payment-office" else "front_office"
        for number in range(1, EXTRA_AGENTS + 1):
            username = f"bench.{team.code}.{number:02d}"
            if Agent.objects.filter(username=username).exists():
                continue
            agent_create(
                actor=None,
                username=username,
                password=None,
                level="B" if number == 1 else "C",
                roles=["supervisor"] if number == 1 else [first, "dossier_handler"],
                teams=[team.code],
                first_name="Bench",
                last_name=f"{team.code} {number:02d}",
            )
    if not Agent.objects.filter(username=AGENT).exists():
        agent = agent_create(
            actor=None,
            username=AGENT,
            password=None,
            level="B",
            roles=["dossier_handler", "front_office", "payment_agent"],
            teams=list(CaseType.objects.values_list("team__code", flat=True)),
            first_name="Bench",
            last_name="Agent",
        )
        token = token_create(actor=None, agent=agent, name="dossiers benchmark").secret
        database.OUT.mkdir(parents=True, exist_ok=True)
        path = token_file(url)
        path.write_text(token + "\n")
        path.chmod(0o600)


def _persons(count: int, seed: int) -> None:
    from django.db import connection, transaction

    from guichet.agents.models import Team
    from guichet.parties.models import Person

    search = _load("search_generate", BENCH / "search" / "generate.py")
    population = _load("search_population", BENCH / "search" / "population.py")
    have = Person.objects.count()
    if have >= count * 0.99:  # numbers the demo already had are skipped
        return
    hidden = Team.objects.get(code="visas")
    loader = search.Loader(connection, seed=seed + have, hidden_team_id=hidden.pk)
    done = have
    # The demo's persons (and those of an earlier run) keep their numbers.
    taken = set(Person.objects.values_list("national_number", flat=True))
    people = population.Population(seed + have).stream(count - have)
    for batch in search.batched(people, 20_000):
        fresh = [p for p in batch if p.national_number not in taken]
        taken.update(p.national_number for p in fresh)
        with transaction.atomic():
            loader.load(fresh)
        done += len(fresh)
        print(f"  {done:,} persons", flush=True)
    loader.finish()


@dataclass
class Kind:
    """What the generator needs of one case type."""

    code: str
    case_type_id: int
    team_id: int
    versions: list[tuple[int, int, Any]]  # (id, number, definition), by valid_from
    calendar: Any
    agents: list[int]
    supervisors: list[int]
    dues: dict[tuple[int, dt.date], Any] = field(default_factory=dict)

    def version_on(self, day: dt.date) -> tuple[int, int, Any]:
        return self.versions[1] if day >= VERSION_2_FROM else self.versions[0]

    def dues_of(self, version: tuple[int, int, Any], day: dt.date) -> Any:
        from guichet.dossiers import clock as dossier_clock

        key = (version[0], day)
        if key not in self.dues:
            self.dues[key] = dossier_clock.dues(
                received_on=day,
                deadlines=version[2].deadlines,
                calendar=self.calendar,
            )
        return self.dues[key]


def _kinds() -> dict[str, Kind]:
    from guichet.agents.models import Agent
    from guichet.calendars.selectors import calendar_for_team
    from guichet.casetypes.models import CaseType
    from guichet.casetypes.selectors import version_definition

    kinds = {}
    for case_type in CaseType.objects.select_related("team").order_by("code"):
        versions = [
            (version.pk, version.number, version_definition(version))
            for version in case_type.versions.order_by("valid_from", "number")
        ]
        members = Agent.objects.filter(
            memberships__team=case_type.team, is_active=True
        ).distinct()
        agents = sorted(
            members.filter(
                roles__code__in=["dossier_handler", "front_office", "payment_agent"]
            ).values_list("pk", flat=True)
        )
        supervisors = sorted(
            members.filter(roles__code="supervisor").values_list("pk", flat=True)
        )
        kinds[case_type.code] = Kind(
            code=case_type.code,
            case_type_id=case_type.pk,
            team_id=case_type.team_id,
            versions=versions[-2:] if len(versions) > 1 else versions * 2,
            calendar=calendar_for_team(team=case_type.team),
            agents=sorted(set(agents)),
            supervisors=sorted(set(supervisors) - set(agents)) or sorted(set(agents)),
        )
    return kinds


# ---------------------------------------------------------------- one dossier


FACTS = {
    "consular-legalisation": lambda rng: {
        "document_language": rng.choice(["fr", "nl", "de", "fr", "nl", "en", "es"]),
        "legalises_own_signature": rng.random() < 0.1,
        "destination_country": rng.choice(["CD", "MA", "TR", "CN", "BR", "IN"]),
    },
    "consular-passport": lambda rng: {
        "previous_passport_available": rng.random() < 0.9,
        "applicant_age": rng.randint(1, 85),
        "delivery_by_post": rng.random() < 0.3,
    },
    "visa-extension": lambda rng: {
        "ground": rng.choice(["medical", "force_majeure", "family", "medical"]),
    },
    "unemployment-benefit": lambda rng: {
        "c4_available": rng.random() < 0.85,
        "bridge_pension": rng.random() < 0.05,
    },
}


@dataclass
class Ids:
    """Next primary keys of the tables written with explicit ids."""

    dossier: int
    party: int
    document: int


class Builder:
    """The rows of one dossier's life, appended to per-table lists."""

    def __init__(self, kinds: dict[str, Kind], refs: dict[str, Any], now: dt.datetime):
        self.kinds = kinds
        self.refs = refs
        self.now = now
        self.today = now.date()
        self.tables: dict[str, list[tuple[Any, ...]]] = {}
        self.uuids = random.Random(0)

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.uuids.getrandbits(128), version=4)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables.setdefault(table, []).append(row)

    def dossier(self, rng: random.Random, ids: Ids) -> None:
        self.uuids = rng
        code = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        kind = self.kinds[code]
        span = (self.today - YEAR_START).days
        received = YEAR_START + dt.timedelta(days=rng.randrange(span + 1))
        version = kind.version_on(received)
        definition = version[2]
        dues = kind.dues_of(version, received)
        age = (self.today - received).days
        facts = FACTS[code](rng)
        path = list(PATHS[code])
        if code == "unemployment-benefit" and rng.random() < 0.4:
            # Transmitted at once to the deciding body (no own proposal).
            path = ["transmit", *path[path.index("transmit") + 1 :]]
        if rng.random() < 0.3:
            path = ["request_documents", "documents_received", *path]
        if "propose_decision" in path and rng.random() < 0.05:
            at = path.index("propose_decision")
            again = ["refuse_approval"]
            if code == "consular-legalisation":
                again.append("request_payment")
            if code == "consular-passport":
                again.append("plan_appointment")
            path = path[: at + 1] + again + path[at:]
        if code == "consular-legalisation" and rng.random() < 0.2:
            at = path.index("inform_parties")
            path[at : at + 1] = ["transmit", "record_external_decision"]
        if rng.random() < 0.04:
            stop = rng.randrange(0, 2 if path[0] != "request_documents" else 3)
            path = [*path[:stop], "withdraw"]
        if age > OPEN_WINDOW and rng.random() > 0.03:
            steps = path
        else:
            share = min(1.0, age / OPEN_WINDOW) if age > 0 else 0.0
            if rng.random() < share * 0.6:
                steps = path
            else:
                steps = path[: rng.randrange(0, len(path))]
        dossier_id = ids.dossier
        ids.dossier += 1
        owner = rng.choice(kind.agents) if rng.random() < 0.8 else None
        actor = owner or rng.choice(kind.agents)
        opened_at = dt.datetime.combine(
            received, dt.time(8 + rng.randrange(9), rng.randrange(60)), dt.UTC
        )
        person = self.refs["persons"][rng.randrange(len(self.refs["persons"]))]
        status = definition.initial_status.code
        moments = sorted(
            opened_at
            + dt.timedelta(
                seconds=rng.random()
                * max(
                    3600.0,
                    (
                        min(
                            self.now,
                            opened_at + dt.timedelta(days=max(OPEN_WINDOW, 1) * 2),
                        )
                        - opened_at
                    ).total_seconds()
                    * (0.9 if len(steps) == len(path) else 1.0),
                )
            )
            for _ in steps
        )
        moments = [min(moment, self.now) for moment in moments]
        events: list[tuple[Any, ...]] = []

        def event(
            at: dt.datetime,
            kind_: str,
            transition: str = "",
            from_status: str = "",
            to_status: str = "",
            text: str = "",
            **data: Any,
        ) -> None:
            events.append(
                (
                    self._uuid(),
                    at,
                    at,
                    dossier_id,
                    kind_,
                    actor,
                    transition,
                    from_status,
                    to_status,
                    text,
                    json.dumps(data),
                )
            )

        event(
            opened_at,
            "opened",
            case_type=code,
            version=version[1],
            status=status,
        )
        applicant_party = ids.party
        ids.party += 1
        self.add(
            "party",
            (
                applicant_party,
                self._uuid(),
                opened_at,
                opened_at,
                dossier_id,
                "applicant",
                person,
                None,
            ),
        )
        if code == "unemployment-benefit" and rng.random() < 0.5:
            organisation = rng.choice(self.refs["organisations"])
            self.add(
                "party",
                (
                    ids.party,
                    self._uuid(),
                    opened_at,
                    opened_at,
                    dossier_id,
                    "employer",
                    None,
                    organisation,
                ),
            )
            ids.party += 1
        elif rng.random() < 0.15:
            other = self.refs["persons"][rng.randrange(len(self.refs["persons"]))]
            if other != person:
                role = (
                    "representative" if code != "consular-passport" else "beneficiary"
                )
                self.add(
                    "party",
                    (
                        ids.party,
                        self._uuid(),
                        opened_at,
                        opened_at,
                        dossier_id,
                        role,
                        other,
                        None,
                    ),
                )
                ids.party += 1
        suspension_allowed = definition.deadlines.suspension_allowed
        values: dict[str, Any] = {
            "suspended_since": None,
            "clock_stopped_on": None,
            "completion_due": dues.completion,
            "transmitted_at": None,
            "result_code": "",
            "closed_at": None,
            "retention_until": None,
            "retention_then": "",
        }
        decision: list[Any] | None = None  # the latest decision row, as a list
        decisions: list[list[Any]] = []
        fee: list[Any] | None = None
        open_suspension: list[Any] | None = None
        refused_result = rng.random() < 0.1
        result = "refused" if refused_result else "granted"
        proposals = [d for d in definition.decisions if not d.taken_by_other_body]
        external = [d for d in definition.decisions if d.taken_by_other_body] or list(
            definition.decisions
        )
        missing_documents: set[str] = set()
        required = [d for d in definition.documents if d.is_required(facts)]
        version_number = 1
        for step, at in zip(steps, moments, strict=True):
            transition = definition.transition(step)
            day = at.date()
            source = status
            checklist = {
                item.code: True for item in definition.status(source).checklist
            }
            actor = (
                rng.choice(kind.supervisors)
                if step in ("approve_decision", "refuse_approval")
                else (owner or rng.choice(kind.agents))
            )
            text = (
                "Motivation: the conditions are met."
                if transition.requires_text
                else ""
            )
            for effect in transition.effects:
                if effect == "request_documents":
                    due = day + dt.timedelta(days=15)
                    asked = rng.sample(required, min(len(required), rng.randint(1, 2)))
                    missing_documents = {d.code for d in asked}
                    for document in asked:
                        self.add(
                            "docrequest",
                            (
                                self._uuid(),
                                at,
                                at,
                                dossier_id,
                                document.code,
                                document.names.get("fr")[:200],
                                applicant_party,
                                "",
                                due,
                                actor,
                                None
                                if step == steps[-1]
                                else at + dt.timedelta(days=5),
                                None if step == steps[-1] else actor,
                                None,
                            ),
                        )
                    values["completion_due"] = due
                    event(
                        at,
                        "doc_request",
                        step,
                        documents=sorted(missing_documents),
                        due_on=due.isoformat(),
                    )
                elif effect == "stop_deadline":
                    if values["suspended_since"] or values["clock_stopped_on"]:
                        continue
                    if suspension_allowed:
                        open_suspension = [
                            self._uuid(),
                            at,
                            at,
                            dossier_id,
                            text or step,
                            day,
                            None,
                            None,
                            actor,
                        ]
                        values["suspended_since"] = day
                        event(at, "suspended", step, text=text)
                    else:
                        values["clock_stopped_on"] = day
                elif effect == "resume_deadline":
                    if open_suspension is not None:
                        open_suspension[7] = day
                        self.add("suspension", tuple(open_suspension))
                        open_suspension = None
                        values["suspended_since"] = None
                        event(at, "resumed", step)
                    values["clock_stopped_on"] = None
                    missing_documents = set()
                elif effect == "queue_letter":
                    for letter in transition.letters:
                        event(
                            at,
                            "letter",
                            step,
                            letter_type=letter,
                            outcome="drafted",
                            letter=str(self._uuid()),
                        )
                    event(
                        at,
                        "letter",
                        step,
                        letters=list(transition.letters),
                        queued=True,
                    )
                elif effect == "create_task":
                    done = step != steps[-1]
                    self.add(
                        "task",
                        (
                            self._uuid(),
                            at,
                            at,
                            dossier_id,
                            str(definition.status(transition.target).names.get("fr"))[
                                :200
                            ],
                            step,
                            kind.team_id,
                            owner,
                            dues.service_norm or dues.processing,
                            actor,
                            at + dt.timedelta(days=3) if done else None,
                            actor if done else None,
                        ),
                    )
                    event(at, "task", step, code=step)
                elif effect == "request_payment":
                    if fee is None and definition.fees:
                        due_fee = definition.fees[0]
                        amount = (
                            due_fee.amount if due_fee.amount is not None else "75.00"
                        )
                        fee = [
                            self._uuid(),
                            at,
                            at,
                            dossier_id,
                            due_fee.code,
                            str(amount),
                            due_fee.currency,
                            "",
                            None,
                            None,
                        ]
                        event(
                            at,
                            "fee",
                            step,
                            fee=due_fee.code,
                            amount=str(amount),
                            exemption="",
                        )
                elif effect == "record_decision":
                    if step == "record_external_decision":
                        values["result_code"] = result
                    else:
                        chosen = proposals[0] if proposals else external[0]
                        state = "proposed" if chosen.approval is not None else "final"
                        decision = [
                            self._uuid(),
                            at,
                            at,
                            dossier_id,
                            chosen.code,
                            result,
                            "Motivation: the conditions are met.",
                            state,
                            actor,
                            None,
                            None,
                            "",
                            "",
                            "",
                            day if state == "final" else None,
                            None,
                        ]
                        decisions.append(decision)
                        if state == "final":
                            values["result_code"] = result
                        event(
                            at,
                            "decision",
                            step,
                            decision=chosen.code,
                            result=result,
                            state=state,
                        )
                elif effect == "export_package":
                    values["transmitted_at"] = at
                    event(at, "transmitted", step)
                elif effect == "schedule_retention":
                    closing = (
                        "withdrawn"
                        if step == "withdraw"
                        else (values["result_code"] or result)
                    )
                    codes = {r.code for r in definition.results}
                    closing = closing if closing in codes else min(codes)
                    values.update(
                        result_code=closing,
                        closed_at=at,
                        suspended_since=None,
                        retention_until=day + dt.timedelta(days=365 * 5),
                        retention_then="archive",
                    )
                    if open_suspension is not None:
                        open_suspension[7] = day
                        self.add("suspension", tuple(open_suspension))
                        open_suspension = None
                    event(at, "closed", step, result=closing)
            if step in ("approve_decision", "refuse_approval") and decision is not None:
                decision[7] = "approved" if step == "approve_decision" else "refused"
                decision[9] = actor
                decision[10] = at
                if step == "approve_decision":
                    decision[14] = day
                    values["result_code"] = decision[5]
                    event(at, "approval", step, result=decision[5])
                else:
                    decision[11] = "The motivation does not cite the rule."
                    event(
                        at,
                        "refusal",
                        step,
                        text="The motivation does not cite the rule.",
                    )
            if step == "plan_appointment":
                facts["appointment_held"] = step != steps[-1]
            if step == "transmit" and steps.index(step) < len(steps) - 1:
                # The other body's decision, recorded when it comes back.
                body_decision = external[0]
                decisions.append(
                    [
                        self._uuid(),
                        at + dt.timedelta(days=2),
                        at + dt.timedelta(days=2),
                        dossier_id,
                        body_decision.code,
                        result,
                        "Decision of the competent body.",
                        "recorded",
                        actor,
                        None,
                        None,
                        "",
                        "Competent body",
                        f"EXT-{dossier_id}",
                        day + dt.timedelta(days=2),
                        None,
                    ]
                )
            event(
                at,
                "status",
                step,
                source,
                transition.target,
                text,
                checklist=checklist,
            )
            status = transition.target
            version_number += 1
        # The fee was paid before the decision was proposed.
        if fee is not None:
            if status != "awaiting_payment" and "propose_decision" in steps:
                fee[8] = fee[1] + dt.timedelta(days=1)
                fee[9] = owner or kind.agents[0]
                version_number += 1
            self.add("fee", tuple(fee))
        if open_suspension is not None:
            self.add("suspension", tuple(open_suspension))
        for row in decisions:
            self.add("decision", tuple(row))
        # Documents: those handed in, for open dossiers and those closed lately.
        closed_at = values["closed_at"]
        if closed_at is None or (self.now - closed_at).days <= DOCUMENTS_WINDOW:
            handed = [
                d
                for d in required
                if d.code not in missing_documents
                and not (status == "received" and not steps and rng.random() < 0.5)
            ]
            for document in handed:
                document_id = ids.document
                ids.document += 1
                self.add(
                    "document",
                    (
                        document_id,
                        self._uuid(),
                        opened_at,
                        opened_at,
                        1,
                        person,
                        dossier_id,
                        document.code,
                        document.document_type,
                        document.names.get("fr")[:200],
                        self.refs["sha256"],
                        "application/pdf",
                        self.refs["size"],
                        f"{document.code}.pdf",
                        actor,
                        "",
                        "",
                    ),
                )
                for check in document.checks:
                    self.add(
                        "verification",
                        (
                            self._uuid(),
                            opened_at,
                            opened_at,
                            document_id,
                            check,
                            "",
                            received,
                            True,
                            "valid",
                            "{}",
                            actor,
                            opened_at,
                        ),
                    )
        if rng.random() < 0.2:
            self.add(
                "note",
                (
                    self._uuid(),
                    opened_at,
                    opened_at,
                    dossier_id,
                    actor,
                    "Called the applicant; they will send the file.",
                ),
            )
        events.sort(key=lambda row: row[1])
        for row in events:
            self.add("event", row)
        self.add(
            "dossier",
            (
                dossier_id,
                self._uuid(),
                opened_at,
                moments[-1] if moments else opened_at,
                version_number,
                kind.case_type_id,
                version[0],
                kind.team_id,
                owner,
                actor,
                person,
                None,
                status,
                json.dumps(facts),
                received,
                dues.processing,
                dues.service_norm,
                values["completion_due"],
                values["suspended_since"],
                values["clock_stopped_on"],
                None,
                values["transmitted_at"],
                values["result_code"],
                values["closed_at"],
                values["retention_until"],
                values["retention_then"],
            ),
        )


# ---------------------------------------------------------------- writing

COLUMNS = {
    "dossier": (
        "dossiers_dossier",
        "id, uuid, created_at, updated_at, version, case_type_id, case_type_version_id, "
        "team_id, owner_id, created_by_id, person_id, organisation_id, status, facts, "
        "received_on, processing_due, service_norm_due, completion_due, "
        "suspended_since, clock_stopped_on, extended_on, transmitted_at, result_code, "
        "closed_at, retention_until, retention_then",
    ),
    "party": (
        "dossiers_dossierparty",
        "id, uuid, created_at, updated_at, dossier_id, role, person_id, organisation_id",
    ),
    "event": (
        "dossiers_dossierevent",
        "uuid, created_at, updated_at, dossier_id, kind, agent_id, transition, "
        "from_status, to_status, text, data",
    ),
    "task": (
        "dossiers_dossiertask",
        "uuid, created_at, updated_at, dossier_id, title, code, team_id, assignee_id, "
        "due_on, created_by_id, done_at, done_by_id",
    ),
    "note": (
        "dossiers_dossiernote",
        "uuid, created_at, updated_at, dossier_id, author_id, text",
    ),
    "docrequest": (
        "dossiers_documentrequest",
        "uuid, created_at, updated_at, dossier_id, document_code, description, "
        "party_id, body, due_on, asked_by_id, answered_at, answered_by_id, reminded_on",
    ),
    "suspension": (
        "dossiers_dossiersuspension",
        "uuid, created_at, updated_at, dossier_id, reason, started_on, planned_end, "
        "ended_on, created_by_id",
    ),
    "decision": (
        "dossiers_decision",
        "uuid, created_at, updated_at, dossier_id, decision_type, result_code, "
        "motivation, state, proposed_by_id, reviewed_by_id, reviewed_at, review_text, "
        "body, body_reference, decided_on, appeal_until",
    ),
    "fee": (
        "dossiers_dossierfee",
        "uuid, created_at, updated_at, dossier_id, fee_code, amount, currency, "
        "exemption, paid_at, paid_recorded_by_id",
    ),
    "document": (
        "documents_document",
        "id, uuid, created_at, updated_at, version, person_id, dossier_id, "
        "dossier_item, document_type, description, content_sha256, content_type, size, "
        "original_name, uploaded_by_id, legacy_dossier_reference, document_number",
    ),
    "verification": (
        "documents_documentverification",
        "uuid, created_at, updated_at, document_id, kind, value, checked_on, is_valid, "
        "outcome, result, verified_by_id, verified_at",
    ),
}
ORDER = (
    "dossier",
    "party",
    "event",
    "task",
    "note",
    "docrequest",
    "suspension",
    "decision",
    "fee",
    "document",
    "verification",
)


def _reserve(cursor: Any, table: str, count: int) -> int:
    """`count` ids of `table`'s sequence, consecutive; the first. The sequence
    moves at once, outside the transaction, under a lock other loaders wait for."""
    cursor.execute("SELECT pg_advisory_lock(1400)")
    try:
        return _reserved(cursor, table, count)
    finally:
        cursor.execute("SELECT pg_advisory_unlock(1400)")


def _reserved(cursor: Any, table: str, count: int) -> int:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    statement = (
        f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), "  # noqa: S608 - names from this script
        f"(SELECT last_value FROM {sequence})) + %s)"
    )  # names of this script, not input
    cursor.execute(statement, [sequence, count])
    return int(cursor.fetchone()[0]) - count + 1


def _chunk(
    connection: Any, builder: Builder, number: int, size: int, seed: int
) -> dict[str, int]:
    from django.db import transaction

    rng = random.Random(seed * 1_000_003 + number)
    builder.tables = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL session_replication_role = replica")
        ids = Ids(
            dossier=_reserve(cursor, "dossiers_dossier", size),
            party=_reserve(cursor, "dossiers_dossierparty", size * 2),
            document=_reserve(cursor, "documents_document", size * 8),
        )
        for _ in range(size):
            builder.dossier(rng, ids)
        for name in ORDER:
            rows = builder.tables.get(name, [])
            if not rows:
                continue
            table, columns = COLUMNS[name]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        cursor.execute(
            "INSERT INTO bench_dossiers_chunk (number) VALUES (%s)", [number]
        )
    return {name: len(rows) for name, rows in builder.tables.items()}


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    started = time.monotonic()
    if database.ensure_postgres_database(url):
        print(f"Created the database of {url}")
    database.run([database.GUICHET, "migrate", "--no-input", "-v", "0"], url)
    database.django_setup(url)

    from django.db import connection

    from guichet.agents.models import Agent
    from guichet.documents.models import Document
    from guichet.parties.models import Organisation, Person

    if not Agent.objects.filter(username="front.legal").exists():
        database.run([database.GUICHET, "demo"], url)
    print(f"1. demo data ({time.monotonic() - started:.0f} s)", flush=True)
    _second_versions()
    print(f"2. case-type versions ({time.monotonic() - started:.0f} s)", flush=True)
    _agents(url)
    print(f"3. agents ({time.monotonic() - started:.0f} s)", flush=True)
    _persons(max(options.count // 5, 1000), options.seed)
    print(f"4. persons ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dossiers_chunk "
            "(number integer PRIMARY KEY, done_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute("SELECT number FROM bench_dossiers_chunk")
        done = {row[0] for row in cursor.fetchall()}
    sample = Document.objects.exclude(content_sha256="").order_by("id").first()
    refs = {
        "persons": list(
            Person.objects.filter(confidential_team__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        ),
        "organisations": list(Organisation.objects.values_list("id", flat=True)),
        "sha256": sample.content_sha256 if sample else "0" * 64,
        "size": sample.size if sample else 1024,
    }
    kinds = _kinds()
    builder = Builder(kinds, refs, dt.datetime.now(dt.UTC))
    chunks = -(-options.count // options.chunk)
    totals: dict[str, int] = {}
    written = len(done) * options.chunk
    print(
        f"5. dossiers: {chunks} chunks of {options.chunk:,}, {len(done)} done before",
        flush=True,
    )
    loading = time.monotonic()
    fresh = 0
    for number in range(chunks):
        if number in done or number % options.parts != options.part:
            continue
        size = min(options.chunk, options.count - number * options.chunk)
        counts = _chunk(connection, builder, number, size, options.seed)
        fresh += 1
        written += size
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
        rate = fresh * options.chunk / max(time.monotonic() - loading, 1e-3)
        left = (options.count - written) / rate if rate else 0
        print(
            f"  chunk {number + 1}/{chunks}: {written:,} dossiers, "
            f"{counts.get('event', 0):,} events in this chunk "
            f"({time.monotonic() - started:.0f} s, about {left / 60:.0f} min left)",
            flush=True,
        )
    if fresh:
        print(f"  rows written this run: {json.dumps(totals)}", flush=True)
        analysed = time.monotonic()
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = True
        for table, _columns in COLUMNS.values():
            raw.execute(f"VACUUM ANALYZE {table}")
        print(f"  analysed in {time.monotonic() - analysed:.0f} s", flush=True)
    print(f"Done: {options.count:,} dossiers ({time.monotonic() - started:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
