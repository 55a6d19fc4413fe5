from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "guichet.correspondence"
    verbose_name = _("Correspondence")

    def ready(self) -> None:
        # A complaint registered below this app gets its acknowledgement drafted here
        # (dependency inversion: servicerequests never imports correspondence).
        from guichet.servicerequests.services import complaint_registered

        from .services.complaints import complaint_acknowledge

        if complaint_acknowledge not in complaint_registered:
            complaint_registered.append(complaint_acknowledge)

        # A dossier's step that sends letters gets them drafted here (dossiers keeps
        # the registry, `dossiers.hooks.letter_queuers`).
        from guichet.dossiers.hooks import letter_queuers

        from .services.dossier_letters import dossier_letters_draft

        if dossier_letters_draft not in letter_queuers:
            letter_queuers.append(dossier_letters_draft)

        # A dossier's export package gets its PDF/A summary drawn here (dossiers
        # keeps the registry, `dossiers.hooks.summary_renderers`).
        from guichet.dossiers.hooks import summary_renderers

        from .dossier_summary import summary_pdf

        if summary_pdf not in summary_renderers:
            summary_renderers.append(summary_pdf)
        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
