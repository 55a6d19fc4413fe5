"""`guichet telephony play|extension`: play a call against a running Guichet, and
give an agent their extension (docs/telephony.md).

    guichet telephony play --number NUMBER (--agent USERNAME | --extension EXT)
                           [--url http://127.0.0.1:8000] [--ring 2] [--talk 10]
                           [--call-id ID] [--secret-file PATH] [--json]
    guichet telephony extension USERNAME EXTENSION [--json]

`play` signs each event with the secret in --secret-file (`make demo` writes
its own to var/demo-telephony-secret), else the first of
GUICHET_TELEPHONY_SECRETS (with GUICHET_DEBUG on and none set, a public
development secret)
and prints each answer; exit 1 when one is refused. `extension` sets (or, with
"", removes) an agent's extension. Exit 2 on bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.agents.models import Agent
from guichet.core.commands import (
    GuichetCommand,
    NegativeAnswer,
    UsageError,
    add_json_option,
)
from guichet.core.errors import ValidationFailed
from guichet.telephony import play, services


class Command(GuichetCommand):
    help = "Telephony: play a call against a running Guichet; set an agent's extension."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        played = sub.add_parser("play", help="Ring, answer and end a call.")
        played.add_argument("--number", required=True, help="The caller's number.")
        who = played.add_mutually_exclusive_group(required=True)
        who.add_argument("--agent", default="", help="Username of who answers.")
        who.add_argument("--extension", default="", help="Extension that answers.")
        played.add_argument("--url", default="http://127.0.0.1:8000")
        played.add_argument("--ring", type=float, default=2.0, help="Seconds.")
        played.add_argument("--talk", type=float, default=10.0, help="Seconds.")
        played.add_argument("--call-id", default="")
        played.add_argument(
            "--secret-file",
            default="",
            help="Sign with the secret in this file (the demo's: "
            "var/demo-telephony-secret) instead of GUICHET_TELEPHONY_SECRETS.",
        )
        add_json_option(played)
        extension = sub.add_parser("extension", help="Set an agent's extension.")
        extension.add_argument("username")
        extension.add_argument("extension")
        add_json_option(extension)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "play":
            self._play(options)
        else:
            self._extension(options)

    def _play(self, options: dict[str, Any]) -> None:
        secret = _secret(options["secret_file"])
        answers: list[dict[str, Any]] = []
        refused = ""
        for sent in play.play(
            url=options["url"],
            secret=secret,
            caller=options["number"],
            agent=options["agent"],
            extension=options["extension"],
            ring_seconds=options["ring"],
            talk_seconds=options["talk"],
            call_id=options["call_id"],
        ):
            answer = {"event": sent.event, "status": sent.status, "answer": sent.body}
            answers.append(answer)
            if sent.status >= 300:
                refused = sent.event
            if not self.json_output:
                self.stdout.write(f"{sent.event}: {sent.status} {sent.body}")
        if refused:
            raise NegativeAnswer(
                _("The server refused the %(event)s event.") % {"event": refused},
                {"events": answers},
            )
        if self.json_output:
            self.emit({"events": answers})

    def _extension(self, options: dict[str, Any]) -> None:
        agent = Agent.objects.filter(username__iexact=options["username"]).first()
        if agent is None:
            raise UsageError(_("No agent has this username."))
        try:
            services.extension_assign(
                actor=None, agent=agent, extension=options["extension"]
            )
        except ValidationFailed as error:
            raise UsageError(
                "; ".join(item.text for item in error.errors) or error.text
            ) from None
        self.emit({"agent": agent.username, "extension": agent.phone_extension})


def _secret(path: str) -> str:
    """The secret the events are signed with: the file's, else the setting's first."""
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(
                _("Cannot read the secret file: %(error)s") % {"error": error}
            ) from None
    if not settings.TELEPHONY_SECRETS:
        raise UsageError(_("Set GUICHET_TELEPHONY_SECRETS to sign the events."))
    return str(settings.TELEPHONY_SECRETS[0])
