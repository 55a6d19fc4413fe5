"""Contacts: the first line's screen, the person's tab, the service's list."""

from django.urls import path

from guichet.ui.views import contacts

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/new/", contacts.contact_new_anonymous, name="contact_new_anonymous"),
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
