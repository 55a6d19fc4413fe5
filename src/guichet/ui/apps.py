import importlib
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    name = "guichet.ui"
    verbose_name = _("Agent workspace")

    def ready(self) -> None:
        # Each ui/views/<domain>.py registers its sections, tabs and search
        # providers when imported: import them all, so the workspace is complete
        # before the first request, whatever URL it asks for.
        from . import views

        for module in pkgutil.iter_modules(views.__path__):
            importlib.import_module(f"{views.__name__}.{module.name}")
