"""Background work of payments: a run's preparation and execution from the screens.

Thin, idempotent calls of the run's phases (`runs.prepare_batches`,
`runs.execute_steps`): each commits batch by batch with its cursor in the run row,
so a task that a stopped worker left behind and the reaper queued again resumes
where it stopped, and a task that finds the phase done does nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from django_tasks import task

from guichet.agents.models import Agent

from .models import PaymentRun, SepaFile


def sepa_dir(run: PaymentRun) -> Path:
    """Where the screens write a run's SEPA files: where the API writes them
    (`GUICHET_PAYMENTS_OUT_DIR`, then the month), so either resumes the other."""
    return Path(settings.PAYMENTS_OUT_DIR) / run.month


@task(queue_name="payments")
def run_prepare_task(run_id: str, agent_id: int) -> str:
    """Prepare (or go on preparing) a run opened on the screens."""
    from .runs import prepare_batches

    run = PaymentRun.objects.select_related("team").get(uuid=run_id)
    agent = Agent.objects.get(pk=agent_id)
    for _done in prepare_batches(actor=agent, run=run):
        pass
    run.refresh_from_db()
    return str(run.state)


@task(queue_name="payments")
def run_execute_task(run_id: str, agent_id: int) -> str:
    """Execute (or resume executing) an approved run: ledger, then SEPA files."""
    from .runs import execute_steps

    run = PaymentRun.objects.select_related("team").get(uuid=run_id)
    agent = Agent.objects.get(pk=agent_id)
    written: list[SepaFile] = []
    for _done in execute_steps(
        actor=agent, run=run, out_dir=sepa_dir(run), written=written
    ):
        pass
    run.refresh_from_db()
    return str(run.state)
