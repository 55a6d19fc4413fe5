"""Whatever an agent tries on a dossier, a step either happens whole or changes
nothing (Hypothesis over roles, levels, steps, checklist answers and texts)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from guichet.core.errors import GuichetError
from guichet.dossiers import services
from guichet.dossiers.models import Dossier
from tests.factories import AgentFactory, PersonFactory

from .conftest import hand_in_all
from .test_services import _state

pytestmark = pytest.mark.django_db

CASE_TYPE = "consular-legalisation"
ROLES = ["front_office", "dossier_handler", "payment_agent", "supervisor", "first_line"]
LEVELS = ["D", "C", "B", "A1"]


def test_a_step_happens_whole_or_not_at_all(teams: Any, handler: Any) -> None:
    opener = handler
    definition = services.definition_of(
        services.dossier_open(
            actor=opener, case_type=CASE_TYPE, applicant=PersonFactory()
        )
    )
    codes = [t.code for t in definition.transitions] + ["no_such_step"]
    from_received = [t.code for t in definition.transitions if "received" in t.sources]
    questions = [item.code for item in definition.status("received").checklist]
    all_yes = dict.fromkeys(questions, True)

    @settings(max_examples=30, deadline=None)
    @example(
        role="dossier_handler",
        level="C",
        code="withdraw",
        answers={},
        text="Because.",
        complete=False,
        result="withdrawn",
    )
    @example(
        role="front_office",
        level="C",
        code="conclude_complete",
        answers=all_yes,
        text="",
        complete=True,
        result="",
    )
    @given(
        role=st.sampled_from(ROLES),
        level=st.sampled_from(LEVELS),
        code=st.sampled_from(from_received) | st.sampled_from(codes),
        answers=st.just(all_yes)
        | st.dictionaries(st.sampled_from([*questions, "unknown"]), st.booleans()),
        text=st.sampled_from(["", "Because."]),
        complete=st.booleans(),
        result=st.sampled_from(["", "granted", "withdrawn", "nonsense"]),
    )
    def check(
        role: str,
        level: str,
        code: str,
        answers: dict[str, bool],
        text: str,
        complete: bool,
        result: str,
    ) -> None:
        with transaction.atomic():
            dossier = services.dossier_open(
                actor=opener,
                case_type=CASE_TYPE,
                applicant=PersonFactory(),
                facts={"document_language": "fr"},
            )
            if complete:
                hand_in_all(dossier)
            agent = AgentFactory(
                roles=[role], level=level, teams=[teams["legalisations"]]
            )
            before = _state(dossier)
            try:
                moved = services.dossier_transition(
                    actor=agent,
                    dossier=dossier,
                    expected_version=dossier.version,
                    transition=code,
                    checklist=answers,
                    text_=text,
                    result=result,
                )
            except GuichetError:
                assert _state(dossier) == before
            else:
                taken.append(code)
                target = definition.transition(code).target
                assert moved.status == target
                assert moved.version == before[1] + 1
                assert Dossier.objects.get(pk=dossier.pk).status == target
            transaction.set_rollback(True)

    taken: list[str] = []
    check()
    assert {"withdraw", "conclude_complete"} <= set(taken)
