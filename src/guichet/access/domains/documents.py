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

The register of specimen signatures and seals (issue #14, item 5) is the consular
front office's tool for legalisation (seed 000: "Vérifier l'authenticité et la
validité des documents"; docs/sources.md §5.5: legalisation certifies the official's
signature, seal and capacity, not the content). Its agents, at level C as the
seed's function (BV004, "Mettre à jour les banques de données utilisées par le
service"), and their supervisors consult it, keep it up to date and record on a
document which specimen its signature was compared with. It holds no citizen data
(officials sign in their public capacity), so every specimen is seen by whoever
holds `specimen.view`; recording a comparison also needs the document itself to be
visible. Contact-center, support, dossier and payment agents do not legalise.
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, EVERYONE, Grant, Kind, L, R, grant, via_person


class Action(StrEnum):
    CHECK_RUN = "check.run"
    DOCUMENT_VIEW = "document.view"
    DOCUMENT_DOWNLOAD = "document.download"
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_EDIT = "document.edit"
    DOCUMENT_VERIFY = "document.verify"
    SPECIMEN_VIEW = "specimen.view"
    SPECIMEN_MANAGE = "specimen.manage"
    SPECIMEN_COMPARE = "specimen.compare"


# Who handles documents themselves (seeds 000, 001, 003, 004 and supervisors).
DOCUMENT_HANDLERS = (
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)

# Who legalises signatures: the consular front office and its supervisors (seed 000).
LEGALISERS = (R.FRONT_OFFICE, R.SUPERVISOR)

GRANTS: dict[str, Grant] = {
    Action.CHECK_RUN: grant(*CITIZEN_FACING),
    Action.DOCUMENT_VIEW: grant(*CITIZEN_FACING),
    Action.DOCUMENT_DOWNLOAD: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_UPLOAD: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_EDIT: grant(*DOCUMENT_HANDLERS),
    Action.DOCUMENT_VERIFY: grant(*DOCUMENT_HANDLERS),
    Action.SPECIMEN_VIEW: grant(*LEGALISERS),
    Action.SPECIMEN_MANAGE: grant(*LEGALISERS, min_level=L.C),
    Action.SPECIMEN_COMPARE: grant(*LEGALISERS),
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
    "documents.specimen": Kind(
        view_action=Action.SPECIMEN_VIEW,
        rule=EVERYONE,
        actions=frozenset(
            {Action.SPECIMEN_VIEW, Action.SPECIMEN_MANAGE, Action.SPECIMEN_COMPARE}
        ),
    ),
    "documents.signingofficial": Kind(
        view_action=Action.SPECIMEN_VIEW,
        rule=EVERYONE,
        actions=frozenset({Action.SPECIMEN_VIEW, Action.SPECIMEN_MANAGE}),
    ),
}
