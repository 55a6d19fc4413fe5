"""What generate.py and run.py share: the bench database, Django, the agent's token."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
GUICHET = str(BIN / "guichet")

# The agent the load client acts as: first line of the French-speaking contact
# center, who sees every person except those confidential to another team.
AGENT = "bench.agent"
AGENT_TEAM = ("cc-fr", "Contact center FR")
# Persons confidential to this team are invisible to the agent.
HIDDEN_TEAM = ("visas", "Visas")


def vendor(url: str) -> str:
    engine = dj_database_url.parse(url)["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise SystemExit(f"Not a PostgreSQL or SQLite URL: {url}")


def label(url: str) -> str:
    """A short name for the database, safe in a file name ("postgresql-guichet_bench")."""
    name = Path(str(dj_database_url.parse(url)["NAME"])).stem
    return f"{vendor(url)}-{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}"


def token_file(url: str) -> Path:
    return OUT / f"search-{label(url)}.token"


def environment(url: str, **extra: str) -> dict[str, str]:
    """The environment a `guichet` command or the server needs for this database."""
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    env.update(extra)
    return env


def shown(command: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """A command as one could paste it in a shell (paths relative to the project)."""
    words = [str(word).replace(f"{ROOT}/", "") for word in command]
    prefix = [
        f'{key}="{value}"' if value.startswith("$(") else f"{key}={shlex.quote(value)}"
        for key, value in (env or {}).items()
    ]
    return " ".join([*prefix, *(shlex.quote(word) for word in words)])


def run(command: Sequence[str], url: str) -> subprocess.CompletedProcess[str]:
    print(f"$ {shown(command, {'DATABASE_URL': url})}", flush=True)
    return subprocess.run(
        command, env=environment(url), cwd=ROOT, check=True, text=True
    )


def ensure_postgres_database(url: str) -> bool:
    """Create the PostgreSQL database if it does not exist; True if created."""
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(url)
    params: dict[str, Any] = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    params = {key: value for key, value in params.items() if value}
    name = str(settings["NAME"])
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def django_setup(url: str) -> None:
    """Configure Django in this process for the bench database."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    import django

    django.setup()


def run_captured(command: Sequence[str], url: str) -> str:
    print(f"$ {shown(command, {'DATABASE_URL': url})}", flush=True)
    return subprocess.run(
        command,
        env=environment(url),
        cwd=ROOT,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
