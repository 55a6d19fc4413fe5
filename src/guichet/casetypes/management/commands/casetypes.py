"""`guichet casetypes import|list|show`: case types from YAML files.

    guichet casetypes import FILE... [--json]
    guichet casetypes list [--json]
    guichet casetypes show CODE [--version N] [--json]

`import` reads every file first and imports them all, or none when any has a
problem. Exit codes: 0 imported or unchanged, 2 an invalid file (nothing imported),
a file that cannot be read, an unknown case type, or bad arguments. With --json one
document on standard output: `{"imported": [{"file", "code", "version", "status"}]}`
(status `imported` or `unchanged`), or on error `{"error": {"code", "message",
"file", "line"}, "errors": [...]}` with the first problem and every problem. Without
--json each problem is one line `FILE:LINE: message [code]` on standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from guichet.casetypes import selectors, services
from guichet.casetypes.errors import CaseTypeInvalid, UnknownCaseType
from guichet.core.commands import GuichetCommand, UsageError, add_json_option


class Command(GuichetCommand):
    help = "Case types: import YAML files, list them, show one version."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import",
            help="Import case-type files (all or none).",
            description=(
                "Validate every FILE, then import them all as new versions; an "
                "identical re-import changes nothing. Exit 0 imported or unchanged, "
                "2 when a file is invalid (nothing is imported)."
            ),
        )
        importing.add_argument("files", nargs="+", metavar="FILE")
        listing = actions.add_parser("list", help="The case types and their versions.")
        show = actions.add_parser("show", help="One version of a case type.")
        show.add_argument("code", metavar="CODE")
        show.add_argument(
            "--version",
            type=int,
            dest="number",
            metavar="N",
            help="The version number (default: the latest).",
        )
        for sub in (importing, listing, show):
            add_json_option(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        action = options["action"]
        if action == "import":
            self._import(options["files"])
        elif action == "list":
            self._list()
        else:
            self._show(options["code"], options.get("number"))

    def _refuse(self, error: dict[str, Any], errors: list[dict[str, Any]]) -> NoReturn:
        if self.json_output:
            self.emit({"error": error, "errors": errors})
            sys.exit(2)
        for problem in errors[1:]:
            self.stderr.write(_line(problem))
        raise UsageError(_line(error))

    def _import(self, names: list[str]) -> None:
        files: list[tuple[str, bytes]] = []
        for name in names:
            try:
                files.append((name, Path(name).read_bytes()))
            except OSError as error:
                problem = {
                    "code": "unreadable",
                    "message": _("The file cannot be read: %(reason)s.")
                    % {"reason": error.strerror or str(error)},
                    "file": name,
                    "line": None,
                }
                self._refuse(problem, [problem])
        try:
            outcomes = services.casetypes_import(agent=None, files=files)
        except CaseTypeInvalid as invalid:
            problems = [problem.as_dict() for problem in invalid.problems]
            self._refuse(problems[0], problems)
        if self.json_output:
            self.emit(
                {
                    "imported": [
                        {
                            "file": outcome.filename,
                            "code": outcome.code,
                            "version": outcome.number,
                            "status": outcome.status,
                        }
                        for outcome in outcomes
                    ]
                }
            )
            return
        for outcome in outcomes:
            if outcome.status == services.IMPORTED:
                text = _("%(file)s: %(code)s version %(version)s imported.")
            else:
                text = _("%(file)s: %(code)s unchanged (version %(version)s).")
            self.stdout.write(
                text
                % {
                    "file": outcome.filename,
                    "code": outcome.code,
                    "version": outcome.number,
                }
            )

    def _list(self) -> None:
        listing = selectors.casetype_list()
        if self.json_output:
            self.emit(
                {
                    "case_types": [
                        {
                            "code": item.code,
                            "names": item.names,
                            "team": item.team,
                            "versions": item.versions,
                            "current": _brief(item.current),
                            "latest": _brief(item.latest),
                        }
                        for item in listing
                    ]
                }
            )
            return
        if not listing:
            self.stdout.write(
                _("No case type yet: import one with `guichet casetypes import FILE`.")
            )
        for item in listing:
            current = (
                _("version %(number)s in force since %(date)s")
                % {
                    "number": item.current.number,
                    "date": item.current.valid_from.isoformat(),
                }
                if item.current
                else _("no version in force today")
            )
            self.stdout.write(
                f"{item.code}: {item.names['en']} ({item.team}; "
                + _("%(count)s version(s)") % {"count": item.versions}
                + f"; {current})"
            )

    def _show(self, code: str, number: int | None) -> None:
        try:
            version = selectors.casetype_version(code, number)
        except UnknownCaseType as error:
            problem = {
                "code": error.code,
                "message": error.text,
                "file": None,
                "line": None,
            }
            self._refuse(problem, [problem])
        payload = {
            "code": version.case_type.code,
            "version": version.number,
            "valid_from": version.valid_from.isoformat(),
            "sha256": version.source_sha256,
            "file": version.source_filename,
            "imported_at": version.created_at.isoformat(),
            "imported_by": version.imported_by.username
            if version.imported_by
            else None,
            "definition": version.definition,
        }
        if self.json_output:
            self.emit(payload)
            return
        definition = selectors.version_definition(version)
        self.stdout.write(
            f"{payload['code']} v{payload['version']}: {definition.names.en}"
            f" (valid from {payload['valid_from']}, team {definition.team})"
        )
        self.stdout.write(_("Statuses:"))
        for status in definition.statuses:
            mark = (
                " (initial)" if status.initial else " (final)" if status.final else ""
            )
            self.stdout.write(f"  {status.code}{mark}: {status.names.en}")
        self.stdout.write(_("Transitions:"))
        for transition in definition.transitions:
            self.stdout.write(
                f"  {transition.code}: {', '.join(transition.sources)} -> {transition.target}"
                f" [{', '.join(transition.roles)} >= {transition.min_level}]"
            )


def _brief(version: Any) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"version": version.number, "valid_from": version.valid_from.isoformat()}


def _line(problem: dict[str, Any]) -> str:
    where = problem["file"] or ""
    if problem.get("line"):
        where = f"{where}:{problem['line']}"
    prefix = f"{where}: " if where else ""
    return f"{prefix}{problem['message']} [{problem['code']}]"
