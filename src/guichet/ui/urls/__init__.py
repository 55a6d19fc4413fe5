"""The agent workspace's URLs: one module per domain, all in the `ui` namespace."""

from django.urls import include, path

from . import (
    agenda_absences,
    agenda_appointments,
    agenda_meetings,
    cashbook,
    checks,
    contacts,
    correspondence,
    debts,
    documents,
    dossiers,
    inbox,
    knowledge,
    parties,
    payments,
    quality_checks,
    reports_dashboards,
    servicerequests,
    specimens,
    telephony,
    visits,
    webforms,
    workspace,
)

app_name = "ui"

urlpatterns = [
    path("", include(workspace.urlpatterns)),
    path("", include(parties.urlpatterns)),
    path("", include(debts.urlpatterns)),
    path("", include(cashbook.urlpatterns)),
    path("", include(payments.urlpatterns)),
    path("", include(checks.urlpatterns)),
    path("", include(documents.urlpatterns)),
    path("", include(correspondence.urlpatterns)),
    path("", include(contacts.urlpatterns)),
    path("", include(servicerequests.urlpatterns)),
    path("", include(dossiers.urlpatterns)),
    path("", include(specimens.urlpatterns)),
    path("", include(knowledge.urlpatterns)),
    path("", include(webforms.urlpatterns)),
    path("", include(telephony.urlpatterns)),
    path("", include(visits.urlpatterns)),
    path("", include(inbox.urlpatterns)),
    path("", include(agenda_absences.urlpatterns)),
    path("", include(agenda_appointments.urlpatterns)),
    path("", include(agenda_meetings.urlpatterns)),
    path("", include("guichet.ui.urls.reports_lists")),
    path("", include(quality_checks.urlpatterns)),
    path("", include("guichet.ui.urls.quality_duplicates")),
    path("", include(reports_dashboards.urlpatterns)),
]
