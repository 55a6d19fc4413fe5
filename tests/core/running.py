"""Run queued tasks in the test's own process, as `guichet worker`'s loop does."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from guichet.core.worker import GuichetWorker


def run_ready(*, worker_id: str = "test-worker", limit: int = 100) -> int:
    """Claim and run the ready tasks one by one (at most `limit`); return how many ran.

    The worker's own loop closes stale connections, which would end the test's
    transaction: this runs its steps without that.
    """
    worker = GuichetWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    count = 0
    while count < limit and (result := DBTaskResult.objects.ready().get_locked()):
        result.claim(worker_id)
        worker.run_task(result)
        count += 1
    return count
