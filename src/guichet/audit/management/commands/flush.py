"""Django's `flush`, allowed to empty the audit tables on SQLite too.

The test suite's clean-up between transactional tests runs this command; on
SQLite it deletes rows, which the audit triggers refuse outside `flushing()`
(see `guichet.audit.database`). On PostgreSQL it truncates, as before.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from guichet.audit.database import flushing


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with flushing():
            super().handle(**options)
