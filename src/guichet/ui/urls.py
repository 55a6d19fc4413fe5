from django.urls import path

from .views import auth, checks, debts, documents, home, parties, search
from .views import correspondence as letters

app_name = "ui"

urlpatterns = [
    path("", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("language/", auth.language_set, name="language"),
    path("home/", home.home, name="home"),
    path("search/", search.search_view, name="search"),
    path("persons/<uuid:person_id>/", parties.person_detail, name="person_detail"),
    path(
        "persons/<uuid:person_id>/history/",
        parties.person_history,
        name="person_history",
    ),
    path("persons/<uuid:person_id>/edit/", parties.person_edit, name="person_edit"),
    path(
        "persons/<uuid:person_id>/contact/",
        parties.person_contact,
        name="person_contact",
    ),
    path(
        "persons/<uuid:person_id>/contact/phones/",
        parties.person_phone_add,
        name="person_phone_add",
    ),
    path(
        "persons/<uuid:person_id>/contact/emails/",
        parties.person_email_add,
        name="person_email_add",
    ),
    path(
        "persons/<uuid:person_id>/contact/language/",
        parties.person_language,
        name="person_language",
    ),
    path(
        "persons/<uuid:person_id>/contact/<uuid:contact_point_id>/remove/",
        parties.person_contact_remove,
        name="person_contact_remove",
    ),
    path(
        "persons/<uuid:person_id>/debts/",
        debts.person_debts,
        name="person_debts",
    ),
    path(
        "payments/garnishment/",
        debts.garnishment_calculator,
        name="garnishment_calculator",
    ),
    path("checks/", checks.check_tool, name="check_tool"),
    path(
        "persons/<uuid:person_id>/documents/",
        documents.person_documents,
        name="person_documents",
    ),
    path(
        "persons/<uuid:person_id>/documents/upload/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "documents/<uuid:document_id>/verify/",
        documents.document_verify,
        name="document_verify",
    ),
    path(
        "documents/<uuid:document_id>/download/",
        documents.document_download,
        name="document_download",
    ),
    path("organisations/", parties.organisation_list, name="organisation_list"),
    path(
        "organisations/<uuid:organisation_id>/",
        parties.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "persons/<uuid:person_id>/letters/",
        letters.person_letters,
        name="person_letters",
    ),
    path(
        "persons/<uuid:person_id>/letters/new/",
        letters.letter_new,
        name="letter_new",
    ),
    path("correspondence/", letters.correspondence, name="correspondence"),
    path(
        "correspondence/letters/<uuid:letter_id>/",
        letters.letter_detail,
        name="letter_detail",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/submit/",
        letters.letter_submit,
        name="letter_submit",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/cancel/",
        letters.letter_cancel,
        name="letter_cancel",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/preview/",
        letters.letter_preview,
        name="letter_preview",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/pdf/",
        letters.letter_pdf,
        name="letter_pdf",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/docx/",
        letters.letter_docx,
        name="letter_docx",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/docx/upload/",
        letters.letter_docx_upload,
        name="letter_docx_upload",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/approve/",
        letters.letter_approve,
        name="letter_approve",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/reject/",
        letters.letter_reject,
        name="letter_reject",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/email/",
        letters.letter_email,
        name="letter_email",
    ),
    path(
        "correspondence/letters/<uuid:letter_id>/hand-over/",
        letters.letter_hand_over,
        name="letter_hand_over",
    ),
    path(
        "correspondence/print-batches/",
        letters.print_batch_create,
        name="print_batch_create",
    ),
    path(
        "correspondence/print-batches/<uuid:batch_id>/pdf/",
        letters.print_batch_pdf,
        name="print_batch_pdf",
    ),
    path("correspondence/mail/", letters.mail_list, name="mail_list"),
    path("correspondence/mail/new/", letters.mail_register, name="mail_register"),
    path(
        "correspondence/mail/<uuid:mail_id>/",
        letters.mail_detail,
        name="mail_detail",
    ),
    path(
        "correspondence/mail/<uuid:mail_id>/scan/",
        letters.mail_scan,
        name="mail_scan",
    ),
    path("correspondence/minutes/new/", letters.minutes_new, name="minutes_new"),
    path(
        "correspondence/minutes/<uuid:minutes_id>/",
        letters.minutes_detail,
        name="minutes_detail",
    ),
    path(
        "correspondence/minutes/<uuid:minutes_id>/pdf/",
        letters.minutes_pdf,
        name="minutes_pdf",
    ),
    path(
        "correspondence/actions/<uuid:item_id>/done/",
        letters.action_item_done,
        name="action_item_done",
    ),
]
