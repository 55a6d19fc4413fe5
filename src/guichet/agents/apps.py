from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "guichet.agents"
    verbose_name = _("Agents and teams")

    def ready(self) -> None:
        from axes.signals import (  # type: ignore[import-untyped]  # no type hints
            user_locked_out,
        )

        from .signals import record_lock_out

        user_locked_out.connect(record_lock_out, dispatch_uid="guichet.agents.lock_out")
