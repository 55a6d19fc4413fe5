"""`guichet audit seal|checkpoint|verify`: seal the queued rows, sign the chains'
heads for safekeeping, verify the whole trail and name the first broken row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from guichet.audit import checkpoints
from guichet.audit.chain import Break
from guichet.audit.services import chain_seal, checkpoint_take, known_keys
from guichet.audit.verification import audit_verify
from guichet.core.commands import GuichetCommand, NegativeAnswer, UsageError

PROBLEMS = {
    "missing": "a sealed row is missing",
    "wrong_chain": "the row sealed here belongs to another chain",
    "unsigned": "a row without a key that is not part of the chain written before keys",
    "altered": "the row's content does not match its MAC",
    "unknown_key": "signed with a key that is not configured",
    "broken_link": "the seal's link does not follow from the previous one",
    "head_mismatch": "the chain's head does not point at its last seal",
    "truncated": "rows after this number were removed (the checkpoint saw them)",
    "rewritten": "the chain differs from the checkpoint at this number",
    "late": "the row waited longer than the sealing delay (is the worker running?)",
    "unknown_chain": "the row names no known chain",
    "unsealed": "the row is neither sealed nor queued for sealing",
    "duplicate": "the row is a copy of an earlier signed row",
}


def describe(broken: Break) -> str:
    where = [f"row id {broken.row_id}"] if broken.row_id is not None else []
    if broken.seq is not None:
        where.append(f"sequence number {broken.seq}")
    return (
        f"Chain '{broken.chain}' is broken at {', '.join(where)}: "
        f"{PROBLEMS.get(broken.problem, broken.problem)} ({broken.problem})."
    )


def _jsonable_break(broken: Break) -> dict[str, Any]:
    return {
        "chain": broken.chain,
        "seq": broken.seq,
        "row_id": broken.row_id,
        "problem": broken.problem,
    }


class Command(GuichetCommand):
    help = (
        "Audit trail tools. 'seal' links the rows waiting for their seal; "
        "'checkpoint' signs each chain's head, to keep elsewhere; 'verify' checks "
        "every row, link and seal, and the chains against checkpoints."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["seal", "checkpoint", "verify"], help="What to do."
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="verify: also compare the chains with this checkpoint (repeatable).",
        )
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="checkpoint: write it to this new file (default: standard output).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if options["checkpoint"] and action != "verify":
            raise UsageError("--checkpoint goes with 'verify'.")
        if options["out"] and action != "checkpoint":
            raise UsageError("--out goes with 'checkpoint'.")
        if action == "seal":
            self._seal()
        elif action == "checkpoint":
            self._checkpoint(options["out"])
        else:
            self._verify(options["checkpoint"])

    def _seal(self) -> None:
        sealed = chain_seal()
        if self.json_output:
            self.emit({"sealed": sealed})
        else:
            self.stdout.write(f"Sealed {sealed} rows.")

    def _checkpoint(self, out: str | None) -> None:
        path = Path(out) if out else None
        if path is not None and path.exists():
            raise UsageError(f"{path} exists: a checkpoint is never overwritten.")
        if path is not None and not path.parent.is_dir():
            raise UsageError(f"{path.parent} is not a folder.")
        taken = checkpoint_take()
        if path is None:
            self.json_output = True
            self.emit(checkpoints.document(taken))
            return
        checkpoints.write(taken, path)
        heads = [{"chain": m.chain, "seq": m.seq} for m in taken.marks]
        if self.json_output:
            self.emit({"out": str(path), "chains": heads})
        else:
            listed = ", ".join(f"{head['chain']} at {head['seq']}" for head in heads)
            self.stdout.write(f"Checkpoint written to {path}: {listed}.")

    def _read_checkpoints(self, files: list[str]) -> list[checkpoints.Checkpoint]:
        found = []
        for name in files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"Cannot read checkpoint {name}: {exc}.") from None
            try:
                found.append(checkpoints.parse(text, known_keys()))
            except checkpoints.CheckpointError as exc:
                raise UsageError(f"{name} is not a usable checkpoint: {exc}.") from None
        return found

    def _verify(self, files: list[str]) -> None:
        taken = self._read_checkpoints(files)
        report = audit_verify(checkpoints=taken)
        chains = [
            {
                "chain": verdict.chain,
                "rows": verdict.rows,
                "head_seq": verdict.head_seq,
                "intact": not any(b.chain == verdict.chain for b in report.breaks),
            }
            for verdict in report.verdicts
        ]
        payload = {
            "intact": report.is_intact,
            "chains": chains,
            "pending": report.pending,
            "checkpoints": len(taken),
            "breaks": [_jsonable_break(broken) for broken in report.breaks],
        }
        if not report.is_intact:
            raise NegativeAnswer(
                "\n".join(describe(broken) for broken in report.breaks), payload
            )
        if self.json_output:
            self.emit(payload)
            return
        for entry in chains:
            self.stdout.write(
                f"chain {entry['chain']}: {entry['rows']} rows sealed, intact"
            )
        if taken:
            self.stdout.write(f"matches {len(taken)} checkpoint(s)")
        if report.pending:
            self.stdout.write(f"{report.pending} rows still waiting for their seal")
