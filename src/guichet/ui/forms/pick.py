"""Picking a known person in a form: a search box whose results (the persons the
agent may see, found by the parties' own search) come back as radio buttons under
it (`ui.views.parties.person_pick`, an htmx fragment). The field's value is the
chosen person's public id; the service it feeds looks it up again among what the
agent sees, so a forged id reads as "not found"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The form fields a picker may fill (the fragment names its radio buttons so).
PICKABLE = frozenset({"caller_person", "person"})


class PersonPickWidget(forms.Widget):
    template_name = "ui/widgets/person_pick.html"
    # The chosen person's name, when the form is shown again with a value.
    chosen_label: str = ""

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["pick_url"] = reverse("ui:person_pick")
        context["widget"]["chosen_label"] = self.chosen_label
        return context


def person_pick_field(label: Any, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=PersonPickWidget(),
        help_text=_(
            "Type a name, a national number, a phone number or an e-mail "
            "address, then choose among the persons found."
        ),
    )


def show_chosen(form: forms.Form, name: str, label: str) -> None:
    """Show the person already chosen in field `name` (the form comes back)."""
    widget = form.fields[name].widget
    if isinstance(widget, PersonPickWidget):
        widget.chosen_label = label
