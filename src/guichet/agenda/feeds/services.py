"""Writes of feeds: an agent creates their feed link (shown once) or revokes it.

One feed runs per agent: a new link revokes the previous one, so a link given
away by mistake is cut by asking for a new one. Both are audited (no token in the
audit row: only the feed's id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_absences import Action
from guichet.agenda.errors import AbsenceCode
from guichet.agenda.feeds.tokens import digest, new_token
from guichet.agenda.models import FeedToken
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, NotFound
from guichet.core.validation import parse_uuid


@dataclass(frozen=True)
class NewFeed:
    feed: FeedToken
    token: str  # shown once; only its SHA-256 is kept


def feed_create(*, actor: Agent) -> NewFeed:
    """A new private feed of `actor`'s agenda; their previous one is revoked."""
    policy.require(actor, Action.FEED_MANAGE)
    token = new_token()
    with transaction.atomic():
        Agent.objects.select_for_update().filter(pk=actor.pk).first()
        previous = list(FeedToken.objects.filter(agent=actor, revoked_at__isnull=True))
        now = clock.now()
        for old in previous:
            FeedToken.objects.filter(pk=old.pk).update(revoked_at=now)
            audit_record(
                actor=actor,
                action="agenda_feed.revoke",
                obj=old,
                summary={"replaced": True},
            )
        feed = FeedToken.objects.create(agent=actor, token_sha256=digest(token))
        audit_record(actor=actor, action="agenda_feed.create", obj=feed, summary={})
    return NewFeed(feed=feed, token=token)


def feed_revoke(*, actor: Agent, feed_id: Any) -> FeedToken:
    """Revoke one of `actor`'s feeds: its link answers 404 from now on."""
    policy.require(actor, Action.FEED_MANAGE)
    key = parse_uuid(feed_id)
    with transaction.atomic():
        Agent.objects.select_for_update().filter(pk=actor.pk).first()
        feed = (
            policy.visible(actor, FeedToken.objects.all()).filter(uuid=key).first()
            if key
            else None
        )
        if feed is None:
            raise NotFound(_("No such feed."))
        if feed.revoked_at is not None:
            raise Conflict(
                _("This feed is already revoked."), code=AbsenceCode.ALREADY_REVOKED
            )
        feed.revoked_at = clock.now()
        feed.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="agenda_feed.revoke", obj=feed, summary={})
    return feed
