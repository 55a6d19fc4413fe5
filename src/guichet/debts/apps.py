from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtsConfig(AppConfig):
    name = "guichet.debts"
    verbose_name = _("Debts and garnishment")
