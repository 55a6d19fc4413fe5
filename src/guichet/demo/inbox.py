"""The demo's inbox: a few e-mails of citizens, imported as a mailbox would deliver
them (`fixtures/inbox/*.eml`: a question in Dutch, an automatic reply, a message
with a script and remote images), and one from a demo person on record, so that
the inbox shows a sender already identified."""

from __future__ import annotations

from pathlib import Path

from guichet.agents.models import Team
from guichet.inbox.services import message_process, message_receive
from guichet.parties.models import EmailAddress

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "inbox"
TEAM = "cc-fr"


def _from_a_person() -> bytes | None:
    address = (
        EmailAddress.objects.filter(
            person__isnull=False, person__confidential_team=None
        )
        .order_by("id")
        .values_list("address", flat=True)
        .first()
    )
    if address is None:
        return None
    return (
        f"From: <{address}>\r\n"
        "To: contact@guichet.example\r\n"
        "Subject: Légalisation d'un diplôme\r\n"
        "Message-ID: <demo-legalisation-1@example.be>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Bonjour, je dois faire légaliser mon diplôme pour l'étranger. "
        "Quels documents dois-je apporter ? Merci.\r\n"
    ).encode()


def build() -> int:
    """Import the demo's e-mails into the contact center's inbox (once each)."""
    team = Team.objects.get(code=TEAM)
    sources = [
        (path.name, path.read_bytes()) for path in sorted(FIXTURES.glob("*.eml"))
    ]
    own = _from_a_person()
    if own is not None:
        sources.append(("legalisation.eml", own))
    stored = 0
    for name, raw in sources:
        received = message_receive(raw=raw, source=f"demo:{name}", team=team)
        if received.created:
            message_process(message_id=received.message.pk)
            stored += 1
    return stored
