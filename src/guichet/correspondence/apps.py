from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "guichet.correspondence"
    verbose_name = _("Correspondence")
