"""`guichet garnishment compute|allocate|tables`: the seizable part and its sharing.

    guichet garnishment compute [--earned AMOUNT] [--replacement AMOUNT] [--children N]
                                [--maintenance] --on YYYY-MM-DD [--json]
    guichet garnishment allocate --file CASE.json [--json]
    guichet garnishment tables import FILE [--json]     (JSON or CSV, see README)
    guichet garnishment tables list [--json]

Exit codes: 0 answered; 1 no bracket table in force on that date (never another
year's figures); 2 bad input (with --json: {"error": {"code", "message", "field"}}).
Explanations are written in --language (default GUICHET_LANGUAGE).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.core.commands import (
    GuichetCommand,
    NegativeAnswer,
    UsageError,
    add_json_option,
)
from guichet.core.errors import GuichetError
from guichet.core.serialization import json_loads
from guichet.debts import selectors, serialize, services
from guichet.debts import validation as v
from guichet.debts.errors import NoTableInForce
from guichet.debts.garnishment import BracketTable

LANGUAGES = ["fr", "nl", "de", "en"]


class _BadFile(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def read_json(path: str) -> Any:
    """The file's JSON, with numbers read as exact decimals (never floats)."""
    text = _read(path)
    try:
        return json_loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except ValueError as error:
        raise _BadFile("malformed", f"{path} is not valid JSON: {error}") from None


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _BadFile("unreadable", f"cannot read {path}: {error}") from None


def read_tables(path: str) -> list[Any]:
    """Bracket tables from a JSON list (or {"tables": [...]}) or a CSV with a header."""
    if path.lower().endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(_read(path))))
        return [
            {
                key: value
                for key, value in row.items()
                if value not in (None, "") or key == "note"
            }
            for row in rows
        ]
    data = read_json(path)
    if isinstance(data, dict) and set(data) == {"tables"}:
        data = data["tables"]
    if not isinstance(data, list):
        raise _BadFile("malformed", f"{path}: give a list of tables")
    return data


class Command(GuichetCommand):
    help = (
        "Garnishment: the seizable part of an income (compute), a month's income shared "
        "among creditors in their legal order (allocate), and the bracket tables (tables)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default=None,
            help="Language of the explanations (default: GUICHET_LANGUAGE).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        compute = actions.add_parser("compute", help="The seizable part of an income.")
        compute.add_argument("--earned", metavar="AMOUNT", help="Net earned income.")
        compute.add_argument(
            "--replacement",
            metavar="AMOUNT",
            help="Net replacement income (unemployment benefit, sickness, pension).",
        )
        compute.add_argument(
            "--children", metavar="N", default="0", help="Dependent children declared."
        )
        compute.add_argument(
            "--maintenance",
            action="store_true",
            help="The seizure is for a maintenance debt (art. 1412: no limits).",
        )
        compute.add_argument(
            "--on", metavar="YYYY-MM-DD", required=True, help="Payment date."
        )
        allocate = actions.add_parser(
            "allocate", help="Share a month's income among creditors."
        )
        allocate.add_argument(
            "--file", metavar="CASE.json", required=True, help="The case ('-': stdin)."
        )
        tables = actions.add_parser("tables", help="Bracket tables: import or list.")
        table_actions = tables.add_subparsers(
            dest="table_action", required=True, metavar="ACTION"
        )
        importing = table_actions.add_parser(
            "import", help="Add tables from a JSON or CSV file (see README)."
        )
        importing.add_argument("file", metavar="FILE")
        table_actions.add_parser("list", help="List the tables loaded.")
        for sub in (compute, allocate, importing, table_actions.choices["list"]):
            add_json_option(sub)
            sub.add_argument("--language", choices=LANGUAGES, default=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        language = options.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                if options["action"] == "compute":
                    self._compute(options)
                elif options["action"] == "allocate":
                    self._allocate(options)
                elif options["table_action"] == "import":
                    self._import(options["file"])
                else:
                    self._list()
            except NoTableInForce as error:
                raise NegativeAnswer(error.text, self._error_payload(error)) from None
            except GuichetError as error:
                self._refuse(self._error_payload(error))
            except _BadFile as error:
                field = "file"
                self._refuse(
                    {
                        "error": {
                            "code": error.code,
                            "message": error.message,
                            "field": field,
                        }
                    }
                )

    def _error_payload(self, error: GuichetError) -> dict[str, Any]:
        details = [item.as_dict() for item in error.errors]
        if details:
            first = details[0]
            body = {
                "code": first["code"],
                "message": "; ".join(
                    f"{item['field']}: {item['message']}" for item in details
                ),
                "field": first["field"],
                "errors": details,
            }
        else:
            body = {"code": error.code, "message": error.text}
        return {"error": body}

    def _refuse(self, payload: dict[str, Any]) -> NoReturn:
        """Bad input: exit 2, with the error as JSON on standard output under --json."""
        if self.json_output:
            self.emit(payload)
            sys.exit(2)
        raise UsageError(payload["error"]["message"])

    def _compute(self, options: dict[str, Any]) -> None:
        request = v.compute_request(
            {
                "on": options["on"],
                "earned": options["earned"],
                "replacement": options["replacement"],
                "children": options["children"],
                "maintenance": options["maintenance"],
            }
        )
        result = selectors.garnishment_compute(
            on=request.on,
            income=request.income,
            children=request.children,
            maintenance=request.maintenance,
        )
        payload = {"on": request.on.isoformat(), **serialize.garnishment_dict(result)}
        if self.json_output:
            self.emit(payload)
            return
        self.stdout.write(
            f"Table {result.table.code} ({result.table.valid_from} - {result.table.valid_to}), "
            f"{result.scale.value} income scale."
        )
        self._write_source(result.table)
        for band in payload["bands"]:
            self.stdout.write(
                f"  {band['from']:>10} - {band['to'] or '':>10}  {band['rate']}  {band['amount']:>10}"
            )
        self.stdout.write(f"Seizable: {payload['seizable']}  Kept: {payload['kept']}")
        self.stdout.write(payload["explanation"])

    def _write_source(self, table: BracketTable) -> None:
        """The table's source and confidence, and the warning when it is not high."""
        self.stdout.write(
            _("Source (as recorded, not translated): %(source)s")
            % {"source": table.source}
        )
        self.stdout.write(
            _("Confidence: %(confidence)s") % {"confidence": table.confidence_label}
        )
        if table.warning is not None:
            self.stdout.write(f"! {table.warning.text()}")

    def _allocate(self, options: dict[str, Any]) -> None:
        case = v.case_request(read_json(options["file"]))
        result = selectors.allocation_compute(
            on=case.on, income=case.income, children=case.children, claims=case.claims
        )
        payload = {"on": case.on.isoformat(), **serialize.allocation_dict(result)}
        if self.json_output:
            self.emit(payload)
            return
        self.stdout.write(f"Table {result.garnishment.table.code}.")
        self._write_source(result.garnishment.table)
        for line in payload["claims"]:
            self.stdout.write(
                f"#{line['rank']} {line['id']} ({line['kind']}): {line['amount']}"
                f" - {line['explanation']}"
            )
        self.stdout.write(f"To the beneficiary: {payload['to_beneficiary']}")

    def _import(self, path: str) -> None:
        result = services.bracket_tables_import(actor=None, rows=read_tables(path))
        payload = {"created": result.created, "unchanged": result.unchanged}
        if self.json_output:
            self.emit(payload)
            return
        self.stdout.write(
            f"Created: {', '.join(result.created) or 'none'}; "
            f"already loaded: {', '.join(result.unchanged) or 'none'}."
        )

    def _list(self) -> None:
        tables = [serialize.table_dict(table) for table in selectors.bracket_tables()]
        if self.json_output:
            self.emit({"tables": tables})
            return
        for table in tables:
            self.stdout.write(
                f"{table['id']:<20} {table['from']} - {table['to']}  "
                f"{'+'.join(table['income_kinds']):<19} {' / '.join(table['thresholds'])}"
                f"  child {table['child_reduction']}  {table['confidence']}"
            )
