"""Forms of the request screens: the queue's filters and the actions on a request.

Forms only parse what the agent typed; which moves are allowed, who may be given a
request, what needs a text are the servicerequests services' rules (the status
choices come from `transitions.targets`, and the service checks them again).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.contacts.models import Channel, Direction, Outcome
from guichet.servicerequests import transitions
from guichet.servicerequests.models import Classification, Kind, Priority, Status
from guichet.ui.errors import ServiceForm
from guichet.ui.forms.correspondence import free_field_widget
from guichet.ui.forms.pick import person_pick_field

NARROW = {"cols": 20, "rows": 3}


def _blank(choices: Sequence[tuple[str, Any]], label: Any = "—") -> list[Any]:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    """The queue's filters (GET); every one optional."""

    team = forms.ChoiceField(label=_("Queue"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=_blank(Status.choices, _("every open one")),
        required=False,
    )
    owner = forms.ChoiceField(
        label=_("Owner"),
        choices=[("", _("anyone")), ("me", _("me")), ("none", _("nobody"))],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_blank(Kind.choices, _("every kind")), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=_blank(Priority.choices, _("every priority")),
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self, *args: Any, teams: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = _blank(teams, _("all my queues"))


class ActionForm(ServiceForm):
    """A form among several on the request page: `ids` keeps their ids apart."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class VersionedActionForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransitionForm(VersionedActionForm):
    ids = "status"
    to = forms.ChoiceField(label=_("New status"))
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_(
            "What was answered, why it waits or why it reopens; required for the "
            "moves marked *."
        ),
    )
    classification = forms.ChoiceField(
        label=_("Classification of the complaint (when closing it)"),
        choices=_blank(Classification.choices),
        required=False,
    )

    def __init__(
        self, *args: Any, status: str, is_complaint: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        to = cast(forms.ChoiceField, self.fields["to"])
        to.choices = [
            (move.to.value, f"{move.to.label}{' *' if move.needs_text else ''}")
            for move in transitions.targets(status)
        ]
        if not is_complaint:
            del self.fields["classification"]


class NoteForm(ActionForm):
    ids = "note"
    text = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_("Seen by agents only, never sent to the citizen."),
    )


class HandoverForm(VersionedActionForm):
    ids = "handover"
    team = forms.ChoiceField(label=_("To the queue of"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs=NARROW)
    )

    def __init__(
        self, *args: Any, teams: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["team"]).choices = _blank(teams)


class AssignForm(VersionedActionForm):
    ids = "assign"
    owner = forms.ChoiceField(label=_("Give to"), required=False)

    def __init__(
        self, *args: Any, members: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = _blank(
            members, _("nobody: back to the queue")
        )


class MergeForm(ActionForm):
    ids = "merge"
    into = forms.CharField(
        label=_("Reference of the request to keep"),
        max_length=40,
        help_text=_("REQ-YYYY-NNNNNNN; this request is closed and points to it."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs=NARROW)
    )


class LinkForm(ActionForm):
    ids = "link"
    parent = forms.CharField(
        label=_("Reference of the parent request"),
        max_length=40,
        required=False,
        help_text=_("Empty: this request is no longer part of another."),
    )


class ReplyForm(ActionForm):
    ids = "reply"
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"cols": 20, "rows": 6}),
        help_text=_(
            "Written into the reply letter, in the person's language; it goes by "
            "e-mail or by post, as the person asked."
        ),
    )


class StandardReplyForm(ActionForm):
    """A reply from a standard answer (issue #15): inserted prefilled in one
    click; the agent fills its free fields and may change its text. The service
    classifies what comes back and the policy decides whether it goes now."""

    ids = "reply"
    standard_answer = forms.CharField(widget=forms.HiddenInput, max_length=50)
    body = forms.CharField(
        label=_("Text of the answer"),
        required=False,
        widget=forms.Textarea(attrs={**NARROW, "rows": 14}),
        help_text=_(
            "Sent as it is, any level may send it alone; with its free fields "
            "filled, level C; with its text changed, level B. Otherwise a "
            "supervisor approves it before it goes out."
        ),
    )
    is_flagged = forms.BooleanField(
        label=_("Out of the ordinary: a supervisor approves it first"),
        required=False,
    )
    flag_reason = forms.CharField(
        label=_("Why it is out of the ordinary"),
        required=False,
        widget=forms.Textarea(attrs={**NARROW, "rows": 2}),
    )

    def __init__(
        self, *args: Any, free_fields: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.free_names = list(free_fields or {})
        free = {
            f"free_{name}": forms.CharField(
                label=spec.label_here,
                required=False,
                widget=free_field_widget(spec),
            )
            for name, spec in (free_fields or {}).items()
        }
        self.fields = {**free, **self.fields}

    def free_values(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"free_{name}") or ""
            for name in self.free_names
        }


class RequestContactForm(ActionForm):
    """A contact about the request (a call, a visit), registered and attached."""

    ids = "contact"
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.INBOUND
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs=NARROW)
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=_blank(Outcome.choices),
        required=False,
    )


class IdentifyForm(VersionedActionForm):
    """Name the person concerned of what came from an anonymous caller."""

    ids = "identify"
    person = person_pick_field(_("Person concerned"))


class AttachForm(ActionForm):
    ids = "attach"
    reference = forms.CharField(
        label=_("Reference of the request"),
        max_length=40,
        help_text=_("REQ-YYYY-NNNNNNN"),
    )
