"""The names a case type may use for guards, effects and letters.

A case type is data: a transition names its guards ("documents complete"), its
effects ("start the deadline") and the letters it sends, and never carries code.
The code lives in the apps above this one (`dossiers` evaluates a guard on a
dossier; `correspondence` renders a letter), which this app may not import
(ARCHITECTURE.md, "A lower app that must react to a higher one"). So each name is
first *declared* here, with a description an administrator reads, and its
*implementation* is attached at start-up by the app that owns it:

    from guichet.casetypes.registry import GUARDS
    GUARDS.implement("documents_complete", dossier_documents_complete)

(typically in that app's `AppConfig.ready`). A case-type file is validated against
the declarations, not the implementations: a file may be imported before the
dossiers app exists, and `unimplemented()` lists what is declared but has no code
yet, for the dossiers app to check at start-up (a transition whose guard has no
implementation must be refused at run time, never skipped).

A higher app may also declare names of its own (`GUARDS.declare(...)` in its
`ready`), before files that use them are imported.

The contract for implementations (the dossiers app defines the context object):

- a guard is `guard(context) -> GuardOutcome`: whether the transition may go ahead
  and, when not, a stable code and a translated reason to show the agent;
- an effect is `effect(context) -> None`, run inside the transition's transaction;
- a letter is a template code of `correspondence` (`LetterType.code`); it has no
  function: `LETTERS` only declares the codes a case type may send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class GuardOutcome:
    """What a guard answers: passed, or refused with a code and a reason."""

    passed: bool
    code: str = ""
    message: str | Promise = ""


@dataclass(frozen=True)
class Spec:
    """A declared name and what it means."""

    name: str
    description: str | Promise


class AlreadyImplemented(RuntimeError):
    """A second implementation for one name: two apps claim it, a start-up bug."""


class NotDeclared(LookupError):
    """An implementation or a lookup for a name nobody declared."""


class NotImplementedYet(LookupError):
    """A declared name whose implementation no app has attached."""


class Registry:
    """Declared names of one kind, and the functions attached to them."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._specs: dict[str, Spec] = {}
        self._functions: dict[str, Callable[..., Any]] = {}

    def declare(self, name: str, description: str | Promise) -> None:
        """Declare `name` (idempotent for the same name)."""
        self._specs.setdefault(name, Spec(name, description))

    def implement(self, name: str, function: Callable[..., Any]) -> None:
        """Attach the code of a declared name; a second, different one is refused."""
        if name not in self._specs:
            raise NotDeclared(f"{self.kind} {name!r} is not declared")
        current = self._functions.get(name)
        if current is not None and current is not function:
            raise AlreadyImplemented(
                f"{self.kind} {name!r} already has an implementation"
            )
        self._functions[name] = function

    def withdraw(self, name: str) -> None:
        """Detach an implementation (tests that attach their own)."""
        self._functions.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[Spec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.name))

    def names(self) -> list[str]:
        return sorted(self._specs)

    def spec(self, name: str) -> Spec:
        try:
            return self._specs[name]
        except KeyError:
            raise NotDeclared(f"{self.kind} {name!r} is not declared") from None

    def function(self, name: str) -> Callable[..., Any]:
        """The implementation of `name`; `NotImplementedYet` when none is attached."""
        self.spec(name)
        try:
            return self._functions[name]
        except KeyError:
            raise NotImplementedYet(
                f"{self.kind} {name!r} has no implementation"
            ) from None

    def unimplemented(self) -> list[str]:
        return sorted(set(self._specs) - set(self._functions))


GUARDS = Registry("guard")
EFFECTS = Registry("effect")
LETTERS = Registry("letter")

# What the shipped case types use (casetypes/data/*.yaml). The dossiers app
# implements the guards and effects; correspondence ships the letter templates.
for _name, _description in (
    ("documents_complete", _("Every required document is present and verified.")),
    ("checks_passed", _("Every check required on the documents has passed.")),
    ("decision_proposed", _("A decision with its motivation has been proposed.")),
    (
        "decision_approved",
        _(
            "The proposed decision is approved by a second agent, where its type"
            " requires it (four eyes)."
        ),
    ),
    ("fee_paid", _("The fee due on the dossier is paid.")),
    ("appointment_held", _("The appointment (biometrics) took place.")),
    ("transmission_sent", _("The export package reached the body that decides.")),
    ("external_decision_recorded", _("The other body's decision is recorded.")),
    ("checklist_answered", _("Every required question of the checklist is answered.")),
):
    GUARDS.declare(_name, _description)

for _name, _description in (
    ("start_deadline", _("Start the processing deadlines of the dossier.")),
    ("stop_deadline", _("Stop the clock (suspension) until the citizen answers.")),
    ("resume_deadline", _("Restart the clock after a suspension.")),
    ("create_task", _("Create a task for the team that owns the dossier.")),
    ("queue_letter", _("Queue the transition's letters for the parties.")),
    (
        "request_documents",
        _("Record a request for the missing documents, with its reminder date."),
    ),
    ("record_decision", _("Record the decision taken on the dossier.")),
    ("export_package", _("Build the export package sent to the deciding body.")),
    ("request_payment", _("Put the fee due on the dossier.")),
    ("schedule_retention", _("Compute when the dossier is archived or destroyed.")),
):
    EFFECTS.declare(_name, _description)

for _name, _description in (
    ("acknowledgement", _("Acknowledgement of receipt (correspondence).")),
    ("documents_missing", _("Request for the missing documents (correspondence).")),
    ("document_ready", _("The document is ready to be collected (correspondence).")),
    ("appointment", _("Appointment confirmation (correspondence).")),
    ("information", _("Information letter (correspondence).")),
    (
        "decision_notice",
        _(
            "Decision letter with the period and the body for an objection or an"
            " appeal (correspondence)."
        ),
    ),
):
    LETTERS.declare(_name, _description)
