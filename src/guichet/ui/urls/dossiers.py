"""Dossiers: the queue, opening, one dossier's workbench and its actions."""

from django.urls import path

from guichet.ui.views import dossiers as views

D = "dossiers/<str:reference>/"

urlpatterns = [
    path("dossiers/", views.dossier_queue, name="dossier_queue"),
    path("approvals/", views.dossier_approvals, name="dossier_approvals"),
    path("dossiers/open/", views.dossier_open, name="dossier_open"),
    path(
        "persons/<uuid:person_id>/dossiers/",
        views.person_dossiers,
        name="person_dossiers",
    ),
    path(D, views.dossier_detail, name="dossier_detail"),
    path(D + "step/", views.dossier_step, name="dossier_step"),
    path(
        D + "export-package/",
        views.dossier_export_package,
        name="dossier_export_package",
    ),
    path(D + "review/", views.dossier_review, name="dossier_review"),
    path(D + "external/", views.dossier_external, name="dossier_external"),
    path(D + "tasks/", views.dossier_task, name="dossier_task"),
    path(
        D + "tasks/<uuid:task_id>/assign/",
        views.dossier_task_assign,
        name="dossier_task_assign",
    ),
    path(
        D + "tasks/<uuid:task_id>/done/",
        views.dossier_task_done,
        name="dossier_task_done",
    ),
    path(D + "notes/", views.dossier_note, name="dossier_note"),
    path(
        D + "document-requests/",
        views.dossier_document_request,
        name="dossier_document_request",
    ),
    path(
        D + "document-requests/<uuid:request_id>/answer/",
        views.dossier_document_answer,
        name="dossier_document_answer",
    ),
    path(D + "facts/", views.dossier_fact, name="dossier_fact"),
    path(D + "suspend/", views.dossier_suspend, name="dossier_suspend"),
    path(D + "resume/", views.dossier_resume, name="dossier_resume"),
    path(D + "extend/", views.dossier_extend, name="dossier_extend"),
]
