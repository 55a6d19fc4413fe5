"""Documents of persons (and, later, of their dossiers), and identifier checks.

From the seeds (the users' job descriptions, docs/sources.md §5.3): the consular
front office (seed 000, "Vérifier l'authenticité et la validité des documents"),
administrative support (seed 001, "Contrôler l'authenticité et la validité des
documents"; level D "effectuer des contrôles simples de documents et/ou apporter des
corrections simples"), dossier handlers (seed 003, "collecter, ordonner et/ou
analyser des données et des documents") and the payment office (seed 004,
"vérifier que les documents paiements soient bien complétés") receive, read,
correct and check documents; so do their supervisors. A mechanical check (check
digits of a zone or an IBAN) is a simple check, open from level D.

The contact center (seed 002) answers citizens about what their file holds: its
agents see the list of a person's documents and their checks, but neither open the
files (scans of identity cards, bank statements) nor add or check documents.

Visibility of one document follows its person's: a person confidential to a team
keeps their documents confidential to that team. The identifier checks
(`check.run`) compute an answer and store nothing: every agent who serves citizens
may run them.
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, Grant, Kind, R, grant, via_person


class Action(StrEnum):
    CHECK_RUN = "check.run"
    DOCUMENT_VIEW = "document.view"
    DOCUMENT_DOWNLOAD = "document.download"
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_EDIT = "document.edit"
    DOCUMENT_VERIFY = "document.verify"


# Who handles documents themselves (seeds 000, 001, 003, 004 and supervisors).
DOCUMENT_HANDLERS = (
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)

GRANTS: dict[str, Grant] = {
    Action.CHECK_RUN: grant(*CITIZEN_FACING),
    Action.DOCUMENT_VIEW: grant(*CITIZEN_FACING),
    Action.DOCUMENT_DOWNLOAD: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_UPLOAD: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_EDIT: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_VERIFY: grant(*DOCUMENT_HANDLERS),
}


KINDS: dict[str, Kind] = {
    "documents.document": Kind(
        view_action=Action.DOCUMENT_VIEW,
        rule=via_person("person"),
        actions=frozenset(
            {
                Action.DOCUMENT_VIEW,
                Action.DOCUMENT_DOWNLOAD,
                Action.DOCUMENT_EDIT,
                Action.DOCUMENT_VERIFY,
            }
        ),
    ),
}
