"""Data quality: the checks' counts and each check's findings."""

from django.urls import path

from guichet.ui.views import quality_checks as views

urlpatterns = [
    path("quality/", views.quality_checks, name="quality_checks"),
    path("quality/checks/<slug:check>/", views.quality_check, name="quality_check"),
]
