from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "guichet.parties"
    verbose_name = _("Persons and organisations")
