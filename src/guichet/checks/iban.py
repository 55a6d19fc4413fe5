"""IBAN (ISO 13616), with the Belgian account check and bank code.

Rules (docs/sources.md §4.1, and §6.2 on python-stdnum's list of bank codes;
python-stdnum `stdnum.iban`, `stdnum.be.iban`):

- two letters (country), two check digits, then the country's BBAN, whose length
  and structure come from the SWIFT IBAN registry (as bundled by python-stdnum);
- ISO 7064 MOD 97-10: the number, with its first four characters moved to the end
  and letters read as 10..35, leaves remainder 1 when divided by 97;
- Belgium (BE, 16 characters): bank code (3 digits), account (7), national check
  digits (2) = the first ten BBAN digits mod 97, 97 for 0;
- a Belgian bank code missing from python-stdnum's list of the National Bank's
  codes is a warning (`unknown_bank`), not an error: the list lags behind the NBB,
  and `BE68 5390 0754 7034` is a correct IBAN whose code it lacks.

Error codes: `format`, `country`, `length`, `checksum`, `account_checksum`.
Warning codes: `unknown_bank`.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from stdnum import numdb
from stdnum.be import iban as belgian_iban
from stdnum.util import get_cc_module

from .result import CheckError, CheckResult, concluded, refused

KIND = "iban"
_STRUCTURE = re.compile(r"(\d+)!([nac])")
_CLASS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}


def compact(value: str) -> str:
    """Upper case, without spaces, dots, dashes or a leading 'IBAN'."""
    number = re.sub(r"[\s.\-]", "", value).upper()
    return number.removeprefix("IBAN")


def _bban_pattern(structure: str) -> tuple[re.Pattern[str], int]:
    """The registry's BBAN structure (`3!n7!n2!n`) as a pattern and a length."""
    parts = _STRUCTURE.findall(structure)
    pattern = "".join(f"{_CLASS[kind]}{{{count}}}" for count, kind in parts)
    return re.compile(f"^{pattern}$"), sum(int(count) for count, _kind in parts)


def _mod97(number: str) -> int:
    rearranged = number[4:] + number[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def formatted(number: str) -> str:
    return " ".join(number[index : index + 4] for index in range(0, len(number), 4))


def belgian_check_digits(ten_digits: str) -> str:
    """Check digits of a Belgian account number: mod 97, 97 for 0 (§4, stdnum)."""
    return f"{int(ten_digits) % 97 or 97:02d}"


def check_iban(value: str) -> CheckResult:
    """Check an IBAN typed with or without spaces; read the country and bank."""
    number = compact(value.strip())
    if not number or not re.fullmatch(r"[A-Z0-9]+", number):
        return refused(
            KIND,
            number,
            CheckError(
                "format",
                _(
                    "An IBAN has only letters and digits (spaces between groups are allowed)."
                ),
            ),
        )
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]*", number):
        return refused(
            KIND,
            number,
            CheckError(
                "format",
                _(
                    "An IBAN starts with a two-letter country code and two check digits, "
                    "such as BE68."
                ),
            ),
        )
    country = number[:2]
    registry = numdb.get("iban").info(number)[0][1]
    if not registry:
        return refused(
            KIND,
            number,
            CheckError(
                "country",
                _("%(country)s is not a country that uses IBANs."),
                {"country": country},
            ),
        )
    pattern, bban_length = _bban_pattern(registry.get("bban", ""))
    if len(number) != 4 + bban_length:
        return refused(
            KIND,
            number,
            CheckError(
                "length",
                _(
                    "An IBAN of %(country)s has %(expected)d characters; this one has %(count)d."
                ),
                {"country": country, "expected": 4 + bban_length, "count": len(number)},
            ),
        )
    if not pattern.match(number[4:]):
        return refused(
            KIND,
            number,
            CheckError(
                "format",
                _(
                    "The account part does not have the form of an IBAN of %(country)s "
                    "(letters where digits belong, or the reverse)."
                ),
                {"country": country},
            ),
        )
    errors: list[CheckError] = []
    warnings: list[CheckError] = []
    if _mod97(number) != 1:
        errors.append(
            CheckError(
                "checksum",
                _(
                    "The IBAN check digits (characters 3 and 4) do not match the rest: "
                    "a character was mistyped."
                ),
            )
        )
    fields: dict[str, object] = {
        "country": country,
        "check_digits": number[2:4],
        "bban": number[4:],
        "formatted": formatted(number),
    }
    if country == "BE":
        bban = number[4:]
        fields["bank_code"] = bban[:3]
        if bban[10:] != belgian_check_digits(bban[:10]):
            errors.append(
                CheckError(
                    "account_checksum",
                    _(
                        "The last two digits of the Belgian account number do not match "
                        "the ten before them: a digit was mistyped."
                    ),
                )
            )
        bank = belgian_iban.info(number)
        fields["bank"] = bank.get("bank")
        fields["bic"] = bank.get("bic")
        if not bank:
            warnings.append(
                CheckError(
                    "unknown_bank",
                    _(
                        "Bank code %(code)s is not in the list of Belgian banks known to "
                        "Guichet; the IBAN itself is correct. Check the bank's name with "
                        "the account holder."
                    ),
                    {"code": bban[:3]},
                )
            )
    elif not errors:
        errors.extend(_national_check(number))
    return concluded(KIND, number, errors=errors, warnings=warnings, fields=fields)


def _national_check(number: str) -> list[CheckError]:
    """The country's own account check, where python-stdnum knows one (ES, ME, NO)."""
    module = get_cc_module(number[:2].lower(), "iban")
    if module is None or module.is_valid(number):
        return []
    return [
        CheckError(
            "account_checksum",
            _(
                "The national check digits of the account number do not match: "
                "a digit was mistyped."
            ),
        )
    ]
