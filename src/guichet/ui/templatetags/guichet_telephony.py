"""The telephony poll's start instant, for the pages of agents with an extension."""

from __future__ import annotations

from django import template

from guichet.ui.views.telephony import poll_since as _poll_since

register = template.Library()


@register.simple_tag
def poll_since() -> str:
    return _poll_since()
