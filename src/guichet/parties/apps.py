from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "guichet.parties"
    verbose_name = _("Persons and organisations")

    def ready(self) -> None:
        # The parties' own rows; the apps above register theirs (parties/merge.py).
        from .merge import register_parties_movers

        register_parties_movers()
