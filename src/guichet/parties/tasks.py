"""Background work of parties: thin, idempotent calls of the services.

Enqueued inside the writing transaction (the database task backend is
transactional), so a notice is sent only for an attempt that was recorded.
"""

from __future__ import annotations

from django_tasks import task


@task(queue_name="mail")
def notify_identifier_conflict(person_id: str, agent_id: str) -> int:
    """Tell a confidential person's team that an agent outside it gave that
    person's national number (how many addresses were written to)."""
    from .services import identifier_conflict_notify

    return identifier_conflict_notify(person_id=person_id, agent_id=agent_id)
