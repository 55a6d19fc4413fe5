"""Base class of Guichet's management commands: JSON output and exit codes.

0 ok, 1 a negative answer (`NegativeAnswer`), 2 a usage error (`UsageError` or an
argparse error). With `--json`, the command prints exactly one JSON document on
standard output; human-readable text otherwise. An error prints only its message on
standard error, in the configured language (GUICHET_LANGUAGE), never a Python class
name; a command run before `guichet migrate` says so instead of a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

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


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """`--json` on an action's own parser too (`guichet X ACTION ... --json`);
    SUPPRESS keeps a --json given before the action."""
    parser.add_argument(
        "--json",
        action="store_true",
        dest="json_output",
        default=argparse.SUPPRESS,
        help="Print one JSON document, for scripts.",
    )


def database_not_ready(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database cannot be opened or misses migrations: what a
    `DatabaseError` means before `guichet migrate` has run."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[using])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True


class GuichetCommand(BaseCommand):
    json_output = False
    # Django's system checks load every URL (the API builds its schemas then), which
    # costs seconds of start-up to each command; `guichet check` runs them, and
    # `migrate` and `runserver` keep theirs.
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        """Django's, except that an error prints its message alone (Django prefixes
        the exception's class name, `NegativeAnswer: ...`, which means nothing to a
        user)."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(str(error), lambda text: text)
            sys.exit(error.returncode)
        finally:
            with contextlib.suppress(ImproperlyConfigured):
                connections.close_all()

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
        except DatabaseError:
            if database_not_ready():
                raise UsageError(
                    _("The database is not set up: run `guichet migrate` first.")
                ) from None
            raise
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
