"""Persons and organisations: the 360° view and its edits."""

from django.urls import path

from guichet.ui.views import parties

urlpatterns = [
    path("persons/new/", parties.person_create, name="person_create"),
    path("persons/pick/", parties.person_pick, name="person_pick"),
    path("persons/<uuid:person_id>/", parties.person_detail, name="person_detail"),
    path(
        "persons/<uuid:person_id>/history/",
        parties.person_history,
        name="person_history",
    ),
    path("persons/<uuid:person_id>/edit/", parties.person_edit, name="person_edit"),
    path(
        "persons/<uuid:person_id>/contact/",
        parties.person_contact,
        name="person_contact",
    ),
    path(
        "persons/<uuid:person_id>/contact/phones/",
        parties.person_phone_add,
        name="person_phone_add",
    ),
    path(
        "persons/<uuid:person_id>/contact/emails/",
        parties.person_email_add,
        name="person_email_add",
    ),
    path(
        "persons/<uuid:person_id>/contact/language/",
        parties.person_language,
        name="person_language",
    ),
    path(
        "persons/<uuid:person_id>/contact/<uuid:contact_point_id>/remove/",
        parties.person_contact_remove,
        name="person_contact_remove",
    ),
    path(
        "persons/<uuid:person_id>/addresses/<uuid:address_id>/edit/",
        parties.person_address_edit,
        name="person_address_edit",
    ),
    path("organisations/", parties.organisation_list, name="organisation_list"),
    path(
        "organisations/new/",
        parties.organisation_create,
        name="organisation_create",
    ),
    path(
        "organisations/<uuid:organisation_id>/",
        parties.organisation_detail,
        name="organisation_detail",
    ),
]
