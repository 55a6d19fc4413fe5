"""SEPA credit-transfer files: content, character set, refusals, schemas."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from django.utils import translation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from guichet.checks.iban import check_iban
from guichet.checks.ogm import check_digits, check_ogm
from guichet.payments import sepa
from guichet.payments.sepa import (
    Debtor,
    SepaError,
    SepaErrorCode,
    SepaVersion,
    Transfer,
    batches,
    check_transfer,
    clean_text,
    file_sha256,
    validate,
    validate_independently,
    write_file,
)

SEPA_DEBTOR = Debtor(name="Office de paiement", iban="BE68539007547034", bic="GEBABEBB")
SEPA_CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SEPA_EXECUTION = date(2026, 11, 25)
SEPA_ALLOWED = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)


def sepa_iban(account: int) -> str:
    """A valid Belgian IBAN for a 10-digit account number."""
    ten = f"{account % 10**10:010d}"
    bban = ten + f"{int(ten) % 97 or 97:02d}"
    check = 98 - int(bban + "111400") % 97  # B=11, E=14, then 00
    return f"BE{check:02d}{bban}"


def sepa_ogm(number: int) -> str:
    ten = f"{number:010d}"
    return ten + check_digits(ten)


def sepa_transfer(index: int, **changes: object) -> Transfer:
    transfer = Transfer(
        end_to_end_id=f"PAY-2026-11-{index:06d}",
        amount_cents=12_345 + index,
        creditor_name=f"Bénéficiaire {index}",
        creditor_iban=sepa_iban(1000 + index),
        text=f"Allocation novembre 2026 - {index}",
    )
    return dataclasses.replace(transfer, **changes)  # type: ignore[arg-type]


def sepa_write(
    path: Path,
    transfers: list[Transfer],
    *,
    version: SepaVersion = SepaVersion.V09,
    debtor: Debtor = SEPA_DEBTOR,
    message_id: str = "GUICHET-2026-11-1",
    created_at: datetime = SEPA_CREATED,
) -> sepa.FileWritten:
    return write_file(
        transfers,
        debtor=debtor,
        message_id=message_id,
        execution_date=SEPA_EXECUTION,
        created_at=created_at,
        version=version,
        path=path,
    )


def sepa_read(path: Path) -> tuple[etree._Element, dict[str, str]]:
    root = etree.parse(str(path)).getroot()
    return root, {"p": root.nsmap[None]}


SEPA_MIXED = [
    sepa_transfer(0, ogm=sepa_ogm(1), creditor_bic="KREDBEBB"),
    sepa_transfer(
        1, creditor_name="Zoë & Jürgen_Müller — 50 €", text="Loyer: 3/2026 & €"
    ),
    sepa_transfer(2, text=None),
    sepa_transfer(3, creditor_iban="NL91ABNA0417164300", creditor_bic="ABNANL2A"),
    sepa_transfer(4, amount_cents=1, creditor_name="Олена Шевченко"),
]


# --- the file and its schemas -------------------------------------------------------


@pytest.mark.parametrize("version", list(SepaVersion))
def test_both_versions_follow_their_schema_under_both_validators(
    tmp_path: Path, version: SepaVersion
) -> None:
    path = tmp_path / "run.xml"

    written = sepa_write(path, SEPA_MIXED, version=version)

    validate(path, version)
    validate_independently(path, version)
    assert written.count == 5
    assert written.total_cents == sum(t.amount_cents for t in SEPA_MIXED)
    assert written.version is version
    assert written.path == path
    assert written.sha256 == file_sha256(path)


@pytest.mark.parametrize(
    ("version", "date_path", "bic_tag"),
    [
        (SepaVersion.V09, "p:ReqdExctnDt/p:Dt", "BICFI"),
        (SepaVersion.V03, "p:ReqdExctnDt", "BIC"),
    ],
)
def test_writes_the_group_header_and_one_payment_block(
    tmp_path: Path, version: SepaVersion, date_path: str, bic_tag: str
) -> None:
    path = tmp_path / "run.xml"

    sepa_write(path, SEPA_MIXED, version=version)

    root, ns = sepa_read(path)
    assert ns["p"] == f"urn:iso:std:iso:20022:tech:xsd:{version}"
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", ns)
    assert header.findtext("p:MsgId", namespaces=ns) == "GUICHET-2026-11-1"
    assert header.findtext("p:CreDtTm", namespaces=ns) == "2026-11-20T09:30:00+01:00"
    assert header.findtext("p:NbOfTxs", namespaces=ns) == "5"
    assert header.findtext("p:CtrlSum", namespaces=ns) == "493.87"
    assert header.findtext("p:InitgPty/p:Nm", namespaces=ns) == "Office de paiement"
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", ns)
    assert len(blocks) == 1
    block = blocks[0]
    assert [
        block.findtext(f"p:{name}", namespaces=ns)
        for name in ("PmtInfId", "PmtMtd", "BtchBookg", "NbOfTxs", "CtrlSum", "ChrgBr")
    ] == ["GUICHET-2026-11-1", "TRF", "true", "5", "493.87", "SLEV"]
    assert block.findtext("p:PmtTpInf/p:SvcLvl/p:Cd", namespaces=ns) == "SEPA"
    assert block.findtext(date_path, namespaces=ns) == "2026-11-25"
    assert block.findtext("p:Dbtr/p:Nm", namespaces=ns) == "Office de paiement"
    assert block.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=ns) == "BE68539007547034"
    agent = f"p:DbtrAgt/p:FinInstnId/p:{bic_tag}"
    assert block.findtext(agent, namespaces=ns) == "GEBABEBB"
    first = block.find("p:CdtTrfTxInf", ns)
    creditor_agent = f"p:CdtrAgt/p:FinInstnId/p:{bic_tag}"
    assert first.findtext(creditor_agent, namespaces=ns) == "KREDBEBB"


@pytest.mark.parametrize("version", list(SepaVersion))
def test_a_debtor_without_bic_has_an_agent_not_provided(
    tmp_path: Path, version: SepaVersion
) -> None:
    path = tmp_path / "run.xml"
    debtor = Debtor(name="Office", iban="BE68 5390 0754 7034")

    sepa_write(path, [sepa_transfer(1)], version=version, debtor=debtor)

    root, ns = sepa_read(path)
    block = root.find("p:CstmrCdtTrfInitn/p:PmtInf", ns)
    assert block.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=ns) == (
        "NOTPROVIDED"
    )
    assert block.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=ns) == "BE68539007547034"
    validate(path, version)


def test_writes_each_transfer(tmp_path: Path) -> None:
    path = tmp_path / "run.xml"

    sepa_write(path, SEPA_MIXED)

    root, ns = sepa_read(path)
    rows = root.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", ns)
    assert [row.findtext("p:PmtId/p:EndToEndId", namespaces=ns) for row in rows] == [
        f"PAY-2026-11-{index:06d}" for index in range(5)
    ]
    amounts = [row.find("p:Amt/p:InstdAmt", ns) for row in rows]
    assert [(amount.text, amount.get("Ccy")) for amount in amounts] == [
        ("123.45", "EUR"),
        ("123.46", "EUR"),
        ("123.47", "EUR"),
        ("123.48", "EUR"),
        ("0.01", "EUR"),
    ]
    assert [row.findtext("p:Cdtr/p:Nm", namespaces=ns) for row in rows] == [
        "Beneficiaire 0",
        "Zoe Jurgen Muller - 50",
        "Beneficiaire 2",
        "Beneficiaire 3",
        "Olena Shevchenko",
    ]
    assert [row.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) for row in rows] == [
        sepa_iban(1000),
        sepa_iban(1001),
        sepa_iban(1002),
        "NL91ABNA0417164300",
        sepa_iban(1004),
    ]
    # A creditor agent only where a BIC is given.
    assert [row.find("p:CdtrAgt", ns) is not None for row in rows] == [
        True,
        False,
        False,
        True,
        False,
    ]


@pytest.mark.parametrize(
    "spelling", ["+++000/0000/00101+++", "***000/0000/00101***", "000000000101"]
)
def test_a_structured_reference_goes_in_the_creditor_reference(
    tmp_path: Path, spelling: str
) -> None:
    path = tmp_path / "run.xml"
    transfer = sepa_transfer(1, ogm=spelling, text="ignored when a reference is given")

    sepa_write(path, [transfer])

    root, ns = sepa_read(path)
    remittance = root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:RmtInf", ns)
    assert remittance.find("p:Ustrd", ns) is None
    reference = remittance.find("p:Strd/p:CdtrRefInf", ns)
    assert reference.findtext("p:Tp/p:CdOrPrtry/p:Cd", namespaces=ns) == "SCOR"
    assert reference.findtext("p:Tp/p:Issr", namespaces=ns) == "BBA"
    assert reference.findtext("p:Ref", namespaces=ns) == "000000000101"
    assert [child.tag.split("}")[1] for child in remittance.iter()] == [
        "RmtInf",
        "Strd",
        "CdtrRefInf",
        "Tp",
        "CdOrPrtry",
        "Cd",
        "Issr",
        "Ref",
    ]


def test_free_text_goes_in_the_unstructured_remittance_cleaned_and_cut(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.xml"
    long_text = "Réf_dossier & mois: 2026/11 " + "x" * 200
    transfers = [sepa_transfer(1, text=long_text), sepa_transfer(2, text=None)]

    sepa_write(path, transfers)

    root, ns = sepa_read(path)
    rows = root.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", ns)
    text = rows[0].findtext("p:RmtInf/p:Ustrd", namespaces=ns)
    assert text == ("Ref dossier mois: 2026/11 " + "x" * 200)[:140]
    assert len(text) == 140
    assert rows[0].find("p:RmtInf/p:Strd", ns) is None
    assert rows[1].find("p:RmtInf", ns) is None


# --- the character set --------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "text", "max_length", "expected"),
    [
        (
            "clean already",
            "Dupont (Jean) - 2/3, 'ok' + ?:.",
            70,
            "Dupont (Jean) - 2/3, 'ok' + ?:.",
        ),
        ("accents", "Éloïse Çà Noël Ångström", 70, "Eloise Ca Noel Angstrom"),
        ("ampersand, underscore, euro", "A & B_C 10 €", 70, "A B C 10"),
        ("forbidden punctuation", 'x"y;z@w#v!u*t=s<r>q', 70, "x y z w v u t s r q"),
        (
            "typographic apostrophe and dash",
            "D\u2019Hondt \u2013 Van den Broeck",
            70,
            "D'Hondt - Van den Broeck",
        ),
        (
            "letters without decomposition",
            "Œuvre Straße Ærø Łódź",
            70,
            "OEuvre Strasse AEro Lodz",
        ),
        ("combining accent", "Rene\u0301", 70, "Rene"),
        ("other combining mark", "Ol\u0483ena", 70, "Olena"),
        ("other scripts", "Олена Шевченко", 70, "Olena Shevchenko"),
        ("spaces and line breaks", "  a \n\t b  ", 70, "a b"),
        ("cut at the length", "abc def", 4, "abc"),
        ("only forbidden", "€ & _", 70, ""),
        ("empty", "", 70, ""),
    ],
)
def test_cleans_text_to_the_febelfin_set(
    _case: str, text: str, max_length: int, expected: str
) -> None:
    assert clean_text(text, max_length) == expected


@given(text=st.text(max_size=80), max_length=st.integers(min_value=1, max_value=70))
def test_clean_text_is_in_the_set_short_trimmed_and_stable(
    text: str, max_length: int
) -> None:
    cleaned = clean_text(text, max_length)

    assert set(cleaned) <= SEPA_ALLOWED
    assert len(cleaned) <= max_length
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert clean_text(cleaned, max_length) == cleaned


@given(
    text=st.text(
        alphabet=st.characters(max_codepoint=0x2FF)
        | st.sampled_from("\u2019\u2013\u2014Ωж北\u0301"),
        max_size=60,
    ),
    max_length=st.integers(min_value=1, max_value=70),
)
def test_clean_text_shortcuts_give_what_the_general_path_gives(
    text: str, max_length: int
) -> None:
    assert clean_text(text, max_length) == sepa._clean_any(text, max_length)


# --- determinism, atomicity ---------------------------------------------------------


def test_the_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    first = sepa_write(tmp_path / "a.xml", SEPA_MIXED)
    second = sepa_write(tmp_path / "b.xml", SEPA_MIXED)

    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()
    assert first.sha256 == second.sha256


def test_a_refusal_leaves_no_file_and_keeps_an_existing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Transfers are streamed in chunks: with a chunk of 2, two chunks are on disk
    # when the duplicate at the end is met.
    monkeypatch.setattr(sepa, "_CHUNK", 2)
    path = tmp_path / "run.xml"
    path.write_bytes(b"previous file")
    transfers = [sepa_transfer(index) for index in range(5)]
    transfers.append(sepa_transfer(6, end_to_end_id=transfers[0].end_to_end_id))

    with pytest.raises(SepaError) as refusal:
        sepa_write(path, transfers)

    assert refusal.value.code is SepaErrorCode.DUPLICATE_END_TO_END_ID
    assert refusal.value.extra == {"index": 5, "end_to_end_id": "PAY-2026-11-000000"}
    assert path.read_bytes() == b"previous file"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["run.xml"]


def test_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "run.xml"
    path.write_bytes(b"previous file")

    sepa_write(path, SEPA_MIXED)

    validate(path, SepaVersion.V09)
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["run.xml"]


# --- refusals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("zero amount", {"amount_cents": 0}, SepaErrorCode.AMOUNT),
        ("negative amount", {"amount_cents": -100}, SepaErrorCode.AMOUNT),
        ("not cents", {"amount_cents": Decimal("1.50")}, SepaErrorCode.AMOUNT),
        ("a boolean", {"amount_cents": True}, SepaErrorCode.AMOUNT),
        (
            "above the SEPA maximum",
            {"amount_cents": 100_000_000_000},
            SepaErrorCode.AMOUNT,
        ),
        ("IBAN checksum", {"creditor_iban": "BE68539007547035"}, SepaErrorCode.IBAN),
        ("IBAN shape", {"creditor_iban": "BE68-5390-ABC"}, SepaErrorCode.IBAN),
        ("BIC", {"creditor_bic": "GEBA"}, SepaErrorCode.BIC),
        ("OGM checksum", {"ogm": "+++000/0000/00102+++"}, SepaErrorCode.OGM),
        ("OGM letters", {"ogm": "RF18539007547034"}, SepaErrorCode.OGM),
        ("name empty once cleaned", {"creditor_name": "€ & _"}, SepaErrorCode.NAME),
        ("end-to-end id empty", {"end_to_end_id": ""}, SepaErrorCode.END_TO_END_ID),
        (
            "end-to-end id too long",
            {"end_to_end_id": "X" * 36},
            SepaErrorCode.END_TO_END_ID,
        ),
        (
            "end-to-end id charset",
            {"end_to_end_id": "PAY_1"},
            SepaErrorCode.END_TO_END_ID,
        ),
        (
            "end-to-end id slash",
            {"end_to_end_id": "/PAY1"},
            SepaErrorCode.END_TO_END_ID,
        ),
        (
            "end-to-end id double slash",
            {"end_to_end_id": "PAY//1"},
            SepaErrorCode.END_TO_END_ID,
        ),
        (
            "end-to-end id accent",
            {"end_to_end_id": "PAYÉ1"},
            SepaErrorCode.END_TO_END_ID,
        ),
    ],
)
def test_refuses_a_bad_transfer_and_says_which(
    tmp_path: Path, _case: str, changes: dict[str, object], code: SepaErrorCode
) -> None:
    path = tmp_path / "run.xml"
    transfers = [sepa_transfer(0), sepa_transfer(1, **changes)]

    with pytest.raises(SepaError) as refusal:
        sepa_write(path, transfers)

    assert refusal.value.code is code
    assert refusal.value.extra["index"] == 1
    assert refusal.value.text.startswith(f"Transfer {transfers[1].end_to_end_id}")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SepaError) as alone:
        check_transfer(transfers[1], index=7)
    assert alone.value.code is code
    assert alone.value.extra["index"] == 7


@pytest.mark.parametrize(
    ("_case", "arguments", "code"),
    [
        ("no transfer", {"transfers": []}, SepaErrorCode.EMPTY),
        (
            "debtor IBAN",
            {"debtor": Debtor(name="Office", iban="BE68539007547000")},
            SepaErrorCode.DEBTOR_IBAN,
        ),
        (
            "debtor BIC",
            {"debtor": Debtor(name="Office", iban="BE68539007547034", bic="GEBA BE")},
            SepaErrorCode.DEBTOR_BIC,
        ),
        (
            "debtor name",
            {"debtor": Debtor(name=" _ ", iban="BE68539007547034")},
            SepaErrorCode.NAME,
        ),
        ("message id too long", {"message_id": "M" * 36}, SepaErrorCode.MESSAGE_ID),
        ("message id charset", {"message_id": "RUN_1"}, SepaErrorCode.MESSAGE_ID),
        ("message id empty", {"message_id": ""}, SepaErrorCode.MESSAGE_ID),
        (
            "naive creation time",
            {"created_at": datetime(2026, 11, 20, 9, 30)},  # noqa: DTZ001 - the point
            SepaErrorCode.CREATED_AT,
        ),
    ],
)
def test_refuses_bad_file_arguments(
    tmp_path: Path, _case: str, arguments: dict[str, object], code: SepaErrorCode
) -> None:
    path = tmp_path / "run.xml"
    transfers = arguments.pop("transfers", [sepa_transfer(0)])

    with pytest.raises(SepaError) as refusal:
        sepa_write(path, transfers, **arguments)  # type: ignore[arg-type]

    assert refusal.value.code is code
    assert refusal.value.text
    assert list(tmp_path.iterdir()) == []


def test_a_refusal_is_a_value_error_with_a_stable_code() -> None:
    with pytest.raises(ValueError, match="amount"):
        check_transfer(sepa_transfer(0, amount_cents=0))


def test_a_check_reason_is_rendered_in_the_language_of_the_reader() -> None:
    with pytest.raises(SepaError) as refusal:
        check_transfer(sepa_transfer(0, ogm="12345"))

    with translation.override("en"):
        english = refusal.value.text
    with translation.override("fr"):
        french = refusal.value.text
    assert english.endswith("A structured reference has 12 digits; this one has 5.")
    assert "5" in french
    assert french != english


# --- sums, counts and batches -------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    amounts=st.lists(
        st.integers(min_value=1, max_value=sepa.MAX_AMOUNT_CENTS),
        min_size=1,
        max_size=8,
    )
)
def test_control_sum_and_count_are_exact(
    tmp_path_factory: pytest.TempPathFactory, amounts: list[int]
) -> None:
    path = tmp_path_factory.mktemp("sums") / "run.xml"
    transfers = [
        sepa_transfer(index, amount_cents=amount)
        for index, amount in enumerate(amounts)
    ]

    written = sepa_write(path, transfers)

    root, ns = sepa_read(path)
    expected = str(Decimal(sum(amounts)) / 100)
    for block in ("p:GrpHdr", "p:PmtInf"):
        node = root.find(f"p:CstmrCdtTrfInitn/{block}", ns)
        assert node.findtext("p:CtrlSum", namespaces=ns) == f"{Decimal(expected):.2f}"
        assert node.findtext("p:NbOfTxs", namespaces=ns) == str(len(amounts))
    listed = [
        Decimal(node.text)
        for node in root.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", ns)
    ]
    assert sum(listed) * 100 == sum(amounts)
    assert written.total_cents == sum(amounts)
    assert written.count == len(amounts)


@given(
    count=st.integers(min_value=0, max_value=40),
    size=st.integers(min_value=1, max_value=12),
)
def test_batches_keep_the_order_and_the_maximum(count: int, size: int) -> None:
    transfers = [sepa_transfer(index) for index in range(count)]

    result = list(batches(iter(transfers), size))

    assert [transfer for batch in result for transfer in batch] == transfers
    assert all(1 <= len(batch) <= size for batch in result)
    assert all(len(batch) == size for batch in result[:-1])
    assert len(result) == -(-count // size)


@pytest.mark.parametrize("size", [0, -1])
def test_refuses_a_batch_size_below_one(size: int) -> None:
    with pytest.raises(SepaError) as refusal:
        batches([sepa_transfer(0)], size)

    assert refusal.value.code is SepaErrorCode.BATCH_SIZE


# --- validation ---------------------------------------------------------------------


def sepa_validate_streaming(path: Path, version: SepaVersion) -> None:
    """`validate` as it runs on a large file."""
    original = sepa.STREAM_ABOVE_BYTES
    sepa.STREAM_ABOVE_BYTES = 0
    try:
        validate(path, version)
    finally:
        sepa.STREAM_ABOVE_BYTES = original


SEPA_VALIDATORS = [validate, sepa_validate_streaming, validate_independently]


@pytest.mark.parametrize("version", list(SepaVersion))
def test_a_large_file_is_validated_as_a_stream(
    tmp_path: Path, version: SepaVersion
) -> None:
    path = tmp_path / "run.xml"
    sepa_write(path, SEPA_MIXED, version=version)

    sepa_validate_streaming(path, version)


@pytest.mark.parametrize("validator", SEPA_VALIDATORS)
def test_validation_names_the_first_error_and_its_line(
    tmp_path: Path, validator: object
) -> None:
    path = tmp_path / "run.xml"
    sepa_write(path, SEPA_MIXED)
    lines = path.read_text().splitlines(keepends=True)
    broken = next(index for index, line in enumerate(lines) if "<CtrlSum>" in line)
    lines[broken] = "<CtrlSum>many</CtrlSum>\n"
    path.write_text("".join(lines))

    with pytest.raises(SepaError) as refusal:
        validator(path, SepaVersion.V09)  # type: ignore[operator]

    assert refusal.value.code is SepaErrorCode.INVALID
    assert refusal.value.extra == {"line": broken + 1}
    assert "CtrlSum" in refusal.value.text


@pytest.mark.parametrize("validator", SEPA_VALIDATORS)
def test_validation_names_a_bad_transfer_and_its_line(
    tmp_path: Path, validator: object
) -> None:
    path = tmp_path / "run.xml"
    sepa_write(path, SEPA_MIXED)
    lines = path.read_text().splitlines(keepends=True)
    broken = next(index for index, line in enumerate(lines) if "Olena" in line)
    lines[broken] = lines[broken].replace("<Cdtr><Nm>", "<Cdtr><Xx/><Nm>")
    path.write_text("".join(lines))

    with pytest.raises(SepaError) as refusal:
        validator(path, SepaVersion.V09)  # type: ignore[operator]

    assert refusal.value.code is SepaErrorCode.INVALID
    assert refusal.value.extra == {"line": broken + 1}
    assert "Xx" in refusal.value.text


@pytest.mark.parametrize("validator", SEPA_VALIDATORS)
def test_validation_refuses_a_file_that_is_not_xml(
    tmp_path: Path, validator: object
) -> None:
    path = tmp_path / "run.xml"
    path.write_text("<Document><unclosed></Document>")

    with pytest.raises(SepaError) as refusal:
        validator(path, SepaVersion.V03)  # type: ignore[operator]

    assert refusal.value.code is SepaErrorCode.INVALID


def test_a_streaming_error_is_located_by_the_element_it_names(tmp_path: Path) -> None:
    path = tmp_path / "run.xml"
    sepa_write(path, SEPA_MIXED)
    transfer = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}CdtTrfTxInf"
    name = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}Nm"
    broken = tmp_path / "broken.xml"
    broken.write_text(path.read_text().replace("</Document>", "<Document>"))

    # The first name after the two transfers read whole is the third's, line 25.
    assert sepa._line_named(path, f"Element '{name}': bad", transfer, 2) == 25
    # None after them: the first anywhere.
    assert sepa._line_named(path, f"Element '{name}': bad", transfer, 9) == 9
    assert sepa._line_named(broken, f"Element '{name}': bad", transfer, 9) == 9
    assert sepa._line_named(path, "no element named", transfer, 0) is None


@pytest.mark.parametrize("validator", SEPA_VALIDATORS)
def test_a_file_of_one_version_fails_the_other_schema(
    tmp_path: Path, validator: object
) -> None:
    path = tmp_path / "run.xml"
    sepa_write(path, SEPA_MIXED, version=SepaVersion.V03)

    with pytest.raises(SepaError) as refusal:
        validator(path, SepaVersion.V09)  # type: ignore[operator]

    assert refusal.value.code is SepaErrorCode.INVALID


def test_the_schemas_come_from_sepaxml() -> None:
    for version in SepaVersion:
        path = sepa.schema_path(version)
        assert path.is_file()
        assert path.parent.parent.name == "sepaxml"


# --- the fast paths agree with guichet.checks ---------------------------------------

SEPA_IBANS = [
    "BE68539007547034",
    "NL91ABNA0417164300",
    "FR1420041010050500013M02606",
    "DE89370400440532013000",
    "ES9121000418450200051332",
    "NO9386011117947",
    "ME25505000012345678951",
    "GB82WEST12345698765432",
]


@given(
    iban=st.sampled_from(SEPA_IBANS),
    position=st.integers(min_value=0, max_value=40),
    replacement=st.sampled_from("0123456789AZ -x\u00b2\u0663"),
)
def test_the_fast_iban_check_accepts_only_what_check_iban_accepts(
    iban: str, position: int, replacement: str
) -> None:
    changed = iban[:position] + replacement + iban[position + 1 :]

    for value in (iban, changed, changed.lower()):
        number, failed = sepa._checked_iban(value)
        result = check_iban(value)
        assert (failed is None) is result.valid
        assert number == result.normalized
        if sepa._iban_accepted(number):
            assert result.valid


@given(number=st.integers(min_value=0, max_value=10**12 - 1))
def test_the_fast_ogm_check_agrees_with_check_ogm(number: int) -> None:
    value = f"{number:012d}"

    assert (sepa._checked_ogm(value)[1] is None) is check_ogm(value).valid


def test_belgian_account_check_digits_are_checked_on_the_fast_path() -> None:
    # Valid ISO 7064 check, wrong Belgian check digits (the last two).
    number = f"BE{98 - int('539007547035111400') % 97:02d}539007547035"

    assert not sepa._iban_accepted(number)
    assert [error.code for error in check_iban(number).errors] == ["account_checksum"]


def test_a_version_given_as_text_and_a_datetime_as_date_are_understood(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.xml"

    written = write_file(
        SEPA_MIXED,
        debtor=SEPA_DEBTOR,
        message_id="M1",
        execution_date=datetime(2026, 11, 25, 14, 0, tzinfo=UTC),
        created_at=SEPA_CREATED,
        version="pain.001.001.03",  # type: ignore[arg-type]
        path=str(path),  # type: ignore[arg-type]
    )

    assert written.version is SepaVersion.V03
    validate(path, "pain.001.001.03")  # type: ignore[arg-type]
    validate_independently(path, SepaVersion.V03)
    assert "<ReqdExctnDt>2026-11-25</ReqdExctnDt>" in path.read_text()


def test_created_at_in_utc_is_written_with_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "run.xml"

    sepa_write(path, SEPA_MIXED, created_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC))

    root, ns = sepa_read(path)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=ns) == (
        "2026-11-20T08:00:00+00:00"
    )
