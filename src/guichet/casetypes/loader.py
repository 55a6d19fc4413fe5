"""Read a case-type file: YAML with line numbers, the JSON Schema, then the rules.

`load(source, filename=...)` returns the `Definition` or raises `CaseTypeInvalid`
with every problem found, each naming the file, the line (1-based) and the reason
with a stable code and a translated message. Three passes, each only when the one
before found nothing (a rule cannot be checked on a shape that is wrong):

1. **YAML**, with `yaml.safe_load`'s semantics (SafeLoader: no tags that build
   Python objects) but composed into a node tree first (`SafeLoader.get_single_node`),
   so every value keeps the line it was written on; a key written twice in one
   mapping is refused (safe_load would keep the last one silently). Dates become ISO
   strings, for the schema.
2. **The JSON Schema** `data/casetype.schema.json` (draft 2020-12, validated with
   jsonschema-rs): the shape, the required fields, the closed vocabularies.
3. **The rules** (`_check`): codes unique in their list, transitions between declared
   statuses, one initial status, a final status, every status reachable from the
   initial one and every non-final one left by some transition, no transition out of
   a final status, roles and levels of `agents`, check kinds of `checks`, and guard,
   effect and letter names declared in `registry`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

import yaml

from guichet.agents.models import LEVEL_RANK, RoleCode
from guichet.checks.kinds import KINDS as CHECK_KINDS
from guichet.core.errors import render
from guichet.core.jsonschema import schema_at, validator_at

from . import registry
from .definition import Definition, definition_from_json
from .errors import CaseTypeInvalid, Code

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "casetype.schema.json"

Path_ = tuple[str | int, ...]
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass(frozen=True)
class LoadProblem:
    """One reason a file is refused, where it is."""

    file: str
    line: int
    code: str
    message: str | Promise
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.message, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.text,
            "file": self.file,
            "line": self.line,
        }


def schema() -> dict[str, Any]:
    """The JSON Schema of a case type (read once per process)."""
    return schema_at(SCHEMA_PATH)


def _validator() -> Any:
    return validator_at(SCHEMA_PATH)


def _syntax(file: str, line: int, reason: str) -> LoadProblem:
    return LoadProblem(
        file,
        line,
        Code.YAML_SYNTAX,
        _("This is not valid YAML: %(reason)s."),
        {"reason": reason},
    )


class _Reader:
    """Turns the composed node tree into JSON-like data and a map of lines."""

    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.problems: list[LoadProblem] = []

    def read(
        self, node: yaml.Node, path: Path_, above: frozenset[int] = frozenset()
    ) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in _PLAIN_TAGS or id(node) in above:
            # safe_load refuses other tags; an alias inside itself never ends.
            reason = f"unsupported tag or recursive alias ({node.tag})"
            self.problems.append(_syntax(self.file, node.start_mark.line + 1, reason))
            return None
        above = above | {id(node)}
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(self.scalar(key_node))
                if key in result:
                    self.problems.append(
                        LoadProblem(
                            self.file,
                            key_node.start_mark.line + 1,
                            Code.DUPLICATE_KEY,
                            _("The key %(key)s is written twice in this mapping."),
                            {"key": key},
                        )
                    )
                result[key] = self.read(value_node, (*path, key), above)
                if not isinstance(value_node, yaml.ScalarNode):
                    # A list or a mapping is reported at its key, not its first item.
                    self.lines[(*path, key)] = key_node.start_mark.line + 1
                # A key's own line: where an unexpected field is reported.
                self.lines[(*path, key, "<key>")] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.read(item, (*path, index), above)
                for index, item in enumerate(node.value)
            ]
        return None  # pragma: no cover - a node is a scalar, a mapping or a list

    def scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:  # a tag safe_load refuses
            line = node.start_mark.line + 1
            self.problems.append(_syntax(self.file, line, error.problem or ""))
            return None
        except ValueError:  # a timestamp that is no date: 2026-02-30
            self.problems.append(
                LoadProblem(
                    self.file,
                    node.start_mark.line + 1,
                    Code.INVALID_DATE,
                    _("%(value)s is not a date (YYYY-MM-DD)."),
                    {"value": node.value},
                )
            )
            return str(node.value)
        if isinstance(value, dt.date):  # datetime is a date too
            return value.isoformat()
        return value


def read_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int], list[LoadProblem]]:
    """The document's data, the line of each path, and the problems of this pass."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 1
            reason = error.problem or error.context or ""
            return None, {}, [_syntax(file, line, reason)]
        except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks its errors
            return None, {}, [_syntax(file, 1, str(error))]
        if node is None:
            return None, {(): 1}, []
        reader = _Reader(loader, file)
        data = reader.read(node, ())
        return data, reader.lines, reader.problems
    finally:
        loader.dispose()


def _line(lines: Mapping[Path_, int], path: Path_) -> int:
    """The line of `path`, or of its nearest ancestor written in the file."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def _dotted(path: Path_) -> str:
    return ".".join(str(part) for part in path) or "(document)"


def _schema_problem(error: Any, lines: Mapping[Path_, int], file: str) -> LoadProblem:
    path: Path_ = tuple(error.instance_path)
    kind = type(error.kind).__name__
    where = _dotted(path)
    if kind == "Required":
        return LoadProblem(
            file,
            _line(lines, path),
            Code.REQUIRED,
            _("%(where)s: the field %(field)s is required."),
            {"where": where, "field": error.kind.property},
        )
    if kind == "AdditionalProperties":
        unexpected = sorted(error.kind.unexpected)
        return LoadProblem(
            file,
            _line(lines, (*path, unexpected[0], "<key>")),
            Code.UNEXPECTED,
            _("%(where)s: %(fields)s is not a field of a case type here."),
            {"where": where, "fields": ", ".join(unexpected)},
        )
    if kind == "Type":
        return LoadProblem(
            file,
            _line(lines, path),
            Code.WRONG_TYPE,
            _("%(where)s must be of type %(types)s."),
            {"where": where, "types": " or ".join(error.kind.types)},
        )
    if kind in {"Enum", "Constant"}:
        options = getattr(error.kind, "options", None)
        if options is None:
            options = [getattr(error.kind, "expected_value", "")]
        return LoadProblem(
            file,
            _line(lines, path),
            Code.NOT_ALLOWED,
            _("%(where)s: choose one of %(allowed)s."),
            {"where": where, "allowed": ", ".join(str(option) for option in options)},
        )
    return LoadProblem(
        file,
        _line(lines, path),
        Code.INVALID_VALUE,
        _("%(where)s: the value is not valid here (%(detail)s)."),
        {"where": where, "detail": error.message},
    )


class _Checker:
    """The rules of pass 3, each problem at its line."""

    def __init__(self, data: Mapping[str, Any], lines: Mapping[Path_, int], file: str):
        self.data = data
        self.lines = lines
        self.file = file
        self.problems: list[LoadProblem] = []

    def add(self, path: Path_, problem: str, message: Any, **params: Any) -> None:
        self.problems.append(
            LoadProblem(self.file, _line(self.lines, path), problem, message, params)
        )

    def unique(self, path: Path_, items: list[Mapping[str, Any]]) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            code = item["code"]
            if code in seen:
                self.add(
                    (*path, index, "code"),
                    Code.DUPLICATE_CODE,
                    _("The code %(code)s is used twice in %(list)s."),
                    code=code,
                    list=_dotted(path),
                )
            seen.add(code)
        return seen

    def names(
        self, path: Path_, values: list[str], known: Any, code: str, message: Any
    ) -> None:
        for index, name in enumerate(values):
            if name not in known:
                self.add((*path, index), code, message, name=name)

    def run(self) -> list[LoadProblem]:
        data = self.data
        statuses = data["statuses"]
        status_codes = self.unique(("statuses",), statuses)
        for index, status in enumerate(statuses):
            self.unique(("statuses", index, "checklist"), status.get("checklist", []))
        self.unique(("transitions",), data["transitions"])
        self.unique(("documents",), data.get("documents", []))
        self.unique(("decisions",), data.get("decisions", []))
        self.unique(("results",), data.get("results", []))
        self.unique(("fees",), data.get("fees", []))
        self._statuses(statuses, status_codes)
        self._transitions(status_codes)
        for index, document in enumerate(data.get("documents", [])):
            self.names(
                ("documents", index, "checks"),
                document.get("checks", []),
                CHECK_KINDS,
                Code.UNKNOWN_CHECK,
                _("There is no check named %(name)s."),
            )
        for index, decision in enumerate(data.get("decisions", [])):
            approval = decision.get("approval")
            if approval and approval["min_level"] not in LEVEL_RANK:
                self.add(
                    ("decisions", index, "approval", "min_level"),
                    Code.UNKNOWN_LEVEL,
                    _("There is no function level %(name)s (D, C, B, A1, A2)."),
                    name=approval["min_level"],
                )
        self._durations()
        self._dates()
        return self.problems

    def _dates(self) -> None:
        written: list[tuple[Path_, Any]] = [(("valid_from",), self.data["valid_from"])]
        written += [
            (("fees", index, "valid_from"), fee.get("valid_from"))
            for index, fee in enumerate(self.data.get("fees", []))
        ]
        for path, value in written:
            if value is None:
                continue
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.add(
                    path,
                    Code.INVALID_DATE,
                    _("%(value)s is not a date (YYYY-MM-DD)."),
                    value=value,
                )

    def _statuses(self, statuses: list[Mapping[str, Any]], codes: set[str]) -> None:
        initial = [i for i, status in enumerate(statuses) if status.get("initial")]
        if not initial:
            self.add(
                ("statuses",),
                Code.NO_INITIAL_STATUS,
                _("No status is marked initial: a dossier must start somewhere."),
            )
        for index in initial[1:]:
            self.add(
                ("statuses", index, "initial"),
                Code.SEVERAL_INITIAL_STATUSES,
                _("Only one status may be initial; %(first)s already is."),
                first=statuses[initial[0]]["code"],
            )
        if not any(status.get("final") for status in statuses):
            self.add(
                ("statuses",),
                Code.NO_FINAL_STATUS,
                _("No status is marked final: a dossier could never be closed."),
            )

    def _transitions(self, status_codes: set[str]) -> None:
        data = self.data
        statuses = data["statuses"]
        final = {status["code"] for status in statuses if status.get("final")}
        edges: dict[str, set[str]] = {code: set() for code in status_codes}
        for index, transition in enumerate(data["transitions"]):
            path: Path_ = ("transitions", index)
            sources = transition["from"]
            listed = isinstance(sources, list)
            sources = sources if listed else [sources]
            for position, source in enumerate(sources):
                where = (*path, "from", position) if listed else (*path, "from")
                if source not in status_codes:
                    self.add(
                        where,
                        Code.UNKNOWN_STATUS,
                        _("There is no status %(name)s in this case type."),
                        name=source,
                    )
                elif source in final:
                    self.add(
                        where,
                        Code.FINAL_HAS_EXIT,
                        _("%(name)s is a final status: no transition may leave it."),
                        name=source,
                    )
            target = transition["to"]
            if target not in status_codes:
                self.add(
                    (*path, "to"),
                    Code.UNKNOWN_STATUS,
                    _("There is no status %(name)s in this case type."),
                    name=target,
                )
            for source in sources:
                if source in edges:
                    edges[source].add(target)
            self.names(
                (*path, "roles"),
                transition["roles"],
                RoleCode.values,
                Code.UNKNOWN_ROLE,
                _("There is no role %(name)s."),
            )
            if transition["min_level"] not in LEVEL_RANK:
                self.add(
                    (*path, "min_level"),
                    Code.UNKNOWN_LEVEL,
                    _("There is no function level %(name)s (D, C, B, A1, A2)."),
                    name=transition["min_level"],
                )
            self.names(
                (*path, "guards"),
                transition.get("guards", []),
                registry.GUARDS,
                Code.UNKNOWN_GUARD,
                _("No guard named %(name)s is declared in the registry."),
            )
            self.names(
                (*path, "effects"),
                transition.get("effects", []),
                registry.EFFECTS,
                Code.UNKNOWN_EFFECT,
                _("No effect named %(name)s is declared in the registry."),
            )
            self.names(
                (*path, "letters"),
                transition.get("letters", []),
                registry.LETTERS,
                Code.UNKNOWN_LETTER,
                _("No letter template %(name)s is declared in the registry."),
            )
        initial = [s["code"] for s in statuses if s.get("initial")]
        if not initial:
            return
        reached = {initial[0]}
        queue = deque(reached)
        while queue:
            for target in edges.get(queue.popleft(), ()):
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
        for index, status in enumerate(statuses):
            code = status["code"]
            if code not in reached:
                self.add(
                    ("statuses", index, "code"),
                    Code.UNREACHABLE_STATUS,
                    _("No transition leads from %(initial)s to the status %(name)s."),
                    name=code,
                    initial=initial[0],
                )
            elif code not in final and not edges.get(code):
                self.add(
                    ("statuses", index, "code"),
                    Code.DEAD_END,
                    _(
                        "No transition leaves the status %(name)s, and it is not"
                        " final: a dossier would be stuck there."
                    ),
                    name=code,
                )

    def _durations(self) -> None:
        for path, duration in _durations(self.data):
            if (
                duration.get("counting") == "business"
                and duration.get("unit", "days") != "days"
            ):
                self.add(
                    (*path, "unit"),
                    Code.UNITS_NOT_COUNTABLE,
                    _("Business time is counted in days, not in %(unit)s."),
                    unit=duration["unit"],
                )


def _durations(data: Mapping[str, Any]) -> Iterator[tuple[Path_, Mapping[str, Any]]]:
    for name, value in (data.get("deadlines") or {}).items():
        if isinstance(value, dict):
            yield ("deadlines", name), value
    for index, decision in enumerate(data.get("decisions", [])):
        if decision.get("appeal_period"):
            yield ("decisions", index, "appeal_period"), decision["appeal_period"]
    for index, result in enumerate(data.get("results", [])):
        yield ("results", index, "retention", "period"), result["retention"]["period"]


@dataclass(frozen=True)
class Parsed:
    """What reading a file gave: the definition (None when refused), every
    problem, and the line of each path (for the importer's own checks)."""

    definition: Definition | None
    problems: list[LoadProblem]
    lines: Mapping[Path_, int]

    def line(self, *path: str | int) -> int:
        return _line(self.lines, path)


def parse(source: str | bytes, *, filename: str) -> Parsed:
    """Read and check a case-type file (the three passes)."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError:
            problem = LoadProblem(
                filename, 1, Code.NOT_TEXT, _("The file is not text in UTF-8.")
            )
            return Parsed(None, [problem], {})
    data, lines, problems = read_yaml(source, filename)
    if problems:
        return Parsed(None, problems, lines)
    errors = sorted(
        _validator().iter_errors(data),
        key=lambda error: (_line(lines, tuple(error.instance_path)), error.message),
    )
    if errors:
        return Parsed(
            None, [_schema_problem(error, lines, filename) for error in errors], lines
        )
    problems = _Checker(data, lines, filename).run()
    if problems:
        return Parsed(None, sorted(problems, key=lambda problem: problem.line), lines)
    return Parsed(definition_from_json(data), [], lines)


def load(source: str | bytes, *, filename: str) -> Definition:
    """The definition of a case-type file; `CaseTypeInvalid` lists every problem."""
    parsed = parse(source, filename=filename)
    if parsed.definition is None:
        raise CaseTypeInvalid(parsed.problems)
    return parsed.definition
