"""Forms of the appointments screens: each feeds one service of
`guichet.agenda.appointments.services`, which checks everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.agenda.models.appointments import WEEKDAY_FIELDS, Purpose
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

WEEKDAY_LABELS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """Give the choice field `name` of `form` its choices, known only at run time."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):  # pragma: no cover - a choice field
        raise TypeError(name)
    field.choices = choices


class DayForm(forms.Form):
    """Which team's day to show."""

    team = forms.ChoiceField(label=_("Team"), required=False)
    day = forms.DateField(label=_("Day"), required=False, widget=date_input())


class SlotChoiceForm(ServiceForm):
    """Book (or move to) one of the free slots shown; `start` is its ISO instant."""

    start = forms.ChoiceField(
        label=_("Time"), widget=forms.RadioSelect, error_messages={}
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self, *args: object, choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "start", choices)


class SlotSearchForm(forms.Form):
    """Which offer and which week to show the free slots of."""

    offer = forms.ChoiceField(label=_("Appointment for"))
    day = forms.DateField(label=_("From"), widget=date_input())


class CancelForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OfferForm(ServiceForm):
    """An offer: its names, its slots and its weekly hours."""

    team = forms.ChoiceField(label=_("Team"))
    code = forms.SlugField(label=_("Code"), max_length=40)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    name_fr = forms.CharField(label=_("Name in French"), max_length=120)
    name_nl = forms.CharField(label=_("Name in Dutch"), max_length=120)
    name_de = forms.CharField(label=_("Name in German"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=1)
    places = forms.IntegerField(label=_("Places per slot"), min_value=1, initial=1)
    agent = forms.ChoiceField(label=_("Served by"), required=False)
    counter_service = forms.CharField(
        label=_("Counter service (code)"), required=False, max_length=40
    )
    monday_hours = forms.CharField(label=WEEKDAY_LABELS[0], required=False)
    tuesday_hours = forms.CharField(label=WEEKDAY_LABELS[1], required=False)
    wednesday_hours = forms.CharField(label=WEEKDAY_LABELS[2], required=False)
    thursday_hours = forms.CharField(label=WEEKDAY_LABELS[3], required=False)
    friday_hours = forms.CharField(label=WEEKDAY_LABELS[4], required=False)
    saturday_hours = forms.CharField(label=WEEKDAY_LABELS[5], required=False)
    sunday_hours = forms.CharField(label=WEEKDAY_LABELS[6], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def hours(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in WEEKDAY_FIELDS]
