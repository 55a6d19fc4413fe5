"""Forms of the correspondence screens: letters, approval, dispatch, mail, minutes.

Forms only parse what the agent typed; every rule (which placeholders exist, what a
level allows, what a scan is) is the correspondence services', and their field
errors come back next to the field (`field_for_error` maps their names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language
from guichet.correspondence import fields
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

# The rows of actions a minutes form offers; empty rows are ignored.
ACTION_ROWS = 5
TEXTAREA = {"rows": 8}
# Few columns: the text areas stretch to their box anyway, and a fieldset is never
# narrower than its widest content, which Django's 40 columns make wider than a
# 390 px screen (the text ran out of the card).
NARROW = {"cols": 20}


def _required(field: forms.Field) -> forms.Field:
    """Mark a field required for assistive technology; the service checks it."""
    field.widget.attrs["aria-required"] = "true"
    return field


def lines(text: str) -> list[str]:
    """One item per non-empty line (attendees, agenda points, decisions)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def normalised(text: str | None) -> str:
    """A text as typed in a textarea, compared without its line-ending style."""
    return (text or "").replace("\r\n", "\n").strip()


class PageForm(ServiceForm):
    """A form that shares its page with others: `ids` keeps its element ids apart."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class VersionedForm(PageForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SubmitForm(VersionedForm):
    ids = "submit"


class LetterNewForm(ServiceForm):
    """Step one of a letter: which letter, in which language, for which service."""

    letter_type = forms.ChoiceField(label=_("Letter"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    team = forms.ChoiceField(label=_("Service"), required=False)
    subject = forms.CharField(
        label=_("Subject of your own letter"), required=False, max_length=300
    )
    body = forms.CharField(
        label=_("Text of your own letter"),
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, **NARROW}),
        help_text=_(
            "Only for a letter without a standard template; placeholders such as "
            "{{ person.surname }} are filled in."
        ),
    )

    def __init__(
        self,
        *args: Any,
        letter_types: Sequence[tuple[str, str]],
        teams: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = cast(forms.ChoiceField, self.fields["letter_type"])
        choices.choices = [
            *letter_types,
            ("", _("Own letter, without a standard template (needs approval)")),
        ]
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = list(teams)
        if len(teams) <= 1:
            team.widget = forms.HiddenInput()


def free_field_widget(spec: fields.FieldSpec) -> forms.Widget:
    """The input that fits a free field's type; the service checks the value."""
    if spec.type == fields.FieldType.DATE:
        return date_input()
    if spec.type == fields.FieldType.TIME:
        return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    if spec.type == fields.FieldType.AMOUNT:
        return forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
        )
    if spec.type == fields.FieldType.CHOICE:
        return forms.Select(
            choices=[
                ("", "—"),
                *(
                    (option.key, spec.option_label(option.key, get_language()))
                    for option in spec.options
                ),
            ]
        )
    return forms.Textarea(attrs={"rows": 2, **NARROW})


class LetterEditForm(VersionedForm):
    """A draft's free fields, its texts and the out-of-the-ordinary flag."""

    ids = "edit"

    subject = forms.CharField(label=_("Subject"), required=False, max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, **NARROW}),
        help_text=_(
            "Placeholders such as {{ person.surname }} are filled in when the letter "
            "is issued."
        ),
    )
    is_flagged = forms.BooleanField(
        label=_("This letter is out of the ordinary: a supervisor approves it"),
        required=False,
    )
    flag_reason = forms.CharField(
        label=_("Why it is out of the ordinary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **NARROW}),
    )

    def __init__(
        self, *args: Any, free_fields: Sequence[fields.FieldSpec], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.free_names = [spec.name for spec in free_fields]
        for spec in free_fields:
            self.fields[f"free_{spec.name}"] = forms.CharField(
                label=spec.label_here,
                required=False,
                widget=free_field_widget(spec),
            )
        self.order_fields(
            [
                "version",
                *(f"free_{name}" for name in self.free_names),
                "subject",
                "body",
                "is_flagged",
                "flag_reason",
            ]
        )

    def free_field_list(self) -> list[forms.BoundField]:
        return [self[f"free_{name}"] for name in self.free_names]

    def text_field_list(self) -> list[forms.BoundField]:
        return [self["subject"], self["body"]]

    def flag_field_list(self) -> list[forms.BoundField]:
        return [self["is_flagged"], self["flag_reason"]]

    def free_values(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"free_{name}"] for name in self.free_names}


class DocxUploadForm(VersionedForm):
    ids = "upload"

    file = forms.FileField(
        label=_("Edited Word document (DOCX)"),
        help_text=_("The document downloaded from this letter, edited; at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )


class ApproveForm(VersionedForm):
    ids = "approve"

    subject = forms.CharField(label=_("Subject"), required=False, max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, **NARROW}),
    )
    note = forms.CharField(
        label=_("Note for the author (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **NARROW}),
    )


class RejectForm(VersionedForm):
    ids = "reject"

    reason = _required(
        forms.CharField(
            label=_("Reason for the rejection"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, **NARROW}),
            help_text=_("The author sees it and can correct the letter."),
        )
    )


class EmailForm(PageForm):
    """Where an issued letter is e-mailed: one of the person's addresses on record,
    or, for an agent whose level allows it, another address with the reason."""

    ids = "email"

    address = forms.ChoiceField(label=_("To"), required=False)
    other_address = forms.CharField(
        label=_("Or another address"),
        required=False,
        max_length=254,
        help_text=_(
            "Only when the letter must go to an address the person did not give us."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    address_reason = forms.CharField(
        label=_("Why this other address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **NARROW}),
        help_text=_("Kept in the letter's history."),
    )

    def __init__(
        self, *args: Any, addresses: Sequence[str], elsewhere: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["address"])
        field.choices = [(address, address) for address in addresses]
        if not elsewhere:
            del self.fields["other_address"]
            del self.fields["address_reason"]

    def chosen(self) -> tuple[str | None, str]:
        """The address to send to (None: the person's preferred one) and the reason."""
        other = self.cleaned_data.get("other_address", "").strip()
        if other:
            return other, self.cleaned_data.get("address_reason", "")
        return self.cleaned_data["address"] or None, ""


class ResendForm(EmailForm):
    """Sending a letter once more, after a dispatch done or under way: the channel,
    the e-mail address when it goes by e-mail, and why (required)."""

    ids = "resend"

    channel = forms.ChoiceField(label=_("How"))
    resend_reason = _required(
        forms.CharField(
            label=_("Why send it once more"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, **NARROW}),
            help_text=_("Kept in the letter's history."),
        )
    )

    def __init__(
        self,
        *args: Any,
        channels: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["channel"])
        field.choices = list(channels)
        self.fields["address"].label = _("To, by e-mail")
        self.order_fields(
            [
                "channel",
                "address",
                "other_address",
                "address_reason",
                "resend_reason",
            ]
        )


class TeamForm(PageForm):
    """The service an agent of several services acts for."""

    team = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(
        self, *args: Any, teams: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["team"])
        field.choices = list(teams)
        if len(teams) <= 1:
            field.widget = forms.HiddenInput()


class MailRegisterForm(TeamForm):
    received_on = _required(
        forms.DateField(
            label=_("Received on"),
            widget=date_input(),
        )
    )
    sender_name = _required(
        forms.CharField(label=_("Sender"), required=False, max_length=300)
    )
    subject = _required(
        forms.CharField(label=_("Subject"), required=False, max_length=300)
    )
    scan = forms.FileField(
        label=_("Scanned mail"),
        required=False,
        help_text=_("PDF, JPEG, PNG or TIFF; at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff", "aria-required": "true"}
        ),
    )


class MailDispatchForm(VersionedForm):
    team = forms.ChoiceField(label=_("Send to the service"))

    def __init__(
        self, *args: Any, teams: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["team"])
        field.choices = list(teams)


class MinutesForm(TeamForm):
    title = _required(forms.CharField(label=_("Title"), required=False, max_length=200))
    meeting_date = _required(
        forms.DateField(
            label=_("Meeting date"),
            widget=date_input(),
        )
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    # The agenda's meeting these minutes are of (set from the meeting's page).
    meeting = forms.UUIDField(required=False, widget=forms.HiddenInput())
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    attendees = _required(
        forms.CharField(
            label=_("Present"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, **NARROW}),
            help_text=_("One person per line."),
        )
    )
    absentees = forms.CharField(
        label=_("Excused"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **NARROW}),
        help_text=_("One person per line."),
    )
    agenda = _required(
        forms.CharField(
            label=_("Agenda"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, **NARROW}),
            help_text=_("One point per line."),
        )
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, **NARROW}),
        help_text=_("One decision per line."),
    )

    def __init__(
        self,
        *args: Any,
        teams: Sequence[tuple[str, str]],
        owners: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        for index in range(ACTION_ROWS):
            number = index + 1
            self.fields[f"action_{index}_description"] = forms.CharField(
                label=_("Action %(number)d") % {"number": number},
                required=False,
                max_length=500,
            )
            self.fields[f"action_{index}_owner"] = forms.ChoiceField(
                label=_("Owner of action %(number)d") % {"number": number},
                required=False,
                choices=[("", "—"), *owners],
            )
            self.fields[f"action_{index}_due_date"] = forms.DateField(
                label=_("Due date of action %(number)d") % {"number": number},
                required=False,
                widget=date_input(),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "team",
                "title",
                "meeting_date",
                "place",
                "language",
                "attendees",
                "absentees",
                "agenda",
                "decisions",
            )
        ]

    def action_rows(self) -> list[list[forms.BoundField]]:
        return [
            [
                self[f"action_{index}_description"],
                self[f"action_{index}_owner"],
                self[f"action_{index}_due_date"],
            ]
            for index in range(ACTION_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(ACTION_ROWS):
            parts = [
                data.get(f"action_{index}_{part}")
                for part in ("description", "owner", "due_date")
            ]
            if any(parts) and not all(parts):
                self.add_error(
                    f"action_{index}_description",
                    _("Give the action, its owner and its due date."),
                )
        return data

    def actions(self) -> list[tuple[int, str, str, Any]]:
        """The filled rows: (row, description, owner's username, due date)."""
        rows = []
        for index in range(ACTION_ROWS):
            description = self.cleaned_data.get(f"action_{index}_description", "")
            if description:
                rows.append(
                    (
                        index,
                        description,
                        self.cleaned_data[f"action_{index}_owner"],
                        self.cleaned_data[f"action_{index}_due_date"],
                    )
                )
        return rows


_INDEXED = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\](?:\.(?P<part>\w+))?$")


def minutes_field(name: str, rows: Sequence[int]) -> str:
    """The form field of a minutes service error (`agenda[2]`, `actions[0].owner`).

    `rows` maps the service's action index to the form's row (empty rows are skipped).
    """
    match = _INDEXED.match(name)
    if match is None:
        return name
    if match["name"] == "actions" and match["part"]:
        index = int(match["index"])
        row = rows[index] if index < len(rows) else index
        return f"action_{row}_{match['part']}"
    return match["name"]


def letter_field(name: str) -> str:
    """The form field of a letter service error (`free_values.date`, `free.date`)."""
    for prefix in ("free_values.", "free."):
        if name.startswith(prefix):
            return "free_" + name.removeprefix(prefix)
    return name
