"""The public web form: it only parses what the citizen typed; every rule (which
topics, what a file may be, the consent) is `webforms.services`', whose field
errors come back next to the fields (the form's field names are the service's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.contacts.selectors import TopicOption
from guichet.servicerequests.models import Kind
from guichet.webforms.services import MESSAGE_MAX, NAME_MAX


class _ManyFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class _ManyFilesField(forms.FileField):
    widget = _ManyFiles

    def clean(self, data: Any, initial: Any = None) -> Any:
        # The service checks each file (count, size, type read from the bytes).
        return (
            list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        )


class WebForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[
            (Kind.QUESTION.value, _("Ask a question")),
            (Kind.COMPLAINT.value, _("File a complaint")),
        ],
        initial=Kind.QUESTION.value,
        widget=forms.RadioSelect,
        required=False,
    )
    topic = forms.CharField(label=_("Topic"), required=False)
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MESSAGE_MAX}),
        help_text=_("At most 5,000 characters. Do not write your national number."),
    )
    attachments = _ManyFilesField(
        label=_("Files (optional)"),
        required=False,
        widget=_ManyFiles(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff"
            }
        ),
        help_text=_("Up to 3 files: PDF, JPEG, PNG or TIFF, 5 MB each at most."),
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "name",
                "maxlength": NAME_MAX,
                "aria-required": "true",
            }
        ),
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "aria-required": "true"}
        ),
        help_text=_(
            "We send the acknowledgement and the link to follow your message there."
        ),
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my message and details are processed to answer me."),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-required": "true"}),
    )
    # The honeypot: hidden from people (off-screen, out of the Tab order), filled
    # in by form-filling programs. Its name looks worth filling.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, topics: list[TopicOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].widget = forms.Select(
            choices=[("", "—"), *[(t.uuid, t.label) for t in topics]],
            attrs={"aria-required": "true"},
        )
        self.fields["message"].widget.attrs["aria-required"] = "true"
