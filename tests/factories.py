"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from guichet.agents.models import Agent, Membership, Role, Team
from guichet.core.text import fold
from guichet.demo.identifiers import national_number
from guichet.parties.models import Organisation, Person


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.LazyAttribute(lambda team: team.code.replace("-", " ").title())


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    level = "C"
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for code in extracted:
                role, _ = Role.objects.get_or_create(code=code)
                self.roles.add(role)
            self.forget_cached_access()

    @factory.post_generation
    def teams(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for team in extracted:
                Membership.objects.get_or_create(agent=self, team=team)
            self.forget_cached_access()
        self.save()


_COUNTER = iter(range(1, 10**6))


def _nn(person: Any) -> str:
    counter = (next(_COUNTER) % 499) * 2 + (1 if person.sex == "M" else 2)
    return national_number(person.birth_date, counter)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = "Marie"
    surname = factory.Sequence(lambda n: f"Testperson{n}")
    birth_date = factory.Sequence(
        lambda n: dt.date(1950, 1, 1) + dt.timedelta(days=n * 37)
    )
    sex = "F"
    national_number = factory.LazyAttribute(_nn)
    national_number_type = "nn"
    language = "fr"
    search_name = factory.LazyAttribute(
        lambda person: fold(f"{person.surname} {person.given_names}")
    )

    class Params:
        anonymous = factory.Trait(national_number=None, national_number_type="")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    enterprise_number = None
    search_name = factory.LazyAttribute(lambda organisation: fold(organisation.name))
