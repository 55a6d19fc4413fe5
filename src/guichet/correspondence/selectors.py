"""Reads of correspondence: always for an agent, through the policy, logged.

Missing and forbidden look the same (`NotFound`). Reads that show a person's data
(letters, previews, the timeline, mail from a person) go to the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.access.domains.servicerequests import Action as RequestAction
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.core import clock
from guichet.core.errors import Forbidden, NotFound, ValidationFailed
from guichet.core.validation import Problems, parse_uuid
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person
from guichet.servicerequests.models import EventKind, Request, RequestEvent

from . import (
    archive,
    autonomy,
    content,
    docx_io,
    fields,
    pdf,
    placeholders,
    templating,
)
from .composing import compose, template_current
from .errors import Code, WrongState
from .models import (
    DISPATCH_UNDER_WAY,
    Brochure,
    Channel,
    IncomingMail,
    Letter,
    LetterDispatch,
    Letterhead,
    LetterReference,
    LetterStatus,
    LetterTemplate,
    LetterType,
    MailStatus,
    PrintBatch,
    TypeKind,
)
from .validation import team_of


def letters_visible(*, agent: Agent) -> QuerySet[Letter]:
    return policy.visible(agent, Letter.objects.all()).select_related(
        "person", "team", "author", "template_version__template__letter_type"
    )


def letter_get_for_agent(
    *, agent: Agent, letter_id: Any, purpose: str = "view"
) -> Seen[Letter]:
    """One letter the agent may see, with its references and dispatches and the
    actions the agent may take on it; the read is logged."""
    key = parse_uuid(letter_id)
    letter = (
        letters_visible(agent=agent)
        .select_related("submitted_by", "decided_by")
        .prefetch_related("references", "dispatches")
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if letter is None:
        raise NotFound(_("No such letter."))
    access_record(
        actor=agent, action="letter.view", obj=letter, context={"purpose": purpose}
    )
    return policy.seen(agent, letter)


def letter_reread(*, agent: Agent, seen: Seen[Letter]) -> Seen[Letter]:
    """The letter of `seen` as it is now, after an action of this request was
    refused (another agent changed it): its read is already in the access log for
    this request, so it is not logged again."""
    letter = seen.obj
    letter.refresh_from_db()
    return policy.seen(agent, letter)


def letters_for_person(*, agent: Agent, person_id: Any) -> list[Letter]:
    """A person's letters, newest first, as the agent may see them (the timeline)."""
    key = parse_uuid(person_id)
    person = (
        policy.visible(agent, Person.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    letters = list(
        letters_visible(agent=agent)
        .filter(person=person)
        .exclude(status=LetterStatus.CANCELLED)
    )
    access_record(
        actor=agent,
        action="letter.timeline",
        obj=person,
        context={"letters": [str(letter.uuid) for letter in letters]},
    )
    return letters


def letters_for_reference(*, agent: Agent, kind: str, object_id: str) -> list[Letter]:
    """The letters written about another app's object (a dossier's timeline)."""
    letters = list(
        letters_visible(agent=agent)
        .filter(
            pk__in=LetterReference.objects.filter(
                kind=kind, object_id=object_id
            ).values("letter_id")
        )
        .exclude(status=LetterStatus.CANCELLED)
    )
    access_record(
        actor=agent,
        action="letter.timeline",
        objects=letters,
        context={"reference": f"{kind}:{object_id}"},
    )
    return letters


def letters_waiting_approval(*, agent: Agent) -> list[Letter]:
    """The approval queue: letters of the agent's services that wait for a supervisor."""
    policy.require(agent, Action.LETTER_APPROVE)
    letters = list(
        letters_visible(agent=agent)
        .filter(status=LetterStatus.PENDING_APPROVAL)
        .select_related("submitted_by")
        .order_by("submitted_at", "id")
    )
    access_record(actor=agent, action="letter.queue", objects=letters, context={})
    return letters


def under_way() -> Exists:
    """Letters with a dispatch sent or still going: not offered for another one."""
    return Exists(
        LetterDispatch.objects.filter(
            letter=OuterRef("pk"), status__in=DISPATCH_UNDER_WAY
        )
    )


def letter_approvers(*, letter: Letter) -> list[Agent]:
    """Who may approve this waiting letter, by name: the active supervisors of its
    team whose level covers its kind, but not its author or submitter (the names
    the author is shown; no citizen data)."""
    kind = autonomy.kind_of(letter.autonomy_kind)
    candidates = (
        Agent.objects.people()
        .filter(
            memberships__team_id=letter.team_id,
            # Only holders of the approval's roles can pass; the policy decides.
            roles__code__in=policy.GRANTS[Action.LETTER_APPROVE].roles,
        )
        .exclude(pk__in=[letter.author_id, letter.submitted_by_id or letter.author_id])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [
        agent
        for agent in candidates
        if autonomy.may_approve(agent=agent, kind=kind, obj=letter)
    ]


def letters_to_post(*, agent: Agent, team: str | None = None) -> list[Letter]:
    """Issued letters of a service that no dispatch has sent or is sending (an
    e-mail waiting for the worker is one): the next print batch's letters."""
    policy.require(agent, Action.LETTER_DISPATCH)
    problems = Problems()
    chosen = team_of(problems, agent, team)
    problems.raise_if_any()
    letters = list(
        policy.visible(agent, Letter.objects.all(), for_action=Action.LETTER_DISPATCH)
        .select_related("person", "team", "author")
        .filter(team=chosen, status=LetterStatus.ISSUED)
        .exclude(under_way())
        .order_by("year", "sequence")
    )
    access_record(
        actor=agent, action="letter.list", objects=letters, context={"to_post": True}
    )
    return letters


def _draft_letter(agent: Agent, letter_id: Any) -> Letter:
    letter = letter_get_for_agent(
        agent=agent, letter_id=letter_id, purpose="preview"
    ).obj
    if not policy.may(agent, Action.LETTER_DRAFT, letter):
        raise Forbidden(_("You may not do this."))
    return letter


def letter_preview(*, agent: Agent, letter_id: Any) -> pdf.Rendered:
    """A draft as PDF, marked DRAFT, without its number (nothing is stored).

    Refuses, with the list of names, when a placeholder has no value yet.
    """
    letter = _draft_letter(agent, letter_id)
    if letter.number:
        raise WrongState(_("This letter is issued; download its archived PDF instead."))
    composed = compose(letter, draft=True)
    return pdf.render_pdfa(content.letter_html(composed.content))


def letter_docx(*, agent: Agent, letter_id: Any) -> bytes:
    """The letter as an editable DOCX: a draft to adapt, or an issued letter's copy."""
    letter = letter_get_for_agent(agent=agent, letter_id=letter_id, purpose="docx").obj
    if letter.number:
        frozen = letter.content
    else:
        if not policy.may(agent, Action.LETTER_DRAFT, letter):
            raise Forbidden(_("You may not do this."))
        frozen = compose(letter, draft=True).content
    return docx_io.write_docx(frozen, identifier=str(letter.uuid))


def print_batch_pdf(*, agent: Agent, batch_id: Any) -> tuple[PrintBatch, bytes]:
    policy.require(agent, Action.LETTER_DISPATCH)
    key = parse_uuid(batch_id)
    batch = (
        PrintBatch.objects.filter(uuid=key, team_id__in=agent.team_ids).first()
        if key
        else None
    )
    if batch is None:
        raise NotFound(_("No such print batch."))
    letters = list(Letter.objects.filter(dispatches__print_batch=batch))
    access_record(
        actor=agent,
        action="print_batch.view",
        objects=letters,
        context={"batch": str(batch.uuid)},
    )
    return batch, archive.read(batch.pdf_sha256, "pdf")


@dataclass(frozen=True)
class TemplateChoice:
    code: str
    name: str
    kind: str
    description: str
    languages: list[str]
    free_fields: list[str]
    titles: dict[str, str]
    # Each free field's declaration: its type, labels and a choice's options.
    fields: dict[str, dict[str, Any]]


def letter_types_available(
    *, agent: Agent, kind: str = TypeKind.LETTER
) -> list[TemplateChoice]:
    """The active letter types and their templates, for an agent choosing a letter."""
    policy.require(agent, Action.LETTER_DRAFT)
    templates = LetterTemplate.objects.filter(is_active=True).order_by("language")
    types = LetterType.objects.filter(is_active=True, kind=kind).prefetch_related(
        Prefetch("templates", queryset=templates)
    )
    choices = []
    for letter_type in types:
        rows = list(letter_type.templates.all())
        if not rows:
            continue
        names = templating.parse(
            " ".join(row.subject + "\n" + row.body for row in rows)
        ).names
        free = placeholders.free_field_names(names)
        declared = {
            name: declaration
            for row in rows
            for name, declaration in (row.fields or {}).items()
        }
        choices.append(
            TemplateChoice(
                code=letter_type.code,
                name=letter_type.name,
                kind=letter_type.kind,
                description=letter_type.description,
                languages=[row.language for row in rows],
                free_fields=free,
                titles={row.language: row.title for row in rows},
                fields={
                    name: declared.get(name) or fields.undeclared(name).as_data()
                    for name in free
                },
            )
        )
    return choices


def form_render(
    *,
    agent: Agent,
    form: str,
    language: str,
    person_id: Any = None,
    team: str | None = None,
) -> pdf.Rendered:
    """A fillable PDF form, prefilled with a person's data when one is given."""
    policy.require(agent, Action.FORM_RENDER)
    problems = Problems()
    chosen = team_of(problems, agent, team)
    head = Letterhead.objects.filter(team=chosen).first() if chosen else None
    if chosen is not None and head is None:
        problems.add(
            "team",
            Code.NO_LETTERHEAD,
            _("The service %(team)s has no letterhead yet."),
            team=chosen.code,
        )
    version = template_current(problems, form, language, kind=TypeKind.FORM)
    person = None
    if person_id is not None:
        key = parse_uuid(person_id)
        person = (
            policy.visible(
                agent,
                Person.objects.prefetch_related("addresses", "emails", "phones"),
            )
            .filter(uuid=key)
            .first()
            if key
            else None
        )
        if person is None:
            raise NotFound(_("No such person."))
    problems.raise_if_any()
    if version is None or head is None:  # pragma: no cover - reported by raise_if_any
        raise ValidationFailed(_("Some fields are not valid; nothing was saved."))
    parsed = templating.parse(version.body, allow_fields=True)
    names = [*parsed.names, *(field.name for field in parsed.fields)]
    if person is not None:
        access_record(
            actor=agent,
            action="person.view",
            obj=person,
            context={"purpose": f"form {form}"},
        )
    else:
        # A blank form: only the service's own values are filled in.
        names = [
            name for name in names if name.startswith(("service.", "letter.", "agent."))
        ]
    context = placeholders.LetterContext(
        language=language,
        person=person,
        agent=agent,
        team=chosen,
        letterhead=head,
        date=clock.today(),
    )
    html = content.form_html(
        language=language,
        title=version.title,
        service=content.service_block(head, language),
        paragraphs=templating.form_segments(
            parsed, placeholders.resolve(context, names)
        ),
    )
    return pdf.render_form(html)


def incoming_mail_visible(*, agent: Agent) -> QuerySet[IncomingMail]:
    return policy.visible(agent, IncomingMail.objects.all()).select_related(
        "team",
        "dispatched_team",
        "sender_person",
        "sender_organisation",
        "registered_by",
    )


def incoming_mail_list(
    *, agent: Agent, undispatched: bool = False
) -> list[IncomingMail]:
    """The register as the agent may see it; `undispatched`: what still waits."""
    queryset = incoming_mail_visible(agent=agent)
    if undispatched:
        queryset = queryset.filter(status=MailStatus.REGISTERED)
    rows = list(queryset.order_by("received_on", "id") if undispatched else queryset)
    access_record(
        actor=agent,
        action="mail.list",
        objects=rows,
        context={"undispatched": undispatched},
    )
    return rows


def incoming_mail_for_dossier(
    *, agent: Agent, dossier: Dossier | str
) -> list[IncomingMail]:
    """The mail dispatched to a dossier, oldest first (the dossier's timeline): by
    its key, or by the reference as written for mail no dossier matched."""
    visible = incoming_mail_visible(agent=agent)
    if isinstance(dossier, Dossier):
        rows = list(visible.filter(dossier=dossier).order_by("received_on", "id"))
        dossier = dossier.reference
    else:
        rows = list(
            visible.filter(dispatched_dossier=dossier.strip())
            .exclude(dispatched_dossier="")
            .order_by("received_on", "id")
        )
    access_record(
        actor=agent, action="mail.list", objects=rows, context={"dossier": dossier}
    )
    return rows


def incoming_mail_get_for_agent(
    *, agent: Agent, mail_id: Any, purpose: str = "view"
) -> IncomingMail:
    key = parse_uuid(mail_id)
    mail = incoming_mail_visible(agent=agent).filter(uuid=key).first() if key else None
    if mail is None:
        raise NotFound(_("No such mail."))
    access_record(
        actor=agent, action="mail.view", obj=mail, context={"purpose": purpose}
    )
    return mail


def incoming_mail_scan(*, agent: Agent, mail_id: Any) -> tuple[IncomingMail, bytes]:
    mail = incoming_mail_get_for_agent(agent=agent, mail_id=mail_id, purpose="scan")
    extension = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/tiff": "tif",
    }
    return mail, archive.read(mail.scan_sha256, extension[mail.scan_content_type])


def reply_letters_waiting(*, request: Request) -> set[str]:
    """The ids of a request's reply letters that have not gone out yet, from its
    timeline (`services.replies`; the caller has read the request through the
    policy)."""
    waiting: set[str] = set()
    for data in RequestEvent.objects.filter(
        request=request, kind=EventKind.REPLY
    ).values_list("data", flat=True):
        letter = str((data or {}).get("letter", ""))
        if (data or {}).get("dispatched"):
            waiting.discard(letter)
        else:
            waiting.add(letter)
    return waiting


def reply_emails(*, agent: Agent, request: Request) -> list[LetterDispatch]:
    """The e-mails sent (or failing to go) with a request's replies, newest first:
    the request page shows each one's state, its error and its Message-ID (the
    sent copy is the letter's archived PDF, on the letter's page)."""
    letters = letters_for_reference(
        agent=agent, kind="request", object_id=request.reference
    )
    return list(
        LetterDispatch.objects.filter(
            letter__in=letters, channel=Channel.EMAIL
        ).select_related("letter")
    )


def replies_waiting(*, agent: Agent, request: Request) -> list[Letter]:
    """The request's replies that wait for a supervisor's approval or, approved,
    to be sent (the agent's view of them; the read is logged)."""
    waiting = reply_letters_waiting(request=request)
    if not waiting:
        return []
    return [
        letter
        for letter in letters_for_reference(
            agent=agent, kind="request", object_id=request.reference
        )
        if str(letter.uuid) in waiting
    ]


@dataclass(frozen=True)
class StandardAnswer:
    """A standard answer as the agent inserts it: its texts in one language with
    the person's, the request's and the dossier's values filled in, the free
    fields left as `{{ free.name }}` for the agent to fill, and its brochures."""

    code: str
    title: str
    topic: str
    topic_name: str
    language: str
    version: int
    subject: str
    body: str
    fields: dict[str, fields.FieldSpec]
    brochures: list[Brochure]


def topic_lineage(topic: Any) -> list[int]:
    """The topic and the topics above it (a standard answer on "visas" also fits
    a request about "visas > refusal"), nearest first."""
    lineage: list[int] = []
    while topic is not None and topic.pk not in lineage:
        lineage.append(topic.pk)
        topic = topic.parent
    return lineage


def prefilled(text: str, context: placeholders.LetterContext) -> str:
    """The text with every value known filled in; a free field, or a value the
    person's record lacks, stays a placeholder (the letter names the hole when
    it is submitted). Without a letterhead the service's and the letter's own
    values are not known yet either."""
    parsed = templating.parse(text)
    known = ("free.",) if context.letterhead else ("free.", "service.", "letter.")
    values = placeholders.resolve(
        context, [name for name in parsed.names if not name.startswith(known)]
    )
    return templating.prefill(parsed, values)


def standard_answers(
    *,
    agent: Agent,
    person: Person,
    language: str,
    topic: Any = None,
    team: Any = None,
    references: dict[str, str] | None = None,
) -> list[StandardAnswer]:
    """The standard answers an agent may insert into a reply to `person` in
    `language`: those on the topic or a topic above it (every one without a
    topic), each prefilled (issue #15, item 3). The caller has read the person
    (and the request or dossier) through the policy."""
    policy.require(agent, Action.LETTER_DRAFT)
    types = LetterType.objects.filter(
        is_active=True, is_standard=True, kind=TypeKind.LETTER, topic__isnull=False
    )
    if topic is not None:
        types = types.filter(topic_id__in=topic_lineage(topic))
    rows = list(
        LetterTemplate.objects.filter(
            letter_type__in=types, language=language, is_active=True
        )
        .select_related("letter_type__topic")
        .order_by("letter_type__topic__order", "letter_type__code")
    )
    if not rows:
        return []
    brochures = list(
        Brochure.objects.filter(
            letter_type_id__in=[row.letter_type_id for row in rows], is_active=True
        ).filter(language__in=["", language])
    )
    head = Letterhead.objects.filter(team=team).first() if team else None
    context = placeholders.LetterContext(
        language=language,
        person=Person.objects.prefetch_related("addresses", "emails", "phones").get(
            pk=person.pk
        ),
        agent=agent,
        team=team,
        letterhead=head,
        date=clock.today(),
        references=references or {},
    )
    answers = []
    for row in rows:
        version = row.versions.get(number=row.version)
        topic_row = row.letter_type.topic
        answers.append(
            StandardAnswer(
                code=row.letter_type.code,
                title=row.title,
                topic=topic_row.code if topic_row else "",
                topic_name=getattr(topic_row, f"name_{language}", "")
                if topic_row
                else "",
                language=language,
                version=version.number,
                subject=prefilled(version.subject, context),
                body=prefilled(version.body, context),
                # In the order the text uses them (PostgreSQL's jsonb keeps
                # no key order).
                fields={
                    name: specs[name]
                    for specs in [fields.specs(version.fields)]
                    for name in version.free_fields
                    if name in specs
                },
                brochures=[
                    item
                    for item in brochures
                    if item.letter_type_id == row.letter_type_id
                ],
            )
        )
    return answers


def reply_team(agent: Agent, request: Request) -> Any:
    """The service a reply to the request is written for: the request's, when the
    agent works there, else the agent's only service (as `request_reply` does)."""
    if request.team_id in agent.team_ids:
        return request.team
    teams = list(agent.team_ids)
    return Team.objects.filter(pk=teams[0]).first() if len(teams) == 1 else None


def standard_answers_for_request(
    *, agent: Agent, request: Request
) -> list[StandardAnswer]:
    """The standard answers to insert into a reply to the request: on its topic,
    in its person's language, prefilled from the person and the request (none
    while the request names no person). The read of the person is logged."""
    policy.require(agent, RequestAction.REQUEST_WORK, request)
    person = request.person
    if person is None:
        return []
    answers = standard_answers(
        agent=agent,
        person=person,
        language=person.language,
        topic=request.topic,
        team=reply_team(agent, request),
        references={"request": request.reference},
    )
    access_record(
        actor=agent,
        action="standard_answer.prefill",
        objects=[person],
        context={"request": request.reference},
    )
    return answers
