"""`guichet check KIND VALUE... [--on YYYY-MM-DD] [--language L] [--json]`.

Checks an identifier or a machine-readable zone and prints the result: with
`--json`, one object `{"kind", "valid", "normalized", "errors", "warnings",
"fields"}`. Exit 0 when valid, 1 when not, 2 on a usage error. The lines of a zone
(`mrz`) are separate values.

Without a kind (or with app labels and Django's options such as `--deploy`), this is
still Django's own system check, which this command replaces under the same name.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils import translation

from guichet.checks.kinds import KINDS, run_check
from guichet.checks.result import CheckResult
from guichet.core.commands import GuichetCommand, NegativeAnswer, UsageError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date written YYYY-MM-DD"
        ) from None


class Command(GuichetCommand, SystemCheckCommand):
    help = (
        "Check an identifier or a machine-readable zone: KIND is one of "
        f"{', '.join(KINDS)}; give the value (for mrz, each line as its own value). "
        "Exit 0 valid, 1 invalid, 2 usage error. Without KIND: Django's system checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.usage = (
            "guichet check KIND VALUE... [--on YYYY-MM-DD] [--language L] [--json]\n"
            "       guichet check [app_label ...] [--deploy] [--tag TAG] (system checks)"
        )
        parser.add_argument(
            "--on",
            type=_date,
            help="Reference date for two-digit years and expiry (default: today).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: GUICHET_LANGUAGE).",
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        args = [str(arg) for arg in app_labels]
        if args and args[0] in KINDS:
            self._check_value(args[0], args[1:], options)
            return
        if options["on"] or options["language"]:
            raise UsageError(
                f"--on and --language go with a kind of check ({', '.join(KINDS)})."
            )
        labels = {config.label for config in apps.get_app_configs()}
        unknown = [label for label in args if label not in labels]
        if unknown:
            raise UsageError(
                f"Unknown kind of check {unknown[0]!r}: give one of {', '.join(KINDS)}, "
                "then the value."
            )
        super().handle(*app_labels, **options)

    def _check_value(
        self, kind: str, values: list[str], options: dict[str, Any]
    ) -> None:
        if not values:
            raise UsageError(f"Give the value to check after {kind!r}.")
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            result = run_check(kind, values, on=options["on"])
            payload = result.as_dict()
            if not self.json_output:
                self._print(result, payload)
        if not result.valid:
            raise NegativeAnswer(
                f"{kind}: not valid ({', '.join(error['code'] for error in payload['errors'])}).",
                payload,
            )
        if self.json_output:
            self.emit(payload)

    def _print(self, result: CheckResult, payload: dict[str, Any]) -> None:
        self.stdout.write(f"{result.kind}: {'valid' if result.valid else 'NOT valid'}")
        self.stdout.write(f"normalized: {result.normalized}")
        for heading in ("errors", "warnings"):
            for item in payload[heading]:
                self.stdout.write(f"{heading[:-1]} [{item['code']}]: {item['message']}")
        for name, value in payload["fields"].items():
            self.stdout.write(f"{name}: {value}")
