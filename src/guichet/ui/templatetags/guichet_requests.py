"""Template filters of the contact and request screens."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import get_language

from guichet.contacts.models import Topic
from guichet.core import clock

register = template.Library()


@register.filter
def topic_name(topic: Topic | None) -> str:
    """The topic's name in the agent's language."""
    if topic is None:
        return "—"
    return topic.name((get_language() or "en")[:2])


@register.filter
def is_past(value: dt.datetime | None) -> bool:
    """Whether an instant (a deadline) has passed."""
    return value is not None and value < clock.now()
