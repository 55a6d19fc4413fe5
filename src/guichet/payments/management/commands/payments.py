"""`guichet payments run|ledger`: a month's payment run, and the ledger's check.

    guichet payments run --month YYYY-MM [--execute --out DIR] [--team CODE]
                         [--agent USERNAME] [--json]
    guichet payments ledger check [--json]
    guichet payments rejects import FILE [--agent USERNAME] [--json]

`run` prepares the month's run of the agent's payment office (or resumes it), has
it reviewed; with --execute it has it approved by the system approver
(GUICHET_PAYMENTS_SYSTEM_APPROVER, which the demo creates), executes it and writes
the SEPA files into DIR. With --json it prints
{"run", "month", "payments", "total", "files"}: the credit transfers this call
released, their sum and the files it wrote. Run again: nothing more is paid.
Interrupted (Ctrl-C, or killed), it resumes when run again.

`rejects import` records the rejects of a bank's pain.002 status report
(`payments.rejects.rejects_import`) and prints {"file", "report", "rejects",
"recorded", "already", "unknown", "refused"}.

Exit codes: 0 done; 1 the ledger does not balance (`ledger check`); 2 bad input or
a step that cannot be taken (no approver: a second agent must approve), with
--json {"error": {"code", "message"}}; 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.agents.models import Agent
from guichet.core.commands import (
    GuichetCommand,
    NegativeAnswer,
    UsageError,
    add_json_option,
)
from guichet.core.errors import GuichetError
from guichet.core.money import format_amount
from guichet.debts import selectors as debt_selectors
from guichet.payments import runs, selectors, services
from guichet.payments.errors import Code
from guichet.payments.models import PaymentRun, RunState


class Command(GuichetCommand):
    help = "Monthly payment runs and the payments ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="Prepare (and execute) a month's run.")
        run.add_argument("--month", required=True, metavar="YYYY-MM")
        run.add_argument(
            "--execute",
            action="store_true",
            help="Have the run approved by the system approver and execute it.",
        )
        run.add_argument(
            "--out", metavar="DIR", help="Where the SEPA files are written."
        )
        run.add_argument(
            "--team", metavar="CODE", help="The payment office (team code)."
        )
        run.add_argument(
            "--agent",
            metavar="USERNAME",
            default=None,
            help="Act as this agent (default: GUICHET_PAYMENTS_RUN_AGENT).",
        )
        ledger = actions.add_parser("ledger", help="The payments ledger.")
        ledger_actions = ledger.add_subparsers(
            dest="ledger_action", required=True, metavar="ACTION"
        )
        check = ledger_actions.add_parser("check", help="Prove the ledger balances.")
        rejects_parser = actions.add_parser(
            "rejects", help="A bank's rejects of transfers."
        )
        rejects_actions = rejects_parser.add_subparsers(
            dest="rejects_action", required=True, metavar="ACTION"
        )
        imported = rejects_actions.add_parser(
            "import", help="Record the rejects of a bank's pain.002 status report."
        )
        imported.add_argument("file", metavar="FILE")
        imported.add_argument("--agent", metavar="USERNAME", default=None)
        for sub in (run, check, imported):
            add_json_option(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        try:
            if options["action"] == "run":
                self._run(options)
            elif options["action"] == "rejects":
                self._rejects_import(options)
            else:
                self._ledger_check()
        except GuichetError as error:
            self._refuse(error.code, error.text)
        except KeyboardInterrupt:
            self.stderr.write(
                _(
                    "Interrupted: what was committed stays; run the command again to resume."
                )
            )
            sys.exit(130)

    def _refuse(self, code: str, message: str) -> NoReturn:
        if self.json_output:
            self.emit({"error": {"code": code, "message": message}})
            sys.exit(2)
        raise UsageError(message)

    def _agent(self, username: str, *, approver: bool = False) -> Agent:
        agent = (
            Agent.objects.filter(username=username, is_active=True).first()
            if username
            else None
        )
        if agent is None:
            if approver:
                self._refuse(
                    Code.NO_SYSTEM_APPROVER,
                    _(
                        "No system approver is set up in this installation: a second "
                        "agent must approve the run (it is prepared and reviewed)."
                    ),
                )
            self._refuse(
                "no_agent",
                _("No active agent %(username)s: give --agent.")
                % {"username": username},
            )
        return agent

    def _run(self, options: dict[str, Any]) -> None:
        month = options["month"]
        if options["execute"] and not options.get("out"):
            self._refuse("required", _("--execute needs --out DIR."))
        actor = self._agent(options["agent"] or settings.PAYMENTS_RUN_AGENT)
        team = debt_selectors.team_for(actor, options.get("team"))
        run = PaymentRun.objects.filter(team=team, month=month).first()
        if run is None:
            run = runs.run_open(actor=actor, month=month, team_code=team.code)
        if run.state == RunState.PREPARING:
            steps = runs.prepare_batches(actor=actor, run=run)
            total = -(
                -runs.beneficiaries_due(team, month).count()
                // settings.PAYMENTS_BATCH_SIZE
            )
            for _done in self.progress(steps, total=total, description=_("Preparing")):
                pass
            run.refresh_from_db()
        if run.state == RunState.PREPARED:
            run = services.run_review(actor=actor, run_id=run.uuid)
        result: runs.ExecuteResult | None = None
        if options["execute"]:
            if run.state == RunState.REVIEWED:
                approver = self._agent(settings.PAYMENTS_SYSTEM_APPROVER, approver=True)
                run = services.run_approve(actor=approver, run_id=run.uuid)
            written: list[Any] = []
            steps = runs.execute_steps(
                actor=actor, run=run, out_dir=Path(options["out"]), written=written
            )
            for _done in self.progress(
                steps, total=runs.execute_total_steps(run), description=_("Paying")
            ):
                pass
            run.refresh_from_db()
            result = runs.ExecuteResult(
                run=run,
                payments=sum(f.count for f in written),
                total=sum((f.total for f in written), runs.ZERO),
                files=[f.path for f in written],
            )
        payload: dict[str, Any] = {
            "run": str(run.uuid),
            "month": run.month,
            "payments": result.payments if result else 0,
            "total": format_amount(result.total if result else runs.ZERO),
            "files": result.files if result else [],
        }
        if self.json_output:
            self.emit(payload)
            return
        summary = selectors.run_summary(run)
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(
            f"transfers released now: {payload['payments']} ({payload['total']})"
        )
        for path in payload["files"]:
            self.stdout.write(f"file: {path}")

    def _ledger_check(self) -> None:
        check = selectors.ledger_check()
        payload = check.as_dict()
        if not check.balanced:
            raise NegativeAnswer(_("The payments ledger does not balance."), payload)
        self.emit(payload)

    def _rejects_import(self, options: dict[str, Any]) -> None:
        from guichet.payments.rejects import rejects_import

        actor = self._agent(options["agent"] or settings.PAYMENTS_RUN_AGENT)
        result = rejects_import(actor=actor, path=Path(options["file"]))
        self.emit(result.as_dict())
