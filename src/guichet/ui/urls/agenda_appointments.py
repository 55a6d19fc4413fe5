"""Appointments: a team's day, booking, the appointment and its changes, the
person's tab, the offers."""

from django.urls import path

from guichet.ui.views import agenda_appointments as views

A = "appointments/<uuid:key>/"

urlpatterns = [
    path("appointments/", views.appointments_day, name="appointments"),
    path("appointments/book/", views.appointment_book, name="appointment_book"),
    path("appointments/offers/", views.offer_list, name="appointment_offers"),
    path("appointments/offers/new/", views.offer_edit, name="appointment_offer_new"),
    path(
        "appointments/offers/<uuid:key>/",
        views.offer_edit,
        name="appointment_offer_edit",
    ),
    path(
        "appointments/offers/<uuid:key>/deactivate/",
        views.offer_deactivate,
        name="appointment_offer_deactivate",
    ),
    path(A, views.appointment_detail, name="appointment"),
    path(A + "move/", views.appointment_move, name="appointment_move"),
    path(A + "cancel/", views.appointment_cancel, name="appointment_cancel"),
    path(A + "no-show/", views.appointment_no_show, name="appointment_no_show"),
    path(A + "served/", views.appointment_served, name="appointment_served"),
    path(A + "check-in/", views.appointment_check_in, name="appointment_check_in"),
    path(
        "persons/<uuid:person_id>/appointments/",
        views.person_appointments,
        name="person_appointments",
    ),
]
