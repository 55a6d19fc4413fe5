"""Each shipped case type through its whole life by the HTTP API only (issue #14),
as a machine client would: bearer tokens, If-Match on every write, the next
steps read from the workbench. The documents are handed in by the test
(`hand_in`): uploading and checking them is the documents API's own test.

Along the way: a write with a stale version is refused (412) and a step the case
type does not allow now is refused with its reason; neither changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.cashbook import services as cashbook_services
from guichet.cashbook.models import Counter
from guichet.core import clock
from guichet.dossiers import services
from guichet.dossiers.models import Dossier
from tests.factories import AgentFactory, PersonFactory

from .conftest import hand_in, yes

pytestmark = pytest.mark.django_db

TODAY = "today"  # date fields filled in when the test runs: the day,
LATER = "later"  # and two weeks on

# What each life does, in order: (who, operation, payload). `who` is "handler"
# (dossier handler, level C), "approver" (dossier handler, B) or "supervisor"
# (B); an operation is an API path under the dossier, "step" (a transition),
# "hand_in" (the test hands a document in) or "answer" (the open document
# request, its document handed in first).
Op = tuple[str, str, dict[str, Any]]


def _step(transition: str, **payload: Any) -> Op:
    return ("handler", "step", {"transition": transition, **payload})


def _propose(decision_type: str, result: str) -> Op:
    return (
        "handler",
        "decision",
        {"decision_type": decision_type, "result": result, "motivation": "Checked."},
    )


def _external(decision_type: str, result: str, body: str) -> Op:
    return (
        "handler",
        "external-decision",
        {
            "decision_type": decision_type,
            "result": result,
            "decided_on": TODAY,
            "body": body,
        },
    )


def _hand_in(code: str, *checks: str) -> Op:
    return ("handler", "hand_in", {"code": code, "checks": checks})


ASK = _step("request_documents", text="Missing.", completion_due=LATER)
ANSWER: Op = ("handler", "answer", {})
PAY: Op = ("clerk", "pay", {})  # at the counter, through the cash book
REFUSE: Op = ("approver", "decision/refuse", {"text": "Look again."})
APPROVE: Op = ("supervisor", "decision/approve", {})
CLOSE: Op = ("handler", "close", {})
ARCHIVE: Op = ("supervisor", "step", {"transition": "archive"})

LIVES: dict[str, tuple[dict[str, Any], list[Op], str]] = {
    "consular-legalisation": (
        {"document_language": "es"},
        [
            _hand_in("document_to_legalise"),
            _hand_in("applicant_identity", "mrz"),
            ASK,
            ANSWER,
            _step("documents_received"),
            _step("conclude_complete"),
            _step("request_payment"),
            PAY,
            _propose("legalisation", "granted"),
            REFUSE,
            _step("request_payment"),
            _propose("legalisation", "granted"),
            APPROVE,
            _step("inform_parties"),
            CLOSE,
            ARCHIVE,
        ],
        "granted",
    ),
    "consular-passport": (
        {
            "previous_passport_available": True,
            "applicant_age": 40,
            "fee_code": "passport_adult_34",
        },
        [
            _hand_in("current_passport", "mrz"),
            _hand_in("application_form"),
            _step("conclude_complete"),
            _step("plan_appointment"),
            _step("request_payment", fee_amount="75.00"),
            PAY,
            ("handler", "facts", {"facts": {"appointment_held": True}}),
            _propose("passport_issue", "granted"),
            REFUSE,
            _step("plan_appointment"),
            _propose("passport_issue", "granted"),
            APPROVE,
            _step("transmit"),
            _external("passport_issue", "granted", "FPS Foreign Affairs"),
            _step("hand_over"),
            CLOSE,
            ARCHIVE,
        ],
        "granted",
    ),
    "visa-extension": (
        {"ground": "serious_personal_reasons"},
        [
            _hand_in("reasons_letter"),
            _hand_in("proofs"),
            _hand_in("passport_copy", "mrz"),
            _hand_in("arrival_declaration"),
            _hand_in("travel_insurance"),
            ASK,
            ANSWER,
            _step("documents_received"),
            _step("conclude_complete"),
            _propose("conclusion", "transferred"),
            _step("approve_decision"),
            _step("transmit"),
            PAY,
            _external("extension", "refused", "Immigration Office"),
            _step("inform_parties"),
            CLOSE,
            ARCHIVE,
        ],
        "refused",
    ),
    "unemployment-benefit": (
        {"c4_available": True, "bridge_pension": False},
        [
            _hand_in("c1", "niss", "iban"),
            _hand_in("identity", "mrz", "niss"),
            ASK,
            ANSWER,
            _step("documents_received"),
            _step("conclude_complete"),
            _propose("admissibility", "granted"),
            _step("approve_decision"),
            _step("transmit"),
            _external("entitlement", "partly_granted", "ONEM/RVA"),
            _step("inform_parties"),
            _step("hand_over_to_payments"),
            _step("close_after_payments"),
            ARCHIVE,
        ],
        "partly_granted",
    ),
}


def _if(response: Any) -> dict[str, str]:
    return {"HTTP_IF_MATCH": response["ETag"]}


def _filled(payload: dict[str, Any]) -> dict[str, Any]:
    days = {TODAY: clock.today(), LATER: clock.today() + dt.timedelta(days=14)}
    return {
        key: days[value].isoformat() if value in (TODAY, LATER) else value
        for key, value in payload.items()
    }


def _pay_at_counter(clerk: Any, dossier: Dossier, reference: str) -> None:
    """Take what remains due at a counter of the dossier's team: the fee is
    paid only with its payment in the day's cash book and a numbered receipt."""
    counter = Counter.objects.filter(team=dossier.team).first() or (
        cashbook_services.counter_create(
            actor=AgentFactory(roles=["supervisor"], level="B", teams=[dossier.team]),
            team=dossier.team,
            code=f"{dossier.team.code}-1",
            name="Counter 1",
        )
    )
    (due,) = [
        fee
        for fee in clerk.get(f"/dossiers/{reference}/fees-due").json()["items"]
        if not fee["paid"] and not fee["exempted"]
    ]
    paid = clerk.post(
        f"/counters/{counter.uuid}/payments",
        {"fee": due["id"], "amount": due["remaining"], "means": "transfer"},
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["ogm"]  # a transfer gets its structured reference


@pytest.mark.parametrize("case_type", list(LIVES))
def test_a_whole_life_through_the_api(
    case_type: str,
    api_for: Callable[..., Any],
    agent_in: Callable[..., Agent],
) -> None:
    facts, operations, result = LIVES[case_type]
    apis = {
        "handler": api_for(agent_in("dossier_handler", "C")),
        "approver": api_for(agent_in("dossier_handler", "B")),
        "supervisor": api_for(agent_in("supervisor", "B")),
        "clerk": api_for(agent_in("front_office", "C")),
    }
    api = apis["handler"]
    opened = api.post(
        "/dossiers",
        {"case_type": case_type, "person": str(PersonFactory().uuid), "facts": facts},
    )
    assert opened.status_code == 201, opened.content
    reference = opened.json()["reference"]
    dossier = Dossier.objects.get(uuid=opened.json()["id"])
    last = api.get(f"/dossiers/{reference}")
    # A step the case type does not allow now (closing what was just opened) is
    # refused with its reason, and changes nothing.
    refused = api.post(
        f"/dossiers/{reference}/transitions", {"transition": "close"}, **_if(last)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "transition_not_allowed"
    assert api.get(f"/dossiers/{reference}").json() == last.json()
    stale: dict[str, str] | None = None
    for who, operation, payload in operations:
        dossier.refresh_from_db()
        if operation == "hand_in":
            hand_in(
                dossier, payload["code"], checks=dict.fromkeys(payload["checks"], True)
            )
            continue
        if operation == "pay":
            _pay_at_counter(apis[who], dossier, reference)
            last = api.get(f"/dossiers/{reference}")
            continue
        if operation == "answer":
            (asked,) = api.get(f"/dossiers/{reference}").json()[
                "open_document_requests"
            ]
            code = asked["document_code"]
            (wanted,) = (
                d for d in services.definition_of(dossier).documents if d.code == code
            )
            hand_in(dossier, code, checks=dict.fromkeys(wanted.checks, True))
            answered = api.post(
                f"/dossiers/{reference}/document-requests/{asked['id']}/answer"
            )
            assert answered.status_code == 200, answered.content
            last = api.get(f"/dossiers/{reference}")
            continue
        # The questions of the status being left, as the workbench lists them.
        questions = api.get(f"/dossiers/{reference}").json()["checklist"]
        body = {
            "checklist": {question["code"]: True for question in questions},
            **_filled(payload),
        }
        if operation == "facts":
            body.pop("checklist")
        path = "transitions" if operation == "step" else operation
        done = apis[who].post(f"/dossiers/{reference}/{path}", body, **_if(last))
        assert done.status_code == 200, (operation, payload, done.content)
        if stale is None:
            # The same write again, on the version it was made on: 412, nothing
            # changes (another agent's client, a second click).
            stale = _if(last)
            before = api.get(f"/dossiers/{reference}").json()
            again = apis[who].post(f"/dossiers/{reference}/{path}", body, **stale)
            assert again.status_code == 412
            assert api.get(f"/dossiers/{reference}").json() == before
        last = done
    final = api.get(f"/dossiers/{reference}").json()["dossier"]
    assert (final["status"], final["result"]) == ("archived", result)


def test_the_workbench_lists_the_checklist_in_the_caller_s_language(
    api_for: Callable[..., Any],
    open_dossier: Callable[..., Dossier],
    handler: Agent,
) -> None:
    dossier = open_dossier("consular-passport")
    listed = api_for(handler, "nl").get(f"/dossiers/{dossier.reference}").json()
    assert [q["code"] for q in listed["checklist"]] == list(yes(dossier))
    assert listed["checklist"][0] == {
        "code": "identity_checked",
        "question": "Is de identiteit van de aanvrager gecontroleerd?",
    }
