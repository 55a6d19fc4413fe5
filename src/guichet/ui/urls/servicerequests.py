"""Requests: the queues, one request and its actions, the supervisor's view."""

from django.urls import path

from guichet.ui.views import servicerequests as views

urlpatterns = [
    path("requests/", views.request_queue, name="request_queue"),
    path("requests/take-next/", views.request_take_next, name="request_take_next"),
    path(
        "requests/supervision/", views.request_supervision, name="request_supervision"
    ),
    path(
        "persons/<uuid:person_id>/requests/",
        views.person_requests,
        name="person_requests",
    ),
    path("requests/<str:reference>/", views.request_detail, name="request_detail"),
    path(
        "requests/<str:reference>/status/",
        views.request_transition,
        name="request_transition",
    ),
    path("requests/<str:reference>/note/", views.request_note, name="request_note"),
    path(
        "requests/<str:reference>/handover/",
        views.request_handover,
        name="request_handover",
    ),
    path(
        "requests/<str:reference>/assign/", views.request_assign, name="request_assign"
    ),
    path("requests/<str:reference>/merge/", views.request_merge, name="request_merge"),
    path("requests/<str:reference>/link/", views.request_link, name="request_link"),
    path("requests/<str:reference>/take/", views.request_take, name="request_take"),
    path("requests/<str:reference>/topic/", views.request_topic, name="request_topic"),
    path(
        "requests/<str:reference>/reply/",
        views.request_reply_view,
        name="request_reply",
    ),
    path(
        "requests/<str:reference>/reply/<uuid:letter_id>/send/",
        views.request_reply_send,
        name="request_reply_send",
    ),
    path(
        "requests/<str:reference>/contact/",
        views.request_contact_add,
        name="request_contact_add",
    ),
    path(
        "requests/<str:reference>/identify/",
        views.request_identify,
        name="request_identify",
    ),
]
