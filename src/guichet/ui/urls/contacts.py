"""Contacts: the first line's screen, the person's tab, the service's list."""

from django.urls import path

from guichet.ui.views import contacts

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/new/", contacts.contact_new_anonymous, name="contact_new_anonymous"),
    path("contacts/<uuid:contact_id>/", contacts.contact_detail, name="contact_detail"),
    path(
        "contacts/<uuid:contact_id>/correct/",
        contacts.contact_correct,
        name="contact_correct",
    ),
    path(
        "contacts/<uuid:contact_id>/identify/",
        contacts.contact_identify,
        name="contact_identify",
    ),
    path(
        "contacts/<uuid:contact_id>/attach/",
        contacts.contact_attach,
        name="contact_attach",
    ),
    path(
        "contacts/<uuid:contact_id>/request/",
        contacts.contact_request,
        name="contact_request",
    ),
    path(
        "persons/<uuid:person_id>/contacts/",
        contacts.person_contacts,
        name="person_contacts",
    ),
    path(
        "persons/<uuid:person_id>/contacts/new/",
        contacts.contact_new,
        name="contact_new",
    ),
]
