"""`guichet calendar due|list`: deadlines in business time, and the calendars.

    guichet calendar due --start ISO8601 --hours N [--pause START/END]...
                         [--calendar CODE] [--json]
    guichet calendar list [--json]

`due` prints the instant N business hours after START in the calendar (default
`default`), with its UTC offset: `{"due": "2026-12-07T11:00:00+01:00"}` on one line
with --json, the instant alone otherwise. START and both ends of a pause must carry
a UTC offset (or Z): an instant without one is refused (exit 2, `missing_offset`),
because the deadline would depend on the zone the caller assumed. Exit codes: 0 answered, 2 bad
input or a database that is not ready; with --json the error is
`{"error": {"code": "...", "message": "..."}}` on standard output. Never a
traceback. The interface is how deadline arithmetic is checked from outside: keep it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import CommandParser
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from guichet.calendars import business_time, selectors
from guichet.calendars import validation as v
from guichet.calendars.errors import Code, UnknownCalendar
from guichet.calendars.models import DEFAULT_CODE, BusinessCalendar, ClosingDay
from guichet.core.commands import GuichetCommand, UsageError, add_json_option
from guichet.core.serialization import jsonable
from guichet.core.validation import Problems

WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Parser(CommandParser):
    """Argument errors as JSON when the command line asked for --json."""

    json_errors = False

    def error(self, message: str) -> Any:
        if self.called_from_command_line and _Parser.json_errors:
            payload = {"error": {"code": "usage", "message": message}}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
            sys.exit(2)
        return super().error(message)


class Command(GuichetCommand):
    help = (
        "Business calendars: the instant a number of business hours after a start "
        "(due), and the calendars known (list)."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        _Parser.json_errors = "--json" in argv[2:]
        try:
            super().run_from_argv(argv)
        finally:
            _Parser.json_errors = False

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=_Parser
        )
        due = actions.add_parser(
            "due",
            help="The instant N business hours after a start.",
            description=(
                "Print the instant N business hours after --start in the calendar's "
                "opening hours (closed days, holidays and pauses do not count). "
                "Instants are ISO 8601 with a UTC offset or Z "
                "(2026-12-24T16:00:00+01:00); one without an offset is refused with "
                "exit code 2 (missing_offset). Exit codes: 0 answered, 2 bad input "
                "or a database not migrated."
            ),
        )
        due.add_argument(
            "--start",
            required=True,
            metavar="ISO8601",
            help="When the clock starts, with its UTC offset (2026-12-24T16:00+01:00).",
        )
        due.add_argument(
            "--hours",
            required=True,
            metavar="N",
            help="Business hours to add: an integer or a decimal (8, 1.5).",
        )
        due.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="START/END",
            help="A time the clock stops, two ISO 8601 instants with offsets "
            "(repeatable; pauses may overlap each other or closed time).",
        )
        due.add_argument(
            "--calendar",
            default=DEFAULT_CODE,
            metavar="CODE",
            help=f"The calendar to count in (default: {DEFAULT_CODE}).",
        )
        listing = actions.add_parser(
            "list", help="The calendars, their hours and days."
        )
        for sub in (due, listing):
            add_json_option(sub)

    def emit(self, payload: Any) -> None:
        """One JSON document on one line, exactly `{"due": "..."}`: scripts compare it."""
        if self.json_output:
            self.stdout.write(json.dumps(jsonable(payload), ensure_ascii=False))
        else:  # pragma: no cover - this command writes its own text
            super().emit(payload)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        try:
            if options["action"] == "due":
                self._due(options)
            else:
                self._list()
        except _Refused as refused:
            self._refuse(refused.code, refused.message)

    def _refuse(self, code: str, message: str) -> NoReturn:
        """Bad input: exit 2, with the error as JSON on standard output under --json."""
        if self.json_output:
            self.emit({"error": {"code": code, "message": message}})
            sys.exit(2)
        raise UsageError(message)

    def _due(self, options: dict[str, Any]) -> None:
        problems = Problems()
        start = v.instant(problems, "start", options["start"])
        hours = v.hours(problems, "hours", options["hours"])
        pauses = [v.pause(problems, "pause", text) for text in options["pause"]]
        if problems.errors or start is None or hours is None:
            first = problems.errors[0]  # a value is None only with its error
            raise _Refused(first.code, first.text)
        calendar = self._calendar(options["calendar"])
        try:
            due = business_time.due(
                start, hours, calendar, [pause for pause in pauses if pause]
            )
        except business_time.BusinessTimeError as error:
            raise _Refused(error.code, _arithmetic_message(error)) from None
        if self.json_output:
            self.emit({"due": due.isoformat()})
        else:
            self.stdout.write(due.isoformat())

    def _calendar(self, code: str) -> business_time.Calendar:
        self._require_database()
        try:
            return selectors.calendar_get(code=code)
        except UnknownCalendar as error:
            raise _Refused(Code.UNKNOWN_CALENDAR, error.text) from None
        except DatabaseError as error:
            raise _unavailable(error) from None

    def _require_database(self) -> None:
        """Refuse, instead of a traceback, when the database is missing or empty."""
        not_ready = _Refused(
            Code.DATABASE_NOT_READY,
            _("The database is not ready: run `guichet migrate` first."),
        )
        if connection.vendor == "sqlite":
            name = str(connection.settings_dict["NAME"])
            if not _in_memory(name) and not Path(name).exists():
                raise not_ready
        try:
            tables = set(connection.introspection.table_names())
        except DatabaseError as error:
            raise _unavailable(error) from None
        needed = {BusinessCalendar._meta.db_table, ClosingDay._meta.db_table}
        if not needed <= tables:
            raise not_ready

    def _list(self) -> None:
        self._require_database()
        calendars = selectors.calendar_list()
        if self.json_output:
            self.emit(
                {
                    "calendars": [
                        {
                            "code": calendar.code,
                            "name": calendar.name,
                            "time_zone": calendar.time_zone,
                            "hours": {
                                day.lower(): hours
                                for day, hours in zip(
                                    WEEKDAYS, calendar.weekly_hours, strict=True
                                )
                            },
                            "closes_on_public_holidays": calendar.closes_on_public_holidays,
                            "closing_days": [
                                {"date": day.date.isoformat(), "reason": day.reason}
                                for day in calendar.closing_days
                            ],
                            "teams": list(calendar.teams),
                        }
                        for calendar in calendars
                    ]
                }
            )
            return
        for calendar in calendars:
            holidays = (
                ", closed on Belgian public holidays"
                if calendar.closes_on_public_holidays
                else ""
            )
            self.stdout.write(
                f"{calendar.code}: {calendar.name} ({calendar.time_zone}{holidays})"
            )
            for day, hours in zip(WEEKDAYS, calendar.weekly_hours, strict=True):
                self.stdout.write(f"  {day:<9} {hours or 'closed'}")
            for closing in calendar.closing_days:
                self.stdout.write(
                    f"  closed on {closing.date.isoformat()}: {closing.reason}"
                )
            if calendar.teams:
                self.stdout.write(f"  teams: {', '.join(calendar.teams)}")


def _arithmetic_message(error: business_time.BusinessTimeError) -> str:
    """The arithmetic's refusals the input checks cannot foresee, translated."""
    if error.code == Code.OUT_OF_RANGE:
        return _("Give instants between the years 1900 and 8999.")
    if error.code == Code.NEVER_OPEN:
        return _("The calendar has no opening hours left to count in.")
    return error.message  # pragma: no cover - the input checks refuse the others


def _unavailable(error: DatabaseError) -> _Refused:
    detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return _Refused(
        Code.DATABASE_UNAVAILABLE,
        _("Cannot read the database (%(error)s); then run `guichet migrate`.")
        % {"error": detail},
    )


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name
