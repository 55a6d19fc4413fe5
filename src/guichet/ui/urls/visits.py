"""The counter's queue: the public kiosk and display of a site, the desk screen."""

from django.urls import path

from guichet.ui.views import visits

urlpatterns = [
    path("visits/<slug:site_code>/kiosk/", visits.kiosk, name="visits_kiosk"),
    path("visits/<slug:site_code>/display/", visits.display, name="visits_display"),
    path(
        "visits/<slug:site_code>/display/calls/",
        visits.display_calls,
        name="visits_display_calls",
    ),
    path("counter/", visits.desk, name="visits_desk"),
]
