from django.urls import path

from guichet.ui.views import inbox

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/problems/", inbox.problems, name="inbox_problems"),
    path("inbox/problems/<uuid:key>/retry/", inbox.problem_retry, name="inbox_retry"),
    path("inbox/<uuid:key>/", inbox.message_detail, name="inbox_message"),
    path(
        "inbox/<uuid:key>/attachments/<uuid:attachment>/",
        inbox.attachment_download,
        name="inbox_attachment",
    ),
]
