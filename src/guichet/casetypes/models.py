"""Case types and their versions.

A `CaseType` is the procedure (its code, names, the team that owns it); each
`CaseTypeVersion` is one imported definition of it, in force from a date. A dossier
opened on a date keeps the version in force then (the dossiers app holds the foreign
key), so a new version applies to new dossiers only. Versions are written once and
never edited or removed (`AppendOnlyModel`): the definition a dossier was handled
under stays readable as long as the dossier.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent, Team
from guichet.core.models import AppendOnlyModel, BaseModel


class CaseType(BaseModel):
    """A procedure; its names and team follow its latest imported version."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="case_types",
        verbose_name=_("owning team"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def __str__(self) -> str:
        return f"{self.code}: {self.name_en}"

    def name(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", self.name_en))


class CaseTypeVersion(AppendOnlyModel):
    """One imported definition of a case type. Append-only."""

    case_type = models.ForeignKey(
        CaseType,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("case type"),
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(
        _("valid from"), help_text=_("Dossiers opened from this date use this version.")
    )
    definition = models.JSONField(
        _("definition"),
        help_text=_("The validated definition, every default written out."),
    )
    source = models.TextField(_("source (YAML)"))
    source_filename = models.CharField(_("file name"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256 of the source"), max_length=64)
    imported_by = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
        help_text=_("Empty when the installation imported it (command line, demo)."),
    )

    class Meta:
        ordering = ["case_type", "number"]
        verbose_name = _("case-type version")
        verbose_name_plural = _("case-type versions")
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "number"], name="casetypes_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="casetypes_version_number_positive",
            ),
        ]
        indexes = [models.Index(fields=["case_type", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.case_type.code} v{self.number} ({self.valid_from.isoformat()})"
