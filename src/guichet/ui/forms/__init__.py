"""Forms of the agent workspace, one module per domain, and the widgets they share."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """The browser's date picker; the value is sent and shown as YYYY-MM-DD."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
