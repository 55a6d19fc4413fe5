from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "guichet.inbox"
    verbose_name = _("E-mail inbox")

    def ready(self) -> None:
        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
