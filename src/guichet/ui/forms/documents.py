"""Forms of a person's documents tab: upload, verify, and the decision date.

They only parse what the agent typed; what is accepted (the file's type and size,
the dates, which check fits which document) is `guichet.documents`' to say, and
its field errors come back next to the field through `ui.errors.submit`.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.documents.models import DocumentType
from guichet.documents.services import DocumentDetails
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

from .checks import kind_choices


class DocumentUploadForm(ServiceForm):
    file = forms.FileField(
        label=_("File"),
        # An empty file is the service's to refuse, with its own message.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}
        ),
        help_text=_("A PDF, JPEG, PNG or TIFF scan or photo."),
    )
    document_type = forms.ChoiceField(
        label=_("Type of document"), choices=DocumentType.choices
    )
    document_number = forms.CharField(
        label=_("Document number"), required=False, max_length=40
    )
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=date_input()
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=date_input(),
        help_text=_("Last day of validity; leave empty if it does not expire."),
    )
    dossier_reference = forms.CharField(
        label=_("Dossier reference"), required=False, max_length=64
    )
    dossier_item = forms.CharField(
        label=_("Required document (code)"), required=False, max_length=64
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=200
    )

    @property
    def file_dropped(self) -> bool:
        """A file was sent with a refused form: the browser cannot show it again
        (a file input is never refilled), so the agent must choose it again."""
        return self.is_bound and bool(self.errors) and "file" in self.files

    def details(self) -> DocumentDetails:
        data = self.cleaned_data
        return DocumentDetails(
            document_type=data["document_type"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            document_number=data["document_number"],
            description=data["description"],
            dossier_reference=data["dossier_reference"],
            dossier_item=data["dossier_item"],
        )


class DocumentVerifyForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind of check"), choices=kind_choices)
    value = forms.CharField(
        label=_("What the document shows"),
        strip=False,
        max_length=400,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "mono",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
        help_text=_("The number, or the machine-readable zone line by line."),
    )

    def __init__(self, *args: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kind_choices(kinds)


class DecisionDateForm(forms.Form):
    decision_date = forms.DateField(
        label=_("Valid on"),
        required=False,
        widget=date_input(),
        help_text=_(
            "The decision date of the dossier: documents that expire before it "
            "are flagged. Empty: today."
        ),
    )
