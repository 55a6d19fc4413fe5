"""The identifier and document check tool."""

from django.urls import path

from guichet.ui.views import checks

urlpatterns = [
    path("checks/", checks.check_tool, name="check_tool"),
]
