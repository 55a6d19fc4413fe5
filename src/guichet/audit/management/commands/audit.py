"""`guichet audit verify`: walk the audit chains and name the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from guichet.audit.models import Chain
from guichet.audit.services import chain_verify
from guichet.core.commands import GuichetCommand, NegativeAnswer, UsageError


class Command(GuichetCommand):
    help = "Audit trail tools. 'verify' recomputes every hash of the chains."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="What to do.")
        parser.add_argument(
            "--chain",
            choices=[chain.value for chain in Chain],
            action="append",
            help="Verify only this chain (repeatable). Default: all chains.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "verify":  # pragma: no cover - argparse already refuses
            raise UsageError(f"unknown action {options['action']!r}")
        chains = options["chain"] or [chain.value for chain in Chain]
        results = []
        first_break = None
        for chain in chains:
            verdict = chain_verify(chain=chain)
            entry: dict[str, Any] = {
                "chain": chain,
                "rows": verdict.rows,
                "intact": verdict.is_intact,
            }
            if verdict.first_break is not None:
                broken = verdict.first_break
                entry["first_broken"] = {
                    "seq": broken.seq,
                    "row_id": broken.row_id,
                    "problem": broken.problem,
                }
                first_break = first_break or (chain, broken)
            results.append(entry)
        payload = {"intact": first_break is None, "chains": results}
        if first_break is not None:
            chain, broken = first_break
            message = (
                f"Chain '{chain}' is broken at sequence number {broken.seq}"
                f" (row id {broken.row_id}): {broken.problem}."
            )
            raise NegativeAnswer(message, payload)
        if self.json_output:
            self.emit(payload)
        else:
            for entry in results:
                self.stdout.write(
                    f"chain {entry['chain']}: {entry['rows']} rows, intact"
                )
