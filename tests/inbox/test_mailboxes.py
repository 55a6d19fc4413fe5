"""The mailbox setting, and the periodic fetch over every mailbox declared."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from guichet.inbox.fetching import mailboxes_fetch
from guichet.inbox.mailboxes import parse_mailboxes
from guichet.inbox.models import InboundMessage
from tests.inbox.conftest import Imap, free_port


def test_no_mailbox_when_the_setting_is_empty() -> None:
    assert parse_mailboxes("") == ()
    assert parse_mailboxes("  ") == ()


def test_a_mailbox_with_its_defaults_and_a_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    raw = json.dumps(
        [
            {"host": "imap.example.be", "user": "pop@example.be", "team": "pop"},
            {
                "name": "local",
                "host": "127.0.0.1",
                "tls": False,
                "user": "u",
                "password_file": str(secret),
                "folder": "Citizens",
                "done_folder": "Done",
                "team": "cc-fr",
            },
        ]
    )

    first, second = parse_mailboxes(raw)

    assert (first.port, first.tls, first.folder, first.done_folder) == (
        993,
        True,
        "INBOX",
        "",
    )
    assert first.name == "pop@example.be@imap.example.be"
    assert (second.port, second.password, second.folder) == (143, "s3cret", "Citizens")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("{}", "JSON list"),
        ("[1]", "not a JSON object"),
        ('[{"host": "h", "user": "u"}]', "lacks team"),
        ("[", "Expecting"),
    ],
)
def test_a_wrong_setting_names_its_problem(raw: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_mailboxes(raw)


@pytest.mark.django_db
def test_a_mailbox_that_fails_does_not_stop_the_others(
    imap: Imap, service: Any, settings: Any, corpus: Path
) -> None:
    imap.deliver((corpus / "encoded_nl.eml").read_bytes(), "nl")
    unreachable = imap.mailbox("population")
    settings.INBOX_MAILBOXES = (
        replace(unreachable, port=free_port()),
        imap.mailbox("population"),
    )

    assert mailboxes_fetch() == 1
    assert InboundMessage.objects.get().message_id == "encoded-nl-1@example.be"
