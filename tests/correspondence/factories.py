"""factory_boy factories for correspondence, and persons with a postal address."""

from __future__ import annotations

from typing import Any

import factory

from guichet.correspondence.models import Letterhead, LetterType
from guichet.parties.models import EmailAddress, PostalAddress
from tests.factories import PersonFactory, TeamFactory

NAMES = {
    "fr": "Légalisations",
    "nl": "Legalisaties",
    "de": "Legalisationen",
    "en": "Legalisations",
}
PLACES = {"fr": "Bruxelles", "nl": "Brussel", "de": "Brüssel", "en": "Brussels"}


class LetterheadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letterhead
        django_get_or_create = ("team",)

    team = factory.SubFactory(TeamFactory, code="legalisations")
    prefix = "LEG"
    name_fr, name_nl, name_de, name_en = (
        NAMES[lang] for lang in ("fr", "nl", "de", "en")
    )
    place_fr, place_nl, place_de, place_en = (
        PLACES[lang] for lang in ("fr", "nl", "de", "en")
    )
    address_lines = "Rue des Petits Carmes 15\n1000 Bruxelles"
    phone = "+32 2 501 81 11"
    email = "legalisation@guichet.example"
    website = "https://guichet.example"


class LetterTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.LazyAttribute(lambda item: item.code.title())


def person_with_address(**fields: Any) -> Any:
    """A person with a Belgian postal address and an e-mail address."""
    email = fields.pop("email", "helene.lefevre@example.be")
    address = fields.pop(
        "address",
        {
            "street": "Rue Haute",
            "house_number": "12",
            "box": "3",
            "postal_code": "1000",
            "municipality": "Bruxelles",
        },
    )
    person = PersonFactory(**fields)
    PostalAddress.objects.create(person=person, is_primary=True, **address)
    if email:
        EmailAddress.objects.create(
            person=person, address=email, address_key=email.lower(), is_primary=True
        )
    return person
