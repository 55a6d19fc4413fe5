"""The rendering pool of `guichet letters render` dies with the command.

`kill -9` of the command must not leave its workers rendering for nobody (or, idle,
waiting forever for work): the test starts the very pool the command uses in a
real process, kills that process with SIGKILL, and watches its workers go.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys, time
import django
django.setup()
from guichet.correspondence import batchrun

pool = batchrun._pool(2)
for future in [pool.submit(time.sleep, 0.5) for _ in range(2)]:
    future.result(timeout=120)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Running or sleeping; an exited process waiting to be reaped is gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_the_workers_exit_when_the_command_is_killed() -> None:
    # given the command's rendering pool, with its two workers started
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    command = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        assert command.stdout is not None
        workers = [int(pid) for pid in command.stdout.readline().split()]
        assert len(set(workers)) == 2
        assert all(_alive(pid) for pid in workers)
        # when the command is killed outright
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=30)
        # then its workers end too, within a few seconds
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if command.poll() is None:
            command.kill()
            command.wait(timeout=30)
        if command.stdout is not None:
            command.stdout.close()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
