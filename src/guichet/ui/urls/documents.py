"""A person's documents: upload, verification, download."""

from django.urls import path

from guichet.ui.views import documents

urlpatterns = [
    path(
        "persons/<uuid:person_id>/documents/",
        documents.person_documents,
        name="person_documents",
    ),
    path(
        "persons/<uuid:person_id>/documents/upload/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "documents/<uuid:document_id>/verify/",
        documents.document_verify,
        name="document_verify",
    ),
    path(
        "documents/<uuid:document_id>/download/",
        documents.document_download,
        name="document_download",
    ),
]
