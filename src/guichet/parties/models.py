"""Parties: persons and organisations, their contact points and links."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.core.models import BaseModel, VersionedModel


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")
    OTHER = "X", _("other")
    UNKNOWN = "U", _("unknown")


class NationalNumberType(models.TextChoices):
    NN = "nn", _("national register number")
    BIS = "bis", _("BIS number")


class Person(VersionedModel):
    given_names = models.CharField(_("given names"), max_length=200)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(
        _("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN
    )
    national_number = models.CharField(
        _("national register or BIS number"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        help_text=_("11 digits, stored without dots or dashes."),
    )
    national_number_type = models.CharField(
        _("type of number"),
        max_length=3,
        choices=NationalNumberType.choices,
        blank=True,
    )
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FR,
    )
    confidential_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confidential to team"),
        help_text=_(
            "When set, only members of this team see the person (protected persons, staff)."
        ),
    )
    # A record found to be a duplicate and merged (parties/merge.py): every row
    # that pointed at it points at `merged_into` now; the row stays, so its id
    # still answers "merged into". (No check constraint ties the two fields: on
    # SQLite adding one remakes the table and drops the search triggers.)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged on"), null=True, blank=True)
    # Folded "surname given names": lower case, no accents, for search.
    search_name = models.CharField(
        _("search name"), max_length=401, editable=False, db_index=True
    )

    class Meta:
        ordering = ["surname", "given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["birth_date"], name="parties_person_birth_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_number__isnull=True, national_number_type="")
                | Q(
                    national_number__regex=r"^[0-9]{11}$",
                    national_number_type__in=["nn", "bis"],
                ),
                name="parties_person_national_number_well_formed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.surname.upper()} {self.given_names}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


class Organisation(VersionedModel):
    name = models.CharField(_("name"), max_length=300)
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        help_text=_("10 digits (BCE/KBO), stored without dots."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FR,
    )
    search_name = models.CharField(
        _("search name"), max_length=300, editable=False, db_index=True
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise_number__isnull=True)
                | Q(enterprise_number__regex=r"^[01][0-9]{9}$"),
                name="parties_organisation_enterprise_number_well_formed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


_ONE_OWNER = Q(person__isnull=False, organisation__isnull=True) | Q(
    person__isnull=True, organisation__isnull=False
)


def _owner(model: type[models.Model], related_name: str, verbose_name: Any) -> Any:
    """The link of a contact point to its owner (a person or an organisation)."""
    return models.ForeignKey(
        model,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class ContactPoint(BaseModel):
    """Shared fields of phones, e-mails and addresses: exactly one owner, the
    `person` or the `organisation` each concrete kind declares with `_owner`."""

    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("For example: work, mother."),
    )
    is_primary = models.BooleanField(_("preferred"), default=False)

    class Meta:
        abstract = True


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("mobile")
    FIXED = "fixed", _("fixed line")
    FAX = "fax", _("fax")
    OTHER = "other", _("other")


class PhoneNumber(ContactPoint):
    person = _owner(Person, "phones", _("person"))
    organisation = _owner(Organisation, "phones", _("organisation"))
    e164 = models.CharField(_("number (E.164)"), max_length=16, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PhoneKind.choices, default=PhoneKind.OTHER
    )

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [
            models.CheckConstraint(
                condition=_ONE_OWNER, name="parties_phone_one_owner"
            ),
            models.CheckConstraint(
                condition=Q(e164__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="parties_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.e164


class EmailAddress(ContactPoint):
    person = _owner(Person, "emails", _("person"))
    organisation = _owner(Organisation, "emails", _("organisation"))
    address = models.CharField(_("e-mail address"), max_length=254)
    # Lower-cased copy for exact, case-insensitive search.
    address_key = models.CharField(max_length=254, editable=False, db_index=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="parties_email_one_owner")
        ]

    def __str__(self) -> str:
        return self.address


class AddressKind(models.TextChoices):
    RESIDENCE = "residence", _("residence")
    POSTAL = "postal", _("postal address")
    WORK = "work", _("work")


class PostalAddress(ContactPoint):
    person = _owner(Person, "addresses", _("person"))
    organisation = _owner(Organisation, "addresses", _("organisation"))
    """A Belgian address (street, number, box, postal code, municipality) or a foreign one.

    Belgian addresses follow bpost's layout: "Rue Haute 12 bte 3", then "1000 Bruxelles".
    Foreign addresses keep free lines plus postal code, town and country.
    """

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=AddressKind.choices,
        default=AddressKind.RESIDENCE,
    )
    country = models.CharField(_("country (ISO code)"), max_length=2, default="BE")
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    box = models.CharField(_("box"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    municipality = models.CharField(_("municipality or town"), max_length=200)
    lines = models.TextField(
        _("address lines"),
        blank=True,
        help_text=_("Foreign addresses: the lines above the town."),
    )

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("postal address")
        verbose_name_plural = _("postal addresses")
        constraints = [
            models.CheckConstraint(
                condition=_ONE_OWNER, name="parties_address_one_owner"
            ),
            models.CheckConstraint(
                condition=~Q(country="BE") | Q(postal_code__regex=r"^[1-9][0-9]{3}$"),
                name="parties_address_belgian_postal_code",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(self.formatted_lines())

    def formatted_lines(self) -> list[str]:
        """The address as printed on an envelope (bpost layout for Belgium)."""
        if self.country == "BE":
            box = f" bte {self.box}" if self.box else ""
            return [
                f"{self.street} {self.house_number}{box}".strip(),
                f"{self.postal_code} {self.municipality}",
            ]
        lines = [line for line in self.lines.splitlines() if line.strip()]
        if self.street:
            lines.append(f"{self.street} {self.house_number}".strip())
        lines.append(f"{self.postal_code} {self.municipality}".strip())
        lines.append(self.country)
        return lines


class LinkKind(models.TextChoices):
    REPRESENTATIVE = "representative", _("legal representative")
    EMPLOYER = "employer", _("employer")
    CONTACT = "contact", _("contact person")


class PartyLink(BaseModel):
    """A person's link to an organisation: its representative, an employee, a contact."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="links", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of link"), max_length=20, choices=LinkKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "kind", "id"]
        verbose_name = _("link to an organisation")
        verbose_name_plural = _("links to organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "kind"], name="parties_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="parties_link_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.organisation} ({self.kind})"
