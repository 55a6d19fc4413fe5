"""The first line's contact screen: one form for a contact, and for the request it
may turn into.

The form only parses what the agent typed; the rules (which topics a service uses,
who may be named, what a request needs) are the contacts and servicerequests
services', whose field errors come back next to the fields (the form's field names
are the services'). The instant the screen was opened travels signed in the form,
so the contact's duration is measured, never typed, and cannot be forged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from guichet.contacts.models import CallerRelation, Channel, Outcome
from guichet.contacts.selectors import TopicOption
from guichet.core import clock
from guichet.servicerequests.models import Kind, Priority, Seriousness
from guichet.ui.errors import ServiceForm
from guichet.ui.forms.pick import person_pick_field
from guichet.ui.forms.servicerequests import ActionForm, VersionedActionForm

_SALT = "guichet.ui.contact.started"
# A screen left open longer than this is stale: the service refuses older starts too.
_OPENED_MAX = dt.timedelta(hours=12)
NARROW = {"cols": 20, "rows": 4}

# What "answered at once" may end with (a request has its own button).
CONTACT_OUTCOMES = [
    (Outcome.ANSWERED.value, Outcome.ANSWERED.label),
    (Outcome.FORWARDED.value, Outcome.FORWARDED.label),
    (Outcome.NO_ANSWER.value, Outcome.NO_ANSWER.label),
]


def opened_token(at: dt.datetime | None = None) -> str:
    """The signed instant a contact screen was opened."""
    return signing.dumps((at or clock.now()).isoformat(), salt=_SALT)


def _blank(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class RequestFields(forms.Form):
    """What the agent types for a request, on the first line's screen and on a
    contact's page (the complaint's own fields are refused on other kinds)."""

    kind = forms.ChoiceField(
        label=_("Kind of request"), choices=Kind.choices, initial=Kind.QUESTION
    )
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    seriousness = forms.ChoiceField(
        label=_("Seriousness (complaints)"),
        choices=_blank(Seriousness.choices),
        required=False,
    )
    complaint_about = forms.CharField(
        label=_("Complaint about (complaints)"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_("What happened, when and where."),
    )
    complaint_service = forms.ChoiceField(
        label=_("Service complained about (complaints)"), required=False
    )


class ContactForm(ServiceForm, RequestFields):
    """A contact (and, with the second button, the request it turns into)."""

    started_at = forms.CharField(widget=forms.HiddenInput, required=False)
    call = forms.UUIDField(widget=forms.HiddenInput, required=False)
    team = forms.ChoiceField(label=_("Service"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
    )
    anonymous_details = forms.CharField(
        label=_("What is known of the caller"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_("The name given, a number, a place."),
    )
    caller_relation = forms.ChoiceField(
        label=_("Called on behalf of the person as"),
        choices=_blank(CallerRelation.choices),
        required=False,
    )
    caller_person = person_pick_field(_("Caller, when a known person"))
    caller_name = forms.CharField(
        label=_("Caller's name, when not known"), required=False, max_length=200
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CONTACT_OUTCOMES, initial=Outcome.ANSWERED
    )

    def __init__(
        self,
        *args: Any,
        topics: Sequence[TopicOption],
        teams: Sequence[tuple[str, str]],
        anonymous: bool,
        services: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        complained = cast(forms.ChoiceField, self.fields["complaint_service"])
        complained.choices = _blank(services)
        topic = cast(forms.ChoiceField, self.fields["topic"])
        topic.choices = _topic_choices(topics)
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = list(teams)
        if len(teams) <= 1:
            team.widget = forms.HiddenInput()
        if anonymous:
            # Nobody to act for: an anonymous caller has no caller of their own.
            for name in ("caller_relation", "caller_person", "caller_name"):
                del self.fields[name]
        else:
            del self.fields["anonymous_details"]

    REQUEST_FIELDS = (
        "kind",
        "subject",
        "priority",
        "seriousness",
        "complaint_about",
        "complaint_service",
    )

    def clean(self) -> dict[str, Any]:
        """The opening instant, read back from its signature; a forged or too old
        one is an error on top of the form (the field is hidden)."""
        cleaned = super().clean() or {}
        try:
            value = signing.loads(
                self.data.get("started_at", ""),
                salt=_SALT,
                max_age=_OPENED_MAX,
            )
            cleaned["started_at"] = dt.datetime.fromisoformat(str(value))
        except (signing.BadSignature, ValueError):
            cleaned.pop("started_at", None)
            self.add_error(
                None,
                forms.ValidationError(
                    _("This screen is too old or was altered: open it again."),
                    code="bad_start",
                ),
            )
        return cleaned

    def contact_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "team",
                "channel",
                "topic",
                "summary",
                "anonymous_details",
                "caller_relation",
                "caller_person",
                "caller_name",
            )
            if name in self.fields
        ]

    def request_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REQUEST_FIELDS if name in self.fields]


class ContactCorrectForm(VersionedActionForm):
    ids = "correct"
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs=NARROW)
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=_blank(Outcome.choices), required=False
    )

    def __init__(
        self, *args: Any, topics: Sequence[TopicOption], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = _topic_choices(topics)


class RequestFromContactForm(ActionForm, RequestFields):
    """A request opened from a registered contact (its person, or nobody yet)."""

    ids = "request"
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    field_order = ("kind", "subject", "topic", "priority")

    def __init__(
        self,
        *args: Any,
        topics: Sequence[TopicOption],
        services: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = _topic_choices(topics)
        cast(forms.ChoiceField, self.fields["complaint_service"]).choices = _blank(
            services
        )


def _topic_choices(topics: Sequence[TopicOption]) -> list[tuple[str, Any]]:
    return _blank(
        [(option.uuid, "\u2003" * option.depth + option.label) for option in topics]
    )
