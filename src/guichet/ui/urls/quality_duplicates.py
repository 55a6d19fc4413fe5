"""Data quality: likely duplicate persons and their merge."""

from django.urls import path

from guichet.ui.views import quality_duplicates

urlpatterns = [
    path(
        "quality/duplicates/",
        quality_duplicates.duplicate_list,
        name="quality_duplicates",
    ),
    path(
        "quality/duplicates/<uuid:first_id>/<uuid:second_id>/",
        quality_duplicates.duplicate_pair,
        name="quality_duplicate_pair",
    ),
]
