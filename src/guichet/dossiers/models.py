"""Dossiers: the hub of a case (issue #14).

A dossier is opened under one version of a case type (`casetypes.CaseTypeVersion`)
and keeps it: a newer version applies to new dossiers only. Its rules (statuses,
transitions, guards, documents, deadlines, decisions) are read from that version's
definition; the dossier stores only what it is now (status, facts, due dates,
suspension, result) so queues filter and sort on plain columns.

Modelled on Open Zaak's `zaken` (a `Zaak` with its `Status` history, `Rol`s,
`Resultaat`, `ZaakObject`s, `opschorting` and `verlenging`), smaller: the parties
are persons or organisations of `parties`; the history is one append-only
timeline; the decision is a row with its four-eyes review.

Links point from here down (a dossier to its persons, requests and contacts);
documents and letters sit above and point here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Team
from guichet.casetypes.models import CaseType, CaseTypeVersion
from guichet.contacts.models import Contact
from guichet.core.models import AppendOnlyModel, BaseModel, VersionedModel
from guichet.parties.models import Organisation, Person
from guichet.servicerequests.models import Request

REFERENCE_PREFIX = "DOS"


class Dossier(VersionedModel):
    """A case; its reference is `DOS-YYYY-NNNNNNN` from its id and year of opening."""

    case_type = models.ForeignKey(
        CaseType,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("case type"),
    )
    case_type_version = models.ForeignKey(
        CaseTypeVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("case-type version"),
        help_text=_("The version in force when the dossier was opened; never changes."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("team")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_owned",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_created",
        verbose_name=_("opened by"),
    )
    # The applicant when a person: whose confidentiality the dossier follows (the
    # other parties are listed through the policy, each on its own).
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant (person)"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant (organisation)"),
    )
    status = models.CharField(_("status"), max_length=64)
    facts = models.JSONField(
        _("facts"),
        default=dict,
        blank=True,
        help_text=_(
            "What is known of the case that the case type's conditions read "
            "(the document's language, the applicant's age...)."
        ),
    )
    received_on = models.DateField(
        _("received on"), help_text=_("The day the deadlines count from.")
    )
    processing_due = models.DateField(_("legal deadline"), null=True, blank=True)
    service_norm_due = models.DateField(_("service norm"), null=True, blank=True)
    completion_due = models.DateField(
        _("citizen's completion deadline"), null=True, blank=True
    )
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    clock_stopped_on = models.DateField(
        _("clock stopped on"),
        null=True,
        blank=True,
        help_text=_(
            "Waiting for the citizen where the case type allows no suspension."
        ),
    )
    extended_on = models.DateField(
        _("extended on"), null=True, blank=True, help_text=_("Extended once at most.")
    )
    transmitted_at = models.DateTimeField(_("transmitted at"), null=True, blank=True)
    result_code = models.CharField(_("result"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    retention_until = models.DateField(_("kept until"), null=True, blank=True)
    retention_then = models.CharField(
        _("then"), max_length=8, blank=True, help_text=_("archive or destroy")
    )
    # The end of retention (`retention.py`): archived (read-only from then on) or
    # destroyed (only the tombstone of the register of destruction is left).
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    requests: models.ManyToManyField[Request, DossierRequest] = models.ManyToManyField(
        Request, through="DossierRequest", related_name="dossiers", blank=True
    )
    contacts: models.ManyToManyField[Contact, DossierContact] = models.ManyToManyField(
        Contact, through="DossierContact", related_name="dossiers", blank=True
    )

    class Meta:
        ordering = ["processing_due", "id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            # A team's queue: open dossiers in the queue's order (legal deadline,
            # service norm, id; NULLs last as in `selectors.queue`), so a page
            # reads its 50 rows from the index instead of sorting every open
            # dossier of the team (bench/RESULTS.md, "Dossiers").
            models.Index(
                fields=["team", "processing_due", "service_norm_due", "id"],
                condition=Q(closed_at__isnull=True),
                name="dossiers_open_queue_idx",
            ),
            # The same order over all teams: the queue of an agent of several teams.
            models.Index(
                fields=["processing_due", "service_norm_due", "id"],
                condition=Q(closed_at__isnull=True),
                name="dossiers_open_deadline_idx",
            ),
            # The queue filtered by status: that status's dossiers of the team in
            # the queue's order. Not partial: the status filter alone (a closed
            # status too) must reach it; a rare status would otherwise make the
            # queue walk thousands of open dossiers or sort the team's closed ones.
            models.Index(
                fields=["team", "status", "processing_due", "service_norm_due", "id"],
                name="dossiers_status_queue_idx",
            ),
            # "Mine" (or another owner's): the owner's open dossiers in the queue's
            # order, across the teams.
            models.Index(
                fields=["owner", "processing_due", "service_norm_due", "id"],
                condition=Q(closed_at__isnull=True),
                name="dossiers_owner_queue_idx",
            ),
            models.Index(fields=["owner", "closed_at"], name="dossiers_owner_idx"),
            # The supervisor's dashboard: a team's dossiers closed in a period
            # (lead times), read without the team's open or older dossiers.
            models.Index(
                fields=["team", "closed_at"],
                condition=Q(closed_at__isnull=False),
                name="dossiers_team_closed_idx",
            ),
            models.Index(fields=["person", "-created_at"], name="dossiers_person_idx"),
            # The retention run: closed dossiers not yet archived nor destroyed.
            models.Index(
                fields=["retention_until", "id"],
                condition=Q(
                    closed_at__isnull=False,
                    archived_at__isnull=True,
                    destroyed_at__isnull=True,
                ),
                name="dossiers_retention_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(organisation__isnull=True),
                name="dossiers_one_applicant",
            ),
            # Only a closed dossier reaches the end of its retention, and only once.
            models.CheckConstraint(
                condition=(Q(archived_at__isnull=True) & Q(destroyed_at__isnull=True))
                | (
                    Q(closed_at__isnull=False)
                    & (Q(archived_at__isnull=True) | Q(destroyed_at__isnull=True))
                ),
                name="dossiers_retention_end_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference_of(self.pk, self.created_at.year if self.created_at else 0)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_destroyed(self) -> bool:
        return self.destroyed_at is not None


def reference_of(pk: int | None, year: int) -> str:
    return f"{REFERENCE_PREFIX}-{year:04d}-{pk or 0:07d}"


def parse_reference(reference: str) -> tuple[int, int] | None:
    """(year, id) of a well-formed reference, else None."""
    parts = reference.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != REFERENCE_PREFIX:
        return None
    year, number = parts[1], parts[2]
    if not (year.isdigit() and len(year) == 4 and number.isdigit()):
        return None
    return int(year), int(number)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    BENEFICIARY = "beneficiary", _("beneficiary")
    REPRESENTATIVE = "representative", _("representative")
    EMPLOYER = "employer", _("employer")
    AUTHORITY = "authority", _("other authority")


class DossierParty(BaseModel):
    """A person or an organisation in a role on the dossier (Open Zaak's `Rol`)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_roles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_roles",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["dossier", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=True) & Q(organisation__isnull=False))
                | (Q(person__isnull=False) & Q(organisation__isnull=True)),
                name="dossiers_party_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["dossier", "role", "person"],
                condition=Q(person__isnull=False),
                name="dossiers_party_person_once",
            ),
            models.UniqueConstraint(
                fields=["dossier", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="dossiers_party_organisation_once",
            ),
        ]
        indexes = [models.Index(fields=["person"], name="dossiers_party_person_idx")]

    def __str__(self) -> str:
        return f"{self.role}:{self.person_id or self.organisation_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("opened")
    STATUS = "status", _("status changed")
    FACTS = "facts", _("facts updated")
    TASK = "task", _("task")
    NOTE = "note", _("note")
    DOCUMENT_REQUEST = "doc_request", _("documents asked")
    DOCUMENT_ANSWER = "doc_answer", _("documents received")
    REMINDER = "reminder", _("reminder")
    SUSPENDED = "suspended", _("suspended")
    RESUMED = "resumed", _("resumed")
    EXTENDED = "extended", _("extended")
    DECISION = "decision", _("decision proposed")
    APPROVAL = "approval", _("decision approved")
    REFUSAL = "refusal", _("approval refused")
    EXTERNAL = "external", _("decision of another body")
    FEE = "fee", _("fee")
    LETTER = "letter", _("letters queued")
    TRANSMITTED = "transmitted", _("transmitted")
    LINKED = "linked", _("linked")
    CLOSED = "closed", _("closed")
    ARCHIVED = "archived", _("archived")


class DossierEvent(AppendOnlyModel):
    """One line of a dossier's timeline; never changed, never removed."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    transition = models.CharField(_("transition"), max_length=64, blank=True)
    from_status = models.CharField(max_length=64, blank=True)
    to_status = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["dossier", "created_at"], name="dossier_events_idx")
        ]


class DossierTask(BaseModel):
    """Work to do on a dossier, for an agent or a team, with its due day."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=64,
        blank=True,
        help_text=_("The transition that created it, if any."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="dossier_tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                condition=Q(done_at__isnull=True),
                name="dossier_tasks_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DossierNote(AppendOnlyModel):
    """An internal note (never sent to the citizen)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["created_at", "id"]


class DocumentRequest(BaseModel):
    """A supporting document asked from the citizen or another body."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="document_requests"
    )
    document_code = models.CharField(
        _("required document"),
        max_length=64,
        blank=True,
        help_text=_("The case type's required document, when it is one."),
    )
    description = models.CharField(_("what"), max_length=200)
    party = models.ForeignKey(
        DossierParty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_requests",
        verbose_name=_("asked from"),
    )
    body = models.CharField(
        _("asked from (body)"),
        max_length=200,
        blank=True,
        help_text=_("Another body, when not a party of the dossier."),
    )
    due_on = models.DateField(_("due on"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(answered_at__isnull=True),
                name="dossier_docreq_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.description


class DossierSuspension(BaseModel):
    """A span during which the dossier's clock stands still (Open Zaak's
    `opschorting`): from the day after `started_on` to `ended_on`, both included."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(_("reason"), max_length=500)
    started_on = models.DateField(_("from"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(ended_on__isnull=True),
                name="dossiers_one_open_suspension",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="dossiers_suspension_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on}..{self.ended_on or ''}"


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("approval refused")
    FINAL = "final", _("final (no approval needed)")
    RECORDED = "recorded", _("recorded (another body)")


class Decision(BaseModel):
    """A decision on the dossier: proposed with its motivation and approved by a
    second agent (four eyes), or taken by another body and recorded here."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="decisions"
    )
    decision_type = models.CharField(_("decision type"), max_length=64)
    result_code = models.CharField(_("result"), max_length=64)
    motivation = models.TextField(_("motivation"))
    state = models.CharField(_("state"), max_length=10, choices=DecisionState.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed or recorded by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or refused by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_text = models.TextField(_("reason of the review"), blank=True)
    body = models.CharField(_("deciding body"), max_length=200, blank=True)
    body_reference = models.CharField(_("its reference"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    appeal_until = models.DateField(
        _("objection or appeal until"), null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True)
                | ~Q(reviewed_by=models.F("proposed_by")),
                name="dossiers_decision_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(state="proposed"),
                name="dossiers_one_pending_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_type}:{self.result_code} ({self.state})"


class DossierFee(BaseModel):
    """The fee due on a dossier. Minimal for now: what is due, an exemption, and
    that it was paid; payments, receipts and the counter's cash book come with
    the payments work of issue #14 (point 4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    fee_code = models.CharField(_("fee"), max_length=64)
    amount = models.DecimalField(_("amount due"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    exemption = models.CharField(_("exemption"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "fee_code"], name="dossiers_fee_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="dossiers_fee_not_negative"
            ),
        ]

    @property
    def settled(self) -> bool:
        return bool(self.exemption) or self.paid_at is not None


class DossierRequest(models.Model):
    """A request linked to a dossier (the dossier holds the link)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="request_links"
    )
    request = models.ForeignKey(
        Request, on_delete=models.PROTECT, related_name="dossier_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "request"], name="dossiers_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}:{self.request_id}"


class DossierContact(models.Model):
    """A contact linked to a dossier (the dossier holds the link)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="dossier_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "contact"], name="dossiers_contact_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}:{self.contact_id}"


class ExportPackage(BaseModel):
    """A transmission's export package (`export.package_build`): a ZIP kept in the
    storage under its SHA-256, so it can be downloaded again as it was sent. Never
    changed; a dossier transmitted twice has two."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="export_packages",
        verbose_name=_("dossier"),
    )
    transition = models.CharField(_("transition"), max_length=64, blank=True)
    sha256 = models.CharField(_("SHA-256 of the package"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    documents = models.PositiveIntegerField(_("documents"))
    generated_at = models.DateTimeField(_("generated at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("built by"),
    )

    class Meta:
        ordering = ["dossier", "created_at", "id"]
        verbose_name = _("export package")
        verbose_name_plural = _("export packages")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="dossiers_export_sha256_hex",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}:{self.sha256[:12]}"
