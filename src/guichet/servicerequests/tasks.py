"""Background work of requests: warnings before deadlines, breaches, escalations.

Periodic (`guichet.core.schedule`) and idempotent: each signal is recorded once per
request, deadline and due instant (`ServiceLevelSignal`'s unique constraint), so a
doubled or late run records nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.schedule import periodic

from . import services

CHECK_EVERY = dt.timedelta(minutes=5)


@task(queue_name="default")
def service_levels_check() -> dict[str, int]:
    """Record the warnings, breaches and escalations due now."""
    return services.service_levels_check()


periodic(service_levels_check, every=CHECK_EVERY)
