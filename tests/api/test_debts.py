"""Garnishment and debts over HTTP: the calculator, the ledger, the next payment;
problem details in the caller's language and an authorization matrix."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.debts.models import AllocationPosting, Debt, DebtEntry
from tests.debts.factories import DebtFactory, load_shipped_tables
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tables(db: Any) -> None:
    load_shipped_tables()


@pytest.fixture
def payer(make_agent: Any) -> Any:
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="payer"
    )


# The calculator


def test_compute_reproduces_the_published_example(payer: Any, api_for: Any) -> None:
    response = api_for(payer).post(
        "/garnishment/compute", {"on": "2024-06-01", "earned": "2000", "children": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["seizable"], body["kept"], body["table"]["id"]) == (
        "137.10",
        "1862.90",
        "2024",
    )
    assert body["table"]["from"] == "2024-01-01"
    assert [band["amount"] for band in body["bands"]] == [
        "0.00",
        "19.80",
        "44.70",
        "59.60",
        "262.00",
    ]


def test_compute_gives_the_tables_source_and_flags_its_confidence(
    payer: Any, api_for: Any
) -> None:
    api = api_for(payer, language="nl")
    body = api.post("/garnishment/compute", {"on": "2026-12-04", "earned": 2000}).json()
    table = body["table"]
    assert (table["id"], table["confidence"], body["seizable"]) == (
        "2026",
        "medium",
        "292.20",
    )
    assert table["source"].startswith("securex.be Lex4You")
    assert table["warning"] == {
        "code": "confidence_medium",
        "text": "Bron met gemiddelde betrouwbaarheid: controleer deze bedragen aan de "
        "hand van het koninklijk besluit bekendgemaakt in het Belgisch Staatsblad.",
    }
    high = api.post("/garnishment/compute", {"on": "2025-12-31", "earned": 2000})
    assert (high.json()["table"]["confidence"], high.json()["table"]["warning"]) == (
        "high",
        None,
    )


def test_compute_accepts_json_numbers_but_not_a_third_decimal(
    payer: Any, api_for: Any
) -> None:
    api = api_for(payer, language="fr")
    ok = api.post("/garnishment/compute", {"on": "2024-06-01", "replacement": 1800})
    assert ok.json()["seizable"] == "201.00"
    refused = api.post(
        "/garnishment/compute", {"on": "2024-06-01", "replacement": 1800.005}
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"] == [
        {
            "field": "replacement",
            "code": "too_many_decimals",
            "message": "Un montant a au plus deux décimales (les cents).",
        }
    ]


def test_compute_without_a_table_is_a_422_naming_the_date(
    payer: Any, api_for: Any
) -> None:
    response = api_for(payer).post(
        "/garnishment/compute", {"on": "2027-02-01", "earned": 2000}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "no_table_in_force"
    assert problem["errors"][0]["field"] == "on"


def test_compute_refuses_unknown_fields_and_negative_amounts(
    payer: Any, api_for: Any
) -> None:
    response = api_for(payer).post(
        "/garnishment/compute", {"on": "2024-06-01", "earned": "-1", "childs": 2}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "childs" in fields


def test_allocate_shares_the_income(payer: Any, api_for: Any) -> None:
    response = api_for(payer).post(
        "/garnishment/allocate",
        {
            "on": "2024-06-01",
            "replacement": "1800",
            "children": 0,
            "claims": [
                {
                    "id": "m",
                    "kind": "maintenance",
                    "notified_on": "2024-01-01",
                    "balance": "150",
                },
                {
                    "id": 7,
                    "kind": "seizure",
                    "notified_on": "2023-01-01",
                    "balance": "5000",
                },
                {
                    "id": "r",
                    "kind": "recovery",
                    "notified_on": "2023-01-01",
                    "balance": "5000",
                    "fraud": False,
                },
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert [(line["id"], line["amount"], line["rank"]) for line in body["claims"]] == [
        ("m", "150.00", 1),
        (7, "51.00", 2),
        ("r", "180.00", 3),
    ]
    assert body["to_beneficiary"] == "1419.00"


def test_allocate_refuses_a_bad_kind_and_duplicate_ids(
    payer: Any, api_for: Any
) -> None:
    claim = {"id": "x", "kind": "seizure", "notified_on": "2024-01-01", "balance": "1"}
    api = api_for(payer)
    duplicate = api.post(
        "/garnishment/allocate",
        {"on": "2024-06-01", "earned": "1", "children": 0, "claims": [claim, claim]},
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0] == {
        "field": "claims[1].id",
        "code": "duplicate_id",
        "message": "Another claim already has this identifier.",
    }
    bad_kind = api.post(
        "/garnishment/allocate",
        {
            "on": "2024-06-01",
            "earned": "1",
            "children": 0,
            "claims": [{**claim, "kind": "loan"}],
        },
    )
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"][0]["field"] == "claims[0].kind"


def test_the_calculator_needs_a_debts_role(make_agent: Any, api_for: Any) -> None:
    first_line = make_agent("first_line", teams=("cc-fr",))
    response = api_for(first_line).post(
        "/garnishment/compute", {"on": "2024-06-01", "earned": "2000"}
    )
    assert response.status_code == 403
    assert api_for(first_line).get("/garnishment/tables").status_code == 403
    assert Client().post("/api/v1/garnishment/compute").status_code == 401


def test_lists_the_tables(payer: Any, api_for: Any) -> None:
    body = api_for(payer).get("/garnishment/tables").json()
    assert [table["id"] for table in body][-1] == "2026"


# A person's debts


def _register_body(**fields: Any) -> dict[str, Any]:
    body = {
        "kind": "seizure",
        "notified_on": "2024-03-01",
        "principal": "1200.00",
        "interest": "12.34",
        "creditor_name": "Étude Dupont",
        "reference": "B/2024/77",
    }
    body.update(fields)
    return body


def test_registers_reads_and_edits_a_debt_with_versions(
    payer: Any, api_for: Any
) -> None:
    api = api_for(payer)
    person = PersonFactory()
    created = api.post(f"/persons/{person.uuid}/debts", _register_body())
    assert created.status_code == 201
    body = created.json()
    assert created["ETag"] == '"1"'
    assert created["Location"].endswith(f"/debts/{body['id']}")
    assert (body["balance"], body["team"], body["status"]) == (
        "1212.34",
        "payment-office",
        "active",
    )
    assert [entry["amount"] for entry in body["entries"]] == ["1200.00", "12.34"]
    path = f"/debts/{body['id']}"
    missing = api.post(
        f"{path}/entries", {"kind": "costs", "amount": "10", "booked_on": "2024-04-01"}
    )
    assert missing.status_code == 428
    added = api.post(
        f"{path}/entries",
        {"kind": "direct_payment", "amount": "212.34", "booked_on": "2024-04-01"},
        HTTP_IF_MATCH='"1"',
    )
    assert added.status_code == 201
    assert (added.json()["balance"], added["ETag"]) == ("1000.00", '"2"')
    stale = api.patch(path, {"comment": "x"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    patched = api.patch(
        path,
        {"status": "suspended", "reason": "Opposition filed."},
        HTTP_IF_MATCH='"2"',
    )
    assert (patched.status_code, patched.json()["status"]) == (200, "suspended")
    listed = api.get(f"/persons/{person.uuid}/debts").json()
    assert [(item["id"], item["balance"]) for item in listed["items"]] == [
        (body["id"], "1000.00")
    ]


def test_invalid_debt_is_a_422_in_the_callers_language_and_nothing_is_written(
    payer: Any, api_for: Any
) -> None:
    person = PersonFactory()
    api = api_for(payer, language="nl")
    changes_before = AuditEvent.objects.filter(chain="changes").count()
    response = api.post(
        f"/persons/{person.uuid}/debts",
        _register_body(principal="12,345", creditor_name="", fraud=True),
    )
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(fields) == {"principal", "creditor_name", "fraud"}
    assert fields["creditor_name"] == "Dit veld is verplicht."
    assert Debt.objects.count() == 0
    assert AuditEvent.objects.filter(chain="changes").count() == changes_before


def test_instalment_plan_over_http(payer: Any, api_for: Any) -> None:
    api = api_for(payer)
    person = PersonFactory()
    debt = api.post(
        f"/persons/{person.uuid}/debts",
        _register_body(kind="recovery", creditor_name="", interest=None),
    ).json()
    response = api.post(
        f"/debts/{debt['id']}/plans",
        {"amount": "40", "starts_on": "2024-05-01"},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 201
    assert response.json()["plans"][0]["amount"] == "40.00"


def test_the_next_payment_is_explained_and_posting_is_idempotent(
    payer: Any, api_for: Any
) -> None:
    api = api_for(payer, language="en")
    person = PersonFactory()
    seizure = DebtFactory(person=person, balance="5000", creditor_name="Étude Dupont")
    preview = api.get(
        f"/persons/{person.uuid}/debts/next-payment"
        "?paid_on=2024-06-28&replacement=1800&children=1"
    )
    assert preview.status_code == 200
    body = preview.json()
    assert body["period"] == "2024-06"
    line = body["claims"][0]
    assert (line["id"], line["amount"], line["creditor_name"]) == (
        str(seizure.uuid),
        "118.00",
        "Étude Dupont",
    )
    assert line["explanation"].startswith("Seizure notified on")
    assert body["to_beneficiary"] == "1682.00"
    assert DebtEntry.objects.filter(kind="retention").count() == 0
    posting = {
        "paid_on": "2024-06-28",
        "period": "2024-06",
        "replacement": "1800",
        "children": 1,
    }
    first = api.post(f"/persons/{person.uuid}/debts/postings", posting)
    assert first.status_code == 201
    assert first.json()["retentions"] == [
        {"debt": str(seizure.uuid), "amount": "118.00", "rank": 1}
    ]
    again = api.post(f"/persons/{person.uuid}/debts/postings", posting)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    other = api.post(
        f"/persons/{person.uuid}/debts/postings", {**posting, "children": 2}
    )
    assert (other.status_code, other.json()["code"]) == (409, "already_posted")
    assert AllocationPosting.objects.count() == 1
    assert DebtEntry.objects.filter(kind="retention").count() == 1


def test_the_next_payment_flags_a_table_of_medium_confidence(
    payer: Any, api_for: Any
) -> None:
    person = PersonFactory()
    DebtFactory(person=person, balance="5000")
    body = (
        api_for(payer)
        .get(
            f"/persons/{person.uuid}/debts/next-payment"
            "?paid_on=2026-11-27&replacement=1800"
        )
        .json()
    )
    assert (body["table"]["id"], body["table"]["warning"]["code"]) == (
        "2026",
        "confidence_medium",
    )
    # 2026: 21.00 + (1 800 - 1 524) x 40 % = 131.40
    assert body["claims"][0]["amount"] == "131.40"


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("first line", ("first_line", "C", "cc-fr"), 404),
        (
            "dossier handler of the payment office",
            ("dossier_handler", "A1", "payment-office"),
            404,
        ),
        ("administrator", ("admin", "A2", "payment-office"), 404),
        ("another payment office", ("payment_agent", "C", "payment-office-liege"), 200),
        ("supervisor of the contact center", ("supervisor", "A1", "cc-fr"), 200),
        (
            "supervisor of the payment office",
            ("supervisor", "A1", "payment-office"),
            200,
        ),
        ("payment agent level D", ("payment_agent", "D", "payment-office"), 200),
    ],
)
def test_authorization_matrix_for_reading_debts(
    make_agent: Any, api_for: Any, _case: str, who: tuple[str, str, str], status: int
) -> None:
    role, level, team = who
    agent = make_agent(role, level=level, teams=(team,))
    person = PersonFactory()
    debt = DebtFactory(person=person, team=TeamFactory(code="payment-office"))
    api = api_for(agent)
    listed = api.get(f"/persons/{person.uuid}/debts")
    assert listed.status_code == status
    sees_the_debt = team == "payment-office" and role in {"payment_agent", "supervisor"}
    if status == 200:
        assert [item["id"] for item in listed.json()["items"]] == (
            [str(debt.uuid)] if sees_the_debt else []
        )
    single = api.get(f"/debts/{debt.uuid}")
    assert single.status_code == (200 if sees_the_debt else 404)


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("first line: cannot see it", ("first_line", "C", "cc-fr"), 404),
        ("payment agent level D", ("payment_agent", "D", "payment-office"), 403),
        ("another payment office", ("payment_agent", "C", "payment-office-liege"), 404),
        ("payment agent", ("payment_agent", "C", "payment-office"), 201),
    ],
)
def test_authorization_matrix_for_writing(
    make_agent: Any, api_for: Any, _case: str, who: tuple[str, str, str], status: int
) -> None:
    role, level, team = who
    agent = make_agent(role, level=level, teams=(team,))
    debt = DebtFactory(team=TeamFactory(code="payment-office"))
    before = DebtEntry.objects.count()
    response = api_for(agent).post(
        f"/debts/{debt.uuid}/entries",
        {"kind": "costs", "amount": "10", "booked_on": "2024-04-01"},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == status
    assert DebtEntry.objects.count() == before + (1 if status == 201 else 0)


def test_a_confidential_person_of_another_team_looks_missing(
    payer: Any, api_for: Any
) -> None:
    person = PersonFactory(confidential_team=TeamFactory(code="visas"))
    response = api_for(payer).post(f"/persons/{person.uuid}/debts", _register_body())
    assert response.status_code == 404
    assert api_for(payer).get(f"/persons/{person.uuid}/debts").status_code == 404


def test_listing_debts_takes_a_fixed_number_of_queries(
    payer: Any, api_for: Any, django_assert_num_queries: Any
) -> None:
    person = PersonFactory()
    for _ in range(5):
        DebtFactory(person=person)
    api = api_for(payer)
    api.get(f"/persons/{person.uuid}/debts")  # warm the token's caches
    with django_assert_num_queries(QUERIES_FOR_A_LIST):
        response = api.get(f"/persons/{person.uuid}/debts")
    assert len(response.json()["items"]) == 5


QUERIES_FOR_A_LIST = 4


# The debt workbench (issue #18): the notice in the mail register, the statement


def test_a_debt_keeps_its_notice_from_the_offices_mail_register(
    payer: Any, api_for: Any, make_agent: Any
) -> None:
    from guichet.core import clock
    from guichet.correspondence.services import incoming_mail_register
    from tests.correspondence.factories import LetterheadFactory

    mails = {}
    for code in ("payment-office", "visas"):
        LetterheadFactory(team=TeamFactory(code=code), prefix=code[:3].upper())
        clerk = make_agent("supervisor", teams=(code,), username=f"api-clerk-{code}")
        mails[code] = incoming_mail_register(
            actor=clerk,
            received_on=clock.today(),
            subject="Avis de saisie",
            sender_name="Étude Lambert",
            scan=b"%PDF-1.7\n%%EOF\n",
            scan_name="avis.pdf",
            team=code,
        )
    api = api_for(payer)
    person = PersonFactory()
    refused = api.post(
        f"/persons/{person.uuid}/debts",
        _register_body(notice_mail=str(mails["visas"].uuid)),
    )
    assert refused.status_code == 422
    assert [error["code"] for error in refused.json()["errors"]] == ["unknown_mail"]
    assert Debt.objects.count() == 0
    created = api.post(
        f"/persons/{person.uuid}/debts",
        _register_body(notice_mail=str(mails["payment-office"].uuid)),
    )
    assert created.status_code == 201
    assert created.json()["notice_mail"] == str(mails["payment-office"].uuid)


def test_the_creditors_statement_over_http(payer: Any, api_for: Any) -> None:
    debt = DebtFactory(team=TeamFactory(code="payment-office"))
    api = api_for(payer)
    response = api.get(f"/debts/{debt.uuid}/statement?language=de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert api.get(f"/debts/{debt.uuid}/statement?language=xx").status_code == 422
    in_the_persons_language = api.get(f"/debts/{debt.uuid}/statement")
    assert in_the_persons_language.status_code == 200


def test_comments_over_http_newest_first_without_if_match(
    payer: Any, api_for: Any, make_agent: Any
) -> None:
    debt = DebtFactory(person=PersonFactory())
    api = api_for(payer)
    path = f"/debts/{debt.uuid}/comments"
    assert api.get(path).json() == {"debt_id": str(debt.uuid), "items": []}
    first = api.post(path, {"text": "Bailiff called."})
    assert first.status_code == 201
    assert (first.json()["text"], first.json()["author"]) == (
        "Bailiff called.",
        str(payer),
    )
    api.post(path, {"text": "Correction: he calls back."})
    listed = api.get(path).json()["items"]
    assert [item["text"] for item in listed] == [
        "Correction: he calls back.",
        "Bailiff called.",
    ]
    empty = api_for(payer, language="fr").post(path, {"text": " "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "text"
    assert api.post(path, {"text": "x", "edit": True}).status_code == 422
    liege = make_agent("payment_agent", teams=("payment-office-liege",))
    assert api_for(liege).get(path).status_code == 404
    assert api_for(liege).post(path, {"text": "Mine?"}).status_code == 404
    assert Debt.objects.get(pk=debt.pk).version == 1
    assert AuditEvent.objects.filter(action="debt.comment_add").count() == 2
