"""The knowledge base: articles, proposals and feedback from the floor.

From the seeds (docs/sources.md §5): the contact-center first line answers "sur la
base des FAQ et procédures" and must "alimenter les bases de données et FAQ avec
un regard critique" (seed 002, level C); the improvement criterion of the support
functions (seed 001) reads: level D "signaler des problèmes récurrents", levels C
and B "proposer des améliorations concrètes aux procédures", and only level B
"implémenter des solutions dans un processus d'amélioration continue"; the dossier
handler is also a "gestionnaire de connaissances" (seed 003). Hence:

- everyone who serves citizens reads published articles, reports feedback from
  any screen and proposes an improvement of any article (level D and up: a
  proposal is only a suggestion, a reviewer decides);
- authors write and submit articles from level C (the first line that feeds the
  FAQ), and supervisors;
- reviewers publish, send back, archive and decide proposals: supervisors, and
  agents serving citizens at level B or above (who implement improvements);
  never their own submission or proposal (the service checks it);
- feedback is decided by the supervisors of the team it is routed to.

Visibility: a published article is seen by every reader; drafts, articles in
review and archived ones by authors and reviewers. A proposal is seen by its
proposer and by reviewers; feedback by its reporter and by the supervisors of the
team it was routed to. Articles hold no citizen data: reads are not logged.
"""

from __future__ import annotations

from enum import StrEnum

from .base import (
    CITIZEN_FACING,
    Grant,
    Kind,
    L,
    R,
    admitted,
    grant,
    in_teams,
    is_agent,
    value_in,
)
from .cashbook import AnyOf

SERVING_BUT_SUPERVISORS = tuple(role for role in CITIZEN_FACING if role != R.SUPERVISOR)


class Action(StrEnum):
    KNOWLEDGE_VIEW = "knowledge.view"
    KNOWLEDGE_PROPOSE = "knowledge.propose"
    KNOWLEDGE_WRITE = "knowledge.write"
    KNOWLEDGE_PUBLISH = "knowledge.publish"
    FEEDBACK_REPORT = "knowledge.feedback_report"
    FEEDBACK_HANDLE = "knowledge.feedback_handle"


_SUPERVISOR = grant(R.SUPERVISOR)
AUTHORS = AnyOf(
    roles=frozenset(SERVING_BUT_SUPERVISORS), min_level=L.C, other=_SUPERVISOR
)
REVIEWERS = AnyOf(
    roles=frozenset(SERVING_BUT_SUPERVISORS), min_level=L.B, other=_SUPERVISOR
)

GRANTS: dict[str, Grant] = {
    Action.KNOWLEDGE_VIEW: grant(*CITIZEN_FACING),
    Action.KNOWLEDGE_PROPOSE: grant(*CITIZEN_FACING),
    Action.KNOWLEDGE_WRITE: AUTHORS,
    Action.KNOWLEDGE_PUBLISH: REVIEWERS,
    Action.FEEDBACK_REPORT: grant(*CITIZEN_FACING),
    Action.FEEDBACK_HANDLE: _SUPERVISOR,
}

KINDS: dict[str, Kind] = {
    "knowledge.article": Kind(
        view_action=Action.KNOWLEDGE_VIEW,
        rule=value_in("state", ["published"]) | admitted(AUTHORS),
        actions=frozenset(
            {
                Action.KNOWLEDGE_VIEW,
                Action.KNOWLEDGE_PROPOSE,
                Action.KNOWLEDGE_WRITE,
                Action.KNOWLEDGE_PUBLISH,
                Action.FEEDBACK_REPORT,
            }
        ),
    ),
    "knowledge.proposal": Kind(
        view_action=Action.KNOWLEDGE_VIEW,
        rule=is_agent("proposed_by_id") | admitted(REVIEWERS),
        actions=frozenset({Action.KNOWLEDGE_VIEW, Action.KNOWLEDGE_PUBLISH}),
    ),
    "knowledge.feedback": Kind(
        view_action=Action.KNOWLEDGE_VIEW,
        rule=is_agent("reporter_id") | (admitted(_SUPERVISOR) & in_teams("team_id")),
        actions=frozenset({Action.KNOWLEDGE_VIEW, Action.FEEDBACK_HANDLE}),
        action_rules={Action.FEEDBACK_HANDLE: in_teams("team_id")},
    ),
}
