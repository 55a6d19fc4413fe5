"""What a person's history says about each kind of recorded write.

A registry (dependency inversion, as ARCHITECTURE.md describes): each app that
records a write on a person (`audit_record(obj=person)`) registers its action here
with the sentence an agent reads and the policy action an agent needs to see it.
An entry whose kind is not registered, or whose action the agent lacks, is not
shown: a garnishment posted on a person is the payment office's business, and
shown to the contact center it would reveal a seizure.

Writes recorded on another object about the person (a debt's entries, its
comments) come in through a `HistorySource`: the higher app names the audit's
object type and gives, for an agent and a person, the objects of that type whose
writes the agent may read, with the words naming each one. An object the agent
may not see (another payment office's debt) never reaches the history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access.domains.parties import Action

if TYPE_CHECKING:
    from guichet.agents.models import Agent

    from .models import Person


@dataclass(frozen=True)
class HistoryKind:
    action: str  # the audit action recorded
    sentence: str | Promise  # what happened, in words
    needs: str  # the policy action an agent needs to see such an entry
    # The details in words, from the recorded summary and reason; None: the
    # changed fields are listed as recorded.
    describe: Callable[[Mapping[str, Any], str], str] | None = None
    # Whether this agent may read this entry, beyond `needs` (a posting is its
    # payment office's business); None: `needs` decides.
    shows: Callable[[Agent, Mapping[str, Any]], bool] | None = None


@dataclass(frozen=True)
class HistorySource:
    object_type: str  # the audit's object type, "debts.debt"
    # (agent, person) -> {public id: the words naming it}, only what the agent sees
    objects: Callable[[Agent, Person], Mapping[str, str]]


_KINDS: dict[str, HistoryKind] = {}
_SOURCES: dict[str, HistorySource] = {}


def register_source(source: HistorySource) -> HistorySource:
    if _SOURCES.get(source.object_type, source) != source:
        raise ValueError(f"history source {source.object_type!r} is registered twice")
    _SOURCES[source.object_type] = source
    return source


def sources() -> list[HistorySource]:
    return list(_SOURCES.values())


def register(kind: HistoryKind) -> HistoryKind:
    if _KINDS.get(kind.action, kind) != kind:
        raise ValueError(f"history kind {kind.action!r} is registered twice")
    _KINDS[kind.action] = kind
    return kind


def kind_of(action: str) -> HistoryKind | None:
    return _KINDS.get(action)


for _action, _sentence in (
    ("person.create", _("Person registered")),
    ("person.update", _("Personal details changed")),
    ("person.restrict", _("Access to the person changed")),
    ("person.link.add", _("Linked to an organisation")),
    ("person.phonenumber.add", _("Phone number added")),
    ("person.phonenumber.remove", _("Phone number removed")),
    ("person.emailaddress.add", _("E-mail address added")),
    ("person.emailaddress.remove", _("E-mail address removed")),
    ("person.postaladdress.add", _("Postal address added")),
    ("person.postaladdress.remove", _("Postal address removed")),
    ("person.postaladdress.update", _("Postal address changed")),
):
    register(HistoryKind(action=_action, sentence=_sentence, needs=Action.PERSON_VIEW))


def _merge_detail(summary: Mapping[str, Any], reason: str) -> str:
    """A merge (parties/merge.py): which record was absorbed, and why."""
    detail = _("Record %(absorbed)s merged into this one.") % {
        "absorbed": summary.get("absorbed", "")
    }
    return f"{detail} {reason}".strip()


register(
    HistoryKind(
        action="person.merge",
        sentence=_("Duplicate record merged into this person"),
        needs=Action.PERSON_VIEW,
        describe=_merge_detail,
    )
)
