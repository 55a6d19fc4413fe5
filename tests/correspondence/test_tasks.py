"""Correspondence's tasks as `guichet worker` runs them: a failed e-mail is retried."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from guichet.core.retries import RETRYING
from guichet.correspondence import services
from guichet.correspondence.models import LetterDispatch
from tests.core.running import run_ready

pytestmark = pytest.mark.django_db

SEND = "guichet.correspondence.tasks.send_letter_email"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_email_that_cannot_be_sent_is_retried_then_left_failed(
    settings: Any, writer: Callable[..., Any], person: Any, templates: int
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    letter = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    dispatch = services.letter_send_email(actor=agent, letter_id=letter.uuid)

    run_ready()

    # The first attempt failed: the dispatch says so, the task waits a minute.
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts) == ("failed", 1)
    sending = DBTaskResult.objects.get(task_path=SEND)
    assert sending.status == "READY"
    assert 50 <= (sending.run_after - timezone.now()).total_seconds() <= 60

    for _attempt in range(2, 6):
        DBTaskResult.objects.filter(task_path=SEND).update(run_after=timezone.now())
        run_ready()

    dispatch = LetterDispatch.objects.get(pk=dispatch.pk)
    assert (dispatch.status, dispatch.attempts) == ("failed", 5)
    assert dispatch.error
    sending = DBTaskResult.objects.get(task_path=SEND)
    assert (sending.status, len(sending.worker_ids)) == ("FAILED", 5)
    assert sending.exception_class_path == "guichet.core.retries.TransientError"
    assert dispatch.error in sending.traceback
    assert RETRYING[SEND].attempts == 5
