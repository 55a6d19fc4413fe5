from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasetypesConfig(AppConfig):
    name = "guichet.casetypes"
    verbose_name = _("Case types")
