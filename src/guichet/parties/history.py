"""What a person's history says about each kind of recorded write.

A registry (dependency inversion, as ARCHITECTURE.md describes): each app that
records a write on a person (`audit_record(obj=person)`) registers its action here
with the sentence an agent reads and the policy action an agent needs to see it.
An entry whose kind is not registered, or whose action the agent lacks, is not
shown: a garnishment posted on a person is the payment office's business, and
shown to the contact center it would reveal a seizure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.access.domains.parties import Action


@dataclass(frozen=True)
class HistoryKind:
    action: str  # the audit action recorded
    sentence: str | Promise  # what happened, in words
    needs: str  # the policy action an agent needs to see such an entry


_KINDS: dict[str, HistoryKind] = {}


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
