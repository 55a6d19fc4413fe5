"""The `guichet` command line: Django's management commands with Guichet's settings.

Works from any folder. Exit codes: 0 ok, 1 a negative answer (a check that fails,
a broken chain), 2 a usage error (unknown command, bad arguments).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    import django
    from django.core.management import ManagementUtility, get_commands

    django.setup()
    asks_for_command = bool(args) and not args[0].startswith("-")
    if asks_for_command and args[0] not in {"help", "version", *get_commands()}:
        sys.stderr.write(
            f"Unknown command: {args[0]!r}. Type 'guichet help' for the list of commands.\n"
        )
        return 2
    utility = ManagementUtility(["guichet", *args])
    try:
        utility.execute()
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
