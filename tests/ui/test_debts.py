"""The garnishment calculator and the person's debts tab, through HTTP."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.audit.models import AuditEvent
from guichet.debts import services
from guichet.debts.garnishment import Income
from guichet.debts.models import DebtEntry
from tests.debts.factories import DebtFactory, load_shipped_tables
from tests.factories import PersonFactory, TeamFactory

CALCULATOR = "/garnishment/"
D = Decimal


@pytest.fixture
def tables(db: Any) -> None:
    load_shipped_tables()


@pytest.fixture
def payer(make_agent: Callable[..., Any], tables: None) -> Any:
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="payer"
    )


def _text(response: Any) -> str:
    """The page as a reader sees it: tags removed, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")
    return " ".join(html.split())


def _calculate(client: Client, **params: str) -> Any:
    return client.get(CALCULATOR, {"on": "", **params})


def _field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {
        name: [str(error) for error in errors]
        for name, errors in response.context[form].errors.items()
    }


# The calculator.


def test_reproduces_the_securex_example_with_the_table_its_source_and_bands(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = _calculate(
        client_for(payer), earned="2000", children="3", on="2024-06-30"
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.seizable, result.kept) == (D("137.10"), D("1862.90"))
    page = _text(response)
    assert "Can be seized 137.10 €" in page
    assert "The person keeps 1,862.90 €" in page
    assert "Royal decree of 12 Dec 2023" in page  # the legal source of the 2024 table
    assert "2024, in force from 01/01/2024 to 31/12/2024" in page
    assert [
        (shown.band.lower, shown.band.rate, shown.band.amount)
        for shown in response.context["explained"].bands
    ] == [
        (D("0"), D("0"), D("0.00")),
        (D("1341"), D("0.20"), D("19.80")),
        (D("1440"), D("0.30"), D("44.70")),
        (D("1589"), D("0.40"), D("59.60")),
        (D("1738"), D("1"), D("262.00")),
    ]
    assert "1,589.00 € 1,738.00 € 40 % 149.00 € 59.60 €" in page
    assert "Total of the bands 386.10 €" in page
    assert "Less the reduction for children \u2212 249.00 €" in page
    assert (
        "Of your income of 2,000.00 EUR, 137.10 EUR can be seized; you keep "
        "1,862.90 EUR." in page
    )


@pytest.mark.parametrize(
    ("_case", "params", "seizable", "kept"),
    [
        ("cgslb 2024 replacement", {"replacement": "1800"}, "201.00", "1,599.00"),
        ("syndicatsmagazine 2025", {"earned": "2000"}, "328.60", "1,671.40"),
    ],
)
def test_reproduces_the_other_published_examples(
    client_for: Callable[[Any], Client],
    payer: Any,
    _case: str,
    params: dict[str, str],
    seizable: str,
    kept: str,
) -> None:
    on = "2025-03-01" if "2025" in _case else "2024-03-01"
    page = _text(_calculate(client_for(payer), on=on, **params))
    assert f"Can be seized {seizable} €" in page
    assert f"The person keeps {kept} €" in page


def test_speaks_the_agents_language_and_explains_in_the_language_chosen(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any], tables: None
) -> None:
    agent = make_agent(
        "payment_agent", teams=("payment-office",), language="fr", username="fr"
    )
    client = client_for(agent)
    page = _text(_calculate(client, earned="2000", on="2024-06-30"))
    assert "Montant saisissable 386,10 €" in page
    assert "Les premiers 1 341,00 € de vos revenus mensuels sont protégés" in page
    response = _calculate(client, earned="2000", on="2024-06-30", language="nl")
    assert 'lang="nl"' in response.content.decode()
    assert "De eerste € 1.341,00 van uw maandelijks inkomen zijn beschermd" in (
        _text(response)
    )
    assert "Montant saisissable 386,10 €" in _text(response)  # the screen stays French


def test_shows_the_tables_source_and_flags_its_medium_confidence(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = _calculate(client_for(payer), earned="2000", on="2026-12-04")
    assert response.status_code == 200
    page = _text(response)
    assert "Can be seized 292.20 €" in page
    assert "2026, in force from 01/01/2026 to 31/12/2026" in page
    assert (
        "Legal source (as recorded, not translated) securex.be Lex4You, "
        "&quot;Les seuils pour la saisie sur salaire à partir du 1er janvier "
        "2026&quot;" in page
    )
    assert "Confidence in the figures medium check against the royal decree" in page
    assert (
        '<p class="alert warning" id="table-warning">Source of medium confidence: '
        "check these amounts against the royal decree published in the Moniteur "
        "belge.</p>" in response.content.decode()
    )


def test_the_confidence_warning_is_in_the_agents_language(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any], tables: None
) -> None:
    agent = make_agent(
        "payment_agent", teams=("payment-office",), language="fr", username="fr"
    )
    response = _calculate(
        client_for(agent), replacement="1800", on="2026-06-30", language="nl"
    )
    page = _text(response)
    assert "Fiabilité des montants moyenne à vérifier dans l'arrêté royal" in page
    assert (
        "Source de fiabilité moyenne : vérifiez ces montants dans l&#x27;arrêté "
        "royal publié au Moniteur belge." in page
    )


def test_a_table_of_high_confidence_is_not_flagged(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = _calculate(client_for(payer), earned="2000", on="2025-06-30")
    page = _text(response)
    assert "Confidence in the figures high" in page
    assert 'id="table-warning"' not in response.content.decode()
    assert "check against the royal decree" not in page


@pytest.mark.parametrize(
    ("_case", "params", "field", "message"),
    [
        (
            "negative",
            {"earned": "-5"},
            "earned",
            "An amount cannot be negative here.",
        ),
        (
            "not a number",
            {"earned": "abc"},
            "earned",
            "Give an amount in euros, such as 1234.56.",
        ),
        (
            "three decimals",
            {"replacement": "1800.005"},
            "replacement",
            "An amount has at most two decimals (cents).",
        ),
        (
            "no income",
            {},
            "earned",
            "Give the earned income, the replacement income, or both.",
        ),
        (
            "children",
            {"earned": "1800", "children": "two"},
            "children",
            "Give a whole number from 0 to 99.",
        ),
        (
            "no date",
            {"earned": "1800", "on": ""},
            "on",
            "This field is required.",
        ),
        (
            "impossible date",
            {"earned": "1800", "on": "2024-02-30"},
            "on",
            "Give a date as YYYY-MM-DD.",
        ),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client_for: Callable[[Any], Client],
    payer: Any,
    _case: str,
    params: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = _calculate(client_for(payer), **{"on": "2024-06-01", **params})
    assert response.status_code == 422
    assert _field_errors(response) == {field: [message]}
    assert "result" not in response.context
    assert 'class="field has-error"' in response.content.decode()


def test_a_date_without_a_table_is_refused_never_answered_with_other_figures(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = _calculate(client_for(payer), earned="2000", on="2027-01-05")
    assert response.status_code == 422
    assert list(_field_errors(response)) == ["on"]
    assert (
        "No garnishment table is in force on 2027-01-05"
        in _field_errors(response)["on"][0]
    )
    assert "result" not in response.context


def test_errors_are_translated(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any], tables: None
) -> None:
    agent = make_agent(
        "payment_agent", teams=("payment-office",), language="de", username="de"
    )
    response = _calculate(client_for(agent), earned="-5", on="2024-06-01")
    assert response.status_code == 422
    assert _field_errors(response)["earned"] == [
        "Ein Betrag kann hier nicht negativ sein."
    ]


def _claim(index: int, **values: str) -> dict[str, str]:
    return {f"claim{index}-{name}": value for name, value in values.items()}


def test_shares_the_income_among_the_claims_entered(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = _calculate(
        client_for(payer),
        replacement="1800",
        on="2024-06-01",
        **_claim(
            0,
            reference="Bailiff A",
            kind="seizure",
            notified_on="2024-01-01",
            balance="1000",
        ),
        **_claim(
            2,
            reference="Bailiff B",
            kind="seizure",
            notified_on="2024-02-01",
            balance="500",
        ),
    )
    assert response.status_code == 200
    allocation = response.context["allocation"]
    assert [(line.claim.id, line.amount) for line in allocation.lines] == [
        ("Bailiff A", D("134.00")),
        ("Bailiff B", D("67.00")),
    ]
    assert allocation.to_beneficiary == D("1599.00")
    assert "Paid to the person 1,599.00 €" in _text(response)


@pytest.mark.parametrize(
    ("_case", "values", "field", "message"),
    [
        (
            "no notice date",
            {"kind": "seizure", "balance": "100"},
            "notified_on",
            "This field is required.",
        ),
        (
            "unknown kind",
            {"kind": "loan", "notified_on": "2024-01-01", "balance": "100"},
            "kind",
            "Select a valid choice. loan is not one of the available choices.",
        ),
        (
            "three decimals",
            {"kind": "seizure", "notified_on": "2024-01-01", "balance": "1.005"},
            "balance",
            "An amount has at most two decimals (cents).",
        ),
        (
            "notified after the payment",
            {"kind": "seizure", "notified_on": "2024-07-01", "balance": "100"},
            "notified_on",
            "This claim was notified after the payment date: it cannot apply yet.",
        ),
        (
            "fraud on a seizure",
            {
                "kind": "seizure",
                "notified_on": "2024-01-01",
                "balance": "100",
                "fraud": "on",
            },
            "fraud",
            "Only a recovery of benefits paid unduly can be marked as fraud.",
        ),
    ],
)
def test_a_bad_claim_is_shown_on_its_row(
    client_for: Callable[[Any], Client],
    payer: Any,
    _case: str,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = _calculate(
        client_for(payer),
        replacement="1800",
        on="2024-06-01",
        **_claim(1, **values),
    )
    assert response.status_code == 422
    rows = response.context["rows"]
    assert {name: list(errors) for name, errors in rows[1].errors.items()} == {
        field: [message]
    }
    assert [row.errors for index, row in enumerate(rows) if index != 1] == [{}] * 3
    assert response.context["form"].non_field_errors() == [
        "Some claims are not valid; see each row."
    ]
    assert "result" not in response.context


def test_the_payments_section_is_only_for_roles_the_policy_allows(
    client_for: Callable[[Any], Client],
    payer: Any,
    agents: dict[str, Any],
) -> None:
    home = client_for(payer).get("/home/").content.decode()
    assert f'href="{CALCULATOR}"' in home
    for name in ("first_line", "visas", "admin"):
        client = client_for(agents[name])
        assert f'href="{CALCULATOR}"' not in client.get("/home/").content.decode()
        assert client.get(CALCULATOR).status_code == 403


def test_anonymous_is_sent_to_the_login_page(db: Any) -> None:
    response = Client().get(CALCULATOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")


def test_the_empty_calculator_shows_the_form_with_todays_date(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    response = client_for(payer).get(CALCULATOR)
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert 'id="id_claim3-balance"' in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert " style=" not in response.content.decode()


# The person's debts tab.


@pytest.fixture
def debtor(db: Any) -> Any:
    office = TeamFactory(code="payment-office")
    person = PersonFactory(given_names="Marc", surname="Dubois", language="fr")
    seizure = DebtFactory(
        person=person,
        team=office,
        creditor_name="Étude Leroy",
        reference="SZ-2024-17",
        notified_on=dt.date(2024, 1, 10),
        balance="1000.00",
    )
    DebtEntry.objects.create(
        debt=seizure,
        kind="costs",
        amount=D("35.40"),
        booked_on=dt.date(2024, 2, 1),
        note="Costs of the bailiff",
    )
    DebtFactory(
        person=person,
        team=TeamFactory(code="payment-office-liege"),
        creditor_name="Huissier Liège",
    )
    return person


def _debts_url(person: Any) -> str:
    return f"/persons/{person.uuid}/debts/"


def test_the_tab_lists_the_claims_and_their_ledger(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    response = client_for(payer).get(_debts_url(debtor))
    assert response.status_code == 200
    page = _text(response)
    assert "Étude Leroy seizure SZ-2024-17 10/01/2024 1,035.40 € active" in page
    assert "Ledger: seizure, Étude Leroy (2 entries)" in page
    assert "01/02/2024 costs — 35.40 € Costs of the bailiff" in page
    assert "Huissier Liège" not in page  # another payment office's claim
    assert AuditEvent.objects.filter(action="debt.list").count() == 1


def test_the_tab_previews_what_the_next_payment_keeps_back_in_the_persons_language(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    response = client_for(payer).get(
        _debts_url(debtor), {"paid_on": "2024-06-15", "replacement": "1800"}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [line.amount for line in preview.allocation.lines] == [D("201.00")]
    assert preview.allocation.to_beneficiary == D("1599.00")
    assert preview.period == "2024-06"
    page = _text(response)
    assert "Kept back from the payment" in page
    assert "Paid to the person 1,599.00 €" in page
    assert 'lang="fr"' in response.content.decode()
    assert "Sur la partie de vos revenus entre 1 440,00 € et 1 738,00 €" in page
    # the language field shows the language the explanation is written in
    assert '<option value="fr" selected>' in response.content.decode()
    assert AuditEvent.objects.filter(action="debt.allocation_preview").count() == 1


def test_the_preview_flags_a_table_of_medium_confidence(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    response = client_for(payer).get(
        _debts_url(debtor), {"paid_on": "2026-11-27", "replacement": "1800"}
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Legal source (as recorded, not translated) securex.be Lex4You" in page
    assert "Confidence in the figures medium" in page
    assert 'id="table-warning">Source of medium confidence' in (
        response.content.decode()
    )


def test_the_preview_refuses_bad_input_next_to_its_field(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    client = client_for(payer)
    response = client.get(
        _debts_url(debtor),
        {"paid_on": "2024-06-15", "replacement": "12,345", "period": "2024-13"},
    )
    assert response.status_code == 422
    assert _field_errors(response) == {
        "replacement": ["An amount has at most two decimals (cents)."],
        "period": ["Give a month as YYYY-MM."],
    }
    assert "preview" not in response.context
    response = client.get(
        _debts_url(debtor), {"paid_on": "2027-02-01", "earned": "2000"}
    )
    assert response.status_code == 422
    assert list(_field_errors(response)) == ["paid_on"]


def test_the_tab_is_shown_only_to_payment_agents(
    client_for: Callable[[Any], Client],
    payer: Any,
    agents: dict[str, Any],
    debtor: Any,
) -> None:
    detail = f"/persons/{debtor.uuid}/"
    assert f'href="{_debts_url(debtor)}"' in (
        client_for(payer).get(detail).content.decode()
    )
    first_line = client_for(agents["first_line"])
    assert first_line.get(detail).status_code == 200
    assert f'href="{_debts_url(debtor)}"' not in first_line.get(detail).content.decode()
    # Typed by hand, the tab is refused to a role it is not for, as the
    # calculator is (ARCHITECTURE.md, "Who sees what").
    response = first_line.get(_debts_url(debtor))
    assert response.status_code == 403
    assert "Étude Leroy" not in response.content.decode()
    assert (
        first_line.get(_debts_url(debtor), {"paid_on": "2024-06-15"}).status_code == 403
    )


def test_another_payment_office_sees_none_of_the_claims(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any], debtor: Any
) -> None:
    other = make_agent(
        "payment_agent", teams=("payment-office-namur",), username="namur"
    )
    response = client_for(other).get(_debts_url(debtor))
    assert response.status_code == 200
    page = _text(response)
    assert "Étude Leroy" not in page
    assert "Huissier Liège" not in page
    assert "No claim against this person is recorded in your payment office." in page


def test_a_person_confidential_to_another_team_is_not_found(
    client_for: Callable[[Any], Client], payer: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    DebtFactory(person=hidden, team=TeamFactory(code="payment-office"))
    assert client_for(payer).get(_debts_url(hidden)).status_code == 404
    assert client_for(payer).get("/persons/not-a-uuid/debts/").status_code == 404


def test_an_agent_of_several_offices_chooses_the_office(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any], debtor: Any
) -> None:
    load_shipped_tables()
    agent = make_agent(
        "payment_agent",
        teams=("payment-office", "payment-office-liege"),
        username="both",
    )
    response = client_for(agent).get(
        _debts_url(debtor),
        {
            "paid_on": "2024-06-15",
            "replacement": "1800",
            "team": "payment-office-liege",
        },
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.team.code == "payment-office-liege"
    assert [line.amount for line in preview.allocation.lines] == [D("201.00")]
    assert [debt.creditor_name for debt in preview.debts.values()] == ["Huissier Liège"]


def test_the_preview_starts_from_the_last_payment_posted(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    # given the May 2024 payment was posted
    services.allocation_post(
        actor=payer,
        person_id=debtor.uuid,
        period="2024-05",
        paid_on=dt.date(2024, 5, 31),
        income=Income(replacement=D("1800.00")),
        children=1,
    )
    # when the tab is opened without a payment typed in
    response = client_for(payer).get(_debts_url(debtor))
    # then June is previewed with the same income and children, on the new balance
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.period, preview.paid_on) == ("2024-06", dt.date(2024, 6, 30))
    assert [(line.claim.balance, line.amount) for line in preview.allocation.lines] == [
        (D("917.40"), D("118.00"))
    ]  # 1 035.40 - 118.00 kept back in May
    assert (
        "Filled in from the last payment posted (month 2024-05, paid on 31/05/2024)"
        in (_text(response))
    )


def test_the_tab_reads_the_same_number_of_queries_whatever_the_number_of_debts(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    client = client_for(payer)
    client.get(_debts_url(debtor))  # warm the session and caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_debts_url(debtor)).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    office = TeamFactory(code="payment-office")
    for index in range(3):
        debt = DebtFactory(
            person=debtor, team=office, creditor_name=f"Creditor {index}"
        )
        DebtEntry.objects.create(
            debt=debt, kind="interest", amount=D("1.00"), booked_on=dt.date(2024, 5, 1)
        )
    assert queries() == before


@pytest.mark.parametrize(
    ("_case", "role", "level", "team", "sees_claim"),
    [
        ("supervisor of the office", "supervisor", "B", "payment-office", True),
        ("payment agent at level D", "payment_agent", "D", "payment-office", True),
        ("supervisor of another service", "supervisor", "B", "cc-fr", False),
    ],
)
def test_who_reads_the_claims(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    debtor: Any,
    _case: str,
    role: str,
    level: str,
    team: str,
    sees_claim: bool,
) -> None:
    agent = make_agent(role, level=level, teams=(team,), username=f"{role}.{team}")
    response = client_for(agent).get(_debts_url(debtor))
    assert response.status_code == 200
    assert ("Étude Leroy" in _text(response)) is sees_claim
    assert "Huissier Liège" not in _text(response)


# Booking the month's retentions the tab previewed (services.allocation_post).


def _book(client: Client, person: Any, **fields: str) -> Any:
    return client.post(f"/persons/{person.uuid}/debts/retentions/", fields)


def test_the_preview_offers_to_book_the_month_and_booking_writes_the_ledger(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    client = client_for(payer)
    page = client.get(
        _debts_url(debtor), {"paid_on": "2024-06-15", "replacement": "1800"}
    ).content.decode()
    assert "Book the retentions of 2024-06" in page
    assert 'name="replacement" value="1800"' in page
    response = _book(client, debtor, paid_on="2024-06-15", replacement="1800")
    assert response.status_code == 302
    assert response["Location"].startswith(_debts_url(debtor) + "?")
    entry = DebtEntry.objects.get(kind="retention")
    assert (entry.amount, entry.period) == (D("-201.00"), "2024-06")
    shown = _text(client.get(response["Location"]))
    assert "The retentions of 2024-06 are booked: 201.00 € kept back." in shown
    # The same figures again change nothing and say so.
    again = _book(client, debtor, paid_on="2024-06-15", replacement="1800")
    assert again.status_code == 302
    assert DebtEntry.objects.filter(kind="retention").count() == 1
    assert "were already booked with these figures" in _text(
        client.get(again["Location"])
    )


def test_a_booked_month_is_never_booked_again_with_other_figures(
    client_for: Callable[[Any], Client], payer: Any, debtor: Any
) -> None:
    client = client_for(payer)
    _book(client, debtor, paid_on="2024-06-15", replacement="1800")
    response = _book(client, debtor, paid_on="2024-06-15", replacement="2100")
    assert response.status_code == 409
    assert "was already posted with other figures; nothing was changed" in _text(
        response
    )
    assert list(DebtEntry.objects.filter(kind="retention").values_list("amount")) == [
        (D("-201.00"),)
    ]


def test_booking_refuses_bad_input_and_other_roles(
    client_for: Callable[[Any], Client],
    payer: Any,
    agents: dict[str, Any],
    debtor: Any,
) -> None:
    response = _book(client_for(payer), debtor, paid_on="2024-06-15", replacement="-5")
    assert response.status_code == 422
    assert "replacement" in _field_errors(response)
    assert (
        _book(
            client_for(agents["first_line"]),
            debtor,
            paid_on="2024-06-15",
            replacement="1800",
        ).status_code
        == 403
    )
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    assert (
        _book(
            client_for(payer), hidden, paid_on="2024-06-15", replacement="1800"
        ).status_code
        == 404
    )
    assert (
        client_for(payer).get(f"/persons/{debtor.uuid}/debts/retentions/").status_code
        == 405
    )
    assert not DebtEntry.objects.filter(kind="retention").exists()
