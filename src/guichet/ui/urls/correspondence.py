"""Letters, the incoming mail register and minutes."""

from django.urls import path

from guichet.ui.views.correspondence import letters, mail, minutes

urlpatterns = [
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
        "correspondence/letters/<uuid:letter_id>/resend/",
        letters.letter_resend,
        name="letter_resend",
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
    path("correspondence/mail/", mail.mail_list, name="mail_list"),
    path("correspondence/mail/new/", mail.mail_register, name="mail_register"),
    path(
        "correspondence/mail/<uuid:mail_id>/",
        mail.mail_detail,
        name="mail_detail",
    ),
    path(
        "correspondence/mail/<uuid:mail_id>/scan/",
        mail.mail_scan,
        name="mail_scan",
    ),
    path("correspondence/minutes/new/", minutes.minutes_new, name="minutes_new"),
    path(
        "correspondence/minutes/<uuid:minutes_id>/",
        minutes.minutes_detail,
        name="minutes_detail",
    ),
    path(
        "correspondence/minutes/<uuid:minutes_id>/pdf/",
        minutes.minutes_pdf,
        name="minutes_pdf",
    ),
    path(
        "correspondence/actions/<uuid:item_id>/done/",
        minutes.action_item_done,
        name="action_item_done",
    ),
]
