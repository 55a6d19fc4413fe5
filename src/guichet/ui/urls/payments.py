"""Benefit payments: runs, lists, a person's payments and attestations."""

from django.urls import path

from guichet.ui.views import payments, payments_rejects

urlpatterns = [
    path("payments/", payments.payments, name="payments"),
    path("payments/lists/", payments.payment_lists, name="payment_lists"),
    path("payments/runs/<uuid:run_id>/", payments.payment_run, name="payment_run"),
    path(
        "payments/runs/<uuid:run_id>/progress/",
        payments.payment_run_progress,
        name="payment_run_progress",
    ),
    path(
        "payments/runs/<uuid:run_id>/files/<int:sequence>/",
        payments.payment_run_file,
        name="payment_run_file",
    ),
    path(
        "payments/runs/<uuid:run_id>/rejects/",
        payments_rejects.payment_run_rejects,
        name="payment_run_rejects",
    ),
    path(
        "persons/<uuid:person_id>/payments/",
        payments.person_payments,
        name="person_payments",
    ),
    path(
        "persons/<uuid:person_id>/payments/<uuid:beneficiary_id>/attestation/",
        payments.person_payment_attestation,
        name="person_payment_attestation",
    ),
]
