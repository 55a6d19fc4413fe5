"""A case type's definition as typed, frozen data, and the pure rules over it.

What a case type declares (docs/casetypes.md is the reference of the YAML format):
statuses with their checklists and the text shown to the citizen; transitions with
the roles and lowest function level allowed, the guards and effects they name, the
letters they send and whether the agent must write a motivation; the documents
required, under conditions, with the checks to run on them; deadlines; decision
types (appeal period, four-eyes approval); result types with their retention; fees.

The model follows Open Zaak's catalogue (`catalogi.models`: a `ZaakType` with its
`StatusType`s and their `CheckListItem`s, `ResultaatType` with `archiefnominatie`,
`archiefactietermijn` and `brondatum_archiefprocedure`, `doorlooptijd_behandeling`,
`servicenorm_behandeling`, `opschorting_en_aanhouding_mogelijk`,
`verlenging_mogelijk`/`verlengingstermijn`, versions by `datum_begin_geldigheid`),
smaller: one document per version, no catalogue, no selection-list service.

`definition_from_json` builds a `Definition` from the JSON form (what the loader
reads from YAML after the schema, and what a `CaseTypeVersion` stores);
`definition_to_json` is its inverse. A figure the sources do not give is `None`
(written `setting` in YAML): the service fills it in, and a computation that needs
it raises `FigureNotSet` rather than guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from guichet.agents.models import LEVEL_RANK

LANGUAGES = ("fr", "nl", "de", "en")
SETTING = "setting"  # in YAML: a figure the service fills in
RESULT_KINDS = ("granted", "refused", "partly_granted", "withdrawn", "transferred")
COUNTINGS = ("calendar", "business")
UNITS = ("days", "months", "years")
RETENTION_FROM = ("closure", "decision")
RETENTION_THEN = ("archive", "destroy")
OPERATORS = ("equals", "not_equals", "in", "not_in", "at_least", "below")


@dataclass(frozen=True)
class Texts:
    """One text in the four languages of the UI."""

    fr: str
    nl: str
    de: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language`, English when it is not one of the four."""
        return str(getattr(self, language if language in LANGUAGES else "en"))


@dataclass(frozen=True)
class Duration:
    """A period: `amount` units counted in calendar or business days.

    `amount` None is a figure the service fills in (`setting` in YAML)."""

    amount: int | None
    unit: str = "days"
    counting: str = "calendar"
    source: str = ""

    @property
    def is_set(self) -> bool:
        return self.amount is not None


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    question: Texts
    required: bool = True


@dataclass(frozen=True)
class Status:
    code: str
    names: Texts
    citizen_text: Texts
    checklist: tuple[ChecklistItem, ...] = ()
    initial: bool = False
    final: bool = False


@dataclass(frozen=True)
class Transition:
    code: str
    sources: tuple[str, ...]
    target: str
    names: Texts
    roles: tuple[str, ...]
    min_level: str
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    letters: tuple[str, ...] = ()
    requires_text: bool = False


@dataclass(frozen=True)
class Condition:
    """A fact of the dossier compared with a value: `document_language not_in
    [fr, nl, de]`. The dossiers app supplies the facts by name."""

    fact: str
    operator: str
    value: Any

    def holds(self, facts: Mapping[str, Any]) -> bool:
        """Whether the condition holds; an unknown fact never makes it hold (the
        document is asked for only once the fact is known)."""
        if self.fact not in facts or facts[self.fact] is None:
            return False
        actual = facts[self.fact]
        match self.operator:
            case "equals":
                return bool(actual == self.value)
            case "not_equals":
                return bool(actual != self.value)
            case "in":
                return actual in self.value
            case "not_in":
                return actual not in self.value
            case "at_least":
                return bool(actual >= self.value)
            case _:  # "below"; the schema allows no other operator
                return bool(actual < self.value)


@dataclass(frozen=True)
class RequiredDocument:
    """A document the dossier needs; with conditions, only when all of them hold."""

    code: str
    document_type: str
    names: Texts
    conditions: tuple[Condition, ...] = ()
    checks: tuple[str, ...] = ()
    original_required: bool = False
    source: str = ""

    def is_required(self, facts: Mapping[str, Any]) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)


@dataclass(frozen=True)
class Deadlines:
    """The clocks of a dossier (Open Zaak: doorlooptijd, servicenorm, opschorting,
    verlenging). Any of them may be absent."""

    processing: Duration | None = None
    service_norm: Duration | None = None
    citizen_completion: Duration | None = None
    suspension_allowed: bool = False
    extension: Duration | None = None


@dataclass(frozen=True)
class Approval:
    """Four eyes: a second agent, never the proposer, of at least `min_level`."""

    min_level: str


@dataclass(frozen=True)
class DecisionType:
    code: str
    names: Texts
    appeal_period: Duration | None = None
    appeal_body: Texts | None = None
    approval: Approval | None = None
    taken_by_other_body: bool = False


@dataclass(frozen=True)
class Retention:
    period: Duration
    counts_from: str  # RETENTION_FROM
    then: str | None  # RETENTION_THEN, None: a setting


@dataclass(frozen=True)
class ResultType:
    code: str
    kind: str  # RESULT_KINDS
    names: Texts
    retention: Retention


@dataclass(frozen=True)
class Exemption:
    code: str
    names: Texts
    source: str = ""


@dataclass(frozen=True)
class Fee:
    """A fee; `amount` None is a figure the service fills in (its own table)."""

    code: str
    names: Texts
    amount: Decimal | None
    currency: str = "EUR"
    valid_from: dt.date | None = None
    exemptions: tuple[Exemption, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Definition:
    code: str
    names: Texts
    team: str
    valid_from: dt.date
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]
    documents: tuple[RequiredDocument, ...] = ()
    deadlines: Deadlines = field(default_factory=Deadlines)
    decisions: tuple[DecisionType, ...] = ()
    results: tuple[ResultType, ...] = ()
    fees: tuple[Fee, ...] = ()

    def status(self, code: str) -> Status:
        for status in self.statuses:
            if status.code == code:
                return status
        raise KeyError(code)

    def transition(self, code: str) -> Transition:
        for transition in self.transitions:
            if transition.code == code:
                return transition
        raise KeyError(code)

    @property
    def initial_status(self) -> Status:
        return next(status for status in self.statuses if status.initial)

    @property
    def final_statuses(self) -> tuple[Status, ...]:
        return tuple(status for status in self.statuses if status.final)


# ---------------------------------------------------------------- pure rules


def allowed_transitions(
    definition: Definition, status: str, role_codes: Iterable[str], level: str
) -> tuple[Transition, ...]:
    """The transitions an agent with `role_codes` at function `level` may take from
    `status`, in the file's order, *before* guards: the dossiers app runs each
    transition's guards (`registry.GUARDS`) before it offers or takes it."""
    roles = set(role_codes)
    rank = LEVEL_RANK[level]
    return tuple(
        transition
        for transition in definition.transitions
        if status in transition.sources
        and roles.intersection(transition.roles)
        and rank >= LEVEL_RANK[transition.min_level]
    )


def may_approve(
    decision: DecisionType, *, proposer_id: object, approver_id: object, level: str
) -> bool:
    """Whether an agent may approve a proposed decision of this type: never the
    proposer, and at least the required level. False when no approval is needed
    (there is nothing to approve)."""
    if decision.approval is None or approver_id == proposer_id:
        return False
    return LEVEL_RANK[level] >= LEVEL_RANK[decision.approval.min_level]


def required_documents(
    definition: Definition, facts: Mapping[str, Any]
) -> tuple[RequiredDocument, ...]:
    """The documents the dossier needs given what is known of it (`facts`)."""
    return tuple(doc for doc in definition.documents if doc.is_required(facts))


def fee_in_force(fee: Fee, on: dt.date) -> bool:
    return fee.valid_from is None or fee.valid_from <= on


# ---------------------------------------------------------------- JSON form


def _texts(data: Mapping[str, str]) -> Texts:
    return Texts(**{language: data[language] for language in LANGUAGES})


def _texts_json(texts: Texts) -> dict[str, str]:
    return {language: texts.get(language) for language in LANGUAGES}


def _duration(data: Mapping[str, Any] | None) -> Duration | None:
    if data is None:
        return None
    amount = data["amount"]
    return Duration(
        amount=None if amount == SETTING else int(amount),
        unit=data.get("unit", "days"),
        counting=data.get("counting", "calendar"),
        source=data.get("source", ""),
    )


def _duration_json(duration: Duration | None) -> dict[str, Any] | None:
    if duration is None:
        return None
    return {
        "amount": SETTING if duration.amount is None else duration.amount,
        "unit": duration.unit,
        "counting": duration.counting,
        "source": duration.source,
    }


def _strings(values: Sequence[str] | str) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(values)


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def definition_from_json(data: Mapping[str, Any]) -> Definition:
    """Build the definition from its JSON form (schema-valid; see the loader)."""
    deadlines = data.get("deadlines") or {}
    valid_from = _date(data["valid_from"])
    assert valid_from is not None  # noqa: S101 - the schema requires it
    return Definition(
        code=data["code"],
        names=_texts(data["names"]),
        team=data["team"],
        valid_from=valid_from,
        statuses=tuple(
            Status(
                code=status["code"],
                names=_texts(status["names"]),
                citizen_text=_texts(status["citizen_text"]),
                checklist=tuple(
                    ChecklistItem(
                        code=item["code"],
                        question=_texts(item["question"]),
                        required=item.get("required", True),
                    )
                    for item in status.get("checklist", ())
                ),
                initial=status.get("initial", False),
                final=status.get("final", False),
            )
            for status in data["statuses"]
        ),
        transitions=tuple(
            Transition(
                code=transition["code"],
                sources=_strings(transition["from"]),
                target=transition["to"],
                names=_texts(transition["names"]),
                roles=tuple(transition["roles"]),
                min_level=transition["min_level"],
                guards=tuple(transition.get("guards", ())),
                effects=tuple(transition.get("effects", ())),
                letters=tuple(transition.get("letters", ())),
                requires_text=transition.get("requires_text", False),
            )
            for transition in data["transitions"]
        ),
        documents=tuple(
            RequiredDocument(
                code=document["code"],
                document_type=document["document_type"],
                names=_texts(document["names"]),
                conditions=tuple(
                    Condition(
                        fact=condition["fact"],
                        operator=condition["operator"],
                        value=_frozen(condition["value"]),
                    )
                    for condition in document.get("conditions", ())
                ),
                checks=tuple(document.get("checks", ())),
                original_required=document.get("original_required", False),
                source=document.get("source", ""),
            )
            for document in data.get("documents", ())
        ),
        deadlines=Deadlines(
            processing=_duration(deadlines.get("processing")),
            service_norm=_duration(deadlines.get("service_norm")),
            citizen_completion=_duration(deadlines.get("citizen_completion")),
            suspension_allowed=deadlines.get("suspension_allowed", False),
            extension=_duration(deadlines.get("extension")),
        ),
        decisions=tuple(
            DecisionType(
                code=decision["code"],
                names=_texts(decision["names"]),
                appeal_period=_duration(decision.get("appeal_period")),
                appeal_body=(
                    _texts(decision["appeal_body"])
                    if decision.get("appeal_body")
                    else None
                ),
                approval=(
                    Approval(min_level=decision["approval"]["min_level"])
                    if decision.get("approval")
                    else None
                ),
                taken_by_other_body=decision.get("taken_by_other_body", False),
            )
            for decision in data.get("decisions", ())
        ),
        results=tuple(
            ResultType(
                code=result["code"],
                kind=result["kind"],
                names=_texts(result["names"]),
                retention=Retention(
                    period=_duration(result["retention"]["period"]),  # type: ignore[arg-type]  # required by the schema
                    counts_from=result["retention"]["from"],
                    then=(
                        None
                        if result["retention"]["then"] == SETTING
                        else result["retention"]["then"]
                    ),
                ),
            )
            for result in data.get("results", ())
        ),
        fees=tuple(
            Fee(
                code=fee["code"],
                names=_texts(fee["names"]),
                amount=None if fee["amount"] == SETTING else Decimal(fee["amount"]),
                currency=fee.get("currency", "EUR"),
                valid_from=_date(fee.get("valid_from")),
                exemptions=tuple(
                    Exemption(
                        code=exemption["code"],
                        names=_texts(exemption["names"]),
                        source=exemption.get("source", ""),
                    )
                    for exemption in fee.get("exemptions", ())
                ),
                source=fee.get("source", ""),
            )
            for fee in data.get("fees", ())
        ),
    )


def _frozen(value: Any) -> Any:
    """Lists become tuples, so a definition is hashable and compares by value."""
    return tuple(value) if isinstance(value, list) else value


def definition_to_json(definition: Definition) -> dict[str, Any]:
    """The JSON form, with every default written out (what a version stores)."""
    deadlines = definition.deadlines
    return {
        "code": definition.code,
        "names": _texts_json(definition.names),
        "team": definition.team,
        "valid_from": definition.valid_from.isoformat(),
        "statuses": [
            {
                "code": status.code,
                "names": _texts_json(status.names),
                "citizen_text": _texts_json(status.citizen_text),
                "checklist": [
                    {
                        "code": item.code,
                        "question": _texts_json(item.question),
                        "required": item.required,
                    }
                    for item in status.checklist
                ],
                "initial": status.initial,
                "final": status.final,
            }
            for status in definition.statuses
        ],
        "transitions": [
            {
                "code": transition.code,
                "from": list(transition.sources),
                "to": transition.target,
                "names": _texts_json(transition.names),
                "roles": list(transition.roles),
                "min_level": transition.min_level,
                "guards": list(transition.guards),
                "effects": list(transition.effects),
                "letters": list(transition.letters),
                "requires_text": transition.requires_text,
            }
            for transition in definition.transitions
        ],
        "documents": [
            {
                "code": document.code,
                "document_type": document.document_type,
                "names": _texts_json(document.names),
                "conditions": [
                    {
                        "fact": condition.fact,
                        "operator": condition.operator,
                        "value": (
                            list(condition.value)
                            if isinstance(condition.value, tuple)
                            else condition.value
                        ),
                    }
                    for condition in document.conditions
                ],
                "checks": list(document.checks),
                "original_required": document.original_required,
                "source": document.source,
            }
            for document in definition.documents
        ],
        "deadlines": {
            "processing": _duration_json(deadlines.processing),
            "service_norm": _duration_json(deadlines.service_norm),
            "citizen_completion": _duration_json(deadlines.citizen_completion),
            "suspension_allowed": deadlines.suspension_allowed,
            "extension": _duration_json(deadlines.extension),
        },
        "decisions": [
            {
                "code": decision.code,
                "names": _texts_json(decision.names),
                "appeal_period": _duration_json(decision.appeal_period),
                "appeal_body": (
                    _texts_json(decision.appeal_body) if decision.appeal_body else None
                ),
                "approval": (
                    {"min_level": decision.approval.min_level}
                    if decision.approval
                    else None
                ),
                "taken_by_other_body": decision.taken_by_other_body,
            }
            for decision in definition.decisions
        ],
        "results": [
            {
                "code": result.code,
                "kind": result.kind,
                "names": _texts_json(result.names),
                "retention": {
                    "period": _duration_json(result.retention.period),
                    "from": result.retention.counts_from,
                    "then": result.retention.then or SETTING,
                },
            }
            for result in definition.results
        ],
        "fees": [
            {
                "code": fee.code,
                "names": _texts_json(fee.names),
                "amount": SETTING if fee.amount is None else str(fee.amount),
                "currency": fee.currency,
                "valid_from": fee.valid_from.isoformat() if fee.valid_from else None,
                "exemptions": [
                    {
                        "code": exemption.code,
                        "names": _texts_json(exemption.names),
                        "source": exemption.source,
                    }
                    for exemption in fee.exemptions
                ],
                "source": fee.source,
            }
            for fee in definition.fees
        ],
    }
