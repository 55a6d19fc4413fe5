"""Background work of suggestions: the weekly retraining of the topic model from
the service's classified messages and the agents' choices (`services.retrain`:
the new model replaces the old one atomically, too few examples keep it).
Periodic (`guichet.core.schedule`); a doubled run trains twice, harmlessly."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from guichet.core.schedule import periodic

from . import services

RETRAIN_EVERY = dt.timedelta(days=7)


@task(queue_name="default")
def suggest_retrain() -> int:
    """Retrain the topic model; the number of examples it learnt from (0: kept)."""
    result = services.retrain()
    return result.examples if result.written else 0


periodic(suggest_retrain, every=RETRAIN_EVERY)
