"""`guichet createagent`: create an agent account from the command line."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.agents.models import FunctionLevel, Language, RoleCode
from guichet.agents.services import agent_create
from guichet.core.commands import GuichetCommand, UsageError
from guichet.core.errors import ValidationFailed


class Command(GuichetCommand):
    help = "Create an agent with a level, roles and teams. Asks for the password unless --no-password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--level", choices=FunctionLevel.values, default=FunctionLevel.C
        )
        parser.add_argument(
            "--role",
            dest="roles",
            action="append",
            choices=RoleCode.values,
            default=[],
            help="Repeatable.",
        )
        parser.add_argument(
            "--team",
            dest="teams",
            action="append",
            default=[],
            help="Team code; repeatable.",
        )
        parser.add_argument(
            "--lead",
            dest="lead_teams",
            action="append",
            default=[],
            help="Team code the agent leads.",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--language", choices=Language.values, default=Language.FR)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input.",
        )
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Create without a password (token use only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["roles"]:
            raise UsageError(_("Give at least one --role."))
        password: str | None = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif not options["no_password"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise UsageError(_("The two passwords differ."))
        try:
            agent = agent_create(
                actor=None,
                username=options["username"],
                password=password,
                level=options["level"],
                roles=options["roles"],
                teams=options["teams"],
                lead_teams=options["lead_teams"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                language=options["language"],
            )
        except ValidationFailed as error:
            details = "; ".join(f"{item.field}: {item.text}" for item in error.errors)
            raise UsageError(details or error.text) from None
        self.emit(
            {
                "username": agent.username,
                "id": str(agent.uuid),
                "level": agent.level,
                "roles": sorted(agent.role_codes),
            }
        )
