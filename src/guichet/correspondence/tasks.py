"""Background work of correspondence: thin, idempotent calls of the services.

Enqueued inside the writing transaction (the database task backend is
transactional), so a letter is never issued without its archiving task.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.retries import TransientError, retrying

from .models import DispatchStatus, Letter


@task(queue_name="letters")
def archive_letter(letter_id: str) -> str:
    """Render and store an issued letter's PDF/A (nothing if it is archived)."""
    from .services import letter_archive

    letter = letter_archive(
        letter_id=Letter.objects.values_list("pk", flat=True).get(uuid=letter_id)
    )
    return letter.pdf_sha256


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_letter_email(dispatch_id: str) -> str:
    """Send a queued letter e-mail (nothing if it was sent).

    A failed sending leaves the dispatch failed with its error, and fails the task
    so that the worker tries again 1, 2, 4 and 8 minutes later; after the fifth
    attempt the task stays failed, as the dispatch does.
    """
    from .services import letter_email_deliver

    dispatch = letter_email_deliver(dispatch_id=dispatch_id)
    if dispatch.status == DispatchStatus.FAILED:
        raise TransientError(f"E-mail of dispatch {dispatch_id}: {dispatch.error}")
    return str(dispatch.status)
