from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "guichet.access"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        from . import policy

        policy.register_rules()
