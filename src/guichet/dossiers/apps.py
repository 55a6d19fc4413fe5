from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "guichet.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from . import guards  # noqa: F401  (attaches the guards and effects)

        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
