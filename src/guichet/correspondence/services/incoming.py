"""The incoming mail register: paper mail gets a number, its scan is kept, and it
is dispatched to the service that handles it."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid, text
from guichet.core.versioning import check_version, versioned_update
from guichet.correspondence import archive, formatting, locks
from guichet.correspondence.errors import Code, WrongState
from guichet.correspondence.models import IncomingMail, Letterhead, MailStatus, Series
from guichet.correspondence.validation import letterhead_of, team_of
from guichet.dossiers.models import Dossier
from guichet.dossiers.selectors import by_reference
from guichet.parties.models import Organisation, Person

SCAN_MAX = 20 * 1024 * 1024
DOSSIER_MAX = 64
# What a scanner produces, recognised by the file's first bytes, not its name.
SCAN_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
}
EARLIEST_RECEIPT = dt.timedelta(days=366)


def scan_type(data: bytes) -> str | None:
    """The scan's content type, from its signature; None if it is not a scan we keep."""
    for content_type, signatures in SCAN_SIGNATURES.items():
        if any(data.startswith(signature) for signature in signatures):
            return content_type
    return None


def _visible_person(actor: Agent, problems: Problems, person_id: Any) -> Person | None:
    if person_id is None:
        return None
    key = parse_uuid(person_id)
    person = (
        policy.visible(actor, Person.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if person is None:
        problems.add("sender_person_id", Code.INVALID_REFERENCE, _("No such person."))
    return person


def _visible_organisation(
    actor: Agent, problems: Problems, organisation_id: Any
) -> Organisation | None:
    if organisation_id is None:
        return None
    key = parse_uuid(organisation_id)
    organisation = (
        policy.visible(actor, Organisation.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if organisation is None:
        problems.add(
            "sender_organisation_id", Code.INVALID_REFERENCE, _("No such organisation.")
        )
    return organisation


@transaction.atomic
def incoming_mail_register(
    *,
    actor: Agent,
    received_on: dt.date,
    subject: str,
    scan: bytes,
    scan_name: str,
    sender_name: str = "",
    sender_person_id: Any = None,
    sender_organisation_id: Any = None,
    team: str | None = None,
) -> IncomingMail:
    """Register a piece of paper mail with its scan; it gets the next number."""
    policy.require(actor, Action.MAIL_REGISTER)
    problems = Problems()
    chosen = team_of(problems, actor, team)
    head = letterhead_of(problems, chosen)
    today = clock.today()
    if received_on > today:
        problems.add(
            "received_on",
            Code.DATE_IN_FUTURE,
            _("Mail cannot be received in the future."),
        )
    elif received_on < today - EARLIEST_RECEIPT:
        problems.add(
            "received_on",
            Code.INVALID_CHOICE,
            _("Mail received more than a year ago is registered by an administrator."),
        )
    person = _visible_person(actor, problems, sender_person_id)
    organisation = _visible_organisation(actor, problems, sender_organisation_id)
    default_sender = (
        person.full_name if person else (organisation.name if organisation else "")
    )
    clean_sender = text(
        problems,
        "sender_name",
        sender_name or default_sender,
        required=True,
        max_length=300,
    )
    clean_subject = text(problems, "subject", subject, required=True, max_length=300)
    content_type = scan_type(scan)
    if not scan:
        problems.add("scan", Code.REQUIRED, _("Attach the scan of the mail."))
    elif len(scan) > SCAN_MAX:
        problems.add(
            "scan",
            Code.FILE_TOO_LARGE,
            _("The file is larger than %(max)d MB."),
            max=SCAN_MAX // (1024 * 1024),
        )
    elif content_type is None:
        problems.add(
            "scan",
            Code.INVALID_FILE,
            _("A scan is a PDF, JPEG, PNG or TIFF file; this file is none of these."),
        )
    name = text(
        problems, "scan_name", scan_name or "scan", required=True, max_length=200
    )
    problems.raise_if_any()
    chosen = cast(Team, chosen)
    content_type = cast(str, content_type)
    stored = archive.store(scan, EXTENSIONS[content_type])
    sequence = locks.next_number(team=chosen, series=Series.INCOMING, year=today.year)
    mail = IncomingMail.objects.create(
        team=chosen,
        number=formatting.mail_number(
            cast(Letterhead, head).prefix, today.year, sequence
        ),
        year=today.year,
        sequence=sequence,
        received_on=received_on,
        sender_name=clean_sender,
        sender_person=person,
        sender_organisation=organisation,
        subject=clean_subject,
        scan_sha256=stored.sha256,
        scan_name=name,
        scan_content_type=content_type,
        scan_size=stored.size,
        registered_by=actor,
    )
    audit_record(
        actor=actor,
        action="mail.register",
        obj=mail,
        summary={
            "number": mail.number,
            "team": chosen.code,
            "received_on": received_on,
            "sender_person": str(person.uuid) if person else None,
            "sender_organisation": str(organisation.uuid) if organisation else None,
            "scan_sha256": stored.sha256,
        },
    )
    return mail


def _team_dossier(team: Team, reference: str) -> Dossier | None:
    """The dossier of `team` with this reference, if there is one. The mail room
    need not see the dossier: the answer is the same whether it exists or not (the
    reference is kept as written either way), so nothing is revealed; the link is
    shown only to those who see the dossier."""
    condition = by_reference(reference) if reference else None
    if condition is None:
        return None
    return Dossier.objects.filter(condition, team=team).first()


@transaction.atomic
def incoming_mail_dispatch(
    *, actor: Agent, mail_id: Any, expected_version: int, team: str, dossier: str = ""
) -> IncomingMail:
    """Send a registered piece of mail on to the service that handles it, and to
    one of its dossiers when the mail is about a known dossier."""
    key = parse_uuid(mail_id)
    mail = (
        policy.visible(actor, IncomingMail.objects.all())
        .filter(uuid=key)
        .select_for_update(of=("self",))
        .first()
        if key
        else None
    )
    if mail is None:
        raise NotFound(_("No such mail."))
    policy.require(actor, Action.MAIL_DISPATCH, mail)
    check_version(mail, expected_version)
    problems = Problems()
    target = Team.objects.filter(code=team, is_active=True).first()
    if target is None:
        problems.add(
            "team",
            Code.INVALID_CHOICE,
            _("There is no active service %(team)s."),
            team=team,
        )
    clean_dossier = text(
        problems, "dossier", dossier, required=False, max_length=DOSSIER_MAX
    )
    problems.raise_if_any()
    target = cast(Team, target)
    if (
        mail.dispatched_team_id == target.pk
        and mail.dispatched_dossier == clean_dossier
    ):
        raise WrongState(_("This mail is already with that service."))
    before = mail.dispatched_team.code if mail.dispatched_team else None
    before_dossier = mail.dispatched_dossier or None
    versioned_update(
        mail,
        expected_version=expected_version,
        status=MailStatus.DISPATCHED,
        dispatched_team=target,
        dispatched_dossier=clean_dossier,
        dossier=_team_dossier(target, clean_dossier),
        dispatched_by=actor,
        dispatched_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="mail.dispatch",
        obj=mail,
        summary={
            "number": mail.number,
            "from": before,
            "to": target.code,
            "from_dossier": before_dossier,
            "to_dossier": clean_dossier or None,
        },
    )
    return mail
