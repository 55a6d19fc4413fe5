"""Read a bank's payment status report (ISO 20022 pain.002, any version). Pure.

A bank answers a pain.001 file with a pain.002: per original transfer
(`TxInfAndSts`), its original end-to-end id (`OrgnlEndToEndId`), its status
(`TxSts`: `RJCT` rejected, `ACCP`/`ACSC`... accepted) and, for a reject, the
reason (`StsRsnInf/Rsn/Cd`, an ExternalStatusReason1Code such as AC04) with
free text (`AddtlInf`); the bank's reference is its status id (`StsId`) or its
own reference (`AcctSvcrRef`). Elements are found by local name, so versions 03
to 14 read alike. The file is parsed without entities or network access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs


class StatusReportError(ValueError):
    """The file is not a readable pain.002 status report."""


@dataclass(frozen=True)
class TransferStatus:
    end_to_end_id: str
    status: str
    reason: str  # the status reason code, "" when none
    text: str  # the bank's additional information, joined
    bank_reference: str


@dataclass(frozen=True)
class StatusReport:
    message_id: str
    created_on: dt.date | None
    original_message_id: str
    transfers: list[TransferStatus]

    @property
    def rejected(self) -> list[TransferStatus]:
        return [t for t in self.transfers if t.status == "RJCT"]


def _text(node: Any, path: str) -> str:
    found = node.xpath(path)
    if not found:
        return ""
    value = found[0]
    return " ".join(str(value.text if hasattr(value, "text") else value).split())


def _local(name: str) -> str:
    return f"*[local-name()='{name}']"


def read(path: Path) -> StatusReport:
    """The report's transfers and their statuses; `StatusReportError` if the file
    is not well-formed XML or not a pain.002."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as error:
        raise StatusReportError(str(error)) from error
    reports = root.xpath(f"./{_local('CstmrPmtStsRpt')}")
    if etree.QName(root).localname != "Document" or not reports:
        raise StatusReportError("not a pain.002 customer payment status report")
    report = reports[0]
    header = f"{_local('GrpHdr')}"
    created = _text(report, f"./{header}/{_local('CreDtTm')}")
    created_on = None
    if created:
        try:
            created_on = dt.date.fromisoformat(created[:10])
        except ValueError as error:
            raise StatusReportError(f"bad creation date {created!r}") from error
    transfers = []
    for tx in report.xpath(f".//{_local('TxInfAndSts')}"):
        reason = _local("StsRsnInf")
        transfers.append(
            TransferStatus(
                end_to_end_id=_text(tx, f"./{_local('OrgnlEndToEndId')}"),
                status=_text(tx, f"./{_local('TxSts')}"),
                reason=_text(tx, f"./{reason}/{_local('Rsn')}/{_local('Cd')}")
                or _text(tx, f"./{reason}/{_local('Rsn')}/{_local('Prtry')}"),
                text=" ".join(
                    " ".join((node.text or "").split())
                    for node in tx.xpath(f"./{reason}/{_local('AddtlInf')}")
                ).strip(),
                bank_reference=_text(tx, f"./{_local('StsId')}")
                or _text(tx, f"./{_local('AcctSvcrRef')}"),
            )
        )
    return StatusReport(
        message_id=_text(report, f"./{header}/{_local('MsgId')}"),
        created_on=created_on,
        original_message_id=_text(
            report, f"./{_local('OrgnlGrpInfAndSts')}/{_local('OrgnlMsgId')}"
        ),
        transfers=transfers,
    )
