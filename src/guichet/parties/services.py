"""Writes to persons and organisations. Each service checks the policy, validates,
writes in one transaction with its audit record, and refuses stale versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.parties import Action
from guichet.agents.models import Agent, Language, RoleCode, Team
from guichet.audit.services import access_record, audit_record, changes
from guichet.checks.niss import check_niss
from guichet.core import clock
from guichet.core.errors import (
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from guichet.core.text import fold
from guichet.core.validation import Problems, choice, text
from guichet.core.versioning import versioned_update

from . import validation as v
from .errors import Code, LikelyDuplicate
from .models import (
    AddressKind,
    EmailAddress,
    LinkKind,
    NationalNumberType,
    Organisation,
    PartyLink,
    Person,
    PhoneKind,
    PhoneNumber,
    PostalAddress,
    Sex,
)
from .selectors import person_find_likely_duplicates

IDENTITY_FIELDS = ("given_names", "surname", "birth_date", "sex", "national_number")
CONTACT_FIELDS = ("language",)


@dataclass(frozen=True)
class PhoneInput:
    number: str
    kind: str = PhoneKind.OTHER
    label: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class EmailInput:
    address: str
    label: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class AddressInput:
    municipality: str
    country: str = "BE"
    street: str = ""
    house_number: str = ""
    box: str = ""
    postal_code: str = ""
    lines: str = ""
    kind: str = AddressKind.RESIDENCE
    label: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class Identity:
    given_names: str
    surname: str
    birth_date: dt.date | None = None
    sex: str = Sex.UNKNOWN
    national_number: str | None = None
    language: str = Language.FR


def _clean_identity(
    problems: Problems,
    identity: Mapping[str, Any],
    *,
    person: Person | None,
    contradiction_override: str = "",
    conflicts: list[Person] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Validate identity fields; fill birth date and sex from the national number.

    A birth date or sex that contradicts the national number (the one given, or
    the person's) is refused, unless `contradiction_override` gives the reason to
    keep it: then the codes overridden are returned, for the audit record. A
    national number held by a confidential person is added to `conflicts`.
    """
    clean: dict[str, Any] = {}
    if conflicts is None:
        conflicts = []
    if "given_names" in identity:
        clean["given_names"] = v.name(
            problems, "given_names", identity["given_names"], max_length=200
        )
    if "surname" in identity:
        clean["surname"] = v.name(
            problems, "surname", identity["surname"], max_length=200
        )
    if "sex" in identity:
        clean["sex"] = choice(problems, "sex", identity["sex"], list(Sex.values))
    if "language" in identity:
        clean["language"] = choice(
            problems, "language", identity["language"], list(Language.values)
        )
    if "birth_date" in identity:
        clean["birth_date"] = v.birth_date(
            problems, "birth_date", identity["birth_date"], today=clock.today()
        )
    number_fields: Mapping[str, Any] = {}
    if "national_number" in identity:
        checked = v.national_number(
            problems, "national_number", identity["national_number"]
        )
        if checked is None:
            clean["national_number"] = None
            clean["national_number_type"] = ""
        else:
            number = checked.normalized
            number_fields = checked.fields
            clean["national_number"] = number
            clean["national_number_type"] = (
                NationalNumberType.BIS
                if checked.fields["type"] == "bis"
                else NationalNumberType.NN
            )
            encoded = checked.fields.get("birth_date")
            given = clean.get("birth_date", person.birth_date if person else None)
            if encoded and given is None:
                clean["birth_date"] = dt.date.fromisoformat(encoded)
            current_sex = clean.get("sex", person.sex if person else Sex.UNKNOWN)
            if checked.fields.get("sex") and current_sex == Sex.UNKNOWN:
                clean["sex"] = checked.fields["sex"]
            holder = _number_holder(number, person)
            if holder is not None:
                # The same answer whoever holds the number: it names no one.
                problems.add(
                    "national_number",
                    Code.NATIONAL_NUMBER_TAKEN,
                    _("A person with this national number is already registered."),
                )
                if holder.confidential_team_id is not None:
                    conflicts.append(holder)
    elif (
        person is not None
        and person.national_number
        and {"birth_date", "sex"} & set(identity)
    ):
        stored = check_niss(person.national_number)
        number_fields = stored.fields if stored.valid else {}
    found = v.contradictions(
        number_fields,
        birth_date=clean.get("birth_date", person.birth_date if person else None),
        sex=clean.get("sex", person.sex if person else None),
    )
    if found and not contradiction_override.strip():
        problems.errors.extend(found)
        return clean, []
    return clean, [error.code for error in found]


class _HiddenConflict(Exception):
    """A refusal that must be reported after its transaction is rolled back: the
    identifier asked for is held by a confidential person."""

    def __init__(self, error: ValidationFailed, holders: list[Person]) -> None:
        super().__init__(error.code)
        self.error = error
        self.holders = holders


def _raise_if_any(problems: Problems, conflicts: list[Person]) -> None:
    try:
        problems.raise_if_any()
    except ValidationFailed as error:
        if conflicts:
            raise _HiddenConflict(error, conflicts) from None
        raise


def _number_holder(number: str, person: Person | None) -> Person | None:
    """The person already holding `number`, other than `person`, seen by the check
    before the write (the database's uniqueness catches a later one)."""
    taken = Person.objects.filter(national_number=number)
    if person is not None:
        taken = taken.exclude(id=person.pk)
    return taken.first()


def _number_taken_meanwhile(
    number: str | None, person: Person
) -> ValidationFailed | _HiddenConflict:
    """The refusal when the database's uniqueness caught what the check before the
    write could not see yet: another agent's transaction registered the number in
    between. The answer is the one of any number taken; a confidential holder is
    recorded and reported as when the check sees them (issue #12)."""
    error = ValidationFailed(
        _("Some fields are not valid; nothing was saved."),
        errors=[
            FieldError(
                "national_number",
                Code.NATIONAL_NUMBER_TAKEN,
                _("A person with this national number is already registered."),
            )
        ],
    )
    holders = (
        list(
            Person.objects.filter(
                national_number=number, confidential_team__isnull=False
            ).exclude(id=person.pk)
        )
        if number
        else []
    )
    return _HiddenConflict(error, holders) if holders else error


@transaction.atomic
def _identifier_conflict_report(
    *, actor: Agent, holders: Sequence[Person], operation: str
) -> None:
    """Record, in the access chain, that an agent gave an identifier held by a
    confidential person they may not see, and tell that person's team.

    The agent's answer does not say who holds it (issue #12): a conflict on a
    unique identifier cannot be hidden, but it can be watched.
    """
    from .tasks import notify_identifier_conflict

    for holder in holders:
        if policy.may(actor, Action.PERSON_VIEW, holder):
            continue
        access_record(
            actor=actor,
            action="person.identifier_conflict",
            obj=holder,
            context={"field": "national_number", "operation": operation},
        )
        notify_identifier_conflict.enqueue(
            person_id=str(holder.uuid), agent_id=str(actor.pk)
        )


def _overridden(codes: list[str], reason: str) -> dict[str, Any]:
    """What the audit record says of contradictions saved on purpose."""
    if not codes:
        return {}
    return {"contradictions_overridden": {"codes": codes, "reason": reason.strip()}}


def _phones(
    problems: Problems, phones: Sequence[PhoneInput], prefix: str = "phones"
) -> list[PhoneNumber]:
    result = []
    for index, item in enumerate(phones):
        name = f"{prefix}[{index}]" if prefix == "phones" else prefix
        e164 = v.phone(problems, f"{name}.number", item.number)
        kind = choice(problems, f"{name}.kind", item.kind, list(PhoneKind.values)) or ""
        label = text(
            problems, f"{name}.label", item.label, required=False, max_length=100
        )
        result.append(
            PhoneNumber(e164=e164, kind=kind, label=label, is_primary=item.is_primary)
        )
    return result


def _emails(
    problems: Problems, emails: Sequence[EmailInput], prefix: str = "emails"
) -> list[EmailAddress]:
    result = []
    for index, item in enumerate(emails):
        name = f"{prefix}[{index}]" if prefix == "emails" else prefix
        address = v.email(problems, f"{name}.address", item.address)
        label = text(
            problems, f"{name}.label", item.label, required=False, max_length=100
        )
        result.append(
            EmailAddress(
                address=address,
                address_key=address.lower(),
                label=label,
                is_primary=item.is_primary,
            )
        )
    return result


def _addresses(
    problems: Problems, addresses: Sequence[AddressInput], prefix: str = "addresses"
) -> list[PostalAddress]:
    result = []
    for index, item in enumerate(addresses):
        name = f"{prefix}[{index}]" if prefix == "addresses" else prefix
        country = v.country(problems, f"{name}.country", item.country)
        municipality = text(
            problems,
            f"{name}.municipality",
            item.municipality,
            required=True,
            max_length=200,
        )
        street = text(
            problems,
            f"{name}.street",
            item.street,
            required=country == "BE",
            max_length=200,
        )
        if country == "BE":
            postal_code = v.belgian_postal_code(
                problems, f"{name}.postal_code", item.postal_code
            )
        else:
            postal_code = text(
                problems,
                f"{name}.postal_code",
                item.postal_code,
                required=False,
                max_length=20,
            )
        result.append(
            PostalAddress(
                kind=choice(
                    problems, f"{name}.kind", item.kind, list(AddressKind.values)
                )
                or "",
                country=country,
                street=street,
                house_number=text(
                    problems,
                    f"{name}.house_number",
                    item.house_number,
                    required=False,
                    max_length=20,
                ),
                box=text(
                    problems, f"{name}.box", item.box, required=False, max_length=20
                ),
                postal_code=postal_code,
                municipality=municipality,
                lines=item.lines.strip(),
                label=text(
                    problems,
                    f"{name}.label",
                    item.label,
                    required=False,
                    max_length=100,
                ),
                is_primary=item.is_primary,
            )
        )
    return result


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        name: getattr(person, name)
        for name in (*IDENTITY_FIELDS, "language", "confidential_team_id")
    }


def person_create(
    *,
    actor: Agent,
    identity: Identity,
    phones: Sequence[PhoneInput] = (),
    emails: Sequence[EmailInput] = (),
    addresses: Sequence[AddressInput] = (),
    acknowledge_duplicates: bool = False,
    contradiction_override: str = "",
) -> Person:
    """Register a person. A similar name with the same birth date as a person the
    agent may see is refused as a likely duplicate unless the agent confirms
    (`acknowledge_duplicates`); a birth date or sex that contradicts the national
    number, unless the agent says why (`contradiction_override`). A national
    number held by a confidential person is refused like any number taken, and
    the attempt recorded and reported to that person's team."""
    try:
        return _person_create(
            actor=actor,
            identity=identity,
            phones=phones,
            emails=emails,
            addresses=addresses,
            acknowledge_duplicates=acknowledge_duplicates,
            contradiction_override=contradiction_override,
        )
    except _HiddenConflict as conflict:
        _identifier_conflict_report(
            actor=actor, holders=conflict.holders, operation="create"
        )
        raise conflict.error from None


@transaction.atomic
def _person_create(
    *,
    actor: Agent,
    identity: Identity,
    phones: Sequence[PhoneInput],
    emails: Sequence[EmailInput],
    addresses: Sequence[AddressInput],
    acknowledge_duplicates: bool,
    contradiction_override: str,
) -> Person:
    policy.require(actor, Action.PERSON_CREATE)
    problems = Problems()
    conflicts: list[Person] = []
    values, overridden = _clean_identity(
        problems,
        asdict(identity),
        person=None,
        contradiction_override=contradiction_override,
        conflicts=conflicts,
    )
    phone_rows = _phones(problems, phones)
    email_rows = _emails(problems, emails)
    address_rows = _addresses(problems, addresses)
    v.contact_point_count(problems, "phones", len(phone_rows), kind="phones")
    v.contact_point_count(problems, "emails", len(email_rows), kind="emails")
    v.contact_point_count(problems, "addresses", len(address_rows), kind="addresses")
    _raise_if_any(problems, conflicts)
    if not acknowledge_duplicates:
        # Only the persons the agent may see count: a confidential person's
        # existence must not show through a refusal (issue #12).
        similar = [
            person
            for person in person_find_likely_duplicates(
                given_names=values["given_names"],
                surname=values["surname"],
                birth_date=values.get("birth_date"),
            )
            if policy.may(actor, Action.PERSON_VIEW, person)
        ]
        if similar:
            raise LikelyDuplicate(
                _(
                    "%(count)d person(s) with a similar name and the same birth date are already "
                    "registered. Check them; confirm to register a new person anyway."
                ),
                params={"count": len(similar)},
                extra={"candidates": sorted(str(person.uuid) for person in similar)},
            )
    person = Person(
        search_name=fold(f"{values['surname']} {values['given_names']}"), **values
    )
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:
        # Another agent registered the same national number a moment ago.
        raise _number_taken_meanwhile(values["national_number"], person) from None
    rows: list[PhoneNumber | EmailAddress | PostalAddress] = [
        *phone_rows,
        *email_rows,
        *address_rows,
    ]
    for row in rows:
        row.person = person
        row.save(force_insert=True)
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        summary={
            "after": _snapshot(person),
            "contact_points": {
                "phones": len(phone_rows),
                "emails": len(email_rows),
                "addresses": len(address_rows),
            },
            "acknowledged_duplicates": acknowledge_duplicates,
            **_overridden(overridden, contradiction_override),
        },
    )
    return person


def _locked_visible(actor: Agent, person_id: Any) -> Person:
    from .selectors import persons_visible

    person = (
        persons_visible(agent=actor).filter(uuid=person_id).select_for_update().first()
    )
    if person is None:
        raise NotFound(_("No such person."))
    return person


def person_update(
    *,
    actor: Agent,
    person_id: Any,
    expected_version: int,
    data: Mapping[str, Any],
    reason: str = "",
    contradiction_override: str = "",
) -> Person:
    """Change identity fields or the preferred language, if the version still matches.

    A birth date or sex that contradicts the national number is refused unless
    `contradiction_override` says why it is right; the reason is audited. A
    national number held by a confidential person is refused like any number
    taken, and the attempt recorded and reported to that person's team.
    """
    try:
        return _person_update(
            actor=actor,
            person_id=person_id,
            expected_version=expected_version,
            data=data,
            reason=reason,
            contradiction_override=contradiction_override,
        )
    except _HiddenConflict as conflict:
        _identifier_conflict_report(
            actor=actor, holders=conflict.holders, operation="update"
        )
        raise conflict.error from None


@transaction.atomic
def _person_update(
    *,
    actor: Agent,
    person_id: Any,
    expected_version: int,
    data: Mapping[str, Any],
    reason: str,
    contradiction_override: str,
) -> Person:
    person = _locked_visible(actor, person_id)
    unknown = sorted(set(data) - set(IDENTITY_FIELDS) - set(CONTACT_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError(
                    name, Code.UNKNOWN_FIELD, _("This field cannot be changed here.")
                )
                for name in unknown
            ],
        )
    if set(data) & set(IDENTITY_FIELDS):
        policy.require(actor, Action.PERSON_EDIT_IDENTITY, person)
    policy.require(actor, Action.PERSON_EDIT_CONTACT, person)
    problems = Problems()
    conflicts: list[Person] = []
    values, overridden = _clean_identity(
        problems,
        data,
        person=person,
        contradiction_override=contradiction_override,
        conflicts=conflicts,
    )
    _raise_if_any(problems, conflicts)
    before = _snapshot(person)
    if "given_names" in values or "surname" in values:
        values["search_name"] = fold(
            f"{values.get('surname', person.surname)} {values.get('given_names', person.given_names)}"
        )
    try:
        with transaction.atomic():
            versioned_update(person, expected_version=expected_version, **values)
    except IntegrityError:
        raise _number_taken_meanwhile(
            values.get("national_number", person.national_number), person
        ) from None
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        summary={
            "changes": changes(before, _snapshot(person)),
            "version": person.version,
            **_overridden(overridden, contradiction_override),
        },
        reason=reason,
    )
    return person


ContactModel = type[PhoneNumber] | type[EmailAddress] | type[PostalAddress]


@transaction.atomic
def person_contact_add(
    *,
    actor: Agent,
    person_id: Any,
    expected_version: int,
    phone: PhoneInput | None = None,
    email: EmailInput | None = None,
    address: AddressInput | None = None,
) -> PhoneNumber | EmailAddress | PostalAddress:
    """Add one phone, e-mail address or postal address to a person."""
    person = _locked_visible(actor, person_id)
    policy.require(actor, Action.PERSON_EDIT_CONTACT, person)
    problems = Problems()
    rows: list[PhoneNumber | EmailAddress | PostalAddress] = []
    if phone is not None:
        rows.extend(_phones(problems, [phone], prefix="phone"))
    if email is not None:
        rows.extend(_emails(problems, [email], prefix="email"))
    if address is not None:
        rows.extend(_addresses(problems, [address], prefix="address"))
    if len(rows) != 1:
        raise ValidationFailed(
            _("Give exactly one phone, e-mail address or postal address."),
            code=Code.REQUIRED,
        )
    kind, field_name = {
        PhoneNumber: ("phones", "phone"),
        EmailAddress: ("emails", "email"),
        PostalAddress: ("addresses", "address"),
    }[type(rows[0])]
    existing = type(rows[0]).objects.filter(person=person).count()
    v.contact_point_count(problems, field_name, existing + 1, kind=kind)
    problems.raise_if_any()
    versioned_update(person, expected_version=expected_version)
    row = rows[0]
    row.person = person
    if row.is_primary:
        type(row).objects.filter(person=person, is_primary=True).update(
            is_primary=False
        )
    row.save(force_insert=True)
    audit_record(
        actor=actor,
        action=f"person.{row._meta.model_name}.add",
        obj=person,
        summary={
            "added": str(row),
            "contact_point": str(row.uuid),
            "version": person.version,
        },
    )
    return row


@transaction.atomic
def person_contact_remove(
    *, actor: Agent, person_id: Any, expected_version: int, contact_point_id: Any
) -> Person:
    person = _locked_visible(actor, person_id)
    policy.require(actor, Action.PERSON_EDIT_CONTACT, person)
    models: tuple[ContactModel, ...] = (PhoneNumber, EmailAddress, PostalAddress)
    for model in models:
        queryset: QuerySet[Any] = model.objects.filter(
            person=person, uuid=contact_point_id
        )
        row = queryset.first()
        if row is not None:
            break
    else:
        raise NotFound(_("No such phone, e-mail address or postal address."))
    versioned_update(person, expected_version=expected_version)
    row.delete()
    audit_record(
        actor=actor,
        action=f"person.{row._meta.model_name}.remove",
        obj=person,
        summary={
            "removed": str(row),
            "contact_point": str(contact_point_id),
            "version": person.version,
        },
    )
    return person


_ADDRESS_FIELDS = (
    "kind",
    "country",
    "street",
    "house_number",
    "box",
    "postal_code",
    "municipality",
    "lines",
    "label",
    "is_primary",
)


@transaction.atomic
def person_address_update(
    *,
    actor: Agent,
    person_id: Any,
    address_id: Any,
    expected_version: int,
    address: AddressInput,
) -> PostalAddress:
    """Replace one of a person's postal addresses, if the person's version still
    matches (a contact point's change bumps the person's version, as an addition
    or a removal does)."""
    person = _locked_visible(actor, person_id)
    policy.require(actor, Action.PERSON_EDIT_CONTACT, person)
    row = PostalAddress.objects.filter(person=person, uuid=address_id).first()
    if row is None:
        raise NotFound(_("No such postal address."))
    problems = Problems()
    (clean,) = _addresses(problems, [address], prefix="address")
    problems.raise_if_any()
    before = str(row)
    versioned_update(person, expected_version=expected_version)
    if clean.is_primary:
        PostalAddress.objects.filter(person=person, is_primary=True).exclude(
            pk=row.pk
        ).update(is_primary=False)
    for name in _ADDRESS_FIELDS:
        setattr(row, name, getattr(clean, name))
    row.save(update_fields=[*_ADDRESS_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="person.postaladdress.update",
        obj=person,
        summary={
            "changes": {"address": [before, str(row)]},
            "contact_point": str(row.uuid),
            "version": person.version,
        },
    )
    return row


@transaction.atomic
def person_restrict(
    *,
    actor: Agent,
    person_id: Any,
    expected_version: int,
    team: Team | None,
    reason: str,
) -> Person:
    """Make a person confidential to one of the actor's teams, or lift it (team None)."""
    person = _locked_visible(actor, person_id)
    policy.require(actor, Action.PERSON_RESTRICT, person)
    if team is not None and team.pk not in actor.team_ids:
        raise Forbidden(_("You can only restrict a person to a team you belong to."))
    if not reason.strip():
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError(
                    "reason", Code.REQUIRED, _("Say why the person is restricted.")
                )
            ],
        )
    before = _snapshot(person)
    versioned_update(person, expected_version=expected_version, confidential_team=team)
    audit_record(
        actor=actor,
        action="person.restrict",
        obj=person,
        summary={"changes": changes(before, _snapshot(person))},
        reason=reason,
    )
    return person


@transaction.atomic
def organisation_create(
    *,
    actor: Agent,
    name: str,
    enterprise_number: str | None = None,
    language: str = Language.FR,
    phones: Sequence[PhoneInput] = (),
    emails: Sequence[EmailInput] = (),
    addresses: Sequence[AddressInput] = (),
) -> Organisation:
    policy.require(actor, Action.ORGANISATION_CREATE)
    problems = Problems()
    clean_name = v.name(problems, "name", name, max_length=300)
    number = v.enterprise_number(problems, "enterprise_number", enterprise_number)
    clean_language = choice(problems, "language", language, list(Language.values)) or ""
    if number and Organisation.objects.filter(enterprise_number=number).exists():
        problems.add(
            "enterprise_number",
            Code.ENTERPRISE_NUMBER_TAKEN,
            _("An organisation with this enterprise number is already registered."),
        )
    rows: list[Any] = [
        *_phones(problems, phones),
        *_emails(problems, emails),
        *_addresses(problems, addresses),
    ]
    problems.raise_if_any()
    organisation = Organisation(
        name=clean_name,
        enterprise_number=number,
        language=clean_language,
        search_name=fold(clean_name),
    )
    organisation.save(force_insert=True)
    for row in rows:
        row.organisation = organisation
        row.save(force_insert=True)
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        summary={
            "after": {
                "name": clean_name,
                "enterprise_number": number,
                "language": clean_language,
            }
        },
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Agent,
    organisation_id: Any,
    expected_version: int,
    data: Mapping[str, Any],
) -> Organisation:
    from .selectors import organisations_visible

    organisation = (
        organisations_visible(agent=actor)
        .filter(uuid=organisation_id)
        .select_for_update()
        .first()
    )
    if organisation is None:
        raise NotFound(_("No such organisation."))
    policy.require(actor, Action.ORGANISATION_EDIT, organisation)
    problems = Problems()
    values: dict[str, Any] = {}
    for name in sorted(set(data) - {"name", "enterprise_number", "language"}):
        problems.add(name, Code.UNKNOWN_FIELD, _("This field cannot be changed here."))
    if "name" in data:
        values["name"] = v.name(problems, "name", data["name"], max_length=300)
        values["search_name"] = fold(values["name"])
    if "enterprise_number" in data:
        values["enterprise_number"] = v.enterprise_number(
            problems, "enterprise_number", data["enterprise_number"]
        )
        number = values["enterprise_number"]
        if (
            number
            and Organisation.objects.filter(enterprise_number=number)
            .exclude(pk=organisation.pk)
            .exists()
        ):
            problems.add(
                "enterprise_number",
                Code.ENTERPRISE_NUMBER_TAKEN,
                _("An organisation with this enterprise number is already registered."),
            )
    if "language" in data:
        values["language"] = choice(
            problems, "language", data["language"], list(Language.values)
        )
    problems.raise_if_any()
    before = {
        "name": organisation.name,
        "enterprise_number": organisation.enterprise_number,
        "language": organisation.language,
    }
    versioned_update(organisation, expected_version=expected_version, **values)
    after = {
        "name": organisation.name,
        "enterprise_number": organisation.enterprise_number,
        "language": organisation.language,
    }
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=organisation,
        summary={"changes": changes(before, after), "version": organisation.version},
    )
    return organisation


@transaction.atomic
def party_link_create(
    *,
    actor: Agent,
    person_id: Any,
    organisation_id: Any,
    kind: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> PartyLink:
    """Link a person to an organisation (representative, employee, contact person)."""
    from .selectors import organisations_visible

    person = _locked_visible(actor, person_id)
    policy.require(actor, Action.PERSON_EDIT_CONTACT, person)
    organisation = (
        organisations_visible(agent=actor).filter(uuid=organisation_id).first()
    )
    if organisation is None:
        raise NotFound(_("No such organisation."))
    problems = Problems()
    choice(problems, "kind", kind, list(LinkKind.values))
    if since and until and until < since:
        problems.add(
            "until", Code.INVALID_CHOICE, _("The end date is before the start date.")
        )
    if PartyLink.objects.filter(
        person=person, organisation=organisation, kind=kind
    ).exists():
        problems.add(
            "kind",
            Code.INVALID_CHOICE,
            _("This person already has this link with this organisation."),
        )
    problems.raise_if_any()
    link = PartyLink.objects.create(
        person=person, organisation=organisation, kind=kind, since=since, until=until
    )
    audit_record(
        actor=actor,
        action="person.link.add",
        obj=person,
        summary={
            "organisation": str(organisation.uuid),
            "kind": kind,
            "since": since,
            "until": until,
        },
    )
    return link


def identifier_conflict_notify(*, person_id: str, agent_id: str) -> int:
    """E-mail the team a person is confidential to: an agent who may not see the
    person gave their national number (issue #12). Sent to the team's address,
    else to its supervisors'; the message holds the person's id and a link, never
    their name or number. Returns the number of addresses written to.
    """
    person = (
        Person.objects.select_related("confidential_team")
        .filter(uuid=person_id)
        .first()
    )
    agent = Agent.objects.filter(pk=agent_id).first()
    team = person.confidential_team if person is not None else None
    if person is None or team is None or agent is None:
        return 0
    recipients = (
        [team.email]
        if team.email
        else sorted(
            address
            for address in Agent.objects.filter(
                is_active=True,
                memberships__team=team,
                roles__code=RoleCode.SUPERVISOR,
            )
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
    )
    if not recipients:
        return 0
    with translation.override(team.language or Language.FR):
        subject = gettext(
            "A confidential person's national number was given by another service"
        )
        body = gettext(
            "%(agent)s, who may not see this person, gave the national number of a "
            "person confidential to %(team)s while registering or editing someone. "
            "Nothing was saved and they were not told whose number it is.\n\n"
            "Person: %(url)s\nThe attempt is in the access log."
        ) % {
            "agent": agent.get_username(),
            "team": team.name,
            "url": f"/persons/{person.uuid}/",
        }
    send_mail(subject, body, None, recipients)
    return len(recipients)
