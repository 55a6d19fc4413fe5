"""`guichet token create|revoke|list`: API tokens for machines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.agents.models import Agent, ApiToken
from guichet.agents.services import token_create, token_revoke
from guichet.core.commands import GuichetCommand, UsageError
from guichet.core.errors import ValidationFailed


class Command(GuichetCommand):
    help = "Issue, list or revoke API tokens. The token is printed once, at creation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument(
            "target", help="Agent username (create, list) or token prefix (revoke)."
        )
        parser.add_argument("--name", default="", help="What uses the token (create).")
        parser.add_argument(
            "--days", type=int, default=None, help="Days before it expires (create)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, target = options["action"], options["target"]
        if action == "revoke":
            token = ApiToken.objects.filter(prefix=target).first()
            if token is None:
                raise UsageError(
                    _("No token with prefix %(prefix)s.") % {"prefix": repr(target)}
                )
            token_revoke(actor=None, token=token)
            self.emit({"prefix": token.prefix, "revoked_at": token.revoked_at})
            return
        agent = Agent.objects.filter(username__iexact=target).first()
        if agent is None:
            raise UsageError(_("No agent named %(name)s.") % {"name": repr(target)})
        if action == "list":
            self.emit(
                {
                    "tokens": [
                        {
                            "prefix": t.prefix,
                            "name": t.name,
                            "expires_at": t.expires_at,
                            "revoked_at": t.revoked_at,
                        }
                        for t in agent.api_tokens.all()
                    ]
                }
            )
            return
        if not options["name"]:
            raise UsageError(_("Give --name: what uses the token."))
        try:
            issued = token_create(
                actor=None, agent=agent, name=options["name"], days=options["days"]
            )
        except ValidationFailed as error:
            details = "; ".join(f"--{item.field}: {item.text}" for item in error.errors)
            raise UsageError(details or error.text) from None
        self.emit(
            {
                "token": issued.secret,
                "prefix": issued.token.prefix,
                "expires_at": issued.token.expires_at,
            }
        )
