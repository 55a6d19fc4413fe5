"""The public pages (no login), all under /public/ so that a reverse proxy can
open exactly these, and the static files, to the internet."""

from django.urls import path

from guichet.ui.views import webforms

urlpatterns = [
    path("public/contact/", webforms.webform, name="webform"),
    path("public/contact/sent/", webforms.webform_sent, name="webform_sent"),
    path("public/status/<str:token>/", webforms.webform_status, name="webform_status"),
    # For agents (logged in): a file a citizen sent, from the request's page.
    path("requests/files/<uuid:file_id>/", webforms.webform_file, name="webform_file"),
]
