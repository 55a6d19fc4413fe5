#!/usr/bin/env python3
"""Fill a fresh database with N synthetic persons for the search benchmark.

    .venv/bin/python bench/search/generate.py --size 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/guichet_bench

Creates the PostgreSQL database if it is missing, migrates it with `guichet
migrate`, then loads the persons in one transaction: PostgreSQL COPY, SQLite
executemany. Each person has a valid national register (or BIS) number, a Belgian
name (shared surnames and given names with accents, particles, double-barrelled
surnames; see names.py and population.py), a mobile phone in E.164, often an
e-mail address, and `search_name` folded exactly as `parties.services` folds it.
One person in 500 is confidential to the visas team. The agent `bench.agent`
(first line, contact center FR) gets an API token, written to bench/out/.

Rows are written directly, not through `person_create`: a million service calls
would take hours, and the changes chain (which search never reads) stays empty.
A database that already holds persons is refused; a failed run leaves none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

import database
from population import Population, SyntheticPerson
from tqdm import tqdm

PERSON_COLUMNS = [
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "version",
    "given_names",
    "surname",
    "birth_date",
    "sex",
    "national_number",
    "national_number_type",
    "language",
    "confidential_team_id",
    "search_name",
]
CONTACT_COLUMNS = [
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "person_id",
    "organisation_id",
    "label",
    "is_primary",
]
PHONE_COLUMNS = [*CONTACT_COLUMNS, "e164", "kind"]
EMAIL_COLUMNS = [*CONTACT_COLUMNS, "address", "address_key"]


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, required=True, help="Number of persons.")
    parser.add_argument(
        "--database-url",
        required=True,
        help="postgres://user@host:port/name or sqlite:////absolute/path.sqlite3",
    )
    parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
    parser.add_argument("--batch", type=int, default=20_000, help="Rows per batch.")
    options = parser.parse_args(argv)
    if options.size < 1:
        parser.error("--size must be at least 1")
    return options


def batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


class Loader:
    """Writes batches of persons with their phone and e-mail, in the vendor's fast way."""

    def __init__(self, connection: Any, *, seed: int, hidden_team_id: int) -> None:
        from guichet.parties.models import EmailAddress, Person, PhoneNumber

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.uuids = random.Random(seed + 1)
        self.hidden_team_id = hidden_team_id
        self.now = dt.datetime.now(dt.UTC)
        self.next_id = {
            model: (
                model.objects.order_by("-id").values_list("id", flat=True).first() or 0
            )
            + 1
            for model in (Person, PhoneNumber, EmailAddress)
        }
        self.models = (Person, PhoneNumber, EmailAddress)

    def _uuid(self) -> Any:
        value = uuid.UUID(int=self.uuids.getrandbits(128), version=4)
        return value if self.postgres else value.hex

    def _stamp(self) -> Any:
        if self.postgres:
            return self.now
        return self.connection.ops.adapt_datetimefield_value(self.now)

    def _take_id(self, model: Any) -> int:
        value: int = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def rows(
        self, batch: list[SyntheticPerson]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        person_model, phone_model, email_model = self.models
        stamp = self._stamp()
        persons, phones, emails = [], [], []
        for synthetic in batch:
            person_id = self._take_id(person_model)
            birth = (
                synthetic.birth_date
                if self.postgres
                else synthetic.birth_date.isoformat()
            )
            persons.append(
                (
                    person_id,
                    self._uuid(),
                    stamp,
                    stamp,
                    1,
                    synthetic.given_names,
                    synthetic.surname,
                    birth,
                    synthetic.sex,
                    synthetic.national_number,
                    synthetic.national_number_type,
                    synthetic.language,
                    self.hidden_team_id if synthetic.confidential else None,
                    synthetic.search_name,
                )
            )
            phones.append(
                (
                    self._take_id(phone_model),
                    self._uuid(),
                    stamp,
                    stamp,
                    person_id,
                    None,
                    "",
                    True,
                    synthetic.phone_e164,
                    "mobile",
                )
            )
            if synthetic.email:
                emails.append(
                    (
                        self._take_id(email_model),
                        self._uuid(),
                        stamp,
                        stamp,
                        person_id,
                        None,
                        "",
                        True,
                        synthetic.email,
                        synthetic.email.lower(),
                    )
                )
        return persons, phones, emails

    def write(
        self, table: str, columns: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        with self.connection.cursor() as cursor:
            if self.postgres:
                # The psycopg cursor under Django's wrapper: COPY is the fast path.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - fixed names
                    rows,
                )

    def load(self, batch: list[SyntheticPerson]) -> None:
        persons, phones, emails = self.rows(batch)
        self.write("parties_person", PERSON_COLUMNS, persons)
        self.write("parties_phonenumber", PHONE_COLUMNS, phones)
        self.write("parties_emailaddress", EMAIL_COLUMNS, emails)

    def finish(self) -> None:
        """Move the id sequences past the ids written explicitly."""
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def bench_agent() -> tuple[Any, str]:
    """The agent the load client acts as, and a fresh token for it."""
    from guichet.agents.models import Agent
    from guichet.agents.services import agent_create, team_ensure, token_create

    for code, name in (database.AGENT_TEAM, database.HIDDEN_TEAM):
        team_ensure(actor=None, code=code, name=name)
    agent = Agent.objects.filter(username=database.AGENT).first()
    if agent is None:
        agent = agent_create(
            actor=None,
            username=database.AGENT,
            password=None,
            level="C",
            roles=["first_line"],
            teams=[database.AGENT_TEAM[0]],
            first_name="Bench",
            last_name="Agent",
        )
    issued = token_create(actor=None, agent=agent, name="search benchmark")
    return agent, issued.secret


def analyse(connection: Any) -> None:
    """Fresh statistics (and, on PostgreSQL, a visibility map) before measuring."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (
                "parties_person",
                "parties_phonenumber",
                "parties_emailaddress",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute(
                "INSERT INTO parties_person_fts(parties_person_fts) VALUES ('optimize')"
            )


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    started = time.monotonic()
    if database.vendor(url) == "postgresql" and database.ensure_postgres_database(url):
        print(f"Created the database of {url}")
    database.run([database.GUICHET, "migrate", "--no-input", "-v", "0"], url)
    database.django_setup(url)

    from django.db import connection, transaction

    from guichet.agents.models import Team
    from guichet.parties.models import Person

    existing = Person.objects.count()
    if existing:
        print(
            f"Refused: {url} already holds {existing:,} persons. Generate into a fresh "
            "database (dropdb, or delete the SQLite file) so every run measures the same data.",
            file=sys.stderr,
        )
        return 2
    population = Population(options.seed)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        _, token = bench_agent()
        hidden_team = Team.objects.get(code=database.HIDDEN_TEAM[0])
        loader = Loader(connection, seed=options.seed, hidden_team_id=hidden_team.pk)
        with tqdm(total=options.size, unit=" persons", unit_scale=True) as progress:
            for batch in batched(population.stream(options.size), options.batch):
                loader.load(batch)
                progress.update(len(batch))
        loader.finish()
    loaded = time.monotonic()
    print("Analysing the tables ...", flush=True)
    analyse(connection)
    database.OUT.mkdir(parents=True, exist_ok=True)
    token_path = database.token_file(url)
    token_path.write_text(token + "\n")
    token_path.chmod(0o600)
    print(
        f"Loaded {options.size:,} persons in {loaded - started:.0f} s "
        f"(analysed in {time.monotonic() - loaded:.0f} s). "
        f"Token of {database.AGENT} in {token_path.relative_to(database.ROOT)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
