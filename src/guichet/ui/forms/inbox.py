"""Forms of the inbox screens: open a request from a message, add it to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.servicerequests.models import Kind
from guichet.ui.errors import ServiceForm

NARROW = {"cols": 20}


class OpenRequestForm(ServiceForm):
    person = forms.ChoiceField(label=_("Person concerned"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"))

    def __init__(
        self,
        *args: Any,
        persons: Sequence[tuple[str, str]],
        topics: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "open_%s")
        super().__init__(*args, **kwargs)
        choices = [("", _("Nobody on record yet (identify later)"))]
        self.fields["person"].choices = [*choices, *persons]  # type: ignore[attr-defined]
        self.fields["topic"].choices = list(topics)  # type: ignore[attr-defined]


class AttachForm(ServiceForm):
    reference = forms.CharField(
        label=_("Request reference"),
        max_length=20,
        help_text=_("REQ-YYYY-NNNNNNN"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "attach_%s")
        super().__init__(*args, **kwargs)
