"""Background work of the agenda: thin, idempotent calls of the services."""

from __future__ import annotations

from django_tasks import task

from .models import Minutes


@task(queue_name="letters")
def archive_minutes(minutes_id: str) -> str:
    """Render and store minutes as PDF/A (nothing if they are archived)."""
    from .minutes.services import minutes_archive

    minutes = minutes_archive(
        minutes_id=Minutes.objects.values_list("pk", flat=True).get(uuid=minutes_id)
    )
    return minutes.pdf_sha256
