"""`guichet envdoc`: print docs/env.md from the declared environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from guichet import env
from guichet.core.commands import GuichetCommand, NegativeAnswer


class Command(GuichetCommand):
    help = "Print (or check) the Markdown list of environment variables, docs/env.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            metavar="FILE",
            help="Exit 1 if FILE differs from what would be printed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = env.markdown()
        if options["check"]:
            current = (
                Path(options["check"]).read_text()
                if Path(options["check"]).exists()
                else ""
            )
            if current != text:
                raise NegativeAnswer(
                    f"{options['check']} is out of date: run 'guichet envdoc > {options['check']}'."
                )
            return
        self.stdout.write(text, ending="")
