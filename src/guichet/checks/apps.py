from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "guichet.checks"
    verbose_name = _("Identifier and document checks")
