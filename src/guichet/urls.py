from django.contrib import admin
from django.urls import include, path

from guichet.api.main import api
from guichet.api.telephony import telephony_events

urlpatterns = [
    path("api/telephony/events", telephony_events, name="telephony_events"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("guichet.ui.urls")),
]
