"""Fetching messages from IMAP mailboxes with imap-tools (see `tasks`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings

from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags

from guichet.agents.models import Team

from .mailboxes import Mailbox
from .services import message_process, message_receive

logger = logging.getLogger(__name__)

BATCH = 50


@dataclass(frozen=True)
class Fetched:
    mailbox: str
    stored: int
    already: int


def mailbox_fetch(mailbox: Mailbox, *, limit: int = BATCH) -> Fetched:
    """Store up to `limit` unseen messages of one mailbox, each committed before it
    is flagged seen (or moved), then read them."""
    team = Team.objects.get(code=mailbox.team)
    client = (
        MailBox(mailbox.host, port=mailbox.port)
        if mailbox.tls
        else MailBoxUnencrypted(mailbox.host, port=mailbox.port)
    )
    stored = already = 0
    with client.login(mailbox.user, mailbox.password, initial_folder=mailbox.folder):
        for uid in client.uids(AND(seen=False))[:limit]:
            # BODY.PEEK: the exact bytes, and the message stays unseen until stored.
            status, data = client.client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next(
                (part[1] for part in data or [] if isinstance(part, tuple)), None
            )
            if status != "OK" or not isinstance(raw, bytes):
                logger.warning("Mailbox %s: message %s not read", mailbox.name, uid)
                continue
            received = message_receive(raw=raw, source=mailbox.name, team=team)
            if mailbox.done_folder:
                client.move(uid, mailbox.done_folder)
            else:
                client.flag(uid, MailMessageFlags.SEEN, True)
            if received.created:
                stored += 1
                message_process(message_id=received.message.pk)
            else:
                already += 1
    return Fetched(mailbox.name, stored, already)


def mailboxes_fetch() -> int:
    """Fetch every declared mailbox; one failing does not stop the others."""
    total = 0
    for mailbox in settings.INBOX_MAILBOXES:
        try:
            total += mailbox_fetch(mailbox).stored
        except Exception as error:  # logged; the next run tries again
            logger.warning("Mailbox %s not fetched: %s", mailbox.name, error)
    return total
