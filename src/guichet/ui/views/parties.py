"""Persons and organisations: the 360° view, its edits, the organisation list.

Also registers the parties' part of the workspace: the navigation sections, the
tabs of the 360° view built so far, and the global search providers (national
number, e-mail, phone, name, enterprise number).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.contacts import Action as ContactAction
from guichet.access.domains.parties import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Language
from guichet.core.errors import NotFound
from guichet.parties import selectors, services
from guichet.parties.errors import LikelyDuplicate
from guichet.parties.merge import PersonMerged
from guichet.parties.models import Organisation, Person
from guichet.ui import search, workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.parties import (
    AddressEditForm,
    AddressFields,
    ContactRemoveForm,
    EmailAddForm,
    OrganisationCreateForm,
    OrganisationFilterForm,
    PersonCreateForm,
    PersonIdentityForm,
    PersonLanguageForm,
    PhoneAddForm,
    VersionedForm,
)
from guichet.ui.forms.pick import PICKABLE
from guichet.ui.templatetags.guichet_ui import enterprise_number, national_number
from guichet.ui.templatetags.guichet_ui import phone as format_phone

workspace.register_section(
    workspace.Section(
        key="search",
        label=_("Persons"),
        description=_("Find a person by name, national number, phone or e-mail."),
        url_name="ui:search",
        action=Action.PERSON_VIEW,
        order=10,
    )
)
workspace.register_section(
    workspace.Section(
        key="organisations",
        label=_("Organisations"),
        description=_(
            "Companies, associations and administrations, by name or number."
        ),
        url_name="ui:organisation_list",
        action=Action.ORGANISATION_VIEW,
        order=20,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="overview",
        label=_("Overview"),
        url_name="ui:person_detail",
        action=Action.PERSON_VIEW,
        order=0,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="history",
        label=_("History"),
        url_name="ui:person_history",
        action=Action.PERSON_VIEW,
        order=1000,
    )
)


# The global search: one provider per kind of input the parties can answer.


def _person_hit(person: Person) -> search.Hit:
    facts = [
        national_number(person.national_number),
        format_date(person.birth_date, "d/m/Y") if person.birth_date else "",
    ]
    return search.Hit(
        title=str(person),
        url=reverse("ui:person_detail", args=[person.uuid]),
        facts=[fact for fact in facts if fact],
        badge=_("confidential") if person.confidential_team_id else "",
    )


def _organisation_hit(organisation: Organisation) -> search.Hit:
    return search.Hit(
        title=organisation.name,
        url=reverse("ui:organisation_detail", args=[organisation.uuid]),
        facts=[enterprise_number(organisation.enterprise_number)]
        if organisation.enterprise_number
        else [],
    )


def _persons_by(criterion: str) -> Any:
    def run(
        *, agent: Agent, text: str, page: int, page_size: int
    ) -> tuple[Sequence[search.Hit], bool]:
        found = selectors.person_search(
            agent=agent, page=page, page_size=page_size, **{criterion: text}
        )
        return [_person_hit(person) for person in found.items], found.has_next

    return run


def _organisations_by(criterion: str) -> Any:
    def run(
        *, agent: Agent, text: str, page: int, page_size: int
    ) -> tuple[Sequence[search.Hit], bool]:
        found = selectors.organisation_search(
            agent=agent, page=page, page_size=page_size, **{criterion: text}
        )
        return [_organisation_hit(item) for item in found.items], found.has_next

    return run


for _provider in (
    search.Provider(
        key="persons-national-number",
        title=_("Persons by national number"),
        action=Action.PERSON_VIEW,
        accepts=search.looks_like_national_number,
        search=_persons_by("national_number"),
        order=10,
    ),
    search.Provider(
        key="persons-email",
        title=_("Persons by e-mail address"),
        action=Action.PERSON_VIEW,
        accepts=search.looks_like_email,
        search=_persons_by("email"),
        order=20,
    ),
    search.Provider(
        key="persons-phone",
        title=_("Persons by phone number"),
        action=Action.PERSON_VIEW,
        accepts=search.looks_like_phone,
        search=_persons_by("phone"),
        order=30,
    ),
    search.Provider(
        key="persons-name",
        title=_("Persons"),
        action=Action.PERSON_VIEW,
        accepts=search.looks_like_name,
        search=_persons_by("name"),
        order=40,
    ),
    search.Provider(
        key="organisations-number",
        title=_("Organisations by enterprise number"),
        action=Action.ORGANISATION_VIEW,
        accepts=search.looks_like_enterprise_number,
        search=_organisations_by("enterprise_number"),
        order=50,
    ),
    search.Provider(
        key="organisations-name",
        title=_("Organisations"),
        action=Action.ORGANISATION_VIEW,
        accepts=search.looks_like_name,
        search=_organisations_by("name"),
        order=60,
    ),
):
    search.register_provider(_provider)


# Registering persons and organisations.


def _service_field(name: str) -> str:
    """The form field of a create service's error (`addresses[0].street`)."""
    if name.startswith("addresses"):
        return AddressFields.address_field_name(name)
    return name


def _spoken_language() -> str:
    """The workspace's language, as a first guess of the caller's."""
    language = get_language()
    return language if language in Language.values else Language.FR


@agent_required
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person; a likely duplicate the agent may see is shown with a
    link, and registering anyway takes an explicit second click."""
    agent = agent_of(request)
    policy.require(agent, Action.PERSON_CREATE)
    if request.method != "POST":
        form = PersonCreateForm(initial={"language": _spoken_language()})
        return _create_page(request, form)
    form = PersonCreateForm(request.POST)
    if not form.is_valid():
        return _create_page(request, form, status=422)
    data = form.cleaned_data
    try:
        person = submit(
            form,
            lambda: services.person_create(
                actor=agent,
                identity=services.Identity(
                    given_names=data["given_names"],
                    surname=data["surname"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    national_number=data["national_number"],
                    language=data["language"],
                ),
                addresses=[form.address_input()] if form.has_address() else [],
                acknowledge_duplicates=data["acknowledge_duplicates"],
            ),
            rename=_service_field,
        )
    except LikelyDuplicate as warning:
        candidates = selectors.person_list_for_agent(
            agent=agent,
            person_ids=warning.extra.get("candidates", []),
            purpose="duplicate-check",
        )
        return _create_page(
            request, form, status=409, duplicate=warning, candidates=candidates
        )
    if person is None:
        return _create_page(request, form, status=422)
    messages.success(
        request, gettext("%(person)s was registered.") % {"person": person}
    )
    return redirect("ui:person_detail", person.uuid)


def _create_page(
    request: HttpRequest,
    form: PersonCreateForm,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        "ui/parties/person_create.html",
        {"form": form, **context},
        status=status,
    )


@agent_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.ORGANISATION_CREATE)
    if request.method != "POST":
        form = OrganisationCreateForm(initial={"language": _spoken_language()})
        return _organisation_create_page(request, form)
    form = OrganisationCreateForm(request.POST)
    if not form.is_valid():
        return _organisation_create_page(request, form, status=422)
    data = form.cleaned_data
    organisation = submit(
        form,
        lambda: services.organisation_create(
            actor=agent,
            name=data["name"],
            enterprise_number=data["enterprise_number"],
            language=data["language"],
            addresses=[form.address_input()] if form.has_address() else [],
        ),
        rename=_service_field,
    )
    if organisation is None:
        return _organisation_create_page(request, form, status=422)
    messages.success(
        request,
        gettext("%(organisation)s was registered.")
        % {"organisation": organisation.name},
    )
    return redirect("ui:organisation_detail", organisation.uuid)


def _organisation_create_page(
    request: HttpRequest, form: OrganisationCreateForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "ui/parties/organisation_create.html",
        {"form": form},
        status=status,
    )


# The 360° view.


def _person_page(
    request: HttpRequest, seen: Seen[Person], tab: str, template: str, **context: Any
) -> HttpResponse:
    agent, person = agent_of(request), seen.obj
    tabs = [
        {"tab": item, "url": item.url(person.uuid), "current": item.key == tab}
        for item in workspace.person_tabs_for(agent)
    ]
    return render(
        request,
        template,
        {
            "person": person,
            "tabs": tabs,
            "may_edit_identity": seen.may(Action.PERSON_EDIT_IDENTITY),
            "may_edit_contact": seen.may(Action.PERSON_EDIT_CONTACT),
            "may_register_contact": policy.may(agent, ContactAction.CONTACT_REGISTER),
            **context,
        },
    )


@agent_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        seen = selectors.person_get_for_agent(
            agent=agent_of(request), person_id=person_id
        )
    except PersonMerged as merged:
        # A duplicate record merged into another one (parties/merge.py): say so
        # and show the person kept.
        messages.info(request, merged.text)
        return redirect("ui:person_detail", merged.extra["merged_into"])
    return _person_page(request, seen, "overview", "ui/parties/person_detail.html")


@agent_required
def person_history(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(agent=agent, person_id=person_id)
    changes = selectors.person_changes_for_agent(agent=agent, person_id=person_id)
    return _person_page(
        request,
        seen,
        "history",
        "ui/parties/person_history.html",
        changes=changes,
    )


def _stored_identity(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in services.IDENTITY_FIELDS}


@agent_required
def person_edit(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Edit the identity; a stale edit shows the other agent's change, never overwrites."""
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="edit"
    )
    person = seen.obj
    seen.require(Action.PERSON_EDIT_IDENTITY)
    if request.method != "POST":
        form = PersonIdentityForm(initial=PersonIdentityForm.initial_of(person))
        return _edit_page(request, person, form)
    form = PersonIdentityForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, person, form, status=422)
    if not form.changes():
        messages.info(request, gettext("Nothing was changed."))
        return redirect("ui:person_detail", person.uuid)
    saved = submit(
        form,
        lambda: services.person_update(
            actor=agent,
            person_id=person.uuid,
            expected_version=form.cleaned_data["version"],
            data=form.changes(),
            contradiction_override=form.cleaned_data["contradiction_override"],
        ),
    )
    if saved is not None:
        messages.success(request, gettext("The identity was saved."))
        return redirect("ui:person_detail", person.uuid)
    if form.stale is None:
        return _edit_page(request, person, form, status=422)
    stored = _stored_identity(person)
    return _edit_page(
        request,
        person,
        form.rebased(stored, person.version),
        status=409,
        stale=True,
        conflict=form.conflict_rows(stored),
        changes=selectors.person_changes_for_agent(
            agent=agent,
            person_id=person.uuid,
            since_version=form.cleaned_data["version"],
        ),
    )


def _edit_page(
    request: HttpRequest,
    person: Person,
    form: PersonIdentityForm,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        "ui/parties/person_edit.html",
        {"person": person, "form": form, **context},
        status=status,
    )


# Contact points: phones, e-mail addresses, preferred language.


@agent_required
def person_contact(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="edit"
    )
    person = seen.obj
    seen.require(Action.PERSON_EDIT_CONTACT)
    return _contact_page(request, person)


def _contact_page(
    request: HttpRequest,
    person: Person,
    *,
    status: int = 200,
    refused: dict[str, VersionedForm] | None = None,
    stale: bool = False,
    changes: Sequence[selectors.PersonChange] = (),
) -> HttpResponse:
    """The contact page; `refused` holds the form the service refused, by name."""
    version = {"version": person.version}
    forms: dict[str, VersionedForm] = {
        "phone_form": PhoneAddForm(initial=version),
        "email_form": EmailAddForm(initial=version),
        "language_form": PersonLanguageForm(
            initial={**version, "language": person.language}
        ),
        **(refused or {}),
    }
    return render(
        request,
        "ui/parties/person_contact.html",
        {"person": person, "stale": stale, "changes": changes, **forms},
        status=status,
    )


def _after_contact_edit(
    request: HttpRequest,
    person_id: uuid.UUID,
    form: VersionedForm,
    saved: object,
    done: str,
    form_name: str,
) -> HttpResponse:
    """Back to the contact page: with a flash message, or with the refused form."""
    if saved is not None:
        messages.success(request, done)
        return redirect("ui:person_contact", person_id)
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="edit"
    )
    person = seen.obj
    if form.stale is None:
        return _contact_page(request, person, status=422, refused={form_name: form})
    changes = selectors.person_changes_for_agent(
        agent=agent, person_id=person_id, since_version=form.cleaned_data["version"]
    )
    # Re-applying is one click: the same values, on the current version.
    data = request.POST.copy()
    data["version"] = str(person.version)
    return _contact_page(
        request,
        person,
        status=409,
        refused={form_name: type(form)(data)},
        stale=True,
        changes=changes,
    )


@agent_required
@require_POST
def person_phone_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = PhoneAddForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.person_contact_add(
                actor=agent,
                person_id=person_id,
                expected_version=data["version"],
                phone=services.PhoneInput(
                    number=data["number"],
                    kind=data["kind"],
                    label=data["label"],
                    is_primary=data["is_primary"],
                ),
            ),
            prefix="phone.",
        )
    return _after_contact_edit(
        request,
        person_id,
        form,
        saved,
        gettext("The phone number was added."),
        "phone_form",
    )


@agent_required
@require_POST
def person_email_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = EmailAddForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.person_contact_add(
                actor=agent,
                person_id=person_id,
                expected_version=data["version"],
                email=services.EmailInput(
                    address=data["address"],
                    label=data["label"],
                    is_primary=data["is_primary"],
                ),
            ),
            prefix="email.",
        )
    return _after_contact_edit(
        request,
        person_id,
        form,
        saved,
        gettext("The e-mail address was added."),
        "email_form",
    )


@agent_required
@require_POST
def person_language(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = PersonLanguageForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.person_update(
                actor=agent,
                person_id=person_id,
                expected_version=data["version"],
                data={"language": data["language"]},
            ),
        )
    return _after_contact_edit(
        request,
        person_id,
        form,
        saved,
        gettext("The preferred language was saved."),
        "language_form",
    )


@agent_required
def person_contact_remove(
    request: HttpRequest, person_id: uuid.UUID, contact_point_id: uuid.UUID
) -> HttpResponse:
    """Remove a phone or an e-mail address, after a confirmation step."""
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="edit"
    )
    person = seen.obj
    seen.require(Action.PERSON_EDIT_CONTACT)
    contact_point = _contact_point(person, contact_point_id)
    form = ContactRemoveForm(
        request.POST if request.method == "POST" else None,
        initial={"version": person.version},
    )
    changes: Sequence[selectors.PersonChange] = ()
    stale = False
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.person_contact_remove(
                actor=agent,
                person_id=person.uuid,
                expected_version=form.cleaned_data["version"],
                contact_point_id=contact_point_id,
            ),
        )
        if saved is not None:
            messages.success(
                request,
                gettext("%(what)s was removed.") % {"what": contact_point["shown"]},
            )
            return redirect("ui:person_contact", person.uuid)
        if form.stale is not None:
            stale = True
            changes = selectors.person_changes_for_agent(
                agent=agent,
                person_id=person.uuid,
                since_version=form.cleaned_data["version"],
            )
            form = ContactRemoveForm(initial={"version": person.version})
    return render(
        request,
        "ui/parties/person_contact_remove.html",
        {
            "person": person,
            "contact_point": contact_point,
            "form": form,
            "stale": stale,
            "changes": changes,
        },
        status=409 if stale else 200,
    )


@agent_required
def person_address_edit(
    request: HttpRequest, person_id: uuid.UUID, address_id: uuid.UUID
) -> HttpResponse:
    """Change a postal address on the version the agent read; a stale edit shows
    what changed meanwhile and keeps what the agent typed, on the new version."""
    agent = agent_of(request)
    seen = selectors.person_get_for_agent(
        agent=agent, person_id=person_id, purpose="edit"
    )
    person = seen.obj
    seen.require(Action.PERSON_EDIT_CONTACT)
    address = next(
        (row for row in person.addresses.all() if row.uuid == address_id), None
    )
    if address is None:
        raise NotFound(gettext("No such postal address."))
    if request.method != "POST":
        form = AddressEditForm(
            initial={**AddressFields.initial_of(address), "version": person.version}
        )
        return _address_page(request, person, address, form)
    form = AddressEditForm(request.POST)
    if not form.is_valid():
        return _address_page(request, person, address, form, status=422)
    saved = submit(
        form,
        lambda: services.person_address_update(
            actor=agent,
            person_id=person.uuid,
            address_id=address.uuid,
            expected_version=form.cleaned_data["version"],
            address=form.address_input(),
        ),
        rename=AddressFields.address_field_name,
    )
    if saved is not None:
        messages.success(request, gettext("The postal address was saved."))
        return redirect("ui:person_detail", person.uuid)
    if form.stale is None:
        return _address_page(request, person, address, form, status=422)
    changes = selectors.person_changes_for_agent(
        agent=agent,
        person_id=person.uuid,
        since_version=form.cleaned_data["version"],
    )
    # Re-applying is one click: the same values, on the current version.
    data = request.POST.copy()
    data["version"] = str(person.version)
    return _address_page(
        request,
        person,
        address,
        AddressEditForm(data),
        status=409,
        stale=True,
        changes=changes,
    )


def _address_page(
    request: HttpRequest,
    person: Person,
    address: Any,
    form: AddressEditForm,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        "ui/parties/person_address_edit.html",
        {"person": person, "address": address, "form": form, **context},
        status=status,
    )


def _contact_point(person: Person, contact_point_id: uuid.UUID) -> dict[str, Any]:
    """The phone or e-mail address among the person's, already loaded; else 404."""
    for phone in person.phones.all():
        if phone.uuid == contact_point_id:
            return {
                "kind": gettext("phone number"),
                "value": phone.e164,
                "shown": format_phone(phone.e164),
                "row": phone,
            }
    for email in person.emails.all():
        if email.uuid == contact_point_id:
            return {
                "kind": gettext("e-mail address"),
                "value": email.address,
                "shown": email.address,
                "row": email,
            }
    raise NotFound(gettext("No such phone or e-mail address."))


# Organisations.


@agent_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The list pattern: filters, sorting and pages, all done by the database."""
    agent = agent_of(request)
    policy.require(agent, Action.ORGANISATION_VIEW)
    form = OrganisationFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        # A filter that is not valid gets its message next to its field and is
        # left out; the valid ones still apply.
        form.is_valid()
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    page = selectors.organisation_list_for_agent(
        agent=agent,
        name=filters.get("name", ""),
        language=filters.get("language", ""),
        order=filters.get("sort", "name"),
        page=filters.get("page", 1),
        page_size=settings.SEARCH_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ui/parties/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool({"name", "language"} & set(filters)),
        },
    )


@agent_required
def organisation_detail(
    request: HttpRequest, organisation_id: uuid.UUID
) -> HttpResponse:
    agent = agent_of(request)
    organisation = selectors.organisation_get_for_agent(
        agent=agent, organisation_id=organisation_id
    )
    return render(
        request,
        "ui/parties/organisation_detail.html",
        {
            "organisation": organisation,
            "people": selectors.organisation_people_for_agent(
                agent=agent, organisation=organisation
            ),
        },
    )


PICK_RESULTS = 8


def _pick_criterion(text: str) -> str | None:
    """Which of the person search's criteria a typed text is (as the global
    search chooses), or None when it is too short to search."""
    if search.looks_like_national_number(text):
        return "national_number"
    if search.looks_like_email(text):
        return "email"
    if search.looks_like_phone(text):
        return "phone"
    if search.looks_like_name(text):
        return "name"
    return None


@agent_required
def person_pick(request: HttpRequest) -> HttpResponse:
    """The persons matching what the agent typed in a person picker, as radio
    buttons named after the form field (`ui.forms.pick`): only persons the agent
    may see, through the parties' search, which logs the read."""
    agent = agent_of(request)
    policy.require(agent, Action.PERSON_VIEW)
    field = request.GET.get("field", "")
    if field not in PICKABLE:
        raise NotFound(_("No such page."))
    text = request.GET.get(f"{field}_q", "").strip()[:200]
    criterion = _pick_criterion(text)
    persons: Sequence[Person] = []
    if criterion is not None:
        persons = selectors.person_search(
            agent=agent, page=1, page_size=PICK_RESULTS, **{criterion: text}
        ).items
    return render(
        request,
        "ui/parties/_person_pick.html",
        {"persons": persons, "field": field, "query": text},
    )
