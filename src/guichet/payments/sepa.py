"""SEPA credit-transfer files (ISO 20022 pain.001) for Belgian banks.

Pure: no ORM, no settings. The payments app decides what to pay and where the file
goes; this module turns a list of transfers into one file, byte for byte the same
for the same arguments, and checks it against the official schema.

What is written (docs/payments-sepa.md; docs/sources.md §2.3 and §4.3):

- pain.001.001.09 by default, pain.001.001.03 where a bank still asks for it
  (Belgian banks accept both through Isabel since 17 March 2024);
- one group header and one payment information block per file, SEPA service level,
  batch booking, charges shared (SLEV), amounts in euros with two decimals;
- the remittance of a transfer is either a Belgian structured reference (OGM/VCS)
  in `Strd/CdtrRefInf` with type `SCOR` and issuer `BBA`, or free text in `Ustrd`
  (at most 140 characters), never both (Febelfin rules);
- every text is cut down to the Febelfin character set (Isabel): letters
  without accents, digits, space and ``/ - ? : ( ) . , ' +``.

The file is built by string concatenation, not an element tree: every value that
reaches the XML is checked to be letters and digits (IBAN, BIC, OGM, amounts,
dates), checked to be in the Febelfin set (identifiers) or cleaned to it (names,
text), and that set holds no character XML needs escaped in element content.
Writing is streamed to a temporary file in the target's directory, fsynced, then
renamed over the target, so a reader never sees a partial file and a refusal
leaves nothing behind. Validation uses the XSDs shipped with sepaxml, by path.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs
from stdnum import numdb
from stdnum.util import get_cc_module
from text_unidecode import unidecode

from guichet.checks.bic import check_bic
from guichet.checks.iban import _bban_pattern, check_iban, compact
from guichet.checks.ogm import check_digits as ogm_check_digits
from guichet.checks.ogm import check_ogm
from guichet.checks.result import CheckResult
from guichet.core.errors import GuichetError, render


class SepaVersion(StrEnum):
    V09 = "pain.001.001.09"  # default (docs/sources.md §4.3)
    V03 = "pain.001.001.03"


class SepaErrorCode(StrEnum):
    EMPTY = "empty"  # no transfer to write
    AMOUNT = "amount"  # not a whole number of cents, not positive, or too large
    IBAN = "iban"  # a creditor's IBAN fails its check
    BIC = "bic"  # a creditor's BIC fails its check
    OGM = "ogm"  # a structured reference fails its check
    NAME = "name"  # a name is empty once cleaned
    END_TO_END_ID = "end_to_end_id"  # empty, too long or outside the character set
    DUPLICATE_END_TO_END_ID = "duplicate_end_to_end_id"
    DEBTOR_IBAN = "debtor_iban"
    DEBTOR_BIC = "debtor_bic"
    MESSAGE_ID = "message_id"
    CREATED_AT = "created_at"  # a naive datetime: the offset cannot be written
    BATCH_SIZE = "batch_size"  # a batch of fewer than one transfer
    INVALID = "invalid"  # the file does not validate against the schema


class SepaError(GuichetError, ValueError):
    """A refusal to write a SEPA file, or a file the schema refuses.

    `code` is a `SepaErrorCode`; `extra` says which transfer when one is at fault
    (`index` in the list and `end_to_end_id`), so that a run can set that payment
    aside and pay the others. Nothing was written when it is raised by `write_file`.
    """

    status = 422
    default_code = SepaErrorCode.INVALID

    code: SepaErrorCode

    def __init__(
        self,
        code: SepaErrorCode,
        message: str | Promise,
        *,
        params: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params, extra=extra)
        self.code = code


@dataclass(frozen=True, slots=True)
class Debtor:
    name: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    end_to_end_id: str  # <= 35 chars, Febelfin charset; unique in a run, deterministic
    amount_cents: int  # > 0
    creditor_name: str
    creditor_iban: str
    creditor_bic: str | None = None
    ogm: str | None = None  # Belgian structured reference, any usual spelling -> Strd
    text: str | None = None  # else free text -> Ustrd (<= 140 after cleaning)


@dataclass(frozen=True, slots=True)
class FileWritten:
    path: Path
    message_id: str
    version: SepaVersion
    count: int
    total_cents: int
    sha256: str


# Limits: EPC SEPA Credit Transfer implementation guidelines (names 70, unstructured
# remittance 140, amount at most 999,999,999.99 EUR) and the ISO Max35Text
# identifiers of the schemas.
NAME_LENGTH = 70
TEXT_LENGTH = 140
ID_LENGTH = 35
MAX_AMOUNT_CENTS = 99_999_999_999

# ---------------------------------------------------------------------------------
# Text: the Febelfin character set (docs/sources.md §4.3).

_ALLOWED = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)
_WORD = r"[A-Za-z0-9/\-?:().,'+]+"
_CLEAN = re.compile(rf"{_WORD}(?: {_WORD})*")
_SPACES = re.compile(r" {2,}")
# The combining accents that NFKD splits off Latin letters (Unicode block
# "Combining Diacritical Marks"); any other combining mark is dropped one by one.
_ACCENTS = re.compile("[\u0300-\u036f]+")
_ASCII_TO_FEBELFIN = str.maketrans(
    {chr(code): " " for code in range(128) if chr(code) not in _ALLOWED}
)
# Letters that do not decompose into a base letter and an accent, and the
# typographic quotes and dashes people type in names, kept as their plain form.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",  # noqa: RUF001 - the dotless i is the point
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)


def clean_text(text: str, max_length: int) -> str:
    """`text` in the Febelfin character set, at most `max_length` characters.

    As Isabel converts (docs/sources.md §4.3): accented letters lose their accents,
    letters of other scripts are transliterated (text-unidecode), any other
    character (``& _ € @ " ;``, a line break) becomes a space; spaces are squeezed
    and trimmed, then the text is cut at `max_length` (and trimmed again).

    >>> clean_text("Zoë & Jürgen_Müller — 50 €", 70)
    'Zoe Jurgen Muller - 50'
    """
    if len(text) <= max_length and _CLEAN.fullmatch(text):
        return text  # the common case: already clean
    latin = text.translate(_LATIN)  # Western European text: one table look-up
    if latin.isascii():
        return _SPACES.sub(" ", latin).strip()[:max_length].rstrip()
    return _clean_any(text, max_length)


def _clean_any(text: str, max_length: int) -> str:
    """`clean_text` for any text, without its shortcuts (a test compares them)."""
    decomposed = _ACCENTS.sub(
        "", unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    )
    if decomposed.isascii():  # Latin text: no transliteration needed
        kept = decomposed.translate(_ASCII_TO_FEBELFIN)
    else:
        kept = "".join(map(_febelfin, decomposed))
    squeezed = _SPACES.sub(" ", kept).strip()
    return squeezed[:max_length].rstrip()


def _latin_table() -> dict[int, str]:
    """ASCII and the Latin-1 and Latin Extended-A letters mapped straight to what
    the general path below makes of them, so most names need one `translate`."""
    table: dict[int, str] = {}
    for code in range(0x180):
        char = chr(code)
        special = char.translate(_SPECIAL)
        plain = _ACCENTS.sub("", unicodedata.normalize("NFKD", special))
        if plain.isascii():
            table[code] = plain.translate(_ASCII_TO_FEBELFIN)
    return table


_LATIN = _latin_table()


def _febelfin(char: str) -> str:
    """One character in the Febelfin set: itself, transliterated, or a space."""
    if char in _ALLOWED:
        return char
    if unicodedata.combining(char):
        return ""
    if not char.isascii() and unicodedata.category(char)[0] in "LN":
        latin: str = unidecode(char)
        return latin.translate(_ASCII_TO_FEBELFIN)
    return " "


def _is_identifier(value: str) -> bool:
    """A clean identifier: Febelfin set, 1 to 35 characters, and as the EPC
    guidelines ask of references, neither starting nor ending with "/" nor
    containing "//"."""
    return (
        0 < len(value) <= ID_LENGTH
        and _CLEAN.fullmatch(value) is not None
        and not value.startswith("/")
        and not value.endswith("/")
        and "//" not in value
    )


# ---------------------------------------------------------------------------------
# Checks. `guichet.checks` is the authority; the fast paths below only accept
# what it would accept (a property test compares them), and anything they do not
# accept goes to the full check, which gives the reason. check_iban takes about
# 50 µs, too slow for a million transfers; the fast path about 2 µs.

_LETTER_DIGITS = str.maketrans({chr(code): str(code - 55) for code in range(65, 91)})


@dataclass(frozen=True, slots=True)
class _IbanCountry:
    """What a country's IBANs must look like, from the same registry as check_iban."""

    shape: re.Pattern[str]  # the whole number: country, two digits, BBAN
    length: int  # of the whole number
    letters: str  # the country code as ISO 7064 digits ("BE" -> "1114")
    numeric: bool  # a BBAN of digits only: no pattern, no letters to convert
    module: Any  # python-stdnum's national check, if any (Belgium's is inline)


_IBAN_COUNTRIES: dict[str, _IbanCountry | None] = {}


def _iban_country(country: str) -> _IbanCountry | None:
    if country not in _IBAN_COUNTRIES:
        registry = (
            numdb.get("iban").info(country + "00")[0][1] if country.isalpha() else {}
        )
        rule = None
        if registry:
            bban = registry.get("bban", "")
            pattern, length = _bban_pattern(bban)
            rule = _IbanCountry(
                shape=re.compile(f"{country}[0-9]{{2}}{pattern.pattern[1:-1]}"),
                length=4 + length,
                letters=country.translate(_LETTER_DIGITS),
                numeric=all(kind == "n" for kind in re.findall(r"!([nac])", bban)),
                module=None
                if country == "BE"
                else get_cc_module(country.lower(), "iban"),
            )
        _IBAN_COUNTRIES[country] = rule
    return _IBAN_COUNTRIES[country]


def _iban_accepted(number: str) -> bool:
    """True only if `check_iban(number)` is valid (for a compact number)."""
    rule = _IBAN_COUNTRIES.get(number[:2]) or _iban_country(number[:2])
    if rule is None:
        return False
    if rule.numeric:  # Belgium and most others: digits after the country code
        digits = number[2:]
        if not (len(number) == rule.length and digits.isascii() and digits.isdigit()):
            return False
        if int(number[4:] + rule.letters + number[2:4]) % 97 != 1:
            return False
    elif not rule.shape.fullmatch(number) or (
        int(number[4:].translate(_LETTER_DIGITS) + rule.letters + number[2:4]) % 97 != 1
    ):
        return False
    if rule.module is None:  # Belgium: the account's own check digits
        return number[:2] != "BE" or int(number[14:]) == (int(number[4:14]) % 97 or 97)
    return bool(rule.module.is_valid(number))


def _checked_iban(value: str) -> tuple[str, CheckResult | None]:
    """The IBAN in its compact form, and the failed check if it is refused."""
    # Already compact (stored that way) is the common case: skip the clean-up.
    number = value if value.isalnum() and value.isupper() else compact(value.strip())
    if _iban_accepted(number):
        return number, None
    result = check_iban(value)
    return result.normalized, None if result.valid else result


@functools.lru_cache(maxsize=4096)
def _checked_bic(value: str) -> CheckResult:
    # Few banks, many transfers: a cache makes the check free after the first.
    return check_bic(value)


def _checked_ogm(value: str) -> tuple[str, CheckResult | None]:
    """The 12 digits of a structured reference, and the failed check if refused."""
    if (
        len(value) == 12
        and value.isascii()
        and value.isdigit()
        and value[10:] == ogm_check_digits(value[:10])
    ):
        return value, None
    result = check_ogm(value)
    return result.normalized, None if result.valid else result


_lazy_render = lazy(render, str)


def _reason(result: CheckResult) -> str | Promise:
    """The check's first error, rendered in the language of whoever reads it."""
    error = result.errors[0]  # a refused check always says why
    return _lazy_render(error.message, error.params)  # a Promise, typed as str


# ---------------------------------------------------------------------------------
# Validation of the arguments.


def _transfer_error(
    index: int,
    transfer: Transfer,
    code: SepaErrorCode,
    message: str | Promise,
    reason: str | Promise = "",
) -> SepaError:
    return SepaError(
        code,
        message,
        params={"id": transfer.end_to_end_id, "reason": reason},
        extra={"index": index, "end_to_end_id": transfer.end_to_end_id},
    )


def _amount_is_valid(amount: object) -> bool:
    return (
        isinstance(amount, int)
        and not isinstance(amount, bool)
        and 0 < amount <= MAX_AMOUNT_CENTS
    )


@dataclass(frozen=True, slots=True)
class _Party:
    name: str
    iban: str
    bic: str | None


def _checked_debtor(debtor: Debtor) -> _Party:
    iban, failed = _checked_iban(debtor.iban)
    if failed is not None:
        raise SepaError(
            SepaErrorCode.DEBTOR_IBAN,
            _("The paying account's IBAN is refused: %(reason)s"),
            params={"reason": _reason(failed)},
        )
    bic = None
    if debtor.bic:
        result = _checked_bic(debtor.bic)
        if not result.valid:
            raise SepaError(
                SepaErrorCode.DEBTOR_BIC,
                _("The paying bank's BIC is refused: %(reason)s"),
                params={"reason": _reason(result)},
            )
        bic = result.normalized
    name = clean_text(debtor.name, NAME_LENGTH)
    if not name:
        raise SepaError(
            SepaErrorCode.NAME,
            _("The paying account's holder has no name that a bank can read."),
        )
    return _Party(name=name, iban=iban, bic=bic)


def check_transfer(transfer: Transfer, *, index: int = 0) -> None:
    """Raise the `SepaError` that `write_file` would raise for this transfer alone.

    A run calls it before it keeps a payment, to set aside a beneficiary whose
    payment cannot be written, instead of failing the whole file.
    """
    _render_transfer(transfer, index=index, version=SepaVersion.V09)


# ---------------------------------------------------------------------------------
# Writing.


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _agent(bic: str | None, version: SepaVersion) -> str:
    tag = "BICFI" if version is SepaVersion.V09 else "BIC"
    if bic is None:
        return "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>"
    return f"<FinInstnId><{tag}>{bic}</{tag}></FinInstnId>"


def _render_transfer(transfer: Transfer, *, index: int, version: SepaVersion) -> str:
    """One `CdtTrfTxInf`, after every check of the transfer."""
    if not _amount_is_valid(transfer.amount_cents):
        raise _transfer_error(
            index,
            transfer,
            SepaErrorCode.AMOUNT,
            _(
                "Transfer %(id)s: the amount must be a whole number of cents, more "
                "than zero and at most 999,999,999.99 euros."
            ),
        )
    if not _is_identifier(transfer.end_to_end_id):
        raise _transfer_error(
            index,
            transfer,
            SepaErrorCode.END_TO_END_ID,
            _(
                "Transfer %(id)s: the end-to-end reference must have 1 to 35 letters, "
                "digits or / - ? : ( ) . , ' + and may not start or end with /."
            ),
        )
    iban, failed = _checked_iban(transfer.creditor_iban)
    if failed is not None:
        raise _transfer_error(
            index,
            transfer,
            SepaErrorCode.IBAN,
            _("Transfer %(id)s: the payee's IBAN is refused: %(reason)s"),
            _reason(failed),
        )
    agent = ""
    if transfer.creditor_bic:
        bic = _checked_bic(transfer.creditor_bic)
        if not bic.valid:
            raise _transfer_error(
                index,
                transfer,
                SepaErrorCode.BIC,
                _("Transfer %(id)s: the payee's BIC is refused: %(reason)s"),
                _reason(bic),
            )
        agent = f"<CdtrAgt>{_agent(bic.normalized, version)}</CdtrAgt>"
    name = clean_text(transfer.creditor_name, NAME_LENGTH)
    if not name:
        raise _transfer_error(
            index,
            transfer,
            SepaErrorCode.NAME,
            _("Transfer %(id)s: the payee has no name that a bank can read."),
        )
    if transfer.ogm:
        reference, failed = _checked_ogm(transfer.ogm)
        if failed is not None:
            raise _transfer_error(
                index,
                transfer,
                SepaErrorCode.OGM,
                _("Transfer %(id)s: the structured reference is refused: %(reason)s"),
                _reason(failed),
            )
        remittance = (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
            f"<Issr>BBA</Issr></Tp><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    else:
        text = clean_text(transfer.text, TEXT_LENGTH) if transfer.text else ""
        remittance = f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf>" if text else ""
    # One line per transfer: a validation error's line number points to it, and
    # fewer whitespace nodes make the file a quarter faster to validate.
    return (
        "<CdtTrfTxInf>"
        f"<PmtId><EndToEndId>{transfer.end_to_end_id}</EndToEndId></PmtId>"
        f'<Amt><InstdAmt Ccy="EUR">{_amount(transfer.amount_cents)}</InstdAmt></Amt>'
        f"{agent}"
        f"<Cdtr><Nm>{name}</Nm></Cdtr>"
        f"<CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct>"
        f"{remittance}"
        "</CdtTrfTxInf>\n"
    )


def _header(
    *,
    debtor: _Party,
    message_id: str,
    execution_date: date,
    created_at: datetime,
    version: SepaVersion,
    count: int,
    total_cents: int,
) -> str:
    total = _amount(total_cents)
    day = f"{execution_date:%Y-%m-%d}"  # a datetime's time would break the schema
    if version is SepaVersion.V09:
        requested = f"<ReqdExctnDt><Dt>{day}</Dt></ReqdExctnDt>"
    else:
        requested = f"<ReqdExctnDt>{day}</ReqdExctnDt>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{version.value}">\n'
        "<CstmrCdtTrfInitn>\n"
        "<GrpHdr>\n"
        f"<MsgId>{message_id}</MsgId>\n"
        f"<CreDtTm>{created_at.isoformat(timespec='seconds')}</CreDtTm>\n"
        f"<NbOfTxs>{count}</NbOfTxs>\n"
        f"<CtrlSum>{total}</CtrlSum>\n"
        f"<InitgPty><Nm>{debtor.name}</Nm></InitgPty>\n"
        "</GrpHdr>\n"
        "<PmtInf>\n"
        f"<PmtInfId>{payment_information_id(message_id)}</PmtInfId>\n"
        "<PmtMtd>TRF</PmtMtd>\n"
        "<BtchBookg>true</BtchBookg>\n"
        f"<NbOfTxs>{count}</NbOfTxs>\n"
        f"<CtrlSum>{total}</CtrlSum>\n"
        "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n"
        f"{requested}\n"
        f"<Dbtr><Nm>{debtor.name}</Nm></Dbtr>\n"
        f"<DbtrAcct><Id><IBAN>{debtor.iban}</IBAN></Id></DbtrAcct>\n"
        f"<DbtrAgt>{_agent(debtor.bic, version)}</DbtrAgt>\n"
        "<ChrgBr>SLEV</ChrgBr>\n"
    )


_FOOTER = "</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n"
# Transfers rendered before a write: large enough to amortise the call, small
# enough that a file of any size is streamed.
_CHUNK = 2000


def payment_information_id(message_id: str) -> str:
    """The PmtInfId of a file's only payment block: its message id.

    One block per file, so the message id is unique for it as well (the schemas
    ask only that it be unique within the message; Febelfin that it be unique).
    """
    return message_id


def write_file(
    transfers: Sequence[Transfer],
    *,
    debtor: Debtor,
    message_id: str,
    execution_date: date,
    created_at: datetime,
    version: SepaVersion,
    path: Path,
) -> FileWritten:
    """Write `transfers` as one pain.001 file at `path`, atomically.

    The same arguments give the same bytes (no clock, no randomness: the caller
    passes `created_at` and derives the ids). Refuses with a `SepaError`, writing
    nothing, an empty list, a transfer with a bad amount, IBAN, BIC, structured
    reference, name or end-to-end id, an end-to-end id used twice, a bad debtor
    account, a message id outside the rules, or a naive `created_at`.
    """
    version = SepaVersion(version)  # a plain "pain.001.001.09" gets the right tags
    path = Path(path)
    if not transfers:
        raise SepaError(
            SepaErrorCode.EMPTY, _("A SEPA file needs at least one transfer.")
        )
    if not _is_identifier(message_id):
        raise SepaError(
            SepaErrorCode.MESSAGE_ID,
            _(
                "The message id must have 1 to 35 letters, digits or "
                "/ - ? : ( ) . , ' + and may not start or end with /."
            ),
        )
    if created_at.utcoffset() is None:
        raise SepaError(
            SepaErrorCode.CREATED_AT,
            _("The file's creation time needs a time zone."),
        )
    party = _checked_debtor(debtor)
    total_cents = 0
    for index, transfer in enumerate(transfers):
        if not _amount_is_valid(transfer.amount_cents):
            _render_transfer(transfer, index=index, version=version)  # raises
        total_cents += transfer.amount_cents
    header = _header(
        debtor=party,
        message_id=message_id,
        execution_date=execution_date,
        created_at=created_at,
        version=version,
        count=len(transfers),
        total_cents=total_cents,
    )
    digest = hashlib.sha256()
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            _write(stream, digest, header)
            _write_transfers(stream, digest, transfers, version)
            _write(stream, digest, _FOOTER)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return FileWritten(
        path=path,
        message_id=message_id,
        version=version,
        count=len(transfers),
        total_cents=total_cents,
        sha256=digest.hexdigest(),
    )


def _write(stream: IO[bytes], digest: Any, text: str) -> None:
    data = text.encode()
    digest.update(data)
    stream.write(data)


def _write_transfers(
    stream: IO[bytes], digest: Any, transfers: Sequence[Transfer], version: SepaVersion
) -> None:
    seen: set[str] = set()
    parts: list[str] = []
    for index, transfer in enumerate(transfers):
        if transfer.end_to_end_id in seen:
            raise _transfer_error(
                index,
                transfer,
                SepaErrorCode.DUPLICATE_END_TO_END_ID,
                _("Transfer %(id)s: this end-to-end reference is already in the file."),
            )
        seen.add(transfer.end_to_end_id)
        parts.append(_render_transfer(transfer, index=index, version=version))
        if len(parts) == _CHUNK:
            _write(stream, digest, "".join(parts))
            parts.clear()
    _write(stream, digest, "".join(parts))


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX: the directory entry is data too)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file as written, to compare with `FileWritten.sha256`."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def batches(
    transfers: Iterable[Transfer], max_per_file: int
) -> Iterator[list[Transfer]]:
    """The transfers in order, in lists of at most `max_per_file` (one per file).

    No source states a maximum number of transfers per file (docs/sources.md §4.3): it is
    the bank's, and the payments app reads it from a setting.
    """
    if isinstance(max_per_file, bool) or max_per_file < 1:
        raise SepaError(
            SepaErrorCode.BATCH_SIZE,
            _("A file holds at least one transfer; %(size)s is not a batch size."),
            params={"size": max_per_file},
        )
    return _batches(iter(transfers), max_per_file)


def _batches(transfers: Iterator[Transfer], size: int) -> Iterator[list[Transfer]]:
    while batch := list(islice(transfers, size)):
        yield batch


# ---------------------------------------------------------------------------------
# Validation against the official schemas (ISO 20022 XSDs shipped with sepaxml).


def schema_path(version: SepaVersion) -> Path:
    """The XSD of `version` as shipped in the installed sepaxml package."""
    return Path(
        str(importlib.resources.files("sepaxml") / "schemas" / f"{version}.xsd")
    )


@functools.cache
def _lxml_schema(version: SepaVersion) -> Any:
    return etree.XMLSchema(etree.parse(str(schema_path(version))))


@functools.cache
def _xmlschema_schema(version: SepaVersion) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(schema_path(version)))


def _invalid(path: Path, version: SepaVersion, line: object, message: str) -> SepaError:
    return SepaError(
        SepaErrorCode.INVALID,
        _("%(file)s does not follow the %(version)s schema, line %(line)s: %(error)s"),
        params={
            "file": path.name,
            "version": str(version),
            "line": line,
            "error": message,
        },
        extra={"line": line},
    )


# Above this size (about 50,000 transfers) a file is validated as it is read, in
# constant memory: a whole tree takes about nine times the file (3 KB a transfer),
# the stream about 30% more time (bench/sepa/run.py; docs/payments-sepa.md, "Speed").
STREAM_ABOVE_BYTES = 16 * 2**20


def validate(path: Path, version: SepaVersion) -> None:
    """Check the file against the official XSD with lxml (libxml2); fast.

    Raises `SepaError` (code `invalid`) with the first error's line and message.
    """
    version = SepaVersion(version)
    path = Path(path)
    schema = _lxml_schema(version)
    if path.stat().st_size > STREAM_ABOVE_BYTES:
        _validate_streaming(path, version, schema)
        return
    try:
        document = etree.parse(str(path), etree.XMLParser(huge_tree=True))
    except etree.XMLSyntaxError as error:
        raise _invalid(path, version, error.lineno, str(error.msg)) from error
    if not schema.validate(document):
        first = schema.error_log[0]
        raise _invalid(path, version, first.line, first.message)


def _validate_streaming(path: Path, version: SepaVersion, schema: Any) -> None:
    """libxml2 validates while it parses; each transfer is dropped once read."""
    transfer = f"{{urn:iso:std:iso:20022:tech:xsd:{version}}}CdtTrfTxInf"
    passed = 0
    try:
        with path.open("rb") as stream:
            for _event, element in etree.iterparse(
                stream, events=("end",), tag=transfer, schema=schema, huge_tree=True
            ):
                passed += 1
                _drop(element)
    except etree.XMLSyntaxError as error:
        message = str(error.msg)
        line = error.lineno or _line_named(path, message, transfer, passed)
        raise _invalid(path, version, line, message) from error


def _drop(element: Any) -> None:
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def _line_named(path: Path, message: str, transfer: str, passed: int) -> int | None:
    """The line of the element a streaming validation error names.

    libxml2 gives no line when it validates a stream. The error is past the
    `passed` transfers that were read whole: read again, without the schema, and
    take the first element of that name after them (else anywhere in the file).
    """
    named = re.search(r"Element '([^']+)'", message)
    if named is None:
        return None
    first_anywhere = None
    ended = 0
    with path.open("rb") as stream:
        try:
            for event, element in etree.iterparse(
                stream, events=("start", "end"), huge_tree=True
            ):
                if event == "start" and element.tag == named[1]:
                    if ended >= passed:
                        return int(element.sourceline)
                    first_anywhere = first_anywhere or int(element.sourceline)
                elif event == "end" and element.tag == transfer:
                    ended += 1
                    _drop(element)
        except etree.XMLSyntaxError:  # a later part that is not even XML
            pass
    return first_anywhere


def validate_independently(path: Path, version: SepaVersion) -> None:
    """The same check with xmlschema, a second validator written apart from
    libxml2 (pure Python, slower): for tests and strict runs."""
    import xmlschema

    schema = _xmlschema_schema(SepaVersion(version))
    try:
        first = next(schema.iter_errors(str(path)), None)
    except (xmlschema.XMLSchemaException, SyntaxError) as error:  # not well-formed
        line = getattr(error, "sourceline", None) or getattr(error, "lineno", None)
        raise _invalid(path, version, line, str(error)) from error
    if first is not None:
        # The standard library's parser keeps no line numbers: find the line of
        # the same first error again on an lxml tree, only once the file failed.
        located = next(schema.iter_errors(etree.parse(str(path))), first)
        line = getattr(located, "sourceline", None)
        raise _invalid(path, version, line, f"{first.path}: {first.reason}")
