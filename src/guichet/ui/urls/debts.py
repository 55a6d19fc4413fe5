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
        "persons/<uuid:person_id>/debts/new/",
        debts.debt_register,
        name="debt_register",
    ),
    path("debts/<uuid:debt_id>/", debts.debt_detail, name="debt_detail"),
    path(
        "debts/<uuid:debt_id>/statement/<str:language>/",
        debts.debt_statement,
        name="debt_statement",
    ),
    path(
        "garnishment/",
        debts.garnishment_calculator,
        name="garnishment_calculator",
    ),
]
