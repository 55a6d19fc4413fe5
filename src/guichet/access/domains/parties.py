"""Persons and organisations.

Levels follow the seeds (the users' job descriptions, docs/sources.md §5.1): a
level-D agent registers persons and updates contact details, but changing a person's
identity (names, birth date, national number) needs level C (seeds 000 and 001,
"autonomie"). A person confidential to a team is seen by that team's members only.

Merging two records of one citizen (`person.merge`, parties/merge.py, docs/merge.md)
moves every row of one person onto the other, for good: it is the work of the
supervisors and of the support agents (who keep the shared data tidy, seed 001) of
level C or higher, as changing an identity is (level C). The duplicates report
(`/quality/duplicates/`, `person.duplicates`) is for the supervisors and the support
agents of every level: a level-D support agent spots the pairs and hands them on.
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
    PERSON_MERGE = "person.merge"
    PERSON_DUPLICATES = "person.duplicates"
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_EDIT = "organisation.edit"


GRANTS: dict[str, Grant] = {
    Action.PERSON_VIEW: grant(*CITIZEN_FACING),
    Action.PERSON_CREATE: grant(*CITIZEN_FACING),
    Action.PERSON_EDIT_CONTACT: grant(*CITIZEN_FACING),
    Action.PERSON_EDIT_IDENTITY: grant(*CITIZEN_FACING, min_level=L.C),
    Action.PERSON_RESTRICT: grant(R.SUPERVISOR),
    Action.PERSON_MERGE: grant(R.SUPERVISOR, R.SUPPORT_AGENT, min_level=L.C),
    Action.PERSON_DUPLICATES: grant(R.SUPERVISOR, R.SUPPORT_AGENT),
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
                Action.PERSON_MERGE,
            }
        ),
    ),
    "parties.organisation": Kind(
        view_action=Action.ORGANISATION_VIEW,
        rule=EVERYONE,
        actions=frozenset({Action.ORGANISATION_VIEW, Action.ORGANISATION_EDIT}),
    ),
}
