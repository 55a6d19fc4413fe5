"""Base class of Guichet's management commands: JSON output and exit codes.

0 ok, 1 a negative answer (`NegativeAnswer`), 2 a usage error (`UsageError` or an
argparse error). With `--json`, the command prints exactly one JSON document on
standard output; human-readable text otherwise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .serialization import jsonable

T = TypeVar("T")


class UsageError(CommandError):
    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


class NegativeAnswer(CommandError):
    """The command ran well and its answer is 'no' (exit code 1)."""

    def __init__(self, message: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(message, returncode=1)
        self.payload = payload


class GuichetCommand(BaseCommand):
    json_output = False

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--json",
            action="store_true",
            dest="json_output",
            help="Print one JSON document, for scripts.",
        )
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        self.json_output = bool(options.get("json_output"))
        try:
            return super().execute(*args, **options)
        except NegativeAnswer as answer:
            if self.json_output and answer.payload is not None:
                self.emit(answer.payload)
                sys.exit(1)
            raise

    def emit(self, payload: Any) -> None:
        """Print the command's result: JSON with --json, else a readable listing."""
        if self.json_output:
            self.stdout.write(
                json.dumps(jsonable(payload), ensure_ascii=False, indent=2)
            )
        elif isinstance(payload, dict):
            for key, value in payload.items():
                self.stdout.write(f"{key}: {value}")
        else:
            self.stdout.write(str(payload))

    def progress(
        self, items: Iterable[T], *, total: int | None, description: str
    ) -> Iterator[T]:
        """Iterate with a progress bar on standard error (silent with --json or no TTY)."""
        from tqdm import tqdm

        disable = self.json_output or not sys.stderr.isatty()
        yield from tqdm(
            items,
            total=total,
            desc=description,
            unit="",
            disable=disable,
            file=sys.stderr,
        )
