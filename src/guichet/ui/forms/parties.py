"""Forms of the person and organisation screens.

Forms only parse what the agent typed (text, dates, choices); every rule (what is
required, a valid national number, a phone number) is the service's, and its
field errors come back next to the field through `ui.errors.submit`.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language
from guichet.parties.models import AddressKind, PhoneKind, PostalAddress, Sex
from guichet.parties.services import IDENTITY_FIELDS, AddressInput
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

_NUMBER_SEPARATORS = re.compile(r"[\s./-]+")


class VersionedForm(ServiceForm):
    """A form that edits a versioned record: it carries the version it was based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@dataclass(frozen=True)
class ConflictRow:
    """One field of a refused edit: as it was, as it is now, as the agent typed it."""

    name: str
    label: str
    was: str
    now: str
    typed: str

    @property
    def changed_meanwhile(self) -> bool:
        return self.was != self.now

    @property
    def clashes(self) -> bool:
        """Both agents changed this field, to different values."""
        return self.changed_meanwhile and self.typed not in (self.was, self.now)


class PersonIdentityForm(VersionedForm):
    """Names, birth date, sex and national number; only changed fields are sent.

    Each field keeps the value it was shown with in a hidden input, so the edit
    sends only what the agent changed: re-applying it after a conflict never
    undoes another agent's change to a field this agent did not touch.
    """

    surname = forms.CharField(
        label=_("Surname"), required=False, max_length=200, show_hidden_initial=True
    )
    given_names = forms.CharField(
        label=_("Given names"),
        required=False,
        max_length=200,
        show_hidden_initial=True,
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        show_hidden_initial=True,
        widget=date_input(),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, show_hidden_initial=True
    )
    national_number = forms.CharField(
        label=_("National register or BIS number"),
        required=False,
        max_length=20,
        show_hidden_initial=True,
        help_text=_("11 digits; dots and dashes are allowed."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    contradiction_override = forms.CharField(
        label=_("Reason to keep it anyway"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the birth date or sex really differs from what the national "
            "number says (a correction pending at the National Register, say). The "
            "reason is recorded."
        ),
    )

    field_order = ("surname", "given_names", "birth_date", "sex", "national_number")

    @property
    def offers_override(self) -> bool:
        """Show the override only once the identity contradicted the number."""
        return self.is_bound and (
            bool(self.data.get("contradiction_override"))
            or "birth_date" in self.errors
            or "sex" in self.errors
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("surname", "given_names"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean_national_number(self) -> str:
        return _NUMBER_SEPARATORS.sub("", self.cleaned_data["national_number"])

    @classmethod
    def initial_of(cls, person: Any) -> dict[str, Any]:
        values = {name: getattr(person, name) for name in IDENTITY_FIELDS}
        values["national_number"] = values["national_number"] or ""
        values["version"] = person.version
        return values

    def changes(self) -> dict[str, Any]:
        """The identity fields the agent changed, with their parsed values."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in IDENTITY_FIELDS
        }

    def conflict_rows(self, stored: Mapping[str, Any]) -> list[ConflictRow]:
        """Field by field: the value the agent started from, the one stored now,
        and what they typed; only fields someone changed."""
        rows = []
        for name in IDENTITY_FIELDS:
            field = self.fields[name]
            was = _shown(field, self.data.get(self.add_initial_prefix(name), ""))
            now = _shown(field, stored[name])
            typed = _shown(field, self.cleaned_data.get(name))
            if was != now or typed != was:
                rows.append(
                    ConflictRow(
                        name=name,
                        label=str(field.label),
                        was=was,
                        now=now,
                        typed=typed,
                    )
                )
        return rows

    def rebased(self, stored: Mapping[str, Any], version: int) -> PersonIdentityForm:
        """The same edit on top of the stored record, to re-apply after a conflict.

        Fields the agent changed keep what they typed; the others show the value
        stored now; the hidden originals and the version are the stored ones.
        """
        data: dict[str, Any] = {"version": version}
        for name in IDENTITY_FIELDS:
            current = _raw(stored[name])
            data[self.add_initial_prefix(name)] = current
            data[name] = (
                self.data.get(name, "") if name in self.changed_data else current
            )
        return PersonIdentityForm(data)


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}  # type: ignore[misc,union-attr]  # flat choices here
        return labels.get(_raw(value), _raw(value))
    if isinstance(value, str) and isinstance(field, forms.DateField):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return _raw(value)


class PhoneAddForm(VersionedForm):
    number = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("For example 0470 12 34 56 or +32 470 12 34 56."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PhoneKind.choices, initial=PhoneKind.MOBILE
    )
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=100,
        help_text=_("Optional, for example: work, mother."),
    )
    is_primary = forms.BooleanField(label=_("Preferred number"), required=False)


class EmailAddForm(VersionedForm):
    address = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=100,
        help_text=_("Optional, for example: work, mother."),
    )
    is_primary = forms.BooleanField(label=_("Preferred address"), required=False)


class PersonLanguageForm(VersionedForm):
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        help_text=_("The language of letters and calls to this person."),
    )


class ContactRemoveForm(VersionedForm):
    """The confirmation of a removal: only the version it was confirmed on."""


class AddressFields(forms.Form):
    """A postal address, as bpost lays it out; every field is optional here, and
    an address with nothing typed is no address (the service says what a given
    address lacks). Service errors come back through `address_field_name`."""

    address_street = forms.CharField(label=_("Street"), required=False, max_length=200)
    address_house_number = forms.CharField(
        label=_("House number"), required=False, max_length=20
    )
    address_box = forms.CharField(label=_("Box"), required=False, max_length=20)
    address_postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address_municipality = forms.CharField(
        label=_("Municipality or town"), required=False, max_length=200
    )
    address_country = forms.CharField(
        label=_("Country"),
        max_length=2,
        initial="BE",
        help_text=_("Two-letter code: BE, FR, NL, DE, LU..."),
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    address_lines = forms.CharField(
        label=_("Address lines (abroad)"),
        required=False,
        max_length=500,
        help_text=_(
            "Outside Belgium: the lines above the town, as the country writes them."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    address_kind = forms.ChoiceField(
        label=_("Kind of address"),
        choices=AddressKind.choices,
        initial=AddressKind.RESIDENCE,
    )
    address_is_primary = forms.BooleanField(
        label=_("Preferred address"), required=False
    )

    _TYPED = ("street", "house_number", "box", "postal_code", "municipality", "lines")

    @staticmethod
    def address_field_name(name: str) -> str:
        """The form field of a service error: `addresses[0].street` or
        `address.street` is `address_street`."""
        return "address_" + name.rpartition(".")[2]

    def has_address(self) -> bool:
        return any(self.cleaned_data.get(f"address_{name}") for name in self._TYPED)

    def address_input(self) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            country=data["address_country"],
            street=data["address_street"],
            house_number=data["address_house_number"],
            box=data["address_box"],
            postal_code=data["address_postal_code"],
            municipality=data["address_municipality"],
            lines=data["address_lines"],
            kind=data["address_kind"],
            is_primary=data["address_is_primary"],
        )

    def address_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("address_")]

    @staticmethod
    def initial_of(address: PostalAddress) -> dict[str, Any]:
        return {
            f"address_{name}": getattr(address, name)
            for name in (*AddressFields._TYPED, "country", "kind", "is_primary")
        }


def _fresh(name: str) -> forms.Field:
    """A field of the identity form, for a form that shows no original value."""
    field = copy.deepcopy(PersonIdentityForm.base_fields[name])
    field.show_hidden_initial = False
    return field


class PersonCreateForm(ServiceForm, AddressFields):
    """A new person: identity, preferred language and, if known, a postal address.

    The duplicate check is the service's: the agent confirms it with the "register
    anyway" button, which sends `acknowledge_duplicates`.
    """

    surname = _fresh("surname")
    given_names = _fresh("given_names")
    birth_date = _fresh("birth_date")
    sex = _fresh("sex")
    national_number = _fresh("national_number")
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        help_text=_("The language of letters and calls to this person."),
    )
    acknowledge_duplicates = forms.BooleanField(
        required=False, widget=forms.HiddenInput
    )

    field_order = (
        "surname",
        "given_names",
        "birth_date",
        "sex",
        "national_number",
        "language",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].initial = Sex.UNKNOWN
        for name in ("surname", "given_names"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean_national_number(self) -> str:
        return _NUMBER_SEPARATORS.sub("", self.cleaned_data["national_number"])

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.field_order]


class OrganisationCreateForm(ServiceForm, AddressFields):
    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    enterprise_number = forms.CharField(
        label=_("Enterprise number"),
        required=False,
        max_length=20,
        help_text=_("10 digits, as in the Crossroads Bank for Enterprises (BCE/KBO)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    field_order = ("name", "enterprise_number", "language")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["aria-required"] = "true"

    def organisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.field_order]


class AddressEditForm(VersionedForm, AddressFields):
    """One postal address of a person, on the person's version it was read at."""


SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("enterprise_number", _("Enterprise number")),
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
]


class OrganisationFilterForm(forms.Form):
    name = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *Language.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, initial="name"
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=1000, widget=forms.HiddenInput
    )
