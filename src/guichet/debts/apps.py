from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtsConfig(AppConfig):
    name = "guichet.debts"
    verbose_name = _("Debts and garnishment")

    def ready(self) -> None:
        from . import history  # noqa: F401 - registers the debts' history entries

        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
