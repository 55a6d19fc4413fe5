"""Letter types, their versioned templates in four languages, and letterheads."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.contacts.models import Topic
from guichet.core.models import BaseModel, VersionedModel


class ImmutableError(RuntimeError):
    """Raised on an attempt to change a record that is archived once and for all."""


class TypeKind(models.TextChoices):
    LETTER = "letter", _("letter")
    FORM = "form", _("fillable form")


class LetterType(BaseModel):
    """A kind of letter the service sends (acknowledgement, request for documents...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=TypeKind.choices, default=TypeKind.LETTER
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("When agents use this letter; shown when they choose one."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
        help_text=_(
            "Set: a standard answer on this topic, offered when an agent replies "
            "to a request about it."
        ),
    )
    is_standard = models.BooleanField(
        _("standard text"),
        default=True,
        help_text=_(
            "Off for a frame whose text is the agent's own (the reply to a "
            "request): a letter from it counts as having no standard answer, "
            "so it waits for a supervisor's approval."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("letter type")
        verbose_name_plural = _("letter types")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Brochure(BaseModel):
    """A file sent with every letter of a type (a brochure, a form to fill in): by
    e-mail as an attachment, and named among the enclosures of the letter itself.

    The bytes are archived by their hash (`archive.py`) and never change: a new
    edition is a new brochure, the old one withdrawn; an issued letter keeps the
    list of what went with it in its frozen content.
    """

    letter_type = models.ForeignKey(
        LetterType,
        on_delete=models.PROTECT,
        related_name="brochures",
        verbose_name=_("letter type"),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: sent with the letter in every language."),
    )
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    media_type = models.CharField(_("media type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["letter_type", "language", "title", "id"]
        verbose_name = _("brochure")
        verbose_name_plural = _("brochures")

    def __str__(self) -> str:
        return f"{self.title} ({self.filename})"


class LetterTemplate(VersionedModel):
    """The current text of one letter type in one language.

    Every save through `template_save` stores an immutable `LetterTemplateVersion`;
    letters point to the version they were written from.
    """

    letter_type = models.ForeignKey(
        LetterType,
        on_delete=models.PROTECT,
        related_name="templates",
        verbose_name=_("letter type"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The letter's name in this language.")
    )
    subject = models.CharField(
        _("subject"),
        max_length=300,
        help_text=_("Placeholders allowed, such as {{ person.surname }}."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs separated by a blank line. Placeholders: {{ person.surname }}; "
            "free fields the agent fills in: {{ free.name }}; filters: upper, lower, "
            "capfirst ({{ person.surname|upper }}). Forms: [[ name ]], [[ name:area ]], "
            "[[ name:check ]]."
        ),
    )
    fields = models.JSONField(
        _("free fields"),
        default=dict,
        blank=True,
        help_text=_(
            "Each free field's type (date, time, amount, text, choice), its label in "
            "French, Dutch, German and English, and a choice's options."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["letter_type__code", "language"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["letter_type", "language"],
                name="correspondence_template_type_language_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_type.code} [{self.language}] v{self.version}"


class LetterTemplateVersion(BaseModel):
    """One saved state of a template; never changed once written."""

    template = models.ForeignKey(
        LetterTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("template"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    free_fields = models.JSONField(
        _("free fields"), default=list, help_text=_("Names the agent fills in.")
    )
    fields = models.JSONField(
        _("free field declarations"),
        default=dict,
        help_text=_(
            "Each free field's type and labels, as the template declared them."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="correspondence_template_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.letter_type.code} [{self.template.language}] v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("a template version is never changed")
        super().save(*args, **kwargs)


class Letterhead(BaseModel):
    """What a service (team) prints on its letters, and the prefix of its numbers."""

    team = models.OneToOneField(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    prefix = models.CharField(
        _("number prefix"),
        max_length=6,
        unique=True,
        help_text=_(
            "2 to 6 capital letters that start this service's numbers (LEG/2026/000123)."
        ),
    )
    name_fr = models.CharField(_("name in French"), max_length=200)
    name_nl = models.CharField(_("name in Dutch"), max_length=200)
    name_de = models.CharField(_("name in German"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    place_fr = models.CharField(_("place in French"), max_length=100)
    place_nl = models.CharField(_("place in Dutch"), max_length=100)
    place_de = models.CharField(_("place in German"), max_length=100)
    place_en = models.CharField(_("place in English"), max_length=100)
    address_lines = models.TextField(
        _("postal address"), help_text=_("One line per line, as on an envelope.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[A-Z]{2,6}$"),
                name="correspondence_letterhead_prefix_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix} - {self.name_en}"

    def name_in(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", "") or self.name_en)

    def place_in(self, language: str) -> str:
        return str(getattr(self, f"place_{language}", "") or self.place_en)
