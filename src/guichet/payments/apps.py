from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "guichet.payments"
    verbose_name = _("Benefit payments")

    def ready(self) -> None:
        """The hand-over of a benefit dossier makes its applicant a beneficiary
        (ARCHITECTURE.md: a lower app's registry, filled by the higher one)."""
        from guichet.dossiers import hooks

        from .services import on_transition

        if on_transition not in hooks.transition_listeners:
            hooks.transition_listeners.append(on_transition)
        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
