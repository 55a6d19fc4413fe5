"""The Agenda section (meetings, rooms and equipment, events) and the public
answer page of an external meeting participant."""

from django.urls import path

from guichet.ui.views import agenda_meetings as views

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/meetings/new/", views.meeting_new, name="agenda_meeting_new"),
    path(
        "agenda/meetings/<str:meeting_id>/", views.meeting_page, name="agenda_meeting"
    ),
    path(
        "agenda/meetings/<str:meeting_id>/edit/",
        views.meeting_edit,
        name="agenda_meeting_edit",
    ),
    path(
        "agenda/meetings/<str:meeting_id>/cancel/",
        views.meeting_cancel,
        name="agenda_meeting_cancel",
    ),
    path("agenda/events/", views.event_list, name="agenda_events"),
    path("agenda/events/new/", views.event_new, name="agenda_event_new"),
    path("agenda/events/<str:event_id>/", views.event_page, name="agenda_event"),
    path(
        "agenda/events/<str:event_id>/cancel/",
        views.event_cancel,
        name="agenda_event_cancel",
    ),
    path("agenda/resources/", views.resource_list, name="agenda_resources"),
    path(
        "agenda/resources/<str:resource_id>/",
        views.resource_edit,
        name="agenda_resource",
    ),
    path("public/meetings/<str:token>/", views.meeting_public, name="agenda_public"),
]
