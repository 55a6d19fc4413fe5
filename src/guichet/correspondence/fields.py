"""Typed free fields of letters: their declarations, values and printed forms (pure).

A template declares each of its free fields (`{{ free.deadline }}`): a type and a
label in the four languages, and for a choice its options, each with its words in
the four languages. In YAML (data/letter_templates.yaml and the admin):

    deadline:
      type: date
      label: {fr: Date limite, nl: Uiterste datum, de: Frist, en: Deadline}

An agent's value is checked against its type (`parse`) and kept in one canonical
form: a date as 2027-03-31, a time as 14:30, an amount as 1234.50 (euros), a choice
as its option's key, a text as typed. The letter prints it in its own language
(`display`), as Belgian letters write them:

| type   | fr                | nl                  | de                  | en                 |
| ------ | ----------------- | ------------------- | ------------------- | ------------------ |
| date   | 31 mars 2027      | 31 maart 2027       | 31. März 2027       | 31 March 2027      |
| time   | 14 h 30           | 14.30 uur           | 14:30 Uhr           | 14:30              |
| amount | 1 234,50 €        | € 1.234,50          | 1.234,50 €          | €1,234.50          |

Dates come from `formatting.letter_date` (1er for the first of the month in French).
Amounts follow CLDR's fr-BE, nl-BE and de-BE patterns; French groups thousands with
a no-break space (CLDR's narrow no-break space is missing from the letters' font).
English uses the English decimal point, not en-BE's comma: an English reader takes
"1.234,50" for a different figure, and a wrong figure is the harm to avoid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.core.money import format_amount, parse_amount, quantize

from . import formatting

LANGUAGES = ("fr", "nl", "de", "en")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
LABEL_MAX = 100
TEXT_MAX = 2000


class FieldType(StrEnum):
    DATE = "date"
    TIME = "time"
    AMOUNT = "amount"
    TEXT = "text"
    CHOICE = "choice"


@dataclass(frozen=True)
class Option:
    key: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class FieldSpec:
    """One free field as its template declares it."""

    name: str
    type: FieldType
    label: Mapping[str, str]
    options: tuple[Option, ...] = ()

    def label_in(self, language: str | None) -> str:
        """The label in `language` (English, then the name, when it has none)."""
        code = (language or "en")[:2]
        return self.label.get(code) or self.label.get("en") or self.name

    @property
    def label_here(self) -> str:
        """The label in the language active when it is shown (a lazy text, for
        error messages rendered later, in the reader's language)."""
        return _lazy_label(self)

    def option_label(self, key: str, language: str | None) -> str:
        code = (language or "en")[:2]
        for option in self.options:
            if option.key == key:
                return option.label.get(code) or option.label.get("en") or key
        return key

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type.value, "label": dict(self.label)}
        if self.options:
            data["options"] = {
                option.key: dict(option.label) for option in self.options
            }
        return data


def _label_now(spec: FieldSpec) -> str:
    return spec.label_in(get_language())


_lazy_label = lazy(_label_now, str)


def undeclared(name: str) -> FieldSpec:
    """A free field no template declares (one the agent wrote into their own text):
    a text, labelled with its name."""
    return FieldSpec(
        name=name,
        type=FieldType.TEXT,
        label=dict.fromkeys(LANGUAGES, name),
    )


def specs(data: Mapping[str, Any] | None) -> dict[str, FieldSpec]:
    """Declarations as stored (already checked by `declarations`), by name."""
    found: dict[str, FieldSpec] = {}
    for name, item in (data or {}).items():
        options = tuple(
            Option(key=key, label=dict(labels))
            for key, labels in (item.get("options") or {}).items()
        )
        found[name] = FieldSpec(
            name=name,
            type=FieldType(item["type"]),
            label=dict(item["label"]),
            options=options,
        )
    return found


@dataclass(frozen=True)
class DeclarationProblem:
    """A mistake in a declaration: where (a dotted path), a code, what to tell."""

    path: str
    code: str
    message: Any
    params: Mapping[str, Any]


def _labels(
    problems: list[DeclarationProblem], path: str, raw: object
) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        problems.append(
            DeclarationProblem(
                path,
                "invalid_label",
                _("%(path)s: give a label in each language: fr, nl, de and en."),
                {"path": path},
            )
        )
        return {}
    clean: dict[str, str] = {}
    for language in LANGUAGES:
        value = raw.get(language)
        text = " ".join(str(value).split()) if isinstance(value, str) else ""
        if not text or len(text) > LABEL_MAX:
            problems.append(
                DeclarationProblem(
                    f"{path}.{language}",
                    "invalid_label",
                    _(
                        "%(path)s: give the label in %(language)s, at most %(max)d "
                        "characters."
                    ),
                    {"path": path, "language": language, "max": LABEL_MAX},
                )
            )
        clean[language] = text
    unknown = sorted(str(key) for key in raw if key not in LANGUAGES)
    if unknown:
        problems.append(
            DeclarationProblem(
                path,
                "invalid_label",
                _(
                    "%(path)s: labels are given in fr, nl, de and en only, not %(keys)s."
                ),
                {"path": path, "keys": ", ".join(unknown)},
            )
        )
    return clean


def declarations(
    raw: object,
) -> tuple[dict[str, dict[str, Any]], list[DeclarationProblem]]:
    """Check declarations written by an administrator (or shipped); return them in
    their stored form, and every mistake found."""
    problems: list[DeclarationProblem] = []
    if raw is None or raw == "":
        return {}, problems
    if not isinstance(raw, Mapping):
        problems.append(
            DeclarationProblem(
                "",
                "invalid_declaration",
                _(
                    "Declare the free fields as a mapping of names to their type and label."
                ),
                {},
            )
        )
        return {}, problems
    clean: dict[str, dict[str, Any]] = {}
    for name, item in raw.items():
        path = str(name)
        if not isinstance(name, str) or not NAME.match(name):
            problems.append(
                DeclarationProblem(
                    path,
                    "invalid_declaration",
                    _("%(path)s is not a free field name (small letters, digits, _)."),
                    {"path": path},
                )
            )
            continue
        if not isinstance(item, Mapping):
            item = {}
        kind = item.get("type")
        if kind not in FieldType.__members__.values():
            problems.append(
                DeclarationProblem(
                    f"{path}.type",
                    "invalid_declaration",
                    _("%(path)s: choose its type among %(types)s."),
                    {"path": path, "types": ", ".join(FieldType)},
                )
            )
            continue
        label = _labels(problems, f"{path}.label", item.get("label"))
        options: dict[str, dict[str, str]] = {}
        raw_options = item.get("options")
        if kind == FieldType.CHOICE:
            if not isinstance(raw_options, Mapping) or not raw_options:
                problems.append(
                    DeclarationProblem(
                        f"{path}.options",
                        "invalid_declaration",
                        _(
                            "%(path)s: a choice lists its options, each with its labels."
                        ),
                        {"path": path},
                    )
                )
            else:
                for key, labels in raw_options.items():
                    option_path = f"{path}.options.{key}"
                    if not isinstance(key, str) or not NAME.match(key):
                        problems.append(
                            DeclarationProblem(
                                option_path,
                                "invalid_declaration",
                                _(
                                    "%(path)s is not an option key (small letters, "
                                    "digits, _)."
                                ),
                                {"path": option_path},
                            )
                        )
                        continue
                    options[key] = _labels(problems, option_path, labels)
        elif raw_options:
            problems.append(
                DeclarationProblem(
                    f"{path}.options",
                    "invalid_declaration",
                    _("%(path)s: only a choice has options."),
                    {"path": path},
                )
            )
        unknown = sorted(
            str(key) for key in item if key not in {"type", "label", "options"}
        )
        if unknown:
            problems.append(
                DeclarationProblem(
                    path,
                    "invalid_declaration",
                    _(
                        "%(path)s: a free field has a type, a label and options only, not %(keys)s."
                    ),
                    {"path": path, "keys": ", ".join(unknown)},
                )
            )
        clean[name] = {"type": str(kind), "label": label}
        if options:
            clean[name]["options"] = options
    return clean, problems


class InvalidValue(ValueError):
    """A value that does not fit its field's type: a message naming the field."""

    def __init__(self, message: Any, **params: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.params = params


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:.hu]\s*(\d{2})?\s*$", re.IGNORECASE)


def _date(spec: FieldSpec, text: str) -> str:
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return dt.date.fromisoformat(text).isoformat()
        match = _DAY_MONTH_YEAR.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    raise InvalidValue(
        _(
            "%(label)s: %(value)s is not a date. Give the day, month and year, as 31/12/2027."
        ),
        label=spec.label_here,
        value=text,
    )


def _time(spec: FieldSpec, text: str) -> str:
    match = _TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise InvalidValue(
        _(
            "%(label)s: %(value)s is not a time of day. Give hours and minutes, as 14:30."
        ),
        label=spec.label_here,
        value=text,
    )


def _amount(spec: FieldSpec, text: str) -> str:
    typed = text.replace("€", "").replace("EUR", "").strip()
    if "," in typed and "." in typed:
        typed = typed.replace(".", "")  # 1.234,50: the dots group thousands
    try:
        return format_amount(parse_amount(typed))
    except ValueError:
        raise InvalidValue(
            _(
                "%(label)s: %(value)s is not an amount in euros. Give it with at most "
                "two decimals, as 1234,50."
            ),
            label=spec.label_here,
            value=text,
        ) from None


def _choice(spec: FieldSpec, text: str) -> str:
    keys = [option.key for option in spec.options]
    if text in keys:
        return text
    raise InvalidValue(
        _("%(label)s: choose one of %(options)s."),
        label=spec.label_here,
        options=", ".join(keys),
    )


def parse(spec: FieldSpec, raw: object) -> str:
    """The canonical form of a value typed for this field; "" when empty. Raises
    `InvalidValue`, whose message names the field, when it does not fit."""
    if not isinstance(raw, str):
        raise InvalidValue(_("%(label)s: give a text value."), label=spec.label_here)
    text = raw.strip() if spec.type == FieldType.TEXT else " ".join(raw.split())
    if not text:
        return ""
    if spec.type == FieldType.DATE:
        return _date(spec, text)
    if spec.type == FieldType.TIME:
        return _time(spec, text)
    if spec.type == FieldType.AMOUNT:
        return _amount(spec, text)
    if spec.type == FieldType.CHOICE:
        return _choice(spec, text)
    if len(text) > TEXT_MAX:
        raise InvalidValue(
            _("%(label)s: at most %(max)d characters (%(count)d given)."),
            label=spec.label_here,
            max=TEXT_MAX,
            count=len(text),
        )
    return text


def _grouped(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


def amount_text(value: Decimal, language: str) -> str:
    """An amount in euros as a letter in `language` writes it."""
    cents = f"{quantize(value):.2f}"
    whole, decimals = cents.split(".")
    if language == "en":
        return f"€{_grouped(int(whole), ',')}.{decimals}"
    if language == "fr":
        return f"{_grouped(int(whole), chr(0xA0))},{decimals}\u00a0€"
    if language == "nl":
        return f"€\u00a0{_grouped(int(whole), '.')},{decimals}"
    return f"{_grouped(int(whole), '.')},{decimals}\u00a0€"


def time_text(hour: int, minute: int, language: str) -> str:
    """A time of day as a letter in `language` writes it."""
    if language == "fr":
        return f"{hour} h {minute:02d}" if minute else f"{hour} h"
    if language == "nl":
        return f"{hour}.{minute:02d} uur"
    if language == "de":
        return f"{hour}:{minute:02d} Uhr"
    return f"{hour}:{minute:02d}"


def display(spec: FieldSpec, value: str, language: str) -> str:
    """A stored value as the letter prints it in `language` (a value stored before
    its field was typed is read as an agent would type it). Raises `InvalidValue`."""
    canonical = parse(spec, value)
    if not canonical or spec.type == FieldType.TEXT:
        return canonical
    if spec.type == FieldType.DATE:
        return formatting.letter_date(dt.date.fromisoformat(canonical), language)
    if spec.type == FieldType.TIME:
        hour, minute = canonical.split(":")
        return time_text(int(hour), int(minute), language)
    if spec.type == FieldType.AMOUNT:
        return amount_text(Decimal(canonical), language)
    return spec.option_label(canonical, language)
