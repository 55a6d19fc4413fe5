"""The dashboards per role and the rows behind their figures."""

from django.urls import path

from guichet.ui.views import reports_dashboards as views

urlpatterns = [
    path("reports/dashboard/", views.reports_dashboard, name="reports_dashboard"),
    path(
        "reports/dashboard/teams/",
        views.reports_dashboard_supervisor,
        name="reports_dashboard_supervisor",
    ),
    path(
        "reports/dashboard/payments/",
        views.reports_dashboard_payments,
        name="reports_dashboard_payments",
    ),
    path("reports/rows/<slug:figure>/", views.reports_rows, name="reports_rows"),
]
