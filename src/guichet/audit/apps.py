from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "guichet.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from .database import register_functions

        connection_created.connect(
            register_functions, dispatch_uid="guichet.audit.register_functions"
        )
