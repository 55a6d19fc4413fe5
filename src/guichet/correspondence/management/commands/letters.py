"""`guichet letters`: mass letters, shipped templates, archive upkeep.

    guichet letters render --template NAME --for QUERY --agent USER [--field k=v]...
    guichet letters render --resume BATCH --agent USER
    guichet letters templates            load the shipped templates (idempotent)
    guichet letters archive              render the PDF/A of issued letters that lack one
    guichet letters retry-mail           send again the e-mails that failed or were lost
    guichet letters verify [--year Y]    check every archived PDF against its hash, and PDF/A

QUERY selects persons (see correspondence/batch_query.py), for example
`language=nl postal_code=9000-9099`. A selected person whose letter would have a hole
(no postal address, say) gets no letter: the batch lists them as its exceptions, with
what was missing, and finishes; write those letters one by one once their data is
complete. Exit codes: 0 done (exceptions listed), 1 an e-mail failed again or an
archive check failed, 2 a usage error.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandParser
from django.db.models import Q

from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.commands import GuichetCommand, NegativeAnswer, UsageError
from guichet.core.errors import GuichetError
from guichet.correspondence import archive, batchrun, pdfcheck, services
from guichet.correspondence.models import (
    Channel,
    DispatchStatus,
    Letter,
    LetterDispatch,
)
from guichet.correspondence.services.letters import SENDING_TIMEOUT


class Command(GuichetCommand):
    help = "Mass letters, shipped templates and archive upkeep (see --help)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["render", "templates", "archive", "retry-mail", "verify"]
        )
        parser.add_argument("--template", help="Letter type code (render).")
        parser.add_argument(
            "--for", dest="query", help="Which persons (render), e.g. 'language=fr'."
        )
        parser.add_argument(
            "--agent", help="Username of the agent the letters are written by (render)."
        )
        parser.add_argument(
            "--team", help="The service writing, if the agent works in several."
        )
        parser.add_argument(
            "--language",
            default="",
            choices=["", "fr", "nl", "de", "en"],
            help="One language for all letters; default: each person's language.",
        )
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Value of a free field, the same in every letter (repeatable).",
        )
        parser.add_argument(
            "--resume", metavar="BATCH", help="Finish a batch a crash interrupted."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes rendering PDFs (default: one per core).",
        )
        parser.add_argument(
            "--chunk", type=int, default=100, help="Letters numbered per transaction."
        )
        parser.add_argument(
            "--year", type=int, help="Only letters of this year (verify)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "templates":
            created = services.templates_load(actor=None)
            self.emit({"templates_created": created})
        elif action == "render":
            self._render(options)
        elif action == "archive":
            self._archive()
        elif action == "retry-mail":
            self._retry_mail()
        else:
            self._verify(options["year"])

    def _agent(self, username: str | None) -> Agent:
        if not username:
            raise UsageError(
                "Give --agent: the username of the agent who writes the letters."
            )
        agent = Agent.objects.filter(username__iexact=username, is_active=True).first()
        if agent is None:
            raise UsageError(f"No active agent named {username!r}.")
        return agent

    def _render(self, options: dict[str, Any]) -> None:
        agent = self._agent(options["agent"])
        if options["workers"] < 1 or options["chunk"] < 1:
            raise UsageError("--workers and --chunk must be at least 1.")
        try:
            if options["resume"]:
                batch = services.batch_get(actor=agent, batch_id=options["resume"])
            else:
                if not options["template"] or not options["query"]:
                    raise UsageError(
                        "Give --template NAME and --for QUERY (or --resume BATCH)."
                    )
                fields = {}
                for item in options["field"]:
                    name, equals, value = item.partition("=")
                    if not equals:
                        raise UsageError(f"--field {item!r}: write NAME=VALUE.")
                    fields[name.strip()] = value
                batch = services.letter_batch_start(
                    actor=agent,
                    letter_type=options["template"],
                    query=options["query"],
                    language=options["language"],
                    team=options["team"],
                    free_values=fields,
                )
        except GuichetError as error:
            details = "; ".join(f"{item.field}: {item.text}" for item in error.errors)
            raise UsageError(f"{error.text} {details}".strip()) from None
        report = batchrun.Report(batch=str(batch.uuid))
        events = batchrun.run(
            actor=agent,
            batch=batch,
            report=report,
            workers=options["workers"],
            chunk=options["chunk"],
        )
        for _event in self.progress(
            events, total=batchrun.total(batch), description="letters"
        ):
            pass
        payload = asdict(report)
        if self.json_output or not report.exceptions:
            self.emit(payload)
            return
        self.emit({key: value for key, value in payload.items() if key != "exceptions"})
        self.stdout.write(
            f"exceptions: {len(report.exceptions)} person(s) got no letter, a "
            "placeholder had no value; write to them one by one once their data "
            "is complete:"
        )
        for item in report.exceptions:
            self.stdout.write(f"  {item['person']}: no {', '.join(item['missing'])}")

    def _archive(self) -> None:
        waiting = list(
            Letter.objects.filter(number__isnull=False, pdf_sha256="").values_list(
                "pk", flat=True
            )
        )
        for letter_pk in self.progress(
            waiting, total=len(waiting), description="archive"
        ):
            services.letter_archive(letter_id=letter_pk)
        self.emit({"archived": len(waiting)})

    def _retry_mail(self) -> None:
        stale = clock.now() - SENDING_TIMEOUT
        dispatches = list(
            LetterDispatch.objects.filter(channel=Channel.EMAIL)
            .filter(
                Q(status__in=[DispatchStatus.QUEUED, DispatchStatus.FAILED])
                | Q(status=DispatchStatus.SENDING, updated_at__lt=stale)
            )
            .values_list("uuid", flat=True)
        )
        results = [
            services.letter_email_deliver(dispatch_id=dispatch_id).status
            for dispatch_id in self.progress(
                dispatches, total=len(dispatches), description="e-mail"
            )
        ]
        payload = {"tried": len(results), "sent": results.count(DispatchStatus.SENT)}
        if payload["sent"] != payload["tried"]:
            raise NegativeAnswer(
                f"{payload['tried'] - payload['sent']} e-mail(s) failed again.", payload
            )
        self.emit(payload)

    def _verify(self, year: int | None) -> None:
        letters = Letter.objects.exclude(pdf_sha256="").order_by("year", "sequence")
        if year is not None:
            letters = letters.filter(year=year)
        problems: list[dict[str, str | None]] = []
        count = letters.count()
        for number, sha256 in self.progress(
            letters.values_list("number", "pdf_sha256").iterator(),
            total=count,
            description="verify",
        ):
            try:
                report = pdfcheck.inspect(archive.read(sha256, "pdf"))
            except (archive.ArchiveDamaged, OSError) as error:
                problems.append({"number": number, "problem": str(error)})
                continue
            problems += [
                {"number": number, "problem": text} for text in report.problems
            ]
        payload = {"checked": count, "problems": problems}
        if problems:
            raise NegativeAnswer(
                f"{len(problems)} problem(s) in the letter archive.", payload
            )
        self.emit(payload)
