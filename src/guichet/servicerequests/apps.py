from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceRequestsConfig(AppConfig):
    name = "guichet.servicerequests"
    verbose_name = _("Requests")
