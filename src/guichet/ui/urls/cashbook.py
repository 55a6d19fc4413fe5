"""The counter's cash book: the counter screen, the closing screen, receipts."""

from django.urls import path

from guichet.ui.views import cashbook

urlpatterns = [
    path("cashbook/", cashbook.cashbook, name="cashbook"),
    path("cashbook/closing/", cashbook.closing, name="cashbook_closing"),
    path(
        "cashbook/<str:kind>/<uuid:key>/receipt/<str:language>/",
        cashbook.receipt,
        name="cashbook_receipt",
    ),
]
