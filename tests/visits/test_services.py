"""The counter's queue: numbering, calling, serving, and who may do what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.test import override_settings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.contacts.models import Contact
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden, ValidationFailed
from guichet.visits import hooks, services
from guichet.visits.errors import TooManyTickets
from guichet.visits.models import Desk, Service, Site, Status, Ticket, TicketNumbering
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class Clock:
    """The time the services read, moved by the test (the real clock otherwise
    runs between two calls: waiting times would be a few microseconds)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.instant = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "now", lambda: self.instant)
        monkeypatch.setattr(clock, "today", lambda: self.instant.date())

    def advance(self, **delta: float) -> None:
        self.instant += dt.timedelta(**delta)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _codes(error: ValidationFailed) -> dict[str, str]:
    return {problem.field: problem.code for problem in error.errors}


# ---------------------------------------------------------------- numbering


def test_tickets_are_numbered_per_service_and_day_with_the_service_letter(
    site: Site, now: Clock
) -> None:
    first = services.ticket_issue(site=site, service="passports", language="fr")
    second = services.ticket_issue(site=site, service="passports", language="de")
    visa = services.ticket_issue(site=site, service="visas", language="")
    now.advance(days=1)
    tomorrow = services.ticket_issue(site=site, service="passports", language="nl")

    assert [first.label, second.label, visa.label, tomorrow.label] == [
        "P-001",
        "P-002",
        "V-001",
        "P-001",
    ]
    assert second.language == "de"
    assert first.status == Status.WAITING
    assert AuditEvent.objects.filter(action="visits.ticket_issue").count() == 4


@override_settings(VISITS_KIOSK_TICKETS_PER_MINUTE=10_000)
@settings(max_examples=25, deadline=None)
@given(choices=st.lists(st.sampled_from(["passports", "visas", "information", "x"])))
def test_the_numbers_of_a_day_are_one_to_n_without_gaps(
    site: Site, choices: list[str]
) -> None:
    """Whatever the visitors choose (an unknown service is refused and takes no
    number), each service's numbers of the day are 1..n."""
    Ticket.objects.all().delete()
    TicketNumbering.objects.all().delete()
    for code in choices:
        if code == "x":
            with pytest.raises(ValidationFailed):
                services.ticket_issue(site=site, service=code, language="fr")
        else:
            services.ticket_issue(site=site, service=code, language="fr")
    for code in ("passports", "visas", "information"):
        numbers = sorted(
            Ticket.objects.filter(service__code=code).values_list("number", flat=True)
        )
        assert numbers == list(range(1, choices.count(code) + 1))


def test_a_refused_ticket_gives_its_number_back(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit record fails after the number was taken: nothing is kept, and
    the next ticket has the same number."""

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    with monkeypatch.context() as patched:
        patched.setattr(services, "audit_record", broken)
        with pytest.raises(RuntimeError):
            services.ticket_issue(site=site, service="visas", language="fr")
    assert services.ticket_issue(site=site, service="visas", language="fr").number == 1


def test_bad_input_at_the_kiosk_is_refused_field_by_field(site: Site) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.ticket_issue(site=site, service="", language="xx")
    assert _codes(refused.value) == {
        "service": "no_such_service",
        "language": "invalid_choice",
    }
    assert not Ticket.objects.exists()


def test_an_inactive_service_or_site_gives_no_ticket(
    site: Site, service: Callable[[str], Service]
) -> None:
    Service.objects.filter(code="visas").update(is_active=False)
    with pytest.raises(ValidationFailed):
        services.ticket_issue(site=site, service="visas", language="fr")
    site.is_active = False
    with pytest.raises(ValidationFailed):
        services.ticket_issue(site=site, service="passports", language="fr")
    assert not Ticket.objects.exists()


@override_settings(VISITS_KIOSK_TICKETS_PER_MINUTE=3)
def test_the_kiosk_gives_a_bounded_number_of_tickets_a_minute(
    site: Site, now: Clock
) -> None:
    for code in ("passports", "visas", "passports"):
        services.ticket_issue(site=site, service=code, language="fr")
    with pytest.raises(TooManyTickets) as refused:
        services.ticket_issue(site=site, service="information", language="fr")
    assert refused.value.status == 429
    assert Ticket.objects.count() == 3
    now.advance(seconds=61)
    assert services.ticket_issue(site=site, service="information", language="fr")


def test_a_service_gives_999_tickets_a_day_at_most(
    site: Site, service: Callable[[str], Service], now: Clock
) -> None:
    TicketNumbering.objects.create(
        service=service("visas"), day=now.instant.date(), last=998
    )
    assert services.ticket_issue(site=site, service="visas", language="").number == 999
    with pytest.raises(Conflict) as refused:
        services.ticket_issue(site=site, service="visas", language="")
    assert refused.value.code == "day_full"
    assert TicketNumbering.objects.get(service=service("visas")).last == 999


# ---------------------------------------------------------------- the desks


def test_a_desk_calls_the_oldest_ticket_of_its_services(
    site: Site, desk: Callable[[str], Desk], clerk: Agent, now: Clock
) -> None:
    visa = services.ticket_issue(site=site, service="visas", language="fr")
    now.advance(minutes=1)
    info = services.ticket_issue(site=site, service="information", language="fr")
    now.advance(minutes=1)
    services.ticket_issue(site=site, service="passports", language="fr")
    now.advance(minutes=5)

    called = services.ticket_call_next(actor=clerk, desk=desk("desk-1"))

    assert called is not None
    assert called.pk == info.pk  # desk 1 serves no visas: its oldest is I-001
    assert called.status == Status.CALLED
    assert called.called_at == now.instant == called.announced_at
    assert called.called_by == clerk
    assert called.desk == desk("desk-1")
    assert Ticket.objects.get(pk=visa.pk).status == Status.WAITING


def test_a_desk_calls_only_what_the_agents_teams_serve(
    site: Site, desk: Callable[[str], Desk], agent_in: Callable[..., Agent]
) -> None:
    services.ticket_issue(site=site, service="passports", language="fr")
    visa = services.ticket_issue(site=site, service="visas", language="fr")
    visa_clerk = agent_in("front_office", "D", "visas")

    called = services.ticket_call_next(actor=visa_clerk, desk=desk("desk-3"))

    assert called is not None
    assert called.pk == visa.pk
    with pytest.raises(Forbidden) as refused:
        services.ticket_call_next(actor=visa_clerk, desk=desk("desk-1"))
    assert refused.value.code == "not_your_desk"


def test_yesterdays_tickets_are_not_called(
    site: Site, desk: Callable[[str], Desk], clerk: Agent, now: Clock
) -> None:
    services.ticket_issue(site=site, service="visas", language="fr")
    now.advance(days=1)
    assert services.ticket_call_next(actor=clerk, desk=desk("desk-2")) is None


def test_a_desk_finishes_its_visitor_before_calling_the_next(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    for _ in range(2):
        services.ticket_issue(site=site, service="visas", language="fr")
    first = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert first is not None
    with pytest.raises(Conflict) as refused:
        services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert refused.value.code == "desk_busy"
    services.ticket_no_show(actor=clerk, ticket=first)
    second = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert second is not None
    assert second.number == 2


def test_two_desks_never_get_the_same_ticket(
    site: Site,
    desk: Callable[[str], Desk],
    clerk: Agent,
    agent_in: Callable[..., Agent],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Desk 3 chose the oldest ticket, but desk 1 took it just before desk 3's
    update (the interleaving of a race, replayed in order, on any database): desk
    3's conditional update changes nothing and it gets the next ticket."""
    first = services.ticket_issue(site=site, service="passports", language="fr")
    second = services.ticket_issue(site=site, service="passports", language="fr")
    other = agent_in("front_office", "D", "travel-documents")
    claim = services._claim
    raced: list[Ticket | None] = []

    def late_claim(pk: int, actor: Agent, chosen: Desk, at: dt.datetime) -> bool:
        if actor == clerk and not raced:
            raced.append(services.ticket_call_next(actor=other, desk=desk("desk-1")))
        return claim(pk, actor, chosen, at)

    monkeypatch.setattr(services, "_claim", late_claim)
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-3"))

    assert raced[0] is not None
    assert raced[0].pk == first.pk
    assert called is not None
    assert called.pk == second.pk
    assert Ticket.objects.get(pk=first.pk).desk == desk("desk-1")
    assert Ticket.objects.get(pk=second.pk).desk == desk("desk-3")


def test_nobody_waiting_calls_nobody(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    assert services.ticket_call_next(actor=clerk, desk=desk("desk-3")) is None


@pytest.fixture
def first_served(
    site: Site, desk: Callable[[str], Desk]
) -> Iterator[Callable[..., list[int]]]:
    """A priority source, as the agenda will register: the tickets it names."""
    named: list[int] = []

    def source(turn: hooks.DeskTurn) -> list[int]:
        return [pk for pk in named if turn.desk.site_id == site.pk]

    hooks.priority_sources.append(source)
    try:
        yield lambda *pks: named.extend(pks) or named
    finally:
        hooks.priority_sources.remove(source)


def test_the_agendas_tickets_are_called_first(
    site: Site,
    desk: Callable[[str], Desk],
    clerk: Agent,
    first_served: Callable[..., list[int]],
) -> None:
    walk_in = services.ticket_issue(site=site, service="passports", language="fr")
    booked = services.ticket_issue(site=site, service="information", language="fr")
    first_served(booked.pk)

    called = services.ticket_call_next(actor=clerk, desk=desk("desk-1"))
    assert called is not None
    assert called.pk == booked.pk
    services.ticket_no_show(actor=clerk, ticket=called)
    again = services.ticket_call_next(actor=clerk, desk=desk("desk-1"))
    assert again is not None
    assert again.pk == walk_in.pk


def test_a_recall_announces_the_ticket_again(
    site: Site, desk: Callable[[str], Desk], clerk: Agent, now: Clock
) -> None:
    services.ticket_issue(site=site, service="visas", language="fr")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    now.advance(seconds=40)
    again = services.ticket_recall(actor=clerk, ticket=called)
    assert again.recalls == 1
    assert again.announced_at == now.instant
    assert again.called_at == now.instant - dt.timedelta(seconds=40)


def test_serving_registers_the_counter_contact_with_its_times(
    site: Site, desk: Callable[[str], Desk], clerk: Agent, now: Clock
) -> None:
    person = PersonFactory()
    services.ticket_issue(site=site, service="passports", language="de")
    now.advance(minutes=12)
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-1"))
    assert called is not None
    now.advance(minutes=7)

    served = services.ticket_serve(
        actor=clerk,
        ticket=called,
        person=str(person.uuid),
        topic="",
        summary="New passport asked.",
    )

    contact = Contact.objects.get()
    assert served.status == Status.SERVED
    assert served.contact == contact
    assert contact.channel == "counter"
    assert contact.person == person
    assert contact.team == served.service.team
    assert contact.language == "de"
    assert contact.started_at - contact.waiting_since == dt.timedelta(minutes=12)
    assert contact.ended_at - contact.started_at == dt.timedelta(minutes=7)
    assert served.ended_at == contact.ended_at
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "visits.ticket_serve",
        "contact.register",
    }


def test_an_anonymous_visit_is_registered_with_what_is_known(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    services.ticket_issue(site=site, service="visas", language="en")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    services.ticket_serve(
        actor=clerk, ticket=called, anonymous_details="Asked about opening hours."
    )
    contact = Contact.objects.get()
    assert contact.person is None
    assert contact.anonymous_details == "Asked about opening hours."


def test_a_bad_serve_changes_nothing(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    services.ticket_issue(site=site, service="visas", language="en")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    with pytest.raises(ValidationFailed) as refused:
        services.ticket_serve(
            actor=clerk,
            ticket=called,
            person="00000000-0000-0000-0000-000000000000",
            topic="no-such-topic",
            outcome="maybe",
        )
    assert _codes(refused.value) == {
        "person": "not_found",
        "topic": "unknown_topic",
        "outcome": "invalid_choice",
    }
    assert Ticket.objects.get(pk=called.pk).status == Status.CALLED
    assert not Contact.objects.exists()


def test_a_finished_ticket_is_not_served_or_recalled_again(
    site: Site, desk: Callable[[str], Desk], clerk: Agent
) -> None:
    services.ticket_issue(site=site, service="visas", language="en")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    services.ticket_serve(actor=clerk, ticket=called)
    for act in (services.ticket_serve, services.ticket_recall, services.ticket_no_show):
        with pytest.raises(Conflict) as refused:
            act(actor=clerk, ticket=called)
        assert refused.value.code == "not_called"
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "level", "allowed"),
    [
        ("front_office", "D", True),
        ("support_agent", "D", True),
        ("supervisor", "A1", True),
        ("first_line", "C", False),
        ("dossier_handler", "B", False),
        ("payment_agent", "C", False),
        ("admin", "A2", False),
    ],
)
def test_who_works_at_a_desk(
    site: Site,
    desk: Callable[[str], Desk],
    agent_in: Callable[..., Agent],
    role: str,
    level: str,
    allowed: bool,
) -> None:
    services.ticket_issue(site=site, service="visas", language="en")
    agent = agent_in(role, level)
    if allowed:
        assert services.ticket_call_next(actor=agent, desk=desk("desk-2"))
    else:
        with pytest.raises(Forbidden):
            services.ticket_call_next(actor=agent, desk=desk("desk-2"))


def test_another_teams_agent_cannot_finish_a_visit(
    site: Site,
    desk: Callable[[str], Desk],
    clerk: Agent,
    agent_in: Callable[..., Agent],
) -> None:
    services.ticket_issue(site=site, service="visas", language="en")
    called = services.ticket_call_next(actor=clerk, desk=desk("desk-2"))
    assert called is not None
    stranger = agent_in("front_office", "D", "travel-documents")
    for act in (services.ticket_serve, services.ticket_recall, services.ticket_no_show):
        with pytest.raises(Forbidden):
            act(actor=stranger, ticket=called)


# ---------------------------------------------------------------- set-up


def test_set_up_is_the_supervisors_and_checked(
    site: Site, chief: Agent, clerk: Agent, teams: dict[str, Any]
) -> None:
    with pytest.raises(Forbidden):
        services.site_create(actor=clerk, code="other", name="Other")
    with pytest.raises(ValidationFailed) as refused:
        services.service_create(
            actor=chief,
            site=site,
            code="passports",
            names={"fr": "x", "nl": "", "de": "x", "en": "x"},
            prefix="V",
            team=teams["visas"],
        )
    assert _codes(refused.value) == {
        "code": "code_taken",
        "prefix": "prefix_taken",
        "name_nl": "required",
    }
    with pytest.raises(ValidationFailed) as refused:
        services.service_create(
            actor=chief,
            site=site,
            code="new",
            names=dict.fromkeys(("fr", "nl", "de", "en"), "x"),
            prefix="4",
            team=teams["visas"],
        )
    assert _codes(refused.value) == {"prefix": "not_a_letter"}
    other = services.site_create(actor=chief, code="other", name="Other")
    with pytest.raises(ValidationFailed) as refused:
        services.desk_create(
            actor=chief,
            site=other,
            code="d",
            name="D",
            services=list(site.services.all()),
        )
    assert _codes(refused.value) == {"services": "other_site"}
