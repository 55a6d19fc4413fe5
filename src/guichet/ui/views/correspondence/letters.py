"""Letters: drafting, approval, dispatch and print batches."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.access.policy import Seen
from guichet.agenda.minutes import selectors as minutes_selectors
from guichet.agents.models import Agent
from guichet.core.errors import ValidationFailed
from guichet.correspondence import (
    autonomy,
    composing,
    fields,
    placeholders,
    selectors,
    services,
)
from guichet.correspondence import templating as letter_templating
from guichet.correspondence.models import (
    DISPATCH_UNDER_WAY,
    EDITABLE_STATUSES,
    Channel,
    Letter,
    LetterDispatch,
    LetterStatus,
)
from guichet.parties import selectors as party_selectors
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.correspondence import (
    ApproveForm,
    DocxUploadForm,
    EmailForm,
    LetterEditForm,
    LetterNewForm,
    RejectForm,
    ResendForm,
    SubmitForm,
    TeamForm,
    VersionedForm,
    normalised,
)

from .common import _call, _file, _pdf_name, _teams

# How each kind of letter is named to the agent, in the order of `autonomy`.
KIND_LABELS = {
    autonomy.LetterKind.STANDARD: _("A standard letter, unchanged"),
    autonomy.LetterKind.FREE_FIELDS: _("A standard letter with its free fields filled"),
    autonomy.LetterKind.ADAPTED: _("A standard letter whose text you adapted"),
    autonomy.LetterKind.NO_TEMPLATE: _("A letter without a standard template"),
    autonomy.LetterKind.FLAGGED: _("A letter you mark as out of the ordinary"),
}


MISSING_VALUE = "missing_value"
INVALID_VALUE = "invalid_value"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _autonomy_rows(agent: Agent, letter: Letter | None = None) -> list[dict[str, Any]]:
    """What this agent may send alone, kind by kind (the policy decides)."""
    return [
        {
            "label": label,
            "alone": autonomy.decide(agent=agent, kind=kind, obj=letter).may_send_alone,
        }
        for kind, label in KIND_LABELS.items()
    ]


def _letter_type_name(letter: Letter) -> str:
    version = letter.template_version
    if version is None:
        return gettext("Own letter")
    return str(version.template.letter_type.name)


@agent_required
def person_letters(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = party_selectors.person_get_for_agent(agent=agent, person_id=person_id)
    person = seen.obj
    letters = selectors.letters_for_person(agent=agent, person_id=person.uuid)
    tabs = [
        {"tab": item, "url": item.url(person.uuid), "current": item.key == "letters"}
        for item in workspace.person_tabs_for(agent)
    ]
    return render(
        request,
        "ui/correspondence/person_letters.html",
        {
            "person": person,
            "tabs": tabs,
            "letters": [
                {"letter": letter, "type": _letter_type_name(letter)}
                for letter in letters
            ],
            "may_write": policy.may(agent, Action.LETTER_DRAFT),
        },
    )


@agent_required
def letter_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Choose a letter type and language (the person's by default), then a draft."""
    agent = agent_of(request)
    policy.require(agent, Action.LETTER_DRAFT)
    seen = party_selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="letter"
    )
    person = seen.obj
    choices = selectors.letter_types_available(agent=agent)
    teams = _teams(agent)
    options = {
        "letter_types": [(choice.code, choice.name) for choice in choices],
        "teams": teams,
    }
    if request.method != "POST":
        form = LetterNewForm(
            initial={
                "language": person.language,
                "team": teams[0][0] if teams else "",
                "letter_type": choices[0].code if choices else "",
            },
            **options,
        )
        return _new_page(request, person, form, choices)
    form = LetterNewForm(request.POST, **options)
    if not form.is_valid():
        return _new_page(request, person, form, choices, status=422)
    data = form.cleaned_data
    own = not data["letter_type"]
    letter = _call(
        form,
        lambda: services.letter_draft_create(
            actor=agent,
            person_id=person.uuid,
            letter_type=data["letter_type"] or None,
            language=data["language"],
            team=data["team"] or None,
            subject=data["subject"] if own else None,
            body=data["body"] if own else None,
        ),
    )
    if letter is None:
        return _new_page(request, person, form, choices, status=422)
    messages.success(
        request,
        gettext("The draft was created. Fill it in, preview it, then issue it."),
    )
    return redirect("ui:letter_detail", letter.uuid)


def _new_page(
    request: HttpRequest,
    person: Any,
    form: LetterNewForm,
    choices: list[selectors.TemplateChoice],
    *,
    status: int = 200,
) -> HttpResponse:
    language = get_language()
    return render(
        request,
        "ui/correspondence/letter_new.html",
        {
            "person": person,
            "form": form,
            "choices": [
                {
                    "name": choice.name,
                    "description": choice.description,
                    "languages": choice.languages,
                    # The free fields by their labels, in the agent's language.
                    "field_labels": [
                        spec.label_in(language)
                        for spec in fields.specs(choice.fields).values()
                    ],
                }
                for choice in choices
            ],
            "autonomy": _autonomy_rows(agent_of(request)),
        },
        status=status,
    )


def _free_fields(letter: Letter) -> list[fields.FieldSpec]:
    """The letter's free fields: its template's, as declared, and those of the
    agent's own text (texts labelled with their name)."""
    version = letter.template_version
    names = list(version.free_fields) if version else []
    for text in (letter.subject_text, letter.body_text):
        if text:
            names += placeholders.free_field_names(letter_templating.parse(text).names)
    declared = composing.declared_fields(version)
    return [
        declared.get(name) or fields.undeclared(name) for name in dict.fromkeys(names)
    ]


def _texts(letter: Letter) -> tuple[str, str]:
    """The subject and text the letter is written from (the template's by default)."""
    version = letter.template_version
    subject = letter.subject_text
    body = letter.body_text
    if subject is None:
        subject = version.subject if version else ""
    if body is None:
        body = version.body if version else ""
    return subject, body


def _edit_initial(letter: Letter) -> dict[str, Any]:
    subject, body = _texts(letter)
    return {
        "version": letter.version,
        "subject": subject,
        "body": body,
        "is_flagged": letter.is_flagged,
        "flag_reason": letter.flag_reason,
        **{
            f"free_{spec.name}": letter.free_values.get(spec.name, "")
            for spec in _free_fields(letter)
        },
    }


def _composed(letter: Letter) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The letter as it would read now, or what stops it: the placeholders that
    have no value (a free field by its label), the free values that do not fit."""
    if letter.number:
        return letter.content, []
    try:
        return composing.compose(letter, draft=True).content, []
    except ValidationFailed as error:
        if error.code == INVALID_VALUE:
            return None, [{"text": item.text} for item in error.errors]
        if error.code != MISSING_VALUE:
            raise
        specs = {spec.name: spec for spec in _free_fields(letter)}
        missing = []
        for item in error.errors:
            prefix, _dot, name = item.field.partition(".")
            spec = specs.get(name) if prefix == placeholders.FREE else None
            missing.append(
                {"text": spec.label_here, "free": True}
                if spec is not None
                else {"text": item.field, "code": True}
            )
        return None, missing


def _letter_page(
    request: HttpRequest,
    seen: Seen[Letter],
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    agent, letter = agent_of(request), seen.obj
    editable = letter.status in EDITABLE_STATUSES and seen.may(Action.LETTER_DRAFT)
    waiting = letter.status == LetterStatus.PENDING_APPROVAL
    approvers = selectors.letter_approvers(letter=letter) if waiting else []
    may_decide = waiting and any(agent.pk == approver.pk for approver in approvers)
    sendable = letter.status in (LetterStatus.ISSUED, LetterStatus.SENT)
    may_dispatch = sendable and seen.may(Action.LETTER_DISPATCH)
    composed, missing = _composed(letter)
    dispatches = list(letter.dispatches.all()) if letter.number else []
    version = {"version": letter.version}
    subject, body = _texts(letter)
    context: dict[str, Any] = {
        "letter": letter,
        "type_name": _letter_type_name(letter),
        "composed": composed,
        "missing": missing,
        "editable": editable,
        "waiting": waiting,
        "approvers": approvers,
        "may_decide": may_decide,
        "may_dispatch": may_dispatch,
        "autonomy": _autonomy_rows(agent, letter),
        "dispatches": dispatches,
        "sent_before": any(
            dispatch.status in DISPATCH_UNDER_WAY for dispatch in dispatches
        ),
    }
    if editable:
        context["edit_form"] = forms.get("edit_form") or LetterEditForm(
            initial=_edit_initial(letter), free_fields=_free_fields(letter)
        )
        context["upload_form"] = forms.get("upload_form") or DocxUploadForm(
            initial=version
        )
        context["submit_form"] = forms.get("submit_form") or SubmitForm(initial=version)
    if may_decide:
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            initial={**version, "subject": subject, "body": body}
        )
        context["reject_form"] = forms.get("reject_form") or RejectForm(initial=version)
    if may_dispatch and context["sent_before"]:
        context["resend_form"] = forms.get("resend_form") or _resend_form(seen)
    elif may_dispatch:
        context["email_form"] = forms.get("email_form") or _email_form(seen)
    return render(
        request, "ui/correspondence/letter_detail.html", context, status=status
    )


def _after(
    request: HttpRequest,
    letter: uuid.UUID | Seen[Letter],
    form_name: str,
    form: ServiceForm,
) -> HttpResponse:
    """The letter page again with the refused form: 409 when stale, else 422.

    `letter` is the letter this request already read (it is read again without a
    second access-log row), or its id when the action did not read it.
    """
    agent = agent_of(request)
    seen = (
        selectors.letter_reread(agent=agent, seen=letter)
        if isinstance(letter, Seen)
        else selectors.letter_get_for_agent(agent=agent, letter_id=letter)
    )
    if form.stale is not None:
        messages.warning(
            request,
            gettext("The letter changed meanwhile; here it is as it is now."),
        )
        return _letter_page(request, seen, status=409)
    return _letter_page(request, seen, status=422, **{form_name: form})


@agent_required
def letter_detail(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """The letter; a POST saves the draft's free fields, texts and flag."""
    agent = agent_of(request)
    seen = selectors.letter_get_for_agent(agent=agent, letter_id=letter_id)
    letter = seen.obj
    if request.method != "POST":
        return _letter_page(request, seen)
    seen.require(Action.LETTER_DRAFT)
    form = LetterEditForm(request.POST, free_fields=_free_fields(letter))
    if not form.is_valid():
        return _letter_page(request, seen, status=422, edit_form=form)
    data = form.cleaned_data
    changes: dict[str, Any] = {
        "free_values": form.free_values(),
        "is_flagged": data["is_flagged"],
        "flag_reason": data["flag_reason"],
    }
    version = letter.template_version
    for name, template_text, current in (
        ("subject", version.subject if version else None, letter.subject_text),
        ("body", version.body if version else None, letter.body_text),
    ):
        typed = normalised(data[name])
        if template_text is not None and typed == normalised(template_text):
            if current is not None:
                changes[name] = None  # back to the template's text
        elif typed != normalised(current):
            changes[name] = data[name]
    saved = _call(
        form,
        lambda: services.letter_update(
            actor=agent,
            letter_id=letter.uuid,
            expected_version=data["version"],
            data=changes,
        ),
    )
    if saved is None:
        return _after(request, seen, "edit_form", form)
    messages.success(request, gettext("The draft was saved."))
    return redirect("ui:letter_detail", letter.uuid)


@agent_required
@require_POST
def letter_submit(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """Issue the letter, or put it in the supervisor's queue when the level asks it."""
    agent = agent_of(request)
    form = SubmitForm(request.POST)
    letter = None
    if form.is_valid():
        letter = _call(
            form,
            lambda: services.letter_submit(
                actor=agent,
                letter_id=letter_id,
                expected_version=form.cleaned_data["version"],
            ),
        )
    if letter is None:
        return _after(request, letter_id, "submit_form", form)
    if letter.status == LetterStatus.PENDING_APPROVAL:
        approvers = selectors.letter_approvers(letter=letter)
        if approvers:
            messages.info(
                request,
                gettext(
                    "Your level does not let you send this letter alone: it now waits "
                    "in the approval queue of %(team)s, where %(approvers)s may approve "
                    "it. It is sent once approved."
                )
                % {
                    "team": letter.team.name,
                    "approvers": ", ".join(
                        approver.get_full_name() or approver.get_username()
                        for approver in approvers
                    ),
                },
            )
        else:
            messages.warning(
                request,
                gettext(
                    "Your level does not let you send this letter alone: it now waits "
                    "in the approval queue of %(team)s, but no active supervisor there "
                    "may approve it yet: tell the head of the service."
                )
                % {"team": letter.team.name},
            )
    else:
        messages.success(
            request,
            gettext("Letter %(number)s was issued.") % {"number": letter.number},
        )
    return redirect("ui:letter_detail", letter.uuid)


@agent_required
def letter_cancel(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """Drop a letter that has no number yet, after a confirmation step."""
    agent = agent_of(request)
    seen = selectors.letter_get_for_agent(
        agent=agent, letter_id=letter_id, purpose="cancel"
    )
    letter = seen.obj
    seen.require(Action.LETTER_DRAFT)
    form = VersionedForm(
        request.POST if request.method == "POST" else None,
        initial={"version": letter.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = _call(
            form,
            lambda: services.letter_cancel(
                actor=agent,
                letter_id=letter.uuid,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, gettext("The letter was withdrawn."))
            return redirect("ui:person_letters", letter.person.uuid)
    return render(
        request,
        "ui/correspondence/letter_cancel.html",
        {"letter": letter, "form": form, "type_name": _letter_type_name(letter)},
        status=409 if form.stale else 200,
    )


@agent_required
def letter_preview(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """The draft as PDF, marked DRAFT; with holes, the letter page lists them."""
    agent = agent_of(request)
    try:
        rendered = selectors.letter_preview(agent=agent, letter_id=letter_id)
    except ValidationFailed as error:
        if error.code not in (MISSING_VALUE, INVALID_VALUE):
            raise
        messages.error(request, error.text)
        return redirect("ui:letter_detail", letter_id)
    return _file(
        rendered.data, "application/pdf", f"draft-{letter_id}.pdf", inline=True
    )


@agent_required
def letter_pdf(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter, data = services.letter_pdf_deliver(
        actor=agent_of(request), letter_id=letter_id
    )
    response = _file(data, "application/pdf", _pdf_name(letter.number, str(letter_id)))
    response["X-Content-SHA256"] = letter.pdf_sha256
    return response


@agent_required
def letter_docx(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    data = selectors.letter_docx(agent=agent_of(request), letter_id=letter_id)
    return _file(data, DOCX_TYPE, f"letter-{letter_id}.docx")


@agent_required
@require_POST
def letter_docx_upload(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = DocxUploadForm(request.POST, request.FILES)
    saved = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        saved = _call(
            form,
            lambda: services.letter_docx_upload(
                actor=agent,
                letter_id=letter_id,
                expected_version=form.cleaned_data["version"],
                data=upload.read(),
            ),
        )
    if saved is None:
        return _after(request, letter_id, "upload_form", form)
    messages.success(
        request,
        gettext(
            "The edited document is now the letter's text. Preview it, then issue it."
        ),
    )
    return redirect("ui:letter_detail", letter_id)


@agent_required
@require_POST
def letter_approve(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.letter_get_for_agent(
        agent=agent, letter_id=letter_id, purpose="approve"
    )
    letter = seen.obj
    form = ApproveForm(request.POST)
    approved = None
    if form.is_valid():
        data = form.cleaned_data
        subject, body = _texts(letter)
        edited = normalised(data["subject"]) != normalised(subject) or normalised(
            data["body"]
        ) != normalised(body)
        approved = _call(
            form,
            lambda: services.letter_approve(
                actor=agent,
                letter_id=letter.uuid,
                expected_version=data["version"],
                subject=data["subject"] if edited else None,
                body=data["body"] if edited else None,
                note=data["note"],
            ),
        )
    if approved is None:
        return _after(request, seen, "approve_form", form)
    messages.success(
        request,
        gettext("Letter %(number)s was approved and issued.")
        % {"number": approved.number},
    )
    return redirect("ui:correspondence")


@agent_required
@require_POST
def letter_reject(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = RejectForm(request.POST)
    rejected = None
    if form.is_valid():
        rejected = _call(
            form,
            lambda: services.letter_reject(
                actor=agent,
                letter_id=letter_id,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            ),
        )
    if rejected is None:
        return _after(request, letter_id, "reject_form", form)
    messages.success(
        request, gettext("The letter was sent back to its author with your reason.")
    )
    return redirect("ui:correspondence")


def _email_form(seen: Seen[Letter], data: Any = None) -> EmailForm:
    return EmailForm(
        data,
        addresses=[item.address for item in seen.obj.person.emails.all()],
        elsewhere=seen.may(Action.LETTER_EMAIL_ELSEWHERE),
    )


def _send_email(
    form: EmailForm, agent: Agent, letter_id: uuid.UUID, resend_reason: str = ""
) -> LetterDispatch | None:
    """E-mail the letter to the address the valid form chose; a refused address goes
    next to the field it was typed in."""
    address, address_reason = form.chosen()
    typed = bool(form.cleaned_data.get("other_address"))
    return submit(
        form,
        lambda: services.letter_send_email(
            actor=agent,
            letter_id=letter_id,
            address=address,
            address_reason=address_reason,
            resend_reason=resend_reason,
        ),
        rename=lambda name: "other_address" if typed and name == "address" else name,
    )


@agent_required
@require_POST
def letter_email(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.letter_get_for_agent(
        agent=agent, letter_id=letter_id, purpose="email"
    )
    form = _email_form(seen, request.POST)
    dispatch = None
    if form.is_valid():
        dispatch = _send_email(form, agent, letter_id)
    if dispatch is None:
        return _after(request, seen, "email_form", form)
    messages.success(
        request,
        gettext("The letter is being sent by e-mail to %(address)s.")
        % {"address": dispatch.address},
    )
    return redirect("ui:letter_detail", letter_id)


def _resend_form(seen: Seen[Letter], data: Any = None) -> ResendForm:
    addresses = [item.address for item in seen.obj.person.emails.all()]
    elsewhere = seen.may(Action.LETTER_EMAIL_ELSEWHERE)
    channels = [
        (channel.value, str(channel.label))
        for channel in Channel
        if channel != Channel.EMAIL or addresses or elsewhere
    ]
    return ResendForm(data, addresses=addresses, elsewhere=elsewhere, channels=channels)


@agent_required
@require_POST
def letter_resend(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """Send a letter once more, by any channel, after the agent confirmed it and
    said why (the services refuse it otherwise)."""
    agent = agent_of(request)
    seen = selectors.letter_get_for_agent(
        agent=agent, letter_id=letter_id, purpose="resend"
    )
    letter = seen.obj
    form = _resend_form(seen, request.POST)
    if not form.is_valid():
        return _after(request, seen, "resend_form", form)
    channel = form.cleaned_data["channel"]
    why = form.cleaned_data["resend_reason"]
    if channel == Channel.POST:
        batch = submit(
            form,
            lambda: services.print_batch_create(
                actor=agent,
                team=letter.team.code,
                letter_ids=[letter.uuid],
                resend_reason=why,
            ),
        )
        if batch is None:
            return _after(request, seen, "resend_form", form)
        messages.success(
            request,
            gettext("The letter is in a print batch of its own; print it and post it."),
        )
        return render(
            request, "ui/correspondence/print_batch.html", {"batch": batch}, status=201
        )
    if channel == Channel.COUNTER:
        done = submit(
            form,
            lambda: services.letter_hand_over(
                actor=agent, letter_id=letter.uuid, resend_reason=why
            ),
        )
    else:
        done = _send_email(form, agent, letter.uuid, resend_reason=why)
    if done is None:
        return _after(request, seen, "resend_form", form)
    messages.success(
        request, gettext("The letter is sent once more; your reason is kept.")
    )
    return redirect("ui:letter_detail", letter.uuid)


@agent_required
@require_POST
def letter_hand_over(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    services.letter_hand_over(actor=agent_of(request), letter_id=letter_id)
    messages.success(
        request, gettext("The letter is recorded as handed over at the counter.")
    )
    return redirect("ui:letter_detail", letter_id)


@agent_required
def correspondence(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.LETTER_DISPATCH)
    teams = _teams(agent)
    team_form = TeamForm(request.GET or None, teams=teams)
    team = teams[0][0] if teams else None
    if team_form.is_bound and team_form.is_valid() and team_form.cleaned_data["team"]:
        team = team_form.cleaned_data["team"]
    if not team_form.is_bound:
        team_form = TeamForm(initial={"team": team}, teams=teams)
    may_approve = policy.may(agent, Action.LETTER_APPROVE)
    return render(
        request,
        "ui/correspondence/correspondence.html",
        {
            "queue": selectors.letters_waiting_approval(agent=agent)
            if may_approve
            else None,
            "to_post": selectors.letters_to_post(agent=agent, team=team)
            if team
            else [],
            "team": team,
            "team_form": team_form,
            "several_teams": len(teams) > 1,
            # The batch prints the letters listed: the service shown, not a
            # second choice of service (which listed the services twice).
            "batch_form": TeamForm(
                initial={"team": team},
                teams=[item for item in teams if item[0] == team],
                auto_id="batch_%s",
            ),
            "actions": minutes_selectors.action_items_for_agent(agent=agent),
            "may_register_mail": policy.may(agent, Action.MAIL_REGISTER),
            "may_write_minutes": policy.may(agent, Action.MINUTES_CREATE),
        },
    )


@agent_required
@require_POST
def print_batch_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    form = TeamForm(request.POST, teams=_teams(agent))
    batch = None
    if form.is_valid():
        batch = _call(
            form,
            lambda: services.print_batch_create(
                actor=agent, team=form.cleaned_data["team"] or None
            ),
        )
    if batch is None:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect("ui:correspondence")
    messages.success(
        request,
        gettext(
            "The print batch of %(count)d letters is ready; print it and post the "
            "letters."
        )
        % {"count": batch.letter_count},
    )
    return render(
        request,
        "ui/correspondence/print_batch.html",
        {"batch": batch},
        status=201,
    )


@agent_required
def print_batch_pdf(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch, data = selectors.print_batch_pdf(agent=agent_of(request), batch_id=batch_id)
    return _file(data, "application/pdf", f"print-batch-{batch.uuid}.pdf")
