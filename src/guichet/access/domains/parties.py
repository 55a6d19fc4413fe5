"""Persons and organisations.

Levels follow the seeds (the users' job descriptions, docs/sources.md §5.1): a
level-D agent registers persons and updates contact details, but changing a person's
identity (names, birth date, national number) needs level C (seeds 000 and 001,
"autonomie"). A person confidential to a team is seen by that team's members only.
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, EVERYONE, Grant, Kind, L, R, grant, via_person


class Action(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT_CONTACT = "person.edit_contact"
    PERSON_EDIT_IDENTITY = "person.edit_identity"
    PERSON_RESTRICT = "person.restrict"
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_EDIT = "organisation.edit"


GRANTS: dict[str, Grant] = {
    Action.PERSON_VIEW: grant(*CITIZEN_FACING),
    Action.PERSON_CREATE: grant(*CITIZEN_FACING),
    Action.PERSON_EDIT_CONTACT: grant(*CITIZEN_FACING),
    Action.PERSON_EDIT_IDENTITY: grant(*CITIZEN_FACING, min_level=L.C),
    Action.PERSON_RESTRICT: grant(R.SUPERVISOR),
    Action.ORGANISATION_VIEW: grant(*CITIZEN_FACING),
    Action.ORGANISATION_CREATE: grant(*CITIZEN_FACING),
    Action.ORGANISATION_EDIT: grant(*CITIZEN_FACING, min_level=L.C),
}


KINDS: dict[str, Kind] = {
    "parties.person": Kind(
        view_action=Action.PERSON_VIEW,
        rule=via_person(""),
        actions=frozenset(
            {
                Action.PERSON_VIEW,
                Action.PERSON_EDIT_CONTACT,
                Action.PERSON_EDIT_IDENTITY,
                Action.PERSON_RESTRICT,
            }
        ),
    ),
    "parties.organisation": Kind(
        view_action=Action.ORGANISATION_VIEW,
        rule=EVERYONE,
        actions=frozenset({Action.ORGANISATION_VIEW, Action.ORGANISATION_EDIT}),
    ),
}
