"""The register of specimens, and comparing a document with a specimen."""

from django.urls import path

from guichet.ui.views import specimens

urlpatterns = [
    path("specimens/", specimens.specimen_list, name="specimen_list"),
    path("specimens/new/", specimens.specimen_create, name="specimen_create"),
    path(
        "specimens/officials/new/",
        specimens.official_create,
        name="official_create",
    ),
    path(
        "specimens/<uuid:specimen_id>/",
        specimens.specimen_detail,
        name="specimen_detail",
    ),
    path(
        "specimens/<uuid:specimen_id>/image/",
        specimens.specimen_image,
        name="specimen_image",
    ),
    path(
        "specimens/<uuid:specimen_id>/withdraw/",
        specimens.specimen_withdraw,
        name="specimen_withdraw",
    ),
    path(
        "documents/<uuid:document_id>/compare/",
        specimens.document_compare,
        name="document_compare",
    ),
    path(
        "documents/<uuid:document_id>/compare/record/",
        specimens.document_compare_record,
        name="document_compare_record",
    ),
    path(
        "documents/<uuid:document_id>/scan/",
        specimens.document_scan,
        name="document_scan",
    ),
]
