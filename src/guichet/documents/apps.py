from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "guichet.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from guichet.dossiers import hooks

        from .dossier_source import dossier_document_states, dossier_export_documents
        from .retention import dossier_documents_erase

        if dossier_document_states not in hooks.document_sources:
            hooks.document_sources.append(dossier_document_states)
        if dossier_export_documents not in hooks.export_document_sources:
            hooks.export_document_sources.append(dossier_export_documents)
        hooks.dossier_erasers["documents"] = dossier_documents_erase
        # Its rows follow a merge of two persons (parties/merge.py's registry).
        from .merge import register_movers

        register_movers()
