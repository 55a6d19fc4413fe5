"""Mass letters: one letter type for a selection of persons, numbered in chunks.

A batch fixes its selection when it starts. Each chunk is one transaction: its letters
are composed, then numbered from one reservation of the counter and stored; a crash
rolls the chunk back with its numbers, and a resumed run skips persons who already
have their letter in the batch (unique batch + person), so there is no duplicate and
no gap. Rendering the PDFs is separate and idempotent (`letter_archive_store`).

A person whose letter would have a hole (no postal address, say) gets no letter: the
person becomes one of the batch's exceptions, with the placeholders that had no
value, in the same transaction, and the batch goes on and finishes. The agent
writes those letters one by one once the data is complete.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import Entry, audit_record, audit_record_many
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid
from guichet.correspondence import (
    autonomy,
    batch_query,
    content,
    formatting,
    locks,
    placeholders,
    templating,
    validation,
)
from guichet.correspondence.composing import brochures_of, declared_fields
from guichet.correspondence.errors import Code
from guichet.correspondence.models import (
    Letter,
    LetterBatch,
    Letterhead,
    LetterStatus,
    LetterTemplate,
    LetterTemplateVersion,
    LetterType,
    Series,
    TypeKind,
)
from guichet.correspondence.validation import letterhead_of, team_of
from guichet.parties.models import Person, PostalAddress


def query_q(terms: Sequence[batch_query.Term]) -> Q:
    """The persons a parsed query selects, as a filter on Person."""
    condition = Q()
    persons = [term.value for term in terms if term.key == "person"]
    if persons:
        condition &= Q(uuid__in=persons)
    for term in terms:
        if term.key == "language":
            condition &= Q(language=term.value)
        elif term.key == "postal_code":
            low, _dash, high = term.value.partition("-")
            codes = Q(postal_code__gte=low, postal_code__lte=high or low)
            condition &= Q(
                Exists(PostalAddress.objects.filter(codes, person=OuterRef("pk")))
            )
        elif term.key == "municipality":
            condition &= Q(
                Exists(
                    PostalAddress.objects.filter(
                        person=OuterRef("pk"), municipality__iexact=term.value
                    )
                )
            )
        elif term.key == "born_before":
            condition &= Q(birth_date__lt=dt.date.fromisoformat(term.value))
        elif term.key == "born_after":
            condition &= Q(birth_date__gt=dt.date.fromisoformat(term.value))
        elif term.key == "national_number":
            condition &= Q(national_number=term.value)
    return condition


def _versions(letter_type: LetterType) -> dict[str, LetterTemplateVersion]:
    """The current version of each active template of the type, by language."""
    versions: dict[str, LetterTemplateVersion] = {}
    for template in LetterTemplate.objects.filter(
        letter_type=letter_type, is_active=True
    ):
        versions[template.language] = template.versions.select_related(
            "template__letter_type"
        ).get(number=template.version)
    return versions


@transaction.atomic
def letter_batch_start(
    *,
    actor: Agent,
    letter_type: str,
    query: str,
    language: str = "",
    team: str | None = None,
    free_values: Mapping[str, Any] | None = None,
) -> LetterBatch:
    """Fix a mass letter's selection: the persons the agent may see that match `query`."""
    policy.require(actor, Action.LETTER_BATCH)
    problems = Problems()
    chosen = team_of(problems, actor, team)
    letterhead_of(problems, chosen)
    kind = LetterType.objects.filter(
        code=letter_type, is_active=True, kind=TypeKind.LETTER
    ).first()
    versions = _versions(kind) if kind else {}
    if kind is None or not versions:
        problems.add(
            "letter_type",
            Code.UNKNOWN_LETTER_TYPE,
            _("There is no letter type %(letter_type)s."),
            letter_type=letter_type,
        )
    if language and language not in Language.values:
        problems.add(
            "language",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    elif language and kind is not None and versions and language not in versions:
        problems.add(
            "language",
            Code.NO_TEMPLATE_IN_LANGUAGE,
            _("The letter %(letter_type)s exists in %(languages)s only."),
            letter_type=letter_type,
            languages=", ".join(sorted(versions)),
        )
    allowed = sorted(
        {name for version in versions.values() for name in version.free_fields}
    )
    # One value for every language: it fits the type each language declares.
    declared = {
        name: spec
        for version in versions.values()
        for name, spec in declared_fields(version).items()
    }
    clean_free = validation.free_values(problems, free_values or {}, allowed, declared)
    try:
        terms = batch_query.parse(query)
    except batch_query.QueryError as error:
        problems.add("query", Code.INVALID_QUERY, error.message, **error.params)
        terms = []
    problems.raise_if_any()
    selection = list(
        policy.visible(actor, Person.objects.all())
        .filter(query_q(terms))
        .order_by("id")
        .values_list("pk", flat=True)
    )
    if not selection:
        problems.add(
            "query", Code.INVALID_QUERY, _("No person you may see matches this query.")
        )
        problems.raise_if_any()
    batch = LetterBatch.objects.create(
        team=cast(Team, chosen),
        letter_type=cast(LetterType, kind),
        language=language,
        started_by=actor,
        query=query,
        selection=selection,
        free_values=clean_free,
    )
    audit_record(
        actor=actor,
        action="letter_batch.start",
        obj=batch,
        summary={"letter_type": letter_type, "query": query, "persons": len(selection)},
    )
    return batch


def batch_get(*, actor: Agent, batch_id: Any) -> LetterBatch:
    key = parse_uuid(batch_id)
    batch = (
        LetterBatch.objects.select_related("team", "letter_type")
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if batch is None or batch.team_id not in actor.team_ids:
        raise NotFound(_("No such batch."))
    return batch


def persons_waiting(batch: LetterBatch) -> list[int]:
    """The selected persons who have no letter in this batch yet and are not among
    its exceptions, in order."""
    done = set(Letter.objects.filter(batch=batch).values_list("person_id", flat=True))
    done |= {int(pk) for pk in batch.exceptions}
    return [pk for pk in batch.selection if pk not in done]


def batch_exceptions(batch: LetterBatch) -> list[dict[str, Any]]:
    """The persons the batch wrote no letter to (their id), and what was missing."""
    return [dict(item) for _pk, item in sorted(batch.exceptions.items())]


def letters_unarchived(batch: LetterBatch) -> list[int]:
    """The batch's issued letters whose PDF is not stored yet."""
    return list(
        Letter.objects.filter(batch=batch, number__isnull=False, pdf_sha256="")
        .order_by("sequence")
        .values_list("pk", flat=True)
    )


@dataclass
class ChunkResult:
    issued: list[Letter] = field(default_factory=list)
    waiting_approval: int = 0
    # Persons set aside as exceptions in this chunk: id -> missing placeholders.
    refused: dict[str, list[str]] = field(default_factory=dict)


@transaction.atomic
def letter_batch_issue(
    *, actor: Agent, batch: LetterBatch, person_ids: Sequence[int]
) -> ChunkResult:
    """Write, classify and number the letters of some persons of the batch, in one
    transaction. A person whose letter would have a hole is left out and reported."""
    policy.require(actor, Action.LETTER_BATCH)
    result = ChunkResult()
    head = Letterhead.objects.get(team_id=batch.team_id)
    versions = _versions(batch.letter_type)
    done = set(
        Letter.objects.filter(batch=batch, person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    persons = (
        Person.objects.filter(pk__in=[pk for pk in person_ids if pk not in done])
        .prefetch_related("addresses", "emails", "phones")
        .order_by("id")
    )
    today, now = clock.today(), clock.now()
    ready: list[tuple[Letter, placeholders.LetterContext, content.Sources]] = []
    persons_by_uuid: dict[str, Person] = {}
    for person in persons:
        persons_by_uuid[str(person.uuid)] = person
        language = batch.language or person.language
        version = versions.get(language)
        if version is None:
            result.refused[str(person.uuid)] = [f"template.{language}"]
            continue
        letter = Letter(
            team_id=batch.team_id,
            author=actor,
            person=person,
            language=language,
            template_version=version,
            free_values={
                name: value
                for name, value in batch.free_values.items()
                if name in version.free_fields
            },
            batch=batch,
            submitted_by=actor,
            submitted_at=now,
        )
        sources = content.Sources(version.subject, version.body, None, None)
        context = placeholders.LetterContext(
            language=language,
            person=person,
            agent=actor,
            team=batch.team,
            letterhead=head,
            date=today,
            free_values=letter.free_values,
            free_fields=declared_fields(version),
        )
        try:
            content.compose(context=context, sources=sources, draft=False)
        except templating.MissingValues as missing:
            result.refused[str(person.uuid)] = missing.names
            continue
        ready.append((letter, context, sources))
    kinds = {
        version.pk: autonomy.classify(
            # A frame's text is the agent's own: no standard answer behind it.
            has_template=batch.letter_type.is_standard,
            has_free_fields=bool(version.free_fields),
            is_changed=False,
            is_flagged=False,
        )
        for version in versions.values()
    }
    decisions = {
        pk: autonomy.decide(agent=actor, kind=kind) for pk, kind in kinds.items()
    }
    brochures = {version.pk: brochures_of(version) for version in versions.values()}
    issuing = [
        item
        for item in ready
        if decisions[cast(int, item[0].template_version_id)].may_send_alone
    ]
    numbers = (
        iter(
            locks.next_numbers(
                team=batch.team,
                series=Series.OUTGOING,
                year=today.year,
                count=len(issuing),
            )
        )
        if issuing
        else iter(())
    )
    entries: list[Entry] = []
    for letter, context, sources in ready:
        decision = decisions[cast(int, letter.template_version_id)]
        letter.autonomy_kind = decision.kind.value
        if decision.may_send_alone:
            sequence = next(numbers)
            number = formatting.letter_number(head.prefix, today.year, sequence)
            numbered = dataclasses.replace(context, number=number)
            composed = content.compose(context=numbered, sources=sources, draft=False)
            letter.status = LetterStatus.ISSUED
            letter.number, letter.year, letter.sequence = number, today.year, sequence
            letter.issued_at = now
            letter.content = {
                **composed.content,
                "issued_at": now.isoformat(),
                "template": f"{batch.letter_type.code}/{letter.language}/v{letter.template_version.number}"
                if letter.template_version
                else None,
                "brochures": brochures[cast(int, letter.template_version_id)],
            }
        else:
            letter.status = LetterStatus.PENDING_APPROVAL
        letter.save(force_insert=True)
        entries.append(
            Entry(
                action="letter.submit",
                obj=letter,
                summary={
                    "batch": str(batch.uuid),
                    "person": str(letter.person.uuid),
                    "kind": decision.kind.value,
                    "outcome": letter.status,
                    "number": letter.number,
                },
            )
        )
        if letter.status == LetterStatus.ISSUED:
            result.issued.append(letter)
        else:
            result.waiting_approval += 1
    if result.refused:
        _add_exceptions(batch, result.refused, persons_by_uuid)
        entries.append(
            Entry(
                action="letter_batch.exceptions",
                obj=batch,
                summary={"persons": result.refused},
            )
        )
    audit_record_many(actor=actor, entries=entries)
    return result


def _add_exceptions(
    batch: LetterBatch,
    refused: Mapping[str, list[str]],
    persons_by_uuid: Mapping[str, Person],
) -> None:
    """Record refused persons as the batch's exceptions (under the batch's lock, so
    two runs of one batch keep each other's)."""
    locked = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    exceptions = dict(locked.exceptions)
    for uuid, missing in refused.items():
        person = persons_by_uuid[uuid]
        exceptions[str(person.pk)] = {"person": uuid, "missing": list(missing)}
    LetterBatch.objects.filter(pk=batch.pk).update(exceptions=exceptions)
    batch.exceptions = exceptions


@transaction.atomic
def letter_batch_finish(*, actor: Agent, batch: LetterBatch) -> LetterBatch:
    """Close the batch once every selected person has a letter or is one of its
    exceptions, and every letter has its PDF."""
    if (
        batch.finished_at is None
        and not persons_waiting(batch)
        and not letters_unarchived(batch)
    ):
        LetterBatch.objects.filter(pk=batch.pk, finished_at__isnull=True).update(
            finished_at=clock.now()
        )
        batch.refresh_from_db()
        audit_record(
            actor=actor,
            action="letter_batch.finish",
            obj=batch,
            summary={
                "letters": Letter.objects.filter(batch=batch).count(),
                "exceptions": [item["person"] for item in batch_exceptions(batch)],
            },
        )
    return batch
