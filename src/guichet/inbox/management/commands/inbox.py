"""`guichet inbox import|fetch`: e-mail into the inbox.

    guichet inbox import --team CODE PATH... [--json]
    guichet inbox fetch [--json]

`import` reads `.eml` files, mbox files and maildir folders (a folder holding
`cur`/`new`) and any folder of `.eml` files; each message is stored once by its
Message-ID, so a second run (after an interruption) skips what is stored and
carries on. It prints a progress bar for many messages, then a summary: stored,
already there, and in which states they ended; `--json` prints the summary as one
JSON document. `fetch` reads the mailboxes of `GUICHET_INBOX_MAILBOXES` once.
Exit codes: 0 done, 2 bad input (an unknown team, a missing path).
"""

from __future__ import annotations

import mailbox
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from tqdm import tqdm

from guichet.agents.models import Team
from guichet.core.commands import GuichetCommand, UsageError, add_json_option
from guichet.inbox.services import message_process, message_receive

PROGRESS_FROM = 20


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, raw bytes) of every message found at `path`."""
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            folder = mailbox.Maildir(str(path), factory=None, create=False)
            for key in sorted(folder.iterkeys()):
                yield f"{path.name}/{key}", folder.get_bytes(key)
            return
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix.lower() == ".eml":
                yield child.name, child.read_bytes()
        return
    if _is_mbox(path):
        box = mailbox.mbox(str(path), factory=None, create=False)
        try:
            for number in box.iterkeys():
                yield f"{path.name}#{number}", box.get_bytes(number)
        finally:
            box.close()
        return
    yield path.name, path.read_bytes()


class Command(GuichetCommand):
    help = (
        "Import e-mail files (.eml, mbox, maildir) into the inbox, or fetch mailboxes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="Import .eml, mbox or maildir.")
        importing.add_argument("paths", nargs="+", metavar="PATH")
        importing.add_argument(
            "--team", required=True, help="Code of the service the messages go to."
        )
        add_json_option(importing)
        fetching = sub.add_parser("fetch", help="Fetch the configured mailboxes once.")
        add_json_option(fetching)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        if options["action"] == "fetch":
            from guichet.inbox.fetching import mailbox_fetch

            results = [mailbox_fetch(box) for box in settings.INBOX_MAILBOXES]
            self.emit(
                {
                    "mailboxes": [
                        {"mailbox": r.mailbox, "stored": r.stored, "already": r.already}
                        for r in results
                    ]
                }
            )
            return
        team = Team.objects.filter(code=options["team"]).first()
        if team is None:
            raise UsageError(f"No service with the code {options['team']!r}.")
        paths = [Path(item) for item in options["paths"]]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise UsageError(f"Not found: {', '.join(missing)}")
        found = [item for path in paths for item in _sources(path)]
        stored = already = 0
        states: Counter[str] = Counter()
        shown = len(found) >= PROGRESS_FROM and not self.json_output
        for where, raw in tqdm(found, disable=not shown, unit="message"):
            received = message_receive(raw=raw, source=f"import:{where}", team=team)
            message = received.message
            if received.created:
                stored += 1
                message = message_process(message_id=message.pk)
            else:
                already += 1
            states[message.state] += 1
        self.emit(
            {
                "found": len(found),
                "stored": stored,
                "already": already,
                "states": dict(sorted(states.items())),
            }
        )
