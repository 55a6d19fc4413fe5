"""Background work of the web form: thin, idempotent calls of the services."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.retries import TransientError, retrying
from guichet.core.schedule import periodic

from .models import AckStatus


@retrying(attempts=5, backoff=dt.timedelta(minutes=1))
@task(queue_name="mail")
def send_acknowledgement(submission_id: str) -> str:
    """Send a submission's acknowledgement e-mail (nothing if it was sent).

    A failed sending fails the task so that the worker tries again 1, 2, 4 and 8
    minutes later; after the fifth attempt it stays failed, as the submission does.
    """
    from .services import acknowledgement_deliver

    submission = acknowledgement_deliver(submission_id=submission_id)
    if submission.ack_status == AckStatus.FAILED:
        raise TransientError(
            f"Acknowledgement of {submission_id}: {submission.ack_error}"
        )
    return str(submission.ack_status)


@task()
def antispam_prune() -> dict[str, int]:
    """Forget the ended rate-limit windows and the old refusals (daily)."""
    from .services import antispam_prune as prune

    windows, refusals = prune()
    return {"windows": windows, "refusals": refusals}


periodic(antispam_prune, every=dt.timedelta(days=1))
