"""Registering and changing persons: validation, duplicates, versions, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.demo.identifiers import national_number
from guichet.parties import selectors, services
from guichet.parties.errors import LikelyDuplicate
from guichet.parties.models import Person, PhoneNumber
from guichet.parties.services import AddressInput, EmailInput, Identity, PhoneInput
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

NN = national_number(dt.date(1985, 7, 30), 33)


def _identity(**changes: Any) -> Identity:
    values: dict[str, Any] = {
        "given_names": "Jean",
        "surname": "Dupont",
        "national_number": NN,
        "language": "fr",
    }
    values.update(changes)
    return Identity(**values)


def _counts() -> tuple[int, int, int]:
    return (
        Person.objects.count(),
        PhoneNumber.objects.count(),
        AuditEvent.objects.filter(chain="changes").count(),
    )


def test_registers_a_person_with_contact_points_and_audits_it(first_line: Any) -> None:
    person = services.person_create(
        actor=first_line,
        identity=_identity(national_number="85.07.30-033.28"),
        phones=[PhoneInput(number="0470 12 34 56", kind="mobile")],
        emails=[EmailInput(address="Jean.Dupont@Example.BE")],
        addresses=[
            AddressInput(
                street="Rue Haute",
                house_number="12",
                box="3",
                postal_code="1000",
                municipality="Bruxelles",
            )
        ],
    )
    assert person.national_number == "85073003328"
    assert person.national_number_type == "nn"
    assert person.birth_date == dt.date(1985, 7, 30)  # read from the number
    assert person.sex == "M"
    assert person.search_name == "dupont jean"
    assert person.version == 1
    assert list(person.phones.values_list("e164", flat=True)) == ["+32470123456"]
    assert list(person.emails.values_list("address", "address_key")) == [
        ("Jean.Dupont@example.be", "jean.dupont@example.be")
    ]
    assert person.addresses.get().formatted_lines() == [
        "Rue Haute 12 bte 3",
        "1000 Bruxelles",
    ]
    event = AuditEvent.objects.get(chain="changes", action="person.create")
    assert event.actor_id == first_line.pk
    assert event.object_id == str(person.uuid)


@pytest.mark.parametrize(
    ("_case", "identity", "extra", "field", "code"),
    [
        (
            "bad national number",
            {"national_number": "85073003329"},
            {},
            "national_number",
            "invalid_national_number",
        ),
        ("empty surname", {"surname": "  "}, {}, "surname", "required"),
        (
            "future birth date",
            {"national_number": None, "birth_date": dt.date(2999, 1, 1)},
            {},
            "birth_date",
            "birth_date_in_future",
        ),
        (
            "birth date against number",
            {"birth_date": dt.date(1985, 7, 31)},
            {},
            "birth_date",
            "birth_date_mismatch",
        ),
        (
            "bad phone",
            {},
            {"phones": [PhoneInput(number="12")]},
            "phones[0].number",
            "invalid_phone",
        ),
        (
            "bad e-mail",
            {},
            {"emails": [EmailInput(address="jean@")]},
            "emails[0].address",
            "invalid_email",
        ),
        (
            "bad postal code",
            {},
            {
                "addresses": [
                    AddressInput(street="Rue", postal_code="999", municipality="X")
                ]
            },
            "addresses[0].postal_code",
            "invalid_postal_code",
        ),
        ("bad language", {"language": "es"}, {}, "language", "invalid_choice"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    first_line: Any,
    _case: str,
    identity: dict[str, Any],
    extra: dict[str, Any],
    field: str,
    code: str,
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(
            actor=first_line, identity=_identity(**identity), **extra
        )
    assert [(error.field, error.code) for error in caught.value.errors] == [
        (field, code)
    ]
    assert _counts() == before


def test_error_messages_follow_the_language(first_line: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(
            actor=first_line, identity=_identity(national_number="85073003329")
        )
    error = caught.value.errors[0]
    with translation.override("en"):
        english = error.text
    with translation.override("fr"):
        french = error.text
    with translation.override("nl"):
        dutch = error.text
    assert "check digits" in english
    assert len({english, french, dutch}) == 3


def test_refuses_a_national_number_registered_twice(first_line: Any) -> None:
    services.person_create(actor=first_line, identity=_identity())
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(
            actor=first_line, identity=_identity(given_names="Jan", surname="Other")
        )
    assert caught.value.errors[0].code == "national_number_taken"
    assert _counts() == before


def test_warns_of_a_likely_duplicate_until_confirmed(first_line: Any) -> None:
    existing = services.person_create(
        actor=first_line,
        identity=_identity(
            national_number=None,
            birth_date=dt.date(1985, 7, 30),
            given_names="François",
        ),
    )
    before = _counts()
    with pytest.raises(LikelyDuplicate) as caught:
        services.person_create(
            actor=first_line,
            identity=_identity(
                national_number=None,
                birth_date=dt.date(1985, 7, 30),
                surname="Dupond",
                given_names="Francois",
            ),
        )
    assert caught.value.extra["candidates"] == [str(existing.uuid)]
    assert _counts() == before
    confirmed = services.person_create(
        actor=first_line,
        identity=_identity(
            national_number=None,
            birth_date=dt.date(1985, 7, 30),
            surname="Dupond",
            given_names="Francois",
        ),
        acknowledge_duplicates=True,
    )
    assert confirmed.pk != existing.pk


def test_a_different_birth_date_is_not_a_duplicate(first_line: Any) -> None:
    services.person_create(
        actor=first_line,
        identity=_identity(national_number=None, birth_date=dt.date(1985, 7, 30)),
    )
    services.person_create(
        actor=first_line,
        identity=_identity(national_number=None, birth_date=dt.date(1985, 7, 31)),
    )
    assert Person.objects.count() == 2


def test_update_with_the_current_version_applies_and_audits(first_line: Any) -> None:
    person = PersonFactory(surname="Dupont")
    updated = services.person_update(
        actor=first_line,
        person_id=person.uuid,
        expected_version=1,
        data={"surname": "Dupond"},
        reason="typo",
    )
    assert (updated.surname, updated.version, updated.search_name) == (
        "Dupond",
        2,
        "dupond marie",
    )
    event = AuditEvent.objects.get(chain="changes", action="person.update")
    assert event.summary["changes"] == {"surname": ["Dupont", "Dupond"]}
    assert event.reason == "typo"


def test_a_stale_update_is_refused_and_changes_nothing(first_line: Any) -> None:
    person = PersonFactory(surname="Dupont")
    services.person_update(
        actor=first_line,
        person_id=person.uuid,
        expected_version=1,
        data={"language": "nl"},
    )
    with pytest.raises(StaleVersion) as caught:
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"surname": "Other"},
        )
    assert caught.value.extra == {"current_version": 2}
    person.refresh_from_db()
    assert (person.surname, person.language, person.version) == ("Dupont", "nl", 2)


def test_contact_changes_bump_the_version(first_line: Any) -> None:
    person = PersonFactory()
    phone = services.person_contact_add(
        actor=first_line,
        person_id=person.uuid,
        expected_version=1,
        phone=PhoneInput(number="+33 1 23 45 67 89"),
    )
    assert phone.e164 == "+33123456789"
    with pytest.raises(StaleVersion):
        services.person_contact_add(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            email=EmailInput(address="a@b.be"),
        )
    services.person_contact_remove(
        actor=first_line,
        person_id=person.uuid,
        expected_version=2,
        contact_point_id=phone.uuid,
    )
    person.refresh_from_db()
    assert person.version == 3
    assert not PhoneNumber.objects.exists()


def test_level_d_may_edit_contact_points_but_not_identity(make_agent: Any) -> None:
    agent = make_agent("support_agent", level="D", teams=("support",))
    person = PersonFactory(surname="Dupont")
    services.person_update(
        actor=agent, person_id=person.uuid, expected_version=1, data={"language": "de"}
    )
    with pytest.raises(Forbidden):
        services.person_update(
            actor=agent,
            person_id=person.uuid,
            expected_version=2,
            data={"surname": "X"},
        )
    person.refresh_from_db()
    assert (person.surname, person.version) == ("Dupont", 2)


def test_a_confidential_person_of_another_team_is_not_found(first_line: Any) -> None:
    person = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(NotFound):
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"language": "nl"},
        )


def test_restrict_needs_a_supervisor_of_that_team_and_a_reason(make_agent: Any) -> None:
    supervisor = make_agent("supervisor", level="A1", teams=("visas",))
    person = PersonFactory()
    with pytest.raises(ValidationFailed):
        services.person_restrict(
            actor=supervisor,
            person_id=person.uuid,
            expected_version=1,
            team=TeamFactory(code="visas"),
            reason=" ",
        )
    with pytest.raises(Forbidden):
        services.person_restrict(
            actor=supervisor,
            person_id=person.uuid,
            expected_version=1,
            team=TeamFactory(code="cc-nl"),
            reason="x",
        )
    restricted = services.person_restrict(
        actor=supervisor,
        person_id=person.uuid,
        expected_version=1,
        team=TeamFactory(code="visas"),
        reason="protected",
    )
    assert restricted.confidential_team.code == "visas"


def test_organisation_enterprise_number_is_validated_and_unique(
    first_line: Any,
) -> None:
    organisation = services.organisation_create(
        actor=first_line, name="Boulangerie", enterprise_number="BE 0403.170.701"
    )
    assert organisation.enterprise_number == "0403170701"
    with pytest.raises(ValidationFailed) as caught:
        services.organisation_create(
            actor=first_line, name="Other", enterprise_number="0403170701"
        )
    assert caught.value.errors[0].code == "enterprise_number_taken"
    with pytest.raises(ValidationFailed) as caught:
        services.organisation_create(
            actor=first_line, name="Other", enterprise_number="0403170702"
        )
    assert caught.value.errors[0].code == "invalid_enterprise_number"


def test_links_a_person_to_an_organisation(first_line: Any) -> None:
    person = PersonFactory()
    organisation = services.organisation_create(actor=first_line, name="Garage")
    link = services.party_link_create(
        actor=first_line,
        person_id=person.uuid,
        organisation_id=organisation.uuid,
        kind="employer",
        since=dt.date(2020, 1, 1),
    )
    assert (link.person, link.organisation, link.kind) == (
        person,
        organisation,
        "employer",
    )
    with pytest.raises(ValidationFailed):
        services.party_link_create(
            actor=first_line,
            person_id=person.uuid,
            organisation_id=organisation.uuid,
            kind="employer",
        )


# Identity against the national number (issue #11, item 7)


@pytest.mark.parametrize(
    ("_case", "data", "field", "code"),
    [
        (
            "birth date alone",
            {"birth_date": dt.date(1985, 7, 31)},
            "birth_date",
            "birth_date_mismatch",
        ),
        ("sex alone", {"sex": "F"}, "sex", "sex_mismatch"),
        (
            "number of another birth date",
            {"national_number": national_number(dt.date(1990, 1, 2), 33)},
            "birth_date",
            "birth_date_mismatch",
        ),
        (
            "number of a woman",
            {"national_number": national_number(dt.date(1985, 7, 30), 34)},
            "sex",
            "sex_mismatch",
        ),
    ],
)
def test_an_identity_edit_that_contradicts_the_national_number_is_refused(
    first_line: Any, _case: str, data: dict[str, Any], field: str, code: str
) -> None:
    # given a man born on 30 July 1985, with his national number
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    before = _counts()
    # when an edit contradicts the number
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_update(
            actor=first_line, person_id=person.uuid, expected_version=1, data=data
        )
    # then it is refused on that field and nothing changed
    assert [(error.field, error.code) for error in excinfo.value.errors] == [
        (field, code)
    ]
    person.refresh_from_db()
    assert (person.birth_date, person.sex, person.national_number, person.version) == (
        dt.date(1985, 7, 30),
        "M",
        NN,
        1,
    )
    assert _counts() == before


def test_a_contradiction_is_saved_with_an_override_and_its_reason_audited(
    first_line: Any,
) -> None:
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    updated = services.person_update(
        actor=first_line,
        person_id=person.uuid,
        expected_version=1,
        data={"sex": "F"},
        contradiction_override="Change of registered sex pending at the register.",
    )
    assert (updated.sex, updated.version) == ("F", 2)
    event = AuditEvent.objects.get(chain="changes", action="person.update")
    assert event.summary["contradictions_overridden"] == {
        "codes": ["sex_mismatch"],
        "reason": "Change of registered sex pending at the register.",
    }


def test_a_blank_override_reason_is_no_override(first_line: Any) -> None:
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    with pytest.raises(ValidationFailed):
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"birth_date": dt.date(1985, 7, 31)},
            contradiction_override="   ",
        )


def test_a_registration_that_contradicts_the_number_is_refused(first_line: Any) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(
            actor=first_line,
            identity=_identity(birth_date=dt.date(1985, 7, 30), sex="F"),
        )
    assert [(error.field, error.code) for error in excinfo.value.errors] == [
        ("sex", "sex_mismatch")
    ]
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "data"),
    [
        ("sex other", {"sex": "X"}),
        ("sex unknown", {"sex": "U"}),
        ("language only", {"language": "nl"}),
        ("names only", {"surname": "Dupond"}),
    ],
)
def test_what_the_number_does_not_say_is_not_a_contradiction(
    first_line: Any, _case: str, data: dict[str, Any]
) -> None:
    person = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    updated = services.person_update(
        actor=first_line, person_id=person.uuid, expected_version=1, data=data
    )
    assert updated.version == 2


def test_a_bis_number_assigned_without_sex_says_nothing_of_sex(
    first_line: Any,
) -> None:
    # month + 20: the sex was not known when the BIS number was assigned (§2.2)
    base = "852730033"
    bis = base + f"{97 - int(base) % 97:02d}"
    person = services.person_create(
        actor=first_line,
        identity=_identity(
            national_number=bis, birth_date=dt.date(1985, 7, 30), sex="F"
        ),
    )
    assert person.sex == "F"


# Names and contact points (issue #12, item 6)


def test_a_name_with_a_right_to_left_override_is_refused_and_nothing_written(
    first_line: Any,
) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(
            actor=first_line, identity=_identity(surname="Dupont\u202etlova")
        )
    assert [(e.field, e.code) for e in excinfo.value.errors] == [
        ("surname", "name_character")
    ]
    assert _counts() == before


def test_a_name_that_folds_to_nothing_is_refused_on_update(first_line: Any) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"given_names": "\U0001f600"},
        )
    assert [(e.field, e.code) for e in excinfo.value.errors] == [
        ("given_names", "name_not_searchable")
    ]


def test_names_are_stored_composed(first_line: Any) -> None:
    person = services.person_create(
        actor=first_line, identity=_identity(given_names="Ge\u0301rard")
    )
    assert person.given_names == "G\u00e9rard"


def test_a_registration_with_too_many_e_mail_addresses_is_refused(
    first_line: Any,
) -> None:
    emails = [EmailInput(address=f"jean{n}@example.org") for n in range(21)]
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(actor=first_line, identity=_identity(), emails=emails)
    assert [(e.field, e.code) for e in excinfo.value.errors] == [
        ("emails", "too_many_contact_points")
    ]
    assert Person.objects.count() == 0


def test_the_twenty_first_phone_is_refused(first_line: Any) -> None:
    person = PersonFactory()
    for n in range(20):
        services.person_contact_add(
            actor=first_line,
            person_id=person.uuid,
            expected_version=n + 1,
            phone=PhoneInput(number=f"+32470{n:06d}"),
        )
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_contact_add(
            actor=first_line,
            person_id=person.uuid,
            expected_version=21,
            phone=PhoneInput(number="+32470999999"),
        )
    assert [(e.field, e.code) for e in excinfo.value.errors] == [
        ("phone", "too_many_contact_points")
    ]
    assert PhoneNumber.objects.filter(person=person).count() == 20


# Confidential persons do not leak through registration (issue #12, item 1)


@pytest.fixture
def hidden() -> Any:
    """A person confidential to the visas team, born on 30 July 1985."""
    return PersonFactory(
        given_names="Jean",
        surname="Dupont",
        birth_date=dt.date(1985, 7, 30),
        sex="M",
        national_number=NN,
        confidential_team=TeamFactory(code="visas", email="visas@example.org"),
    )


def test_the_duplicate_check_counts_only_persons_the_agent_may_see(
    first_line: Any, hidden: Any
) -> None:
    # when a first-line agent registers a similar name with the same birth date
    person = services.person_create(
        actor=first_line,
        identity=_identity(national_number=None, birth_date=dt.date(1985, 7, 30)),
    )
    # then the confidential person is not counted: the registration goes through
    assert person.pk != hidden.pk
    assert Person.objects.count() == 2


def test_a_visible_duplicate_is_still_counted(make_agent: Any, hidden: Any) -> None:
    insider = make_agent("first_line", teams=("visas",), username="insider")
    with pytest.raises(LikelyDuplicate) as excinfo:
        services.person_create(
            actor=insider,
            identity=_identity(national_number=None, birth_date=dt.date(1985, 7, 30)),
        )
    assert excinfo.value.params == {"count": 1}
    assert excinfo.value.extra == {"candidates": [str(hidden.uuid)]}


def test_a_hidden_persons_national_number_is_refused_recorded_and_notified(
    first_line: Any, hidden: Any, mailoutbox: Any
) -> None:
    # when a first-line agent registers someone under the hidden person's number
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(
            actor=first_line, identity=_identity(given_names="Paul", surname="Martin")
        )
    # then the answer is the same as for any number taken, naming no one
    [error] = excinfo.value.errors
    assert (error.field, error.code) == ("national_number", "national_number_taken")
    assert str(hidden.uuid) not in str(excinfo.value.extra)
    assert Person.objects.count() == 1
    # and the attempt is in the access chain, on the hidden person
    event = AuditEvent.objects.get(chain="access", action="person.identifier_conflict")
    assert (event.actor, event.object_id) == (first_line, str(hidden.uuid))
    assert event.summary == {"field": "national_number", "operation": "create"}
    # and the team the person is confidential to is told, without their name
    [message] = mailoutbox
    assert message.to == ["visas@example.org"]
    assert str(hidden.uuid) in message.body
    assert first_line.username in message.body
    assert "Dupont" not in message.body


def test_a_hidden_persons_number_given_on_update_is_recorded_too(
    first_line: Any, hidden: Any, mailoutbox: Any
) -> None:
    person = PersonFactory(
        birth_date=dt.date(1985, 7, 30), sex="M", national_number=None
    )
    with pytest.raises(ValidationFailed):
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"national_number": NN},
        )
    event = AuditEvent.objects.get(chain="access", action="person.identifier_conflict")
    assert event.summary == {"field": "national_number", "operation": "update"}
    assert len(mailoutbox) == 1


def test_a_visible_persons_number_is_refused_without_alarm(
    first_line: Any, mailoutbox: Any
) -> None:
    PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    with pytest.raises(ValidationFailed):
        services.person_create(actor=first_line, identity=_identity())
    assert not AuditEvent.objects.filter(action="person.identifier_conflict").exists()
    assert mailoutbox == []


@pytest.fixture
def raced(monkeypatch: Any) -> None:
    """The check before the write runs before another agent's transaction commits
    the same number: it sees no holder, the database's uniqueness refuses."""
    monkeypatch.setattr(services, "_number_holder", lambda number, person: None)


def test_a_number_taken_by_a_hidden_person_in_a_race_is_recorded_on_create(
    first_line: Any, hidden: Any, mailoutbox: Any, raced: None
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(
            actor=first_line,
            identity=_identity(given_names="Paul", surname="Martin"),
            acknowledge_duplicates=True,
        )
    [error] = excinfo.value.errors
    assert (error.field, error.code) == ("national_number", "national_number_taken")
    assert str(hidden.uuid) not in str(excinfo.value.extra)
    assert Person.objects.count() == 1
    event = AuditEvent.objects.get(chain="access", action="person.identifier_conflict")
    assert (event.actor, event.object_id) == (first_line, str(hidden.uuid))
    assert event.summary == {"field": "national_number", "operation": "create"}
    [message] = mailoutbox
    assert message.to == ["visas@example.org"]


def test_a_number_taken_by_a_hidden_person_in_a_race_is_recorded_on_update(
    first_line: Any, hidden: Any, mailoutbox: Any, raced: None
) -> None:
    person = PersonFactory(
        birth_date=dt.date(1985, 7, 30), sex="M", national_number=None
    )
    with pytest.raises(ValidationFailed):
        services.person_update(
            actor=first_line,
            person_id=person.uuid,
            expected_version=1,
            data={"national_number": NN},
        )
    event = AuditEvent.objects.get(chain="access", action="person.identifier_conflict")
    assert event.summary == {"field": "national_number", "operation": "update"}
    assert len(mailoutbox) == 1
    person.refresh_from_db()
    assert person.national_number is None


def test_a_number_taken_by_a_visible_person_in_a_race_is_refused_quietly(
    first_line: Any, mailoutbox: Any, raced: None
) -> None:
    PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M", national_number=NN)
    with pytest.raises(ValidationFailed) as excinfo:
        services.person_create(
            actor=first_line,
            identity=_identity(given_names="Paul", surname="Martin"),
        )
    assert excinfo.value.errors[0].code == "national_number_taken"
    assert not AuditEvent.objects.filter(action="person.identifier_conflict").exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("_case", "given_names", "surname", "queries"),
    [
        ("ukrainian", "Олена", "Шевченко", ["Шевченко", "shevchenko olena"]),
        ("greek", "Γιώργος", "Παπαδόπουλος", ["Παπαδόπουλος", "Giorgos"]),
        ("arabic", "محمد", "علي", ["محمد علي"]),
    ],
)
def test_a_name_written_only_in_another_script_is_registered_and_found(
    first_line: Any, _case: str, given_names: str, surname: str, queries: list[str]
) -> None:
    """A consular post registers persons whose only written name is Cyrillic, Greek
    or Arabic: the name is kept as written, its search key transliterated."""
    person = services.person_create(
        actor=first_line,
        identity=_identity(given_names=given_names, surname=surname),
    )
    assert (person.given_names, person.surname) == (given_names, surname)
    assert person.search_name
    for query in queries:
        found = selectors.person_search(agent=first_line, name=query).items
        assert found == [person], query
