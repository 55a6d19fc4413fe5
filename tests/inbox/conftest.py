"""Fixtures of the inbox: a real IMAP server (Debian's dovecot) on the loopback,
started once per test session with its own configuration in a temporary folder,
and a service with an agent.

Without dovecot the tests that need it are skipped, and the run says how to
install it; with GUICHET_REQUIRE_IMAP=1 (CI) a missing dovecot fails them instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from guichet.inbox.mailboxes import Mailbox
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import RequestInput, request_create
from tests.correspondence.factories import LetterheadFactory
from tests.correspondence.test_dispatch import smtp  # noqa: F401 - the SMTP fixture
from tests.factories import TeamFactory

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
INSTALL_HINT = "apt-get install -y dovecot-imapd"
USER, PASSWORD = "citizen-mail", "loopback-only"

CONFIG = """\
base_dir = {root}/run
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 0
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Imap:
    """The running server: its port and the maildir it serves."""

    port: int
    maildir: Path
    owner: tuple[int, int]

    def mailbox(self, team: str, *, done_folder: str = "") -> Mailbox:
        return Mailbox(
            name="test-imap",
            host="127.0.0.1",
            port=self.port,
            tls=False,
            user=USER,
            password=PASSWORD,
            folder="INBOX",
            done_folder=done_folder,
            team=team,
        )

    def deliver(self, raw: bytes, name: str) -> None:
        """Put a message into the mailbox's new/ folder, as a delivery agent does."""
        target = self.maildir / "new" / f"{time.time_ns()}.{name}"
        target.write_bytes(raw)
        os.chown(target, *self.owner)

    def clear(self) -> None:
        for folder in ("new", "cur", "tmp"):
            for item in (self.maildir / folder).iterdir():
                item.unlink()
        for item in self.maildir.glob(".*"):
            if item.is_dir():
                shutil.rmtree(item)


def _accounts() -> dict[str, Any]:
    """Who dovecot runs as: its own users when we are root, else ourselves."""
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        return {
            "internal_user": "dovecot",
            "internal_group": "dovecot",
            "login_user": "dovenull",
            "uid": nobody.pw_uid,
            "gid": nobody.pw_gid,
        }
    import grp
    import pwd

    me = pwd.getpwuid(os.getuid())
    return {
        "internal_user": me.pw_name,
        "internal_group": grp.getgrgid(os.getgid()).gr_name,
        "login_user": me.pw_name,
        "uid": os.getuid(),
        "gid": os.getgid(),
    }


@pytest.fixture(scope="session")
def imap_server() -> Iterator[Imap]:
    if not Path(DOVECOT).exists():
        message = f"IMAP tests need dovecot: {INSTALL_HINT}"
        if os.environ.get("GUICHET_REQUIRE_IMAP") == "1":
            pytest.fail(message + " (GUICHET_REQUIRE_IMAP=1: skipping is a failure)")
        pytest.skip(message)
    # Not under pytest's own folder (mode 700): dovecot's processes, which run as
    # other users when we are root, must reach the maildir.
    root = Path(tempfile.mkdtemp(prefix="guichet-dovecot-"))
    root.chmod(0o755)
    accounts = _accounts()
    port = free_port()
    (root / "run").mkdir()
    maildir = root / "home" / USER / "Maildir"
    for folder in ("new", "cur", "tmp"):
        (maildir / folder).mkdir(parents=True)
    owner = (accounts["uid"], accounts["gid"])
    for path in (root / "home", root / "home" / USER, maildir, *maildir.iterdir()):
        os.chown(path, *owner)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, **accounts))
    subprocess.run([DOVECOT, "-c", str(config)], check=True)  # noqa: S603
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield Imap(port=port, maildir=maildir, owner=owner)
    finally:
        subprocess.run([DOVECOT, "-c", str(config), "stop"], check=False)  # noqa: S603
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap(imap_server: Imap) -> Iterator[Imap]:
    imap_server.clear()
    yield imap_server
    imap_server.clear()


@pytest.fixture
def service(db: Any) -> Any:
    """The population service (team 'population'), with its letterhead."""
    return LetterheadFactory(team=TeamFactory(code="population"))


@pytest.fixture
def clerk(make_agent: Callable[..., Any], service: Any) -> Any:
    return make_agent(
        "front_office", level="C", teams=("population",), username="clerk"
    )


@pytest.fixture
def corpus() -> Path:
    return Path(__file__).resolve().parent / "corpus"


def question(
    agent: Any, person: Any, *, topic: str = "attestations", status: str = ""
) -> Request:
    """A question by e-mail about `person`, in French, in `status` when given."""
    request = request_create(
        actor=agent,
        data=RequestInput(
            kind="question",
            subject="Extrait d'acte",
            topic=topic,
            channel="email",
            person=str(person.uuid),
            language="fr",
        ),
    )
    if status:
        Request.objects.filter(pk=request.pk).update(status=status)
        request.refresh_from_db()
    return request
