#!/usr/bin/env python3
"""Fill a fresh database with requests and contacts for the requests benchmark.

    .venv/bin/python bench/requests/generate.py --size full \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_requests
    .venv/bin/python bench/requests/generate.py --size small \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_requests_small

`full` is 1,000,000 requests and 3,000,000 contacts (200,000 persons); `small` is
10,000 requests and 30,000 contacts (2,000 persons); `--requests N` sets any size
(contacts 3N, persons N/5). PostgreSQL only (the target is about PostgreSQL).

Creates the database if missing and migrates it, then writes in one transaction
with PostgreSQL COPY (foreign-key triggers off for the load:
`session_replication_role = replica`; the rows are consistent by construction):

- 50 teams (`cc-fr`, `visas` and `team-02` .. `team-49`), one second-line agent each,
  and the load client's agent `bench.agent` (first line of cc-fr, with a token in
  bench/out/);
- 50 routing rules (each team gets a topic and a language) and 24 service-level rules
  (each kind and priority; each shipped topic for questions);
- the persons, with bench/search's generator (one in 500 confidential to visas);
- the requests, spread evenly over the 50 teams and over the last two years: 25%
  open (new, in progress, waiting) due around now, the others answered or closed,
  one in four owned by its team's agent; one `created` timeline event each;
- the contacts: one per request (outcome `request_created`, linked to it) and two
  more per request answered at once, 10% of them anonymous.

Rows are written directly, not through the services: a million service calls would
take hours, and the audit chains (which the benchmark does not read) stay empty.
A database that already holds requests is refused; a failed run leaves none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

SEARCH = Path(__file__).resolve().parents[1] / "search"
sys.path.insert(0, str(SEARCH))

import database  # noqa: E402 - bench/search's helpers
from generate import Loader, batched  # noqa: E402 - bench/search's person loader
from population import Population  # noqa: E402

SIZES = {"full": 1_000_000, "small": 10_000}
TEAMS = 50
AGENT = database.AGENT
LANGUAGES = ("fr", "nl", "de")
OPEN = ("new", "in_progress", "waiting_citizen", "waiting_other")
CHANNELS = ("phone", "email", "counter", "letter", "web_form", "chat")
KINDS = ("information", "question", "complaint")
PRIORITIES = ("low", "normal", "high", "urgent")


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--requests", type=int, default=0, help="Overrides --size.")
    parser.add_argument("--database-url", required=True, help="postgres://...")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=20_000, help="Rows per COPY.")
    parser.add_argument(
        "--alongside",
        action="store_true",
        help="Load into a database that already holds other data (the dossiers "
        "benchmark's, for the reports benchmark): its persons are used, new ids "
        "follow the existing ones.",
    )
    options = parser.parse_args(argv)
    if database.vendor(options.database_url) != "postgresql":
        parser.error("PostgreSQL only")
    options.count = options.requests or SIZES[options.size]
    return options


def token_file(url: str) -> Path:
    return database.OUT / f"requests-{database.label(url)}.token"


class Table:
    """COPY rows of one model: each row a dict of attnames, the rest defaults."""

    def __init__(self, connection: Any, model: Any) -> None:
        self.connection = connection
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        self.defaults: list[Any] = []
        for field in self.fields:
            if field.attname in {"uuid", "id"}:
                self.defaults.append(None)
            elif field.get_internal_type() == "JSONField":
                self.defaults.append("{}")
            else:
                self.defaults.append(field.get_default())
        self.attnames = [field.attname for field in self.fields]
        self.written = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        names = ", ".join(self.columns)
        pairs = list(zip(self.attnames, self.defaults, strict=True))
        statement = f"COPY {self.table} ({names}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row.get(name, default) for name, default in pairs])
        self.written += len(rows)


def _reference_data(rng: random.Random) -> dict[str, Any]:
    """Teams, agents, rules: through the ORM (a few hundred rows)."""
    from decimal import Decimal

    from guichet.agents.models import Agent
    from guichet.agents.services import agent_create, team_ensure, token_create
    from guichet.contacts.models import Topic
    from guichet.servicerequests.models import RoutingRule, ServiceLevelRule

    codes = ["cc-fr", "visas", *(f"team-{n:02d}" for n in range(2, TEAMS))]
    teams = []
    for index, code in enumerate(codes):
        language = LANGUAGES[index % len(LANGUAGES)]
        teams.append(
            team_ensure(actor=None, code=code, name=code.title(), language=language)
        )
    agents = [
        agent_create(
            actor=None,
            username=f"bench.{team.code}",
            password=None,
            level="C",
            roles=["second_line"],
            teams=[team.code],
            first_name="Bench",
            last_name=team.code,
        )
        for team in teams
    ]
    agent = Agent.objects.filter(username=AGENT).first() or agent_create(
        actor=None,
        username=AGENT,
        password=None,
        level="C",
        roles=["first_line"],
        teams=["cc-fr"],
        first_name="Bench",
        last_name="Agent",
    )
    topics = list(Topic.objects.filter(team__isnull=True, is_active=True))
    leaves = [topic for topic in topics if topic.parent_id is not None] or topics
    for index, team in enumerate(teams):
        RoutingRule.objects.create(
            team=team,
            topic=leaves[index % len(leaves)],
            language=LANGUAGES[(index // len(leaves)) % len(LANGUAGES)],
            order=10 + index,
        )
    hours = {"low": 40, "normal": 24, "high": 16, "urgent": 8}
    for kind in KINDS:
        for priority in PRIORITIES:
            ServiceLevelRule.objects.create(
                kind=kind,
                priority=priority,
                first_answer_hours=Decimal(hours[priority] // 2),
                resolution_hours=Decimal(
                    hours[priority] * (3 if kind == "complaint" else 1)
                ),
            )
    for topic in leaves:
        ServiceLevelRule.objects.create(
            kind="question",
            topic=topic,
            first_answer_hours=Decimal(8),
            resolution_hours=Decimal(rng.choice([16, 24, 32])),
        )
    token = token_create(actor=None, agent=agent, name="requests benchmark").secret
    return {"teams": teams, "agents": agents, "topics": leaves, "token": token}


def _persons(connection: Any, count: int, seed: int, hidden_team_id: int) -> list[int]:
    from guichet.parties.models import Person

    loader = Loader(connection, seed=seed, hidden_team_id=hidden_team_id)
    for batch in batched(Population(seed).stream(count), 20_000):
        loader.load(batch)
    loader.finish()
    return list(Person.objects.order_by("id").values_list("id", flat=True))


def _requests(
    rng: random.Random, count: int, refs: dict[str, Any], persons: list[int]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each request with its contacts (the first one linked to it)."""
    now = dt.datetime.now(dt.UTC)
    span = dt.timedelta(days=730).total_seconds()
    teams = refs["teams"]
    agents = refs["agents"]
    topics = refs["topics"]
    creator = refs["creator_id"]
    for number in range(1, count + 1):
        index = number % TEAMS
        team, agent = teams[index], agents[index]
        topic = topics[number % len(topics)]
        person = persons[rng.randrange(len(persons))]
        state = rng.random()
        is_open = state < 0.25
        if is_open:
            received = now - dt.timedelta(seconds=rng.random() * 14 * 86400)
            status = OPEN[number % len(OPEN)]
        else:
            received = now - dt.timedelta(seconds=15 * 86400 + rng.random() * span)
            status = "answered" if state < 0.35 else "closed"
        due = received + dt.timedelta(hours=rng.choice([16, 24, 40, 72, 120]))
        owned = (is_open and rng.random() < 0.25) or not is_open
        channel = CHANNELS[number % len(CHANNELS)]
        language = LANGUAGES[number % len(LANGUAGES)]
        request = {
            "id": number + refs.get("offset", 0),
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": received,
            "updated_at": received,
            "version": 1 if status == "new" else 3,
            "kind": KINDS[number % 2],  # information and question
            "subject": f"Question {number} about {topic.code}",
            "person_id": person,
            "topic_id": topic.pk,
            "priority": PRIORITIES[number % len(PRIORITIES)],
            "channel": channel,
            "reply_channel": channel,
            "language": language,
            "team_id": team.pk,
            "owner_id": agent.pk if owned else None,
            "created_by_id": creator,
            "status": status,
            "received_at": received,
            "first_answer_due": received + dt.timedelta(hours=8),
            "resolution_due": due,
            "first_answered_at": None if status in ("new", "in_progress") else due,
            "resolved_at": None if is_open else due,
            "paused_since": received if status == "waiting_citizen" else None,
        }
        contacts = []
        for which in range(3):
            started = received if which == 0 else received - dt.timedelta(days=which)
            anonymous = which and rng.random() < 0.1
            contacts.append(
                {
                    "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": started,
                    "updated_at": started,
                    "version": 1,
                    "channel": channel,
                    "direction": "inbound",
                    "started_at": started,
                    "ended_at": started + dt.timedelta(seconds=60 + rng.randrange(600)),
                    "agent_id": creator,
                    "team_id": teams[0].pk,
                    "person_id": None if anonymous else person,
                    "anonymous_details": "Caller gave no name" if anonymous else "",
                    "topic_id": topic.pk,
                    "summary": f"Call about {topic.code}",
                    "outcome": "request_created" if which == 0 else "answered",
                    "language": language,
                }
            )
        yield request, contacts


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    started = time.monotonic()
    if database.ensure_postgres_database(url):
        print(f"Created the database of {url}")
    database.run([database.GUICHET, "migrate", "--no-input", "-v", "0"], url)
    database.django_setup(url)

    from django.db import connection, transaction
    from django.db.models import Max

    from guichet.contacts.models import Contact
    from guichet.servicerequests.models import Request, RequestContact, RequestEvent

    already = Request.objects.count()
    if (already and not options.alongside) or already > 10_000:
        print(f"Refused: {url} already holds requests.", file=sys.stderr)
        return 2

    def top(model: Any) -> int:
        return int(model.objects.aggregate(top=Max("id"))["top"] or 0)

    rng = random.Random(options.seed)
    count = options.count
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        refs = _reference_data(rng)
        hidden = next(team for team in refs["teams"] if team.code == "visas")
        from guichet.agents.models import Agent

        refs["creator_id"] = Agent.objects.get(username=AGENT).pk
        if options.alongside:
            from guichet.parties.models import Person

            persons = list(Person.objects.order_by("id").values_list("id", flat=True))
            refs["offset"] = top(Request)
        else:
            persons = _persons(
                connection, max(count // 5, 1000), options.seed, hidden.pk
            )
        print(
            f"{len(persons):,} persons in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        requests = Table(connection, Request)
        contacts = Table(connection, Contact)
        links = Table(connection, RequestContact)
        events = Table(connection, RequestEvent)
        contact_id = top(Contact)
        link_id = top(RequestContact)
        event_id = top(RequestEvent)
        for batch in batched(_requests(rng, count, refs, persons), options.batch):
            request_rows, contact_rows, link_rows, event_rows = [], [], [], []
            for request, its_contacts in batch:
                request_rows.append(request)
                for position, contact in enumerate(its_contacts):
                    contact_id += 1
                    contact["id"] = contact_id
                    contact_rows.append(contact)
                    if position == 0:
                        link_id += 1
                        link_rows.append(
                            {
                                "id": link_id,
                                "request_id": request["id"],
                                "contact_id": contact_id,
                            }
                        )
                event_id += 1
                event_rows.append(
                    {
                        "id": event_id,
                        "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "created_at": request["created_at"],
                        "updated_at": request["created_at"],
                        "request_id": request["id"],
                        "kind": "created",
                        "agent_id": refs["creator_id"],
                        "to_status": "new",
                    }
                )
            requests.write(request_rows)
            contacts.write(contact_rows)
            links.write(link_rows)
            events.write(event_rows)
            print(
                f"  {requests.written:,} requests, {contacts.written:,} contacts "
                f"({time.monotonic() - started:.0f} s)",
                flush=True,
            )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
        from django.core.management.color import no_style

        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Request, Contact, RequestContact, RequestEvent]
        ):
            with connection.cursor() as cursor:
                cursor.execute(statement)
    loaded = time.monotonic()
    with connection.cursor() as cursor:
        for table in (
            "servicerequests_request",
            "contacts_contact",
            "servicerequests_requestcontact",
            "servicerequests_requestevent",
            "parties_person",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    database.OUT.mkdir(parents=True, exist_ok=True)
    path = token_file(url)
    path.write_text(refs["token"] + "\n")
    path.chmod(0o600)
    print(
        f"Loaded {count:,} requests and {contacts.written:,} contacts in "
        f"{loaded - started:.0f} s (analysed in {time.monotonic() - loaded:.0f} s). "
        f"Token of {AGENT} in {path.relative_to(database.ROOT)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
