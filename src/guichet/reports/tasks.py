"""Background work of the reports: a long export, and the deletion of old ones.

Thin calls of `exports`: `export_job_task` writes one export (idempotent: a job
done or failed is left alone); `export_files_prune` (daily) deletes the exports
whose seven days are over, file and row.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.schedule import periodic


@task(queue_name="reports")
def export_job_task(job_id: str) -> str:
    """Write the export `job_id` (an `ExportJob`'s public id)."""
    from .exports import export_job_run

    return str(export_job_run(job_id=job_id).state)


@task(queue_name="reports")
def export_files_prune() -> int:
    """Delete the expired exports (daily)."""
    from .exports import export_files_prune as prune

    return prune()


periodic(export_files_prune, every=dt.timedelta(days=1))
