"""Debts of a person and the garnishment calculator."""

from django.urls import path

from guichet.ui.views import debts

urlpatterns = [
    path(
        "persons/<uuid:person_id>/debts/",
        debts.person_debts,
        name="person_debts",
    ),
    path(
        "garnishment/",
        debts.garnishment_calculator,
        name="garnishment_calculator",
    ),
]
