"""Writes to agents, teams and tokens, each with its audit record."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.audit.models import AuditEvent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, FieldError, Forbidden, ValidationFailed

from .models import (
    AccessRequest,
    Agent,
    ApiToken,
    FunctionLevel,
    Language,
    Membership,
    Role,
    RoleCode,
    Team,
)
from .selectors import TOKEN_PREFIX, hash_secret, token_for_bearer

# Record a token's use at most this often, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
# A token lives from one day (shorter is already expired when handed over) to ten
# years (longer overflows dates and outlives any machine it is given to).
TOKEN_MIN_DAYS = 1
TOKEN_MAX_DAYS = 3650


def _invalid(field: str, code: str, message: Any, **params: Any) -> ValidationFailed:
    return ValidationFailed(
        _("Some fields are not valid; nothing was saved."),
        errors=[FieldError(field, code, message, params)],
    )


def roles_ensure() -> None:
    """Create the role rows the policy knows (idempotent)."""
    for code in RoleCode:
        Role.objects.get_or_create(code=code.value)


@transaction.atomic
def agent_create(
    *,
    actor: Agent | None,
    username: str,
    password: str | None,
    level: str,
    roles: Sequence[str],
    teams: Sequence[str] = (),
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = Language.FR,
    lead_teams: Sequence[str] = (),
    check_password: bool = True,
    system: bool = False,
) -> Agent:
    """Create an agent with roles and team memberships.

    `teams` and `lead_teams` are team codes; `roles` are role codes. With no
    password the agent cannot log in until one is set (tokens still work). A
    `system` account (one Guichet acts as: the public web form, automated runs)
    has no password and is never offered as a colleague (`Agent.objects.people`).
    """
    if system and password:
        raise _invalid(
            "password",
            "system_password",
            _("A system account has no password: nobody logs in as it."),
        )
    if Agent.objects.filter(username__iexact=username).exists():
        raise _invalid(
            "username", "taken", _("An agent with this username already exists.")
        )
    if level not in FunctionLevel.values:
        raise _invalid(
            "level",
            "invalid_choice",
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(FunctionLevel.values),
        )
    if language not in Language.values:
        raise _invalid(
            "language",
            "invalid_choice",
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    unknown_roles = sorted(set(roles) - set(RoleCode.values))
    if unknown_roles:
        raise _invalid(
            "roles",
            "unknown_role",
            _("Unknown role(s): %(roles)s."),
            roles=", ".join(unknown_roles),
        )
    team_rows = {
        team.code: team for team in Team.objects.filter(code__in=[*teams, *lead_teams])
    }
    unknown_teams = sorted({*teams, *lead_teams} - set(team_rows))
    if unknown_teams:
        raise _invalid(
            "teams",
            "unknown_team",
            _("Unknown team(s): %(teams)s."),
            teams=", ".join(unknown_teams),
        )
    agent = Agent(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        level=level,
        language=language,
        is_system=system,
    )
    if password:
        if check_password:
            try:
                validate_password(password, agent)
            except DjangoValidationError as error:
                raise _invalid(
                    "password", "weak_password", " ".join(error.messages)
                ) from None
        agent.set_password(password)
    else:
        agent.set_unusable_password()
    agent.save(force_insert=True)
    before = access_snapshot(agent)
    roles_ensure()
    agent.roles.set(Role.objects.filter(code__in=roles))
    for code in sorted({*teams, *lead_teams}):
        Membership.objects.create(
            agent=agent, team=team_rows[code], is_lead=code in lead_teams
        )
    audit_record(
        actor=actor,
        action="agent.create",
        obj=agent,
        summary={
            "username": username,
            "level": level,
            "roles": sorted(roles),
            "teams": sorted({*teams, *lead_teams}),
            "lead_teams": sorted(lead_teams),
        },
    )
    access_changed(actor=actor, agent=agent, before=before, via="create")
    return agent


@transaction.atomic
def agent_set_language(*, agent: Agent, language: str) -> Agent:
    if language not in Language.values:
        raise _invalid(
            "language",
            "invalid_choice",
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    if agent.language != language:
        Agent.objects.filter(pk=agent.pk).update(language=language)
        agent.language = language
    return agent


EXTENSION_MAX = 20


@transaction.atomic
def agent_extension_set(*, agent: Agent, extension: str) -> Agent:
    """The agent's extension on the telephone system: digits (with `*`, `#`),
    one agent each; empty for none. The caller checks who may and audits
    (`telephony.services.extension_assign`)."""
    cleaned = extension.strip()
    if cleaned and (
        len(cleaned) > EXTENSION_MAX
        or not all(
            char.isascii() and (char.isdigit() or char in "*#") for char in cleaned
        )
    ):
        raise _invalid(
            "extension",
            "invalid_extension",
            _("An extension is at most %(max)d digits."),
            max=EXTENSION_MAX,
        )
    if (
        cleaned
        and Agent.objects.filter(phone_extension=cleaned).exclude(pk=agent.pk).exists()
    ):
        raise _invalid(
            "extension",
            "extension_taken",
            _("Another agent already has this extension."),
        )
    Agent.objects.filter(pk=agent.pk).update(phone_extension=cleaned)
    agent.phone_extension = cleaned
    return agent


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def token_create(
    *, actor: Agent | None, agent: Agent, name: str, days: int | None = None
) -> IssuedToken:
    """Issue an API token; the plain text is returned once and never stored."""
    if not name.strip():
        raise _invalid("name", "required", _("This field is required."))
    if days is not None and not TOKEN_MIN_DAYS <= days <= TOKEN_MAX_DAYS:
        raise _invalid(
            "days",
            "out_of_range",
            _("A token lives from %(min)s to %(max)s days."),
            min=TOKEN_MIN_DAYS,
            max=TOKEN_MAX_DAYS,
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32).replace("_", "-")
    lifetime = dt.timedelta(days=days if days is not None else settings.API_TOKEN_DAYS)
    token = ApiToken.objects.create(
        agent=agent,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(secret),
        expires_at=clock.now() + lifetime,
    )
    audit_record(
        actor=actor,
        action="token.create",
        obj=agent,
        summary={"token": prefix, "name": token.name},
    )
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def token_authenticate(token: str) -> Agent | None:
    """The agent a bearer token authenticates, else None; records the token's last
    use (at most every few minutes, so a busy client writes rarely)."""
    row = token_for_bearer(token)
    if row is None:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.agent


@transaction.atomic
def token_revoke(*, actor: Agent | None, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
        token.refresh_from_db()
        audit_record(
            actor=actor,
            action="token.revoke",
            obj=token.agent,
            summary={"token": token.prefix},
        )
    return token


@transaction.atomic
def team_ensure(
    *, actor: Agent | None, code: str, name: str, language: str = ""
) -> Team:
    """Create a team, or return it unchanged if the code exists (idempotent)."""
    team, created = Team.objects.get_or_create(
        code=code, defaults={"name": name, "language": language}
    )
    if created:
        audit_record(
            actor=actor,
            action="team.create",
            obj=team,
            summary={"code": code, "name": name},
        )
    return team


LOCKED_OUT = "login.locked_out"


@transaction.atomic
def login_lock_out_record(*, username: str, address: str | None) -> AuditEvent | None:
    """Record that logins for `username`, or from `address`, were locked out after
    too many wrong passwords (settings.AXES_*): one audit row per lock-out, not one
    per refused attempt while it lasts, so hammering a locked login cannot flood the
    trail: a lock-out already recorded within the lock-out time for the same
    username or the same address is that one (the lock names one or the other). The
    agent, when the username is one, is the row's object."""
    since = clock.now() - settings.AXES_COOLOFF_TIME
    already = AuditEvent.objects.filter(
        Q(summary__username=username) | Q(summary__address=address or ""),
        action=LOCKED_OUT,
        occurred_at__gte=since,
    )
    if already.exists():
        return None
    agent = (
        Agent.objects.filter(username__iexact=username).first() if username else None
    )
    return audit_record(
        actor=None,
        action=LOCKED_OUT,
        obj=agent,
        summary={
            "username": username,
            "address": address or "",
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


# Four eyes on access (docs/adr/0004-four-eyes-access-changes.md).


@dataclass(frozen=True)
class AccessSnapshot:
    """What gives an agent access: level, roles, and teams (code -> leads it)."""

    level: str
    roles: frozenset[str]
    teams: dict[str, bool]

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "roles": sorted(self.roles),
            "teams": sorted(self.teams),
            "lead_teams": sorted(code for code, lead in self.teams.items() if lead),
        }


def access_snapshot(agent: Agent) -> AccessSnapshot:
    """The agent's access as stored now (read from the database, not the cache)."""
    level = Agent.objects.filter(pk=agent.pk).values_list("level", flat=True).first()
    return AccessSnapshot(
        level=level or agent.level,
        roles=frozenset(
            Role.objects.filter(agents=agent.pk).values_list("code", flat=True)
        ),
        teams=dict(
            Membership.objects.filter(agent=agent.pk).values_list(
                "team__code", "is_lead"
            )
        ),
    )


@dataclass(frozen=True)
class AccessChange:
    """What `access_changed` did: the access before and after, and the grants it
    turned into requests waiting for a second administrator."""

    before: AccessSnapshot
    after: AccessSnapshot
    pending: list[AccessRequest]


def _withhold(
    agent: Agent, before: AccessSnapshot, actor: Agent
) -> list[AccessRequest]:
    """Undo the grants made since `before` and store each as a pending request."""
    now = access_snapshot(agent)
    pending: list[AccessRequest] = []
    for code in sorted(now.roles - before.roles):
        role = Role.objects.get(code=code)
        agent.roles.remove(role)
        pending.append(_request(agent, AccessRequest.Kind.ROLE, actor, role=role))
    for code, lead in sorted(now.teams.items()):
        team = Team.objects.get(code=code)
        if code not in before.teams:
            Membership.objects.filter(agent=agent, team=team).delete()
            pending.append(
                _request(agent, AccessRequest.Kind.MEMBERSHIP, actor, team=team)
            )
            if lead:
                pending.append(
                    _request(agent, AccessRequest.Kind.LEAD, actor, team=team)
                )
        elif lead and not before.teams[code]:
            Membership.objects.filter(agent=agent, team=team).update(is_lead=False)
            pending.append(_request(agent, AccessRequest.Kind.LEAD, actor, team=team))
    agent.forget_cached_access()
    return pending


def _request(
    agent: Agent,
    kind: str,
    actor: Agent,
    *,
    role: Role | None = None,
    team: Team | None = None,
) -> AccessRequest:
    """The pending request for this grant: the one already waiting, or a new one."""
    existing = AccessRequest.objects.filter(
        agent=agent,
        kind=kind,
        role=role,
        team=team,
        status=AccessRequest.Status.PENDING,
    ).first()
    if existing is not None:
        return existing
    return AccessRequest.objects.create(
        agent=agent, kind=kind, role=role, team=team, requested_by=actor
    )


@transaction.atomic
def access_changed(
    *, actor: Agent | None, agent: Agent, before: AccessSnapshot, via: str
) -> AccessChange:
    """Settle a change of an agent's level, roles or teams, made by any path (the
    admin, a service), given the access `before` it.

    - Nobody changes their own roles, level or teams (Forbidden: the caller's
      transaction, and so the change, is rolled back).
    - A grant by an agent (a role, a team, a team's lead) is undone and stored as
      a pending `AccessRequest` that only another administrator can approve;
      removals apply at once, since they only narrow access. The installation
      itself (`actor=None`: the command line, the demo loader) applies directly.
    - One audit row records the access before and after, and what waits.
    """
    after = access_snapshot(agent)
    if before == after:
        return AccessChange(before=before, after=after, pending=[])
    if actor is not None and actor.pk == agent.pk:
        raise Forbidden(
            _("Nobody may change their own roles, level or teams."),
            code="own_access",
        )
    pending: list[AccessRequest] = []
    if actor is not None:
        pending = _withhold(agent, before, actor)
        after = access_snapshot(agent)
    audit_record(
        actor=actor,
        action="agent.access_change",
        obj=agent,
        summary={
            "before": before.as_dict(),
            "after": after.as_dict(),
            "pending": [_describe_request(item) for item in pending],
            "via": via,
        },
    )
    return AccessChange(before=before, after=after, pending=pending)


def _describe_request(item: AccessRequest) -> dict[str, str]:
    return {
        "request": str(item.uuid),
        "kind": item.kind,
        "target": item.role.code if item.role is not None else item.team.code,  # type: ignore[union-attr]  # the check constraint sets one of them
    }


def _decide(*, actor: Agent, request: AccessRequest) -> AccessRequest:
    """Refuse a decision the four-eyes rule forbids; lock and return the request."""
    if not actor.is_staff:
        raise Forbidden(_("You may not do this."))
    row = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if row.status != AccessRequest.Status.PENDING:
        raise Conflict(
            _("This request has already been decided."), code="already_decided"
        )
    if actor.pk in (row.requested_by_id, row.agent_id):
        raise Forbidden(
            _(
                "A second administrator must decide: not the one who asked, nor "
                "the agent concerned."
            ),
            code="four_eyes",
        )
    return row


@transaction.atomic
def access_request_approve(*, actor: Agent, request: AccessRequest) -> AccessRequest:
    """A second administrator approves a pending grant: it is applied now."""
    row = _decide(actor=actor, request=request)
    agent = row.agent
    before = access_snapshot(agent)
    if row.kind == AccessRequest.Kind.ROLE:
        agent.roles.add(row.role)  # type: ignore[arg-type]  # set for this kind
    elif row.kind == AccessRequest.Kind.MEMBERSHIP:
        Membership.objects.get_or_create(agent=agent, team=row.team)
    else:
        membership, _created = Membership.objects.get_or_create(
            agent=agent,
            team=row.team,
        )
        if not membership.is_lead:
            Membership.objects.filter(pk=membership.pk).update(is_lead=True)
    agent.forget_cached_access()
    row.status = AccessRequest.Status.APPROVED
    row.decided_by = actor
    row.decided_at = clock.now()
    row.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="agent.access_change",
        obj=agent,
        summary={
            "before": before.as_dict(),
            "after": access_snapshot(agent).as_dict(),
            "approved": _describe_request(row),
            "requested_by": row.requested_by.username,
            "via": "approval",
        },
    )
    return row


@transaction.atomic
def access_request_refuse(*, actor: Agent, request: AccessRequest) -> AccessRequest:
    """A second administrator refuses a pending grant: the agent stays as they are."""
    row = _decide(actor=actor, request=request)
    row.status = AccessRequest.Status.REFUSED
    row.decided_by = actor
    row.decided_at = clock.now()
    row.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="access_request.refuse",
        obj=row.agent,
        summary={
            "refused": _describe_request(row),
            "requested_by": row.requested_by.username,
        },
    )
    return row
