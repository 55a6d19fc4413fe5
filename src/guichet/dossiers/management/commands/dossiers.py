"""`guichet dossiers retention`: archive or destroy the dossiers whose retention ended.

    guichet dossiers retention [--dry-run] [--today YYYY-MM-DD] [--batch N] [--json]

What the daily background task does (`dossiers.tasks.dossiers_retention_run`), on
demand: each dossier in its own transaction, so an interrupted run is simply run
again. `--dry-run` lists what would be done and changes nothing. `--today` runs as
on an earlier day (a late catch-up that must not reach past a given day); a day
after today is refused, since it would end retention early. Exit codes: 0 done
(or nothing to do), 2 bad arguments. With --json one document on standard output:
`{"today", "dry_run", "archived": [references], "destroyed": [references]}`.
A progress bar is drawn on standard error when it is a terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.core import clock
from guichet.core.commands import GuichetCommand, UsageError
from guichet.dossiers import retention


class Command(GuichetCommand):
    help = "Dossiers: archive or destroy those whose retention period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser(
            "retention",
            help="Archive or destroy the dossiers whose retention has ended.",
            description=(
                "Archive or destroy, as their case type says, the closed dossiers "
                "kept until a day before today. Exit 0 done, 2 bad arguments."
            ),
        )
        run.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be archived or destroyed; change nothing.",
        )
        run.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as on this day (not after today).",
        )
        run.add_argument(
            "--batch",
            type=int,
            default=retention.BATCH,
            metavar="N",
            help="How many dossiers are read at a time (default %(default)s).",
        )
        run.add_argument(
            "--json",
            action="store_true",
            dest="json_output",
            default=argparse.SUPPRESS,
            help="Print one JSON document, for scripts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        day = _day(options.get("today"))
        if options["batch"] < 1:
            raise UsageError(_("The batch must hold at least one dossier."))
        report = retention.RetentionReport(today=day, dry_run=options["dry_run"])
        steps = retention.dossiers_retention_steps(
            report=report, batch=options["batch"]
        )
        for _outcome in self.progress(
            steps, total=retention.due(today=day).count(), description="dossiers"
        ):
            pass
        if self.json_output:
            self.emit({**asdict(report), "today": day.isoformat()})
            return
        lines = (
            (
                report.archived,
                _("%(reference)s: would be archived")
                if report.dry_run
                else _("%(reference)s: archived"),
            ),
            (
                report.destroyed,
                _("%(reference)s: would be destroyed")
                if report.dry_run
                else _("%(reference)s: destroyed"),
            ),
        )
        for references, line in lines:
            for reference in references:
                self.stdout.write(line % {"reference": reference})
        summary = (
            _(
                "Dry run: %(archived)s to archive, %(destroyed)s to destroy (as on "
                "%(day)s); nothing was changed."
            )
            if report.dry_run
            else _("%(archived)s archived, %(destroyed)s destroyed (as on %(day)s).")
        )
        self.stdout.write(
            summary
            % {
                "archived": len(report.archived),
                "destroyed": len(report.destroyed),
                "day": day.isoformat(),
            }
        )


def _day(value: str | None) -> dt.date:
    today = clock.today()
    if not value:
        return today
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _("Give the day as YYYY-MM-DD, not %(value)s.") % {"value": value}
        ) from None
    if day > today:
        raise UsageError(
            _("%(day)s is after today: retention cannot end early.")
            % {"day": day.isoformat()}
        )
    return day
