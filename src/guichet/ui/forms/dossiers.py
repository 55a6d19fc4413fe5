"""Forms of the dossier screens: the queue's filters, opening a dossier and the
actions of the workbench.

Forms only parse what the agent typed. Which steps are offered, what a step's
checklist asks, which decision and result types exist come from the dossier's case
type (its `Definition`); whether a step may be taken is the dossiers services'
rule, checked again when it is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.casetypes.definition import Definition, Transition
from guichet.ui.errors import ServiceForm
from guichet.ui.forms.servicerequests import NARROW, ActionForm, VersionedActionForm

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices: Sequence[tuple[str, Any]], label: Any = "—") -> list[Any]:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    """The dossier queue's filters (GET); every one optional."""

    team = forms.ChoiceField(label=_("Queue"), required=False)
    case_type = forms.ChoiceField(label=_("Case type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(
        label=_("Owner"),
        choices=[("", _("anyone")), ("me", _("me")), ("none", _("nobody"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self,
        *args: Any,
        teams: Sequence[tuple[str, str]],
        case_types: Sequence[tuple[str, str]],
        statuses: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["team"]).choices = _blank(
            teams, _("all my queues")
        )
        cast(forms.ChoiceField, self.fields["case_type"]).choices = _blank(
            case_types, _("every case type")
        )
        cast(forms.ChoiceField, self.fields["status"]).choices = _blank(
            statuses, _("every open one")
        )


class OpenForm(ServiceForm):
    """Open a dossier: the case type in force and the applicant; the request or
    contact it comes from travels hidden."""

    case_type = forms.ChoiceField(label=_("Case type"))
    applicant = forms.UUIDField(widget=forms.HiddenInput)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for today."),
    )
    request = forms.CharField(required=False, widget=forms.HiddenInput)
    contact = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, case_types: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "open_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["case_type"]).choices = case_types


class StepForm(VersionedActionForm):
    """One step of the case type offered from the dossier's status: the leaving
    status's checklist, the motivation, and what the step's effects need."""

    transition = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
    )

    def __init__(
        self,
        *args: Any,
        definition: Definition,
        status: str,
        move: Transition,
        language: str,
        **kwargs: Any,
    ) -> None:
        self.ids = f"step-{move.code}"
        self.move = move
        super().__init__(*args, **kwargs)
        self.fields["transition"].initial = move.code
        self.checklist_codes: list[str] = []
        for item in definition.status(status).checklist:
            name = f"check_{item.code}"
            self.checklist_codes.append(item.code)
            self.fields[name] = forms.BooleanField(
                label=item.question.get(language), required=False
            )
        if move.requires_text:
            self.fields["text"].widget.attrs["aria-required"] = "true"
        if "record_decision" in move.effects and (
            "external_decision_recorded" not in move.guards
        ):
            self.fields["decision_type"] = forms.ChoiceField(
                label=_("Decision type"),
                choices=[
                    (d.code, d.names.get(language))
                    for d in definition.decisions
                    if not d.taken_by_other_body
                ],
            )
            self.fields["result"] = _result_field(definition, language)
        if "schedule_retention" in move.effects:
            # Closing after a decision keeps its result unless the agent says
            # otherwise (the service's default); a withdrawal names it.
            self.fields["result"] = _result_field(definition, language)
            self.fields["result"].required = False
            self.fields["result"].help_text = _(
                "Empty: the result of the decision taken."
            )
        if "request_documents" in move.effects:
            self.fields["completion_due"] = forms.DateField(
                label=_("Documents expected by"), required=False, widget=DATE
            )
        if "request_payment" in move.effects and any(
            fee.amount is None for fee in definition.fees
        ):
            self.fields["fee_amount"] = forms.DecimalField(
                label=_("Amount of the fee (EUR)"),
                required=False,
                decimal_places=2,
                max_digits=10,
            )

    def checklist(self) -> dict[str, bool]:
        return {
            code: bool(self.cleaned_data.get(f"check_{code}"))
            for code in self.checklist_codes
        }

    def checklist_fields(self) -> list[forms.BoundField]:
        return [self[f"check_{code}"] for code in self.checklist_codes]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            field
            for field in self.visible_fields()
            if not field.name.startswith("check_")
        ]


def _result_field(definition: Definition, language: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Result"),
        choices=_blank([(r.code, r.names.get(language)) for r in definition.results]),
    )


class ExternalDecisionForm(VersionedActionForm):
    """The decision of the body the dossier was transmitted to."""

    ids = "external"
    decision_type = forms.ChoiceField(label=_("Decision type"))
    result = forms.ChoiceField(label=_("Result"))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    body = forms.CharField(label=_("Deciding body"), max_length=200)
    body_reference = forms.CharField(
        label=_("Its reference"), max_length=100, required=False
    )
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs=NARROW)
    )

    def __init__(
        self, *args: Any, definition: Definition, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision_type"]).choices = [
            (d.code, d.names.get(language)) for d in definition.decisions
        ]
        cast(forms.ChoiceField, self.fields["result"]).choices = [
            (r.code, r.names.get(language)) for r in definition.results
        ]


class ReviewForm(VersionedActionForm):
    """Approve or refuse the proposed decision; a refusal needs its reason."""

    ids = "review"
    text = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_("Required to refuse."),
    )
    verdict = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse")],
        widget=forms.HiddenInput,
        required=False,
    )


class TaskForm(ActionForm):
    ids = "task"
    title = forms.CharField(label=_("Task"), required=False, max_length=200)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, members: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = _blank(
            members, _("nobody")
        )


class TaskAssignForm(ActionForm):
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(
        self,
        *args: Any,
        task: str,
        members: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        self.ids = f"task-{task}"
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = _blank(
            members, _("nobody")
        )


class NoteForm(ActionForm):
    ids = "note"
    text = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs=NARROW),
        help_text=_("Seen by agents only, never sent to the citizen."),
    )


class DocumentRequestForm(ActionForm):
    ids = "docrequest"
    document_code = forms.ChoiceField(label=_("Required document"), required=False)
    description = forms.CharField(label=_("What"), required=False, max_length=200)
    body = forms.CharField(
        label=_("Asked from another body"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to ask the applicant."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(
        self, *args: Any, documents: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document_code"]).choices = _blank(
            documents, _("another document")
        )


class FactForm(VersionedActionForm):
    """What is known of the case, one fact at a time (the document's language)."""

    ids = "fact"
    name = forms.ChoiceField(label=_("Fact"))
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=200,
        help_text=_("yes or no for a question; empty removes the fact."),
    )

    def __init__(
        self, *args: Any, names: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["name"]).choices = names


class SuspendForm(VersionedActionForm):
    ids = "suspend"
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE)


class ExtendForm(VersionedActionForm):
    ids = "extend"
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class VersionForm(VersionedActionForm):
    """An action that needs nothing but the version seen (resume, fee paid)."""

    ids = "plain"
