"""Data quality: likely duplicate persons and their merge (issue #19).

The "Duplicates" section (`person.duplicates`: supervisors and support agents)
lists the pairs `parties.duplicates` finds, best first; a pair's page
shows both persons side by side with the rows pointing at each, lets the agent
choose the one to keep and say why (`person.merge`: level C or higher), asks for a confirmation, then calls
`parties.merge.person_merge`. A stale version or a refusal is shown on the page,
nothing changed.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.parties import Action
from guichet.core.errors import Conflict, StaleVersion, ValidationFailed
from guichet.parties import duplicates, merge, selectors
from guichet.parties.models import Person
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import apply_errors

workspace.register_section(
    workspace.Section(
        key="duplicates",
        label=_("Duplicates"),
        description=_("Persons registered twice: compare them and merge them."),
        url_name="ui:quality_duplicates",
        action=Action.PERSON_DUPLICATES,
        order=95,
    )
)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Person to keep"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why are they one person?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why these are one person.")},
    )
    first_version = forms.IntegerField(widget=forms.HiddenInput)
    second_version = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, pair: tuple[Person, Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = cast(forms.ChoiceField, self.fields["keep"])
        keep.choices = [(str(p.uuid), str(p)) for p in pair]


@agent_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.PERSON_DUPLICATES)
    pairs = duplicates.duplicate_candidates(agent=agent)
    return render(request, "ui/quality/duplicate_list.html", {"pairs": pairs})


def _side(agent: Any, person: Person) -> dict[str, Any]:
    counts = [
        (mover.label, mover.count(agent, person))
        for mover in merge.movers()
        if mover.count is not None
    ]
    return {"person": person, "counts": counts}


@agent_required
def duplicate_pair(
    request: HttpRequest, first_id: uuid.UUID, second_id: uuid.UUID
) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.PERSON_DUPLICATES)
    if request.method == "POST":
        policy.require(agent, Action.PERSON_MERGE)
    first = selectors.person_get_for_agent(
        agent=agent, person_id=first_id, purpose="duplicates"
    ).obj
    second = selectors.person_get_for_agent(
        agent=agent, person_id=second_id, purpose="duplicates"
    ).obj
    pair = (first, second)
    score, reasons = duplicates.pair_score(first, second)
    refusals = merge.merge_refusals(first, second) if first != second else []
    initial = {
        "keep": str(first.uuid),
        "first_version": first.version,
        "second_version": second.version,
    }
    form = MergeForm(
        request.POST if request.method == "POST" else None, initial=initial, pair=pair
    )
    status, confirming, problem = 200, False, ""
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        elif not form.cleaned_data["confirmed"]:
            confirming = True
        else:
            data = form.cleaned_data
            keep, absorb = pair if data["keep"] == str(first.uuid) else pair[::-1]
            versions = (data["first_version"], data["second_version"])
            if keep != first:
                versions = versions[::-1]
            try:
                kept = merge.person_merge(
                    actor=agent,
                    keep=keep.uuid,
                    absorb=absorb.uuid,
                    reason=data["reason"],
                    keep_version=versions[0],
                    absorb_version=versions[1],
                )
            except ValidationFailed as error:
                apply_errors(form, error)
                status = 422
            except StaleVersion as error:
                # The persons shown are the current ones: a new form for them.
                form = MergeForm(initial=initial, pair=pair)
                problem, status = error.text, 409
            except Conflict as error:
                problem, status = error.text, 409
            else:
                messages.success(
                    request,
                    gettext("%(absorbed)s was merged into %(kept)s.")
                    % {"absorbed": absorb, "kept": kept},
                )
                return redirect("ui:person_detail", kept.uuid)
    return render(
        request,
        "ui/quality/duplicate_pair.html",
        {
            "sides": [_side(agent, first), _side(agent, second)],
            "score": score,
            "reasons": reasons,
            "refusals": refusals,
            "form": form,
            "confirming": confirming,
            "problem": problem,
            "may_merge": policy.may(agent, Action.PERSON_MERGE),
        },
        status=status,
    )
