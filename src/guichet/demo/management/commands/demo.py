"""`guichet demo`: load the demo data set (idempotent: a second run changes nothing)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import transaction

from guichet.core.commands import GuichetCommand, UsageError
from guichet.demo import builders, data


class Command(GuichetCommand):
    help = "Load demo teams, agents, persons and organisations. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="confirmed",
            help="Needed when GUICHET_DEBUG is off: demo agents have a public password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["confirmed"]:
            raise UsageError(
                "GUICHET_DEBUG is off: this looks like production. The demo agents have a public "
                "password; add --i-know-this-is-not-production to load them anyway."
            )
        with transaction.atomic():
            report = builders.build(
                progress=lambda items, total, description: self.progress(
                    items, total=total, description=description
                )
            )
        payload = {
            "created": asdict(report),
            "password": data.DEMO_PASSWORD,
            "agents": [row[0] for row in data.AGENTS],
        }
        if self.json_output:
            self.emit(payload)
            return
        created = ", ".join(f"{count} {name}" for name, count in asdict(report).items())
        self.stdout.write(f"Demo data loaded ({created} created).")
        self.stdout.write(
            f"Demo agents (password '{data.DEMO_PASSWORD}'): "
            + ", ".join(payload["agents"])
        )
