"""Agents (the users), their teams, function levels and roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import auth
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from guichet.core.models import BaseModel


class FunctionLevel(models.TextChoices):
    """Function levels of the Belgian federal administration, as in the seeds."""

    D = "D", _("Level D")
    C = "C", _("Level C")
    B = "B", _("Level B")
    A1 = "A1", _("Level A1")
    A2 = "A2", _("Level A2")


LEVEL_RANK: dict[str, int] = {
    level.value: rank for rank, level in enumerate(FunctionLevel)
}


def level_at_least(level: str, minimum: str) -> bool:
    """True when `level` is `minimum` or higher (D < C < B < A1 < A2)."""
    return LEVEL_RANK[level] >= LEVEL_RANK[minimum]


class RoleCode(models.TextChoices):
    FIRST_LINE = "first_line", _("Contact center, first line")
    SECOND_LINE = "second_line", _("Contact center, second line")
    FRONT_OFFICE = "front_office", _("Front office")
    SUPPORT_AGENT = "support_agent", _("Administrative support")
    DOSSIER_HANDLER = "dossier_handler", _("Dossier handler")
    PAYMENT_AGENT = "payment_agent", _("Payment office")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    EN = "en", _("English")


class Role(models.Model):
    """A role an agent can hold; the access policy says what each role may do."""

    code = models.CharField(
        _("code"), max_length=32, choices=RoleCode.choices, unique=True
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class Team(BaseModel):
    """A service or unit agents work in, such as 'contact center NL' or 'legalisations'."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("working language"), max_length=2, choices=Language.choices, blank=True
    )
    email = models.EmailField(_("team e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class AgentManager(BaseUserManager["Agent"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> Agent:
        return self.get(username__iexact=username)

    def people(self) -> models.QuerySet[Agent]:
        """Active agents who are people: what lists of colleagues offer (a
        substitute, an owner, a participant, who is present), never a system
        account such as the public web form's."""
        return self.filter(is_active=True, is_system=False)

    def create_user(
        self, username: str, password: str | None = None, **fields: Any
    ) -> Agent:
        agent = self.model(username=username, **fields)
        agent.set_password(password)
        agent.save(using=self._db)
        return agent


class Agent(AbstractBaseUser, BaseModel):
    """A public-service agent who logs in to Guichet.

    There is no superuser flag: what an agent may do follows only from roles, level
    and teams, through `guichet.access.policy`.
    """

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    level = models.CharField(
        _("function level"),
        max_length=2,
        choices=FunctionLevel.choices,
        default=FunctionLevel.C,
    )
    language = models.CharField(
        _("interface language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FR,
    )
    roles = models.ManyToManyField(
        Role, verbose_name=_("roles"), blank=True, related_name="agents"
    )
    teams: models.ManyToManyField[Team, Membership] = models.ManyToManyField(
        Team,
        verbose_name=_("teams"),
        blank=True,
        through="Membership",
        related_name="agents",
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Unticked when the agent leaves; agents are never deleted, the audit trail names them."
        ),
    )
    phone_extension = models.CharField(
        _("phone extension"),
        max_length=20,
        blank=True,
        # In the database too: rows written by code that predates the column (a
        # migration's historical model, an older process during a deployment).
        default="",
        db_default="",
        help_text=_(
            "The agent's extension on the telephone system: a call they answer opens "
            "the caller's record on their screen."
        ),
    )

    is_system = models.BooleanField(
        _("system account"),
        default=False,
        db_default=False,
        help_text=_(
            "An account Guichet acts as (the public web form, automated payment "
            "runs): nobody logs in as it, and it is never offered as a colleague."
        ),
    )

    objects: ClassVar[AgentManager] = AgentManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_extension"],
                condition=~models.Q(phone_extension=""),
                name="agents_agent_phone_extension_unique",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("code", flat=True))

    @cached_property
    def team_ids(self) -> frozenset[int]:
        return frozenset(self.memberships.values_list("team_id", flat=True))

    @property
    def is_staff(self) -> bool:
        """Django's admin site lets in administrators only."""
        return self.is_active and RoleCode.ADMIN in self.role_codes

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        """Ask the authentication backends, which ask the access policy."""
        return self.is_active and any(
            backend.has_perm(self, perm, obj)
            for backend in auth.get_backends()
            if hasattr(backend, "has_perm")
        )

    def has_perms(self, perm_list: Any, obj: models.Model | None = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and any(
            backend.has_module_perms(self, app_label)
            for backend in auth.get_backends()
            if hasattr(backend, "has_module_perms")
        )

    def forget_cached_access(self) -> None:
        """Drop the cached roles and teams after they change."""
        for name in ("role_codes", "team_ids"):
            self.__dict__.pop(name, None)


class Membership(models.Model):
    agent = models.ForeignKey(
        Agent,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("agent"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("team"),
    )
    is_lead = models.BooleanField(_("leads the team"), default=False)
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        ordering = ["team__name", "agent__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "team"], name="agents_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} @ {self.team}"


class ApiToken(BaseModel):
    """A bearer token for machines. Only its SHA-256 is stored; the secret is shown once."""

    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("agent"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses the token.")
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AccessRequest(BaseModel):
    """A grant of access waiting for a second administrator (four eyes).

    An administrator who gives an agent a role, a team, or the lead of a team does
    not change the agent: the grant is stored here, pending, and applied only when
    another administrator approves it (docs/adr/0004-four-eyes-access-changes.md).
    """

    class Kind(models.TextChoices):
        ROLE = "role", _("Role")
        MEMBERSHIP = "membership", _("Team membership")
        LEAD = "lead", _("Team lead")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="access_requests",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="role", role__isnull=False, team__isnull=True)
                    | models.Q(
                        kind__in=["membership", "lead"],
                        role__isnull=True,
                        team__isnull=False,
                    )
                ),
                name="agents_accessrequest_kind_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent}: {self.get_kind_display()} {self.target_label}"

    @property
    def target_label(self) -> str:
        return str(self.role if self.role_id is not None else self.team)


class Substitution(BaseModel):
    """While `agent` is away (from `starts_on` to `ends_on`, both included),
    `substitute` sees what is assigned to them and receives their new assignments
    (docs/adr/0005-contacts-and-requests.md)."""

    agent = models.ForeignKey(
        Agent,
        on_delete=models.CASCADE,
        related_name="substitutions",
        verbose_name=_("agent away"),
    )
    substitute = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="substituting",
        verbose_name=_("substitute"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        indexes = [
            models.Index(fields=["agent", "starts_on"], name="agents_substitution_idx"),
            models.Index(
                fields=["substitute", "starts_on"], name="agents_substituting_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agents_substitution_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(substitute=models.F("agent")),
                name="agents_substitution_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id}->{self.substitute_id} {self.starts_on}..{self.ends_on}"
