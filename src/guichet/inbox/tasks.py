"""Background work of the inbox: fetch the mailboxes, read what was received.

`inbox_fetch` runs every minute: for each mailbox of `GUICHET_INBOX_MAILBOXES` it
stores each unseen message (`message_receive`, committed), and only then flags it
seen or moves it to its `done_folder`: a crash between the two fetches the message
again next time, and its Message-ID stores it once. `inbox_process` reads what was
stored and retries what failed when it is due.
"""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from guichet.core.schedule import periodic

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def inbox_fetch() -> int:
    from .fetching import mailboxes_fetch

    return mailboxes_fetch()


@task(queue_name="mail")
def inbox_process() -> int:
    from .services import messages_process_due

    return messages_process_due()


periodic(inbox_fetch, every=dt.timedelta(minutes=1))
periodic(inbox_process, every=dt.timedelta(minutes=1))
