"""The IMAP mailboxes Guichet reads (pure: read from `GUICHET_INBOX_MAILBOXES`).

The variable holds a JSON list, one object per mailbox:

    [{"name": "population", "host": "imap.example.be", "port": 993, "tls": true,
      "user": "population@example.be", "password_file": "/run/secrets/imap-pop",
      "folder": "INBOX", "done_folder": "Guichet", "team": "population"}]

`tls` true: IMAP over TLS (port 993); false: plain IMAP, which only a server on
the loopback (tests, a local relay) should be. `password` may be given inline, or
`password_file` names a file holding it (a secret mounted by the orchestrator).
`done_folder`, when set, is where a message is moved once it is stored; else it is
only flagged as seen. `team` is the code of the service the mailbox feeds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mailbox:
    name: str
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str
    done_folder: str
    team: str


def parse_mailboxes(raw: str) -> tuple[Mailbox, ...]:
    """The mailboxes declared in `raw` (empty: none); ValueError names a problem."""
    if not raw.strip():
        return ()
    items = json.loads(raw)
    if not isinstance(items, list):
        raise ValueError("a JSON list of mailboxes is expected")
    found = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"mailbox {number} is not a JSON object")
        missing = [key for key in ("host", "user", "team") if not item.get(key)]
        if missing:
            raise ValueError(f"mailbox {number} lacks {', '.join(missing)}")
        password = str(item.get("password", ""))
        if item.get("password_file"):
            password = Path(str(item["password_file"])).read_text().strip()
        tls = bool(item.get("tls", True))
        found.append(
            Mailbox(
                name=str(item.get("name") or f"{item['user']}@{item['host']}"),
                host=str(item["host"]),
                port=int(item.get("port") or (993 if tls else 143)),
                tls=tls,
                user=str(item["user"]),
                password=password,
                folder=str(item.get("folder") or "INBOX"),
                done_folder=str(item.get("done_folder") or ""),
                team=str(item["team"]),
            )
        )
    return tuple(found)
