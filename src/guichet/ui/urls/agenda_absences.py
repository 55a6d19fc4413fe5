"""Presence and absences, and the private agenda feed."""

from django.urls import path

from guichet.ui.views import agenda_absences

urlpatterns = [
    path("agenda/presence/", agenda_absences.presence, name="agenda_presence"),
    path(
        "agenda/absences/<uuid:absence_id>/cancel/",
        agenda_absences.absence_cancel,
        name="agenda_absence_cancel",
    ),
    path("agenda/feeds/new/", agenda_absences.feed_create, name="agenda_feed_create"),
    path(
        "agenda/feeds/<uuid:feed_id>/revoke/",
        agenda_absences.feed_revoke,
        name="agenda_feed_revoke",
    ),
    path("agenda/feed/<str:token>.ics", agenda_absences.feed, name="agenda_feed"),
]
