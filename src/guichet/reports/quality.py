"""Data quality: contradictions in the data for an agent to resolve (issue #19 item 4).

Each check is a query over the source rows for one agent, through the access policy
(`policy.visible`: only the persons, documents and dossiers the agent may see; a
hidden record is neither listed nor counted), and returns findings: who or which
dossier, what contradicts what in words, and where to fix it. Nothing is stored: a
finding disappears once the data is corrected, and the counts are the lengths of
the findings lists.

- **birth-date**: the birth date recorded contradicts the national register or BIS
  number (`checks.niss` reads the birth date the number encodes: YYMMDD, a BIS
  number adds 20 or 40 to the month, the check digits tell the century; a month 00
  or a day 00 leaves that part unknown, `000001`-style numbers say nothing of the
  date). Narrowed in SQL (digits against the date's parts and the century rule),
  then confirmed in Python with `check_niss`. A number that does not pass its check
  digits is listed too: the date cannot be checked against it.
- **birth-date-kept**: the same contradiction, saved on purpose: parties keeps a
  birth date against the number only with a reason (`person_create` /
  `person_update` with `contradiction_override`, recorded in the audit trail as
  `contradictions_overridden`). When the last write that set the birth date or the
  number carried that reason, the person is listed here with it, not among the
  contradictions to resolve: someone already decided.
- **postal-code**: a Belgian address (country BE) whose municipality is not one of
  the places its postal code serves (`reports.postcodes`, the shipped list: names in
  Dutch, French or German, sub-municipalities included, compared folded). Foreign
  addresses are not checked. The distinct (postal code, municipality) pairs are read
  in SQL and checked once each, so the work grows with the number of spellings, not
  of addresses.
- **expired-document**: an identity document (identity card, passport, residence
  permit) of an open dossier that expired before today (`documents.expiry`: the
  expiry date is the last valid day, so a document expiring today is still valid):
  attached to the dossier, or the applicant's current one (the applicant holds no
  identity document valid today, and their latest one has expired).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import (
    Cast,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Mod,
    Substr,
)
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent, Chain
from guichet.audit.services import access_record
from guichet.checks.niss import check_niss
from guichet.core import clock, tabular
from guichet.documents.models import Document, DocumentType
from guichet.dossiers.models import Dossier
from guichet.parties.errors import Code as PartiesCode
from guichet.parties.models import Person, PostalAddress

from .postcodes import PostalCodes, postal_codes

BIRTH_DATE = "birth-date"
BIRTH_DATE_KEPT = "birth-date-kept"
POSTAL_CODE = "postal-code"
EXPIRED_DOCUMENT = "expired-document"
# The contradictions to resolve, in the order the summary shows them; the birth
# dates kept on purpose are listed apart.
TO_RESOLVE = (BIRTH_DATE, POSTAL_CODE, EXPIRED_DOCUMENT)
CHECKS = (*TO_RESOLVE, BIRTH_DATE_KEPT)
TITLES = {
    BIRTH_DATE: _("Birth date contradicts the national number"),
    POSTAL_CODE: _("Postal code not of its municipality"),
    EXPIRED_DOCUMENT: _("Expired identity document on an open dossier"),
    BIRTH_DATE_KEPT: _("Birth dates kept against the national number"),
}
DESCRIPTIONS = {
    BIRTH_DATE: _(
        "The national register or BIS number encodes a birth date; the birth date "
        "recorded says otherwise. Correct the one that is wrong on the person's page."
    ),
    POSTAL_CODE: _(
        "A Belgian address whose postal code does not serve its municipality, "
        "according to the list of postal codes. Correct the address on the "
        "person's page."
    ),
    EXPIRED_DOCUMENT: _(
        "An identity card, passport or residence permit of an open dossier that "
        "expired before today. Ask the applicant for a valid one and add it."
    ),
    BIRTH_DATE_KEPT: _(
        "Persons whose birth date was kept against their national number on "
        "purpose, with the reason given. Nothing to resolve unless the reason no "
        "longer holds."
    ),
}
IDENTITY_DOCUMENTS = (
    DocumentType.IDENTITY_CARD,
    DocumentType.PASSPORT,
    DocumentType.RESIDENCE_PERMIT,
)
# What prefixing "2" to the nine digits adds (the check digits of persons born
# from 2000, docs/sources.md §2.1, as `checks.niss`).
_BORN_FROM_2000 = 2_000_000_000
_OVERRIDE_ACTIONS = ("person.create", "person.update")
_IDENTITY_NUMBER_FIELDS = {"birth_date", "national_number"}


@dataclass(frozen=True)
class Finding:
    """One contradiction: who, what contradicts what, where to fix it."""

    check: str
    person: Person
    # Birth date checks: what the number says (None: not valid, or unknown).
    encoded: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # birth-date-kept: why it was kept
    address: PostalAddress | None = None
    dossier: Dossier | None = None
    document: Document | None = None
    attached: bool = False  # expired-document: attached to the dossier

    @property
    def target(self) -> tuple[str, str]:
        """Where an agent fixes it: ("dossier", reference) or ("person", uuid)."""
        if self.dossier is not None:
            return "dossier", self.dossier.reference
        return "person", str(self.person.uuid)

    @property
    def recorded(self) -> str:
        """What is on record, in the active language."""
        if self.check in (BIRTH_DATE, BIRTH_DATE_KEPT):
            return _date(self.person.birth_date)
        if self.address is not None:
            return f"{self.address.postal_code} {self.address.municipality}"
        if self.document is not None:
            return gettext("%(type)s expired on %(date)s") % {
                "type": self.document.get_document_type_display(),
                "date": _date(self.document.expires_on),
            }
        return ""

    @property
    def problem(self) -> str:
        """What contradicts what, in words the agent understands."""
        return _PROBLEMS[self.check](self)


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _birth_problem(finding: Finding) -> str:
    encoded = finding.encoded
    number = encoded.get("formatted") or finding.person.national_number or ""
    if not encoded.get("valid", True):
        return gettext(
            "The national number %(number)s does not pass its check digits: the "
            "birth date cannot be checked against it."
        ) % {"number": number}
    if encoded.get("birth_date"):
        says = _date(dt.date.fromisoformat(encoded["birth_date"]))
    elif encoded.get("birth_month"):
        says = formats.date_format(
            dt.date(encoded["birth_year"], encoded["birth_month"], 1),
            "YEAR_MONTH_FORMAT",
        )
    else:
        says = str(encoded.get("birth_year", ""))
    text = gettext(
        "The national number %(number)s says born %(says)s; the birth date "
        "recorded is %(recorded)s."
    ) % {"number": number, "says": says, "recorded": finding.recorded}
    if finding.check == BIRTH_DATE_KEPT:
        text += " " + gettext("Kept on purpose: %(reason)s") % {
            "reason": finding.reason
        }
    return text


def _postal_problem(finding: Finding) -> str:
    assert finding.address is not None  # noqa: S101 - set for this check
    address = finding.address
    codes = postal_codes()
    areas = codes.areas(address.postal_code)
    if not areas:
        first = gettext("The postal code %(code)s does not exist.") % {
            "code": address.postal_code
        }
    else:
        first = gettext("The postal code %(code)s serves %(places)s, not %(name)s.") % {
            "code": address.postal_code,
            "places": ", ".join(area.label for area in areas),
            "name": address.municipality,
        }
    elsewhere = codes.codes_for(address.municipality)
    if not elsewhere:
        return (
            first
            + " "
            + gettext("%(name)s is not a municipality or locality on the list.")
            % {"name": address.municipality}
        )
    return (
        first
        + " "
        + gettext("%(name)s has the postal codes %(codes)s.")
        % {"name": address.municipality, "codes": ", ".join(elsewhere)}
    )


def _document_problem(finding: Finding) -> str:
    assert finding.document is not None  # noqa: S101 - set for this check
    assert finding.dossier is not None  # noqa: S101 - set for this check
    values = {
        "type": finding.document.get_document_type_display(),
        "date": _date(finding.document.expires_on),
        "dossier": finding.dossier.reference,
    }
    if finding.attached:
        return (
            gettext(
                "The %(type)s attached to the open dossier %(dossier)s expired on "
                "%(date)s."
            )
            % values
        )
    return (
        gettext(
            "The applicant of the open dossier %(dossier)s has no valid identity "
            "document: their %(type)s expired on %(date)s."
        )
        % values
    )


_PROBLEMS: dict[str, Callable[[Finding], str]] = {
    BIRTH_DATE: _birth_problem,
    BIRTH_DATE_KEPT: _birth_problem,
    POSTAL_CODE: _postal_problem,
    EXPIRED_DOCUMENT: _document_problem,
}


# Birth date against the national number


def birth_date_contradiction(
    national_number: str, birth_date: dt.date, *, today: dt.date
) -> dict[str, Any] | None:
    """What the number says when it contradicts `birth_date`, else None (pure).

    Only the parts the number knows are compared: the whole date, or the year and
    month (day 00 or past the month's end), or the year (month 00); a number of an
    unknown birth date (`000001`) contradicts nothing.
    """
    checked = check_niss(national_number, today=today)
    if not checked.valid:
        return {"valid": False, "formatted": ""}
    fields = checked.fields
    said: dict[str, Any] = {"valid": True, **fields}
    if fields["birth_date"]:
        return None if fields["birth_date"] == birth_date.isoformat() else said
    if fields["birth_year"] is None:
        return None
    if fields["birth_year"] != birth_date.year:
        return said
    if fields["birth_month"] and fields["birth_month"] != birth_date.month:
        return said
    return None


def _digits(start: int, length: int, output: Any) -> Cast:
    return Cast(Substr("national_number", start, length), output_field=output)


def birth_date_candidates(persons: QuerySet[Person]) -> QuerySet[Person]:
    """The persons whose birth date may contradict their number (SQL).

    Keeps out those whose six first digits are the recorded date's YYMMDD (the
    month less 20 or 40 for a BIS number) and whose check digits follow the rule of
    the recorded century; what is left is confirmed by `birth_date_contradiction`.
    """
    nine = _digits(1, 9, BigIntegerField())
    agreeing = Q(
        nn_year=F("born_year_2"), nn_month=F("born_month"), nn_day=F("born_day")
    ) & (
        Q(born_year__lt=2000, nn_check=F("check_1900"))
        | Q(born_year__gte=2000, nn_check=F("check_2000"))
    )
    return (
        persons.filter(national_number__isnull=False, birth_date__isnull=False)
        .annotate(
            nn_year=_digits(1, 2, IntegerField()),
            nn_month=Mod(_digits(3, 2, IntegerField()), Value(20)),
            nn_day=_digits(5, 2, IntegerField()),
            nn_check=_digits(10, 2, IntegerField()),
            check_1900=Value(97) - Mod(nine, Value(97)),
            check_2000=Value(97) - Mod(nine + Value(_BORN_FROM_2000), Value(97)),
            born_year=ExtractYear("birth_date"),
            born_year_2=Mod(ExtractYear("birth_date"), Value(100)),
            born_month=ExtractMonth("birth_date"),
            born_day=ExtractDay("birth_date"),
        )
        .exclude(agreeing)
    )


def _kept_reasons(persons: Sequence[Person]) -> dict[int, str]:
    """Person pk -> the reason given, for those whose last write of the birth date
    or the number kept the contradiction on purpose (the audit trail)."""
    by_uuid = {str(person.uuid): person.pk for person in persons}
    last: dict[int, AuditEvent] = {}
    events = AuditEvent.objects.filter(
        chain=Chain.CHANGES,
        object_type=Person._meta.label_lower,
        object_id__in=list(by_uuid),
        action__in=_OVERRIDE_ACTIONS,
    ).order_by("id")
    for event in events:
        summary = event.summary or {}
        touched = event.action == "person.create" or bool(
            _IDENTITY_NUMBER_FIELDS & set(summary.get("changes", {}))
        )
        if touched:
            last[by_uuid[event.object_id]] = event
    reasons = {}
    for pk, event in last.items():
        overridden = (event.summary or {}).get("contradictions_overridden") or {}
        if PartiesCode.BIRTH_DATE_MISMATCH in overridden.get("codes", ()):
            reasons[pk] = str(overridden.get("reason", ""))
    return reasons


def _birth_date_findings(agent: Agent, *, kept: bool) -> list[Finding]:
    today = clock.today()
    persons = list(
        birth_date_candidates(policy.visible(agent, Person.objects.all())).order_by(
            "surname", "given_names", "id"
        )
    )
    found = []
    for person in persons:
        assert person.national_number is not None  # noqa: S101 - filtered
        assert person.birth_date is not None  # noqa: S101 - filtered
        said = birth_date_contradiction(
            person.national_number, person.birth_date, today=today
        )
        if said is not None:
            found.append((person, said))
    reasons = _kept_reasons([person for person, _said in found])
    return [
        Finding(
            check=BIRTH_DATE_KEPT if kept else BIRTH_DATE,
            person=person,
            encoded=said,
            reason=reasons.get(person.pk, ""),
        )
        for person, said in found
        if (person.pk in reasons) == kept
    ]


# Postal code against the municipality


def _postal_findings(agent: Agent, codes: PostalCodes | None = None) -> list[Finding]:
    codes = codes or postal_codes()
    addresses = PostalAddress.objects.filter(
        person__in=policy.visible(agent, Person.objects.all()), country="BE"
    )
    wrong = [
        (postal_code, municipality)
        for postal_code, municipality in addresses.order_by()
        .values_list("postal_code", "municipality")
        .distinct()
        if not codes.matches(postal_code, municipality)
    ]
    found: list[PostalAddress] = []
    for start in range(0, len(wrong), 200):
        pairs = Q(pk__in=[])
        for postal_code, municipality in wrong[start : start + 200]:
            pairs |= Q(postal_code=postal_code, municipality=municipality)
        found.extend(addresses.filter(pairs).select_related("person"))
    found.sort(
        key=lambda row: (
            row.person.surname,
            row.person.given_names,
            row.person.pk,
            row.pk,
        )
    )
    return [Finding(check=POSTAL_CODE, person=row.person, address=row) for row in found]


# Expired identity documents on open dossiers


def _document_findings(agent: Agent, *, today: dt.date | None = None) -> list[Finding]:
    today = today or clock.today()
    dossiers = policy.visible(agent, Dossier.objects.filter(closed_at__isnull=True))
    documents = policy.visible(
        agent, Document.objects.filter(document_type__in=IDENTITY_DOCUMENTS)
    )
    expired = documents.filter(expires_on__lt=today)
    pairs: dict[tuple[int, int], Finding] = {}
    for document in expired.filter(dossier__in=dossiers).select_related(
        "dossier", "person"
    ):
        assert document.dossier is not None  # noqa: S101 - filtered
        pairs[(document.dossier.pk, document.pk)] = Finding(
            check=EXPIRED_DOCUMENT,
            person=document.person,
            dossier=document.dossier,
            document=document,
            attached=True,
        )
    # Applicants holding no identity document valid today: their latest one.
    valid_today = Document.objects.filter(document_type__in=IDENTITY_DOCUMENTS).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    latest: dict[int, Document] = {}
    for document in (
        expired.exclude(person_id__in=valid_today.values("person_id"))
        .filter(person__dossiers__in=dossiers)
        .distinct()
        .order_by("expires_on", "id")
    ):
        latest[document.person_id] = document
    with_attached = {dossier_pk for dossier_pk, _document_pk in pairs}
    for dossier in dossiers.filter(person_id__in=list(latest)).select_related("person"):
        assert dossier.person is not None  # noqa: S101 - filtered
        document = latest[dossier.person.pk]
        if dossier.pk not in with_attached:
            pairs[(dossier.pk, document.pk)] = Finding(
                check=EXPIRED_DOCUMENT,
                person=dossier.person,
                dossier=dossier,
                document=document,
            )
    return sorted(
        pairs.values(),
        key=lambda finding: (
            finding.document.expires_on if finding.document else today,
            finding.dossier.pk if finding.dossier else 0,
        ),
    )


# For the screens and exports


_RUNNERS: dict[str, Callable[[Agent], list[Finding]]] = {
    BIRTH_DATE: lambda agent: _birth_date_findings(agent, kept=False),
    BIRTH_DATE_KEPT: lambda agent: _birth_date_findings(agent, kept=True),
    POSTAL_CODE: _postal_findings,
    EXPIRED_DOCUMENT: _document_findings,
}


def findings(*, agent: Agent, check: str, log: bool = True) -> list[Finding]:
    """The findings of one check for `agent` (empty without the grant). Listing
    them is a read of the persons named: logged in the access log."""
    if check not in _RUNNERS:
        raise ValueError(check)
    if not policy.may(agent, Action.QUALITY_VIEW):
        return []
    found = _RUNNERS[check](agent)
    if found and log:
        access_record(
            actor=agent,
            action=f"report.quality_{check.replace('-', '_')}",
            objects=_unique(finding.person for finding in found),
            context={"check": check},
        )
    return found


def _unique(persons: Iterable[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in persons:
        seen.setdefault(person.pk, person)
    return list(seen.values())


PAGE_SIZE = 50


@dataclass(frozen=True)
class FindingsPage:
    check: str
    findings: list[Finding]
    total: int
    page: int
    has_next: bool


def findings_page(
    *, agent: Agent, check: str, page: int = 1, page_size: int | None = None
) -> FindingsPage:
    """One page of a check's findings; the persons shown are logged."""
    page_size = page_size or PAGE_SIZE
    found = findings(agent=agent, check=check, log=False)
    page = max(page, 1)
    start = (page - 1) * page_size
    shown = found[start : start + page_size]
    if shown:
        access_record(
            actor=agent,
            action=f"report.quality_{check.replace('-', '_')}",
            objects=_unique(finding.person for finding in shown),
            context={"check": check, "page": page},
        )
    return FindingsPage(
        check=check,
        findings=shown,
        total=len(found),
        page=page,
        has_next=start + page_size < len(found),
    )


@dataclass(frozen=True)
class CheckCount:
    check: str
    count: int

    @property
    def title(self) -> str:
        return str(TITLES[self.check])

    @property
    def description(self) -> str:
        return str(DESCRIPTIONS[self.check])


def summary(*, agent: Agent) -> list[CheckCount]:
    """The number of findings of each check: the same lists the check screens show
    (counts only, no person named: nothing to log)."""
    return [
        CheckCount(
            check=check, count=len(findings(agent=agent, check=check, log=False))
        )
        for check in CHECKS
    ]


def _cells(finding: Finding) -> list[Any]:
    person = finding.person
    return [
        person.surname,
        person.given_names,
        person.national_number or "",
        finding.dossier.reference if finding.dossier else "",
        finding.recorded,
        finding.problem,
    ]


def table(check: str, found: Sequence[Finding], *, language: str) -> tabular.Table:
    """The findings of one check as a table for `core.tabular`, in `language`."""
    with translation.override(language):
        return tabular.Table(
            title=str(TITLES[check]),
            filters=[
                (gettext("List"), str(TITLES[check])),
                (gettext("Checked on"), _date(clock.today())),
            ],
            headers=[
                gettext("Surname"),
                gettext("Given names"),
                gettext("National number"),
                gettext("Dossier"),
                gettext("On record"),
                gettext("What contradicts what"),
            ],
            rows=[_cells(finding) for finding in found],
        )
