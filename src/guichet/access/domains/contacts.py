"""Contacts and topics.

From the seeds (docs/sources.md §5): the contact-center first line registers "les
données de base du contact" of every call and mail (seed 002, "identification de la
personne, classification de la demande"); the consular front office and the support
agents as contact persons do the same for their visitors, calls and mail (seeds 000
and 001). Every function that serves citizens therefore registers and reads
contacts. A contact is seen by whoever sees the person it concerns and the person who
called for them (a person confidential to a team keeps their contacts confidential to
that team). Correcting a registered contact (its topic, its summary) is routine work,
open from level D like registering it. Topics are reference data kept by
administrators.

The figures of the channels (how many contacts per channel, service and hour, how
long visitors waited at the counter) are the supervisors' to watch their teams'
load and staff the counters: a supervisor sees the figures of the teams they are in,
counts and durations only, never a person (`contacts.selectors.channel_figures`).
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, Grant, Kind, R, grant, via_person


class Action(StrEnum):
    CONTACT_VIEW = "contact.view"
    CONTACT_REGISTER = "contact.register"
    CONTACT_EDIT = "contact.edit"
    TOPIC_MANAGE = "topic.manage"
    CONTACT_FIGURES = "contact.figures"


GRANTS: dict[str, Grant] = {
    Action.CONTACT_VIEW: grant(*CITIZEN_FACING),
    Action.CONTACT_REGISTER: grant(*CITIZEN_FACING),
    Action.CONTACT_EDIT: grant(*CITIZEN_FACING),
    Action.TOPIC_MANAGE: grant(R.ADMIN),
    Action.CONTACT_FIGURES: grant(R.SUPERVISOR),
}

KINDS: dict[str, Kind] = {
    "contacts.contact": Kind(
        view_action=Action.CONTACT_VIEW,
        rule=via_person("person") & via_person("caller_person"),
        actions=frozenset({Action.CONTACT_VIEW, Action.CONTACT_EDIT}),
    ),
}

ADMIN_MODELS: dict[str, str] = {
    "contacts.topic": Action.TOPIC_MANAGE,
}
