from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "guichet.visits"
    verbose_name = _("Counter queue")

    def ready(self) -> None:
        # The agenda sits below this app: the queue registers its appointments.
        from . import appointments

        appointments.register()
