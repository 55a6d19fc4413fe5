"""Minutes of internal meetings, archived as PDF/A, with their actions as tasks.

The actions are `ActionItem` rows (owner, due date, status). Moved from
correspondence with their tables (issue #17); the PDF/A is still rendered by
`correspondence.minutes`, and the error codes are correspondence's, unchanged for
the API's clients.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agenda.meetings.selectors import meeting_get_for_agent
from guichet.agenda.minutes.selectors import minutes_get_for_agent
from guichet.agenda.models import ActionItem, ActionStatus, Minutes
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.text import fold
from guichet.core.validation import Problems, parse_uuid, text
from guichet.core.versioning import check_version, versioned_update
from guichet.correspondence import archive, formatting
from guichet.correspondence.errors import Code, WrongState
from guichet.correspondence.minutes import minutes_labels, minutes_render
from guichet.correspondence.models import Letterhead
from guichet.correspondence.validation import letterhead_of, team_of

ITEM_MAX = 2000
MAX_ITEMS = 100


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str  # the owner's username
    due_date: dt.date


def _items(
    problems: Problems, field: str, items: Sequence[str], *, required: bool
) -> list[str]:
    clean = [
        text(
            problems,
            f"{field}[{index}]",
            item,
            required=True,
            max_length=ITEM_MAX,
            multiline=True,
        )
        for index, item in enumerate(items)
    ]
    if required and not clean:
        problems.add(field, Code.REQUIRED, _("Give at least one."))
    if len(clean) > MAX_ITEMS:
        problems.add(field, Code.TOO_LONG, _("At most %(max)d items."), max=MAX_ITEMS)
    return clean


def action_owners(
    *, team: Team, attendees: Sequence[str], usernames: Sequence[str]
) -> dict[str, Agent]:
    """The agents among `usernames` who may own an action of a meeting of `team`:
    active, working on the actions of minutes (a role that serves citizens, as the
    policy grants it; not an administrator nor a system account), and a member of
    the team or named among those present (by their name or username)."""
    present = {fold(name) for name in attendees}
    eligible: dict[str, Agent] = {}
    for agent in Agent.objects.filter(username__in=list(usernames), is_active=True):
        if not policy.may(agent, Action.ACTION_ITEM_COMPLETE):
            continue
        named = {fold(agent.get_full_name()), fold(agent.get_username())} - {""}
        named &= present
        if team.pk in agent.team_ids or named:
            eligible[agent.get_username()] = agent
    return eligible


@transaction.atomic
def minutes_create(
    *,
    actor: Agent,
    title: str,
    meeting_date: dt.date,
    language: str,
    attendees: Sequence[str],
    agenda: Sequence[str],
    decisions: Sequence[str] = (),
    actions: Sequence[ActionInput] = (),
    absentees: Sequence[str] = (),
    place: str = "",
    team: str | None = None,
    meeting: Any = None,
) -> Minutes:
    """Record a meeting's minutes and create its actions as tasks of their owners.

    `meeting` (a key) names the agenda's meeting they are of: one the actor may see
    (404 otherwise, as for one that does not exist), not cancelled, and begun."""
    policy.require(actor, Action.MINUTES_CREATE)
    problems = Problems()
    of_meeting = None
    if meeting is not None:
        of_meeting = meeting_get_for_agent(agent=actor, key=meeting).obj
        if of_meeting.cancelled_at is not None:
            problems.add(
                "meeting",
                Code.INVALID_CHOICE,
                _("This meeting is cancelled: it has no minutes."),
            )
        elif of_meeting.start > clock.now():
            problems.add(
                "meeting",
                Code.INVALID_CHOICE,
                _("Minutes are written after the meeting."),
            )
    chosen = team_of(problems, actor, team)
    head = letterhead_of(problems, chosen)
    clean_title = text(problems, "title", title, required=True, max_length=200)
    clean_place = text(problems, "place", place, required=False, max_length=200)
    if language not in Language.values:
        problems.add(
            "language",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    if meeting_date > clock.today():
        problems.add(
            "meeting_date",
            Code.DATE_IN_FUTURE,
            _("Minutes are written after the meeting."),
        )
    clean_attendees = _items(problems, "attendees", attendees, required=True)
    clean_absentees = _items(problems, "absentees", absentees, required=False)
    clean_agenda = _items(problems, "agenda", agenda, required=True)
    clean_decisions = _items(problems, "decisions", decisions, required=False)
    owners = (
        action_owners(
            team=chosen,
            attendees=clean_attendees,
            usernames=[item.owner for item in actions],
        )
        if chosen is not None
        else {}
    )
    clean_actions: list[tuple[str, Agent, dt.date]] = []
    for index, item in enumerate(actions):
        field = f"actions[{index}]"
        description = text(
            problems,
            f"{field}.description",
            item.description,
            required=True,
            max_length=500,
        )
        owner = owners.get(item.owner)
        if owner is None:
            # The same answer for a name nobody has and for one who may not own
            # an action: it tells nothing about who works here.
            problems.add(
                f"{field}.owner",
                Code.INVALID_OWNER,
                _(
                    "Choose the owner among the agents of the service who serve "
                    "citizens, or the agents present at the meeting."
                ),
            )
        if item.due_date < meeting_date:
            problems.add(
                f"{field}.due_date",
                Code.INVALID_CHOICE,
                _("An action cannot be due before the meeting."),
            )
        if owner is not None:
            clean_actions.append((description, owner, item.due_date))
    problems.raise_if_any()
    chosen, head = cast(Team, chosen), cast(Letterhead, head)
    frozen = {
        "language": language,
        "title": clean_title,
        "date": formatting.letter_date(meeting_date, language),
        "place": clean_place,
        "author": actor.get_full_name() or actor.get_username(),
        "service": {
            "name": head.name_in(language),
            "lines": [
                line.strip() for line in head.address_lines.splitlines() if line.strip()
            ],
        },
        "attendees": clean_attendees,
        "absentees": clean_absentees,
        "agenda": clean_agenda,
        "decisions": clean_decisions,
        "actions": [
            {
                "description": description,
                "owner": owner.get_full_name() or owner.get_username(),
                "due": formatting.letter_date(due, language),
            }
            for description, owner, due in clean_actions
        ],
        "labels": minutes_labels(language),
    }
    minutes = Minutes.objects.create(
        team=chosen,
        title=clean_title,
        meeting_date=meeting_date,
        place=clean_place,
        language=language,
        attendees=clean_attendees,
        absentees=clean_absentees,
        agenda=clean_agenda,
        decisions=clean_decisions,
        author=actor,
        content=frozen,
        meeting=of_meeting,
    )
    items = [
        ActionItem.objects.create(
            minutes=minutes, description=description, owner=owner, due_date=due
        )
        for description, owner, due in clean_actions
    ]
    audit_record(
        actor=actor,
        action="minutes.create",
        obj=minutes,
        summary={
            "team": chosen.code,
            "meeting_date": meeting_date,
            "meeting": str(of_meeting.uuid) if of_meeting is not None else None,
            "actions": [
                {
                    "id": str(item.uuid),
                    "owner": item.owner.get_username(),
                    "due": item.due_date,
                }
                for item in items
            ],
        },
    )
    from guichet.agenda.tasks import archive_minutes

    archive_minutes.enqueue(str(minutes.uuid))
    return minutes


def minutes_pdf_deliver(*, actor: Agent, minutes_id: Any) -> tuple[Minutes, bytes]:
    """The minutes as PDF/A, archived now if their task has not run yet (a write,
    hence a service); the read is logged."""
    minutes = minutes_get_for_agent(agent=actor, minutes_id=minutes_id)
    if not minutes.pdf_sha256:
        minutes = minutes_archive(minutes_id=minutes.pk)
    return minutes, archive.read(minutes.pdf_sha256, "pdf")


def minutes_archive(*, minutes_id: int) -> Minutes:
    """Render and store the minutes as PDF/A once (idempotent; a system task)."""
    minutes = Minutes.objects.get(pk=minutes_id)
    if minutes.pdf_sha256:
        return minutes
    rendered = minutes_render(minutes.content)
    stored = archive.store(rendered.data, "pdf")
    with transaction.atomic():
        updated = Minutes.objects.filter(pk=minutes_id, pdf_sha256="").update(
            pdf_sha256=stored.sha256, pdf_size=stored.size
        )
        if updated:
            audit_record(
                actor=None,
                action="minutes.archive",
                obj=minutes,
                summary={
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "pages": rendered.pages,
                },
            )
    minutes.refresh_from_db()
    return minutes


@transaction.atomic
def action_item_complete(
    *, actor: Agent, item_id: Any, expected_version: int
) -> ActionItem:
    """Mark an action done (its owner, or a member of the meeting's service)."""
    key = parse_uuid(item_id)
    item = (
        policy.visible(actor, ActionItem.objects.select_related("minutes"))
        .filter(uuid=key)
        .select_for_update(of=("self",))
        .first()
        if key
        else None
    )
    if item is None:
        raise NotFound(_("No such action."))
    policy.require(actor, Action.ACTION_ITEM_COMPLETE, item)
    check_version(item, expected_version)
    if item.status == ActionStatus.DONE:
        raise WrongState(_("This action is already done."))
    versioned_update(
        item,
        expected_version=expected_version,
        status=ActionStatus.DONE,
        done_at=clock.now(),
        done_by=actor,
    )
    audit_record(
        actor=actor,
        action="action_item.complete",
        obj=item,
        summary={"minutes": str(item.minutes.uuid), "version": item.version},
    )
    return item
