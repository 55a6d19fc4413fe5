"""Forms of the register of specimens: search, add an official, add a specimen,
withdraw one, and the outcome of a comparison.

They only parse what the agent typed; what is accepted (the image's type and size,
the validity, who may) is `guichet.documents`' to say, and its field errors come
back next to the field through `ui.errors.submit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.documents.models import ComparisonOutcome, SpecimenKind
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input


class SpecimenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Official or authority"), required=False, max_length=100
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter code, such as CD or SN."),
    )
    valid_on = forms.DateField(
        label=_("Valid on"),
        required=False,
        widget=date_input(),
        help_text=_("Only the specimens in force that day."),
    )
    include_withdrawn = forms.BooleanField(
        label=_("Include withdrawn specimens"), required=False
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )


class OfficialForm(ServiceForm):
    authority_id = forms.ChoiceField(label=_("Authority"))
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        help_text=_("Two-letter code of the country whose documents they sign."),
    )
    name = forms.CharField(label=_("Name of the official"), max_length=200)
    function = forms.CharField(
        label=_("Function"),
        max_length=200,
        help_text=_("As printed under the signature: registrar, mayor, director..."),
    )

    def __init__(
        self, *args: Any, authorities: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["authority_id"]).choices = [
            ("", "—"),
            *authorities,
        ]


class SpecimenForm(ServiceForm):
    official_id = forms.ChoiceField(label=_("Official"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SpecimenKind.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=date_input())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=date_input(),
        help_text=_("Last day of validity; empty while the official is in office."),
    )
    file = forms.FileField(
        label=_("Image"),
        # An empty file is the service's to refuse, with its own message.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.pdf"}),
        help_text=_("A PNG or JPEG image, or a PDF; at most 2 MB."),
    )

    def __init__(
        self, *args: Any, officials: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["official_id"]).choices = [
            ("", "—"),
            *officials,
        ]

    @property
    def file_dropped(self) -> bool:
        """A file was sent with a refused form: the browser cannot show it again."""
        return self.is_bound and bool(self.errors) and "file" in self.files


class WithdrawForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this specimen may no longer be used."),
    )


class ComparisonForm(ServiceForm):
    specimen = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=ComparisonOutcome.choices, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you looked at, what differs."),
    )
