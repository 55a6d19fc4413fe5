"""Telephony: the workspace's poll for answered calls."""

from django.urls import path

from guichet.ui.views import telephony

urlpatterns = [
    path("telephony/poll/", telephony.telephony_poll, name="telephony_poll"),
    path(
        "telephony/calls/<uuid:call_id>/search/",
        telephony.telephony_call_search,
        name="telephony_call_search",
    ),
]
