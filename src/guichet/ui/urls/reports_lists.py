"""The seeds' lists and the exports of every list."""

from django.urls import path

from guichet.ui.views import reports_exports, reports_lists

J = "reports/exports/jobs/<uuid:job_id>/"

urlpatterns = [
    path("reports/lists/", reports_lists.report_lists, name="report_lists"),
    path("reports/lists/<slug:key>/", reports_lists.report_list, name="report_list"),
    path(J, reports_exports.report_export_job, name="report_export_job"),
    path(
        J + "progress/",
        reports_exports.report_export_progress,
        name="report_export_progress",
    ),
    path(J + "file/", reports_exports.report_export_file, name="report_export_file"),
    path(J + "retry/", reports_exports.report_export_retry, name="report_export_retry"),
    path(
        "reports/exports/<slug:source>/<slug:fmt>/",
        reports_exports.report_export,
        name="report_export",
    ),
]
