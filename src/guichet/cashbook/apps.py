from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CashbookConfig(AppConfig):
    name = "guichet.cashbook"
    verbose_name = _("Counter cash book")
