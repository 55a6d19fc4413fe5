"""The processes of a letter batch's rendering pool end with the command.

`guichet letters render` renders in a process pool started through a forkserver, so
its workers are the forkserver's children, not the command's: when the command is
killed outright (`kill -9`, the OOM killer), nothing tells them, and they waited
forever for work that would never come, each holding a rendering process's memory.
Each worker therefore watches the command's own process (`start`, the pool's
initializer, given its id) and exits as soon as it ends. Once they are gone, the
forkserver, which lives as long as a client holds its pipe, ends too.

No Django here: the workers import this module without setting Django up.
"""

from __future__ import annotations

import os
import select
import threading
import time

from . import pdf

# How often a worker looks for its command where the system offers no process
# handle to wait on (not Linux 5.3 or later).
POLL_SECONDS = 1.0


def start(command_pid: int) -> None:
    """The pool's initializer: tune the worker for rendering, and end it with the
    command that started the pool."""
    pdf.prepare_worker()
    watch(command_pid)


def watch(command_pid: int) -> threading.Thread:
    """End this process when the process `command_pid` ends (a daemon thread)."""
    thread = threading.Thread(
        target=_exit_after, args=(command_pid,), name="watch-command", daemon=True
    )
    thread.start()
    return thread


def _exit_after(command_pid: int) -> None:
    try:
        handle = os.pidfd_open(command_pid)
    except ProcessLookupError:
        os._exit(1)  # already gone
    except (AttributeError, OSError):
        while _running(command_pid):
            time.sleep(POLL_SECONDS)
    else:
        # A process handle becomes readable when the process ends; waiting on it
        # cannot mistake another process that later got the same id for ours.
        select.select([handle], [], [])
    os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
