"""The `request.*` placeholders of letters (issue #15, item 3: standard answers
filled from the request): discovered by `correspondence.placeholders`, which sits
above this app and formats the dates in the letter's language.

A letter names its request by reference (`references["request"]`, set by the
reply service). The values are given only when the request is about the letter's
recipient and its writer sees it; otherwise they are unknown, and a letter that
uses them is refused for its holes rather than filled from someone else's case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.access import policy

from .models import Request
from .selectors import _by_reference

NAMES = {
    "reference": _("the request's reference (REQ-2026-0000042)"),
    "subject": _("the request's subject, as registered"),
    "topic": _("the request's topic, in the letter's language"),
    "received_on": _("the date the request was received"),
    "due_on": _("the date the request is to be answered by"),
}


def _request(context: Any) -> Request | None:
    reference = context.references.get("request")
    condition = _by_reference(reference) if reference else None
    if condition is None:
        return None
    return (
        policy.visible(context.agent, Request.objects.all())
        .select_related("topic")
        .filter(condition, person_id=context.person.pk)
        .first()
    )


class RequestSource:
    prefix = "request"
    names = NAMES

    def values(self, context: Any) -> Mapping[str, object]:
        request = _request(context)
        if request is None:
            return {}
        topic = request.topic
        return {
            "reference": request.reference,
            "subject": request.subject or None,
            "topic": getattr(topic, f"name_{context.language}", None)
            if topic
            else None,
            "received_on": request.received_at,
            "due_on": request.resolution_due,
        }


SOURCES = [RequestSource()]
