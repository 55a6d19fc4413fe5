"""The supervisor's dashboard: their teams' backlog, deadlines, volumes and load.

From the seeds (docs/sources.md): the supervisor "répartit le travail" and follows
the deadlines (seeds 001, 002). Every figure is one GROUP BY over the rows of
`sources`, which the access policy has filtered; each number drills to the rows
it counts (a queue with its filters, or the reports' rows page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.agenda.models import Offer
from guichet.agents.models import Agent
from guichet.casetypes.models import CaseType
from guichet.contacts.models import Channel, Topic

from . import sources
from .common import (
    Bar,
    Cell,
    Chart,
    DaysBetween,
    Drill,
    Figure,
    Period,
    SecondsBetween,
    percentile,
)
from .sources import AGE_BUCKETS, Scope

FIGURES = (
    "backlog_requests",
    "backlog_dossiers",
    "service_level",
    "channels",
    "topics",
    "hours",
    "lead_times",
    "open_by_status",
    "waiting",
    "counter",
    "workload",
    "appointments",
)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    figures: list[Figure]


def dashboard(*, agent: Agent, team: str, period: Period, only: str = "") -> Dashboard:
    """Every figure (or the one named `only`) for the agent's teams (or `team`
    among them) over `period`. Counts only: no person is shown, so nothing is
    written to the access log here (the rows page logs what it shows)."""
    policy.require(agent, Action.DASHBOARD_SUPERVISOR)
    scope = sources.scope_of(agent=agent, team=team, period=period)
    keys = [only] if only in FIGURES else list(FIGURES)
    return Dashboard(scope=scope, figures=[BUILDERS[key](scope) for key in keys])


def _period(scope: Scope) -> dict[str, str]:
    return {
        "first": scope.period.first.isoformat(),
        "last": scope.period.last.isoformat(),
    }


def _scoped(scope: Scope, **params: str) -> dict[str, str]:
    """The dashboard's own filters and the cell's."""
    chosen = {"team": scope.teams[0].code} if len(scope.teams) == 1 else {}
    return {**chosen, **_period(scope), **params}


def _rows(figure: str, **params: str) -> Drill:
    return Drill(screen="rows", figure=figure, params=params)


def _language() -> str:
    return translation.get_language() or "fr"


def _bucket_label(key: str) -> str:
    labels = {
        "0-2": _("0 to 2 days"),
        "3-7": _("3 to 7 days"),
        "8-30": _("8 to 30 days"),
        "31+": _("over 30 days"),
    }
    return str(labels[key])


def _open_groups(
    scope: Scope,
    key: str,
    rows_of: Callable[[Scope], Any],
    age_q: Callable[[Scope, str], Q],
    fields: tuple[str, ...],
    **extra: Any,
) -> list[dict[str, Any]]:
    """One GROUP BY over a kind of open work, by `fields`, with a count per age
    bucket: the backlog, the workload and the statuses are all summed from it
    (one scan of the open rows instead of one per figure)."""
    if key not in scope.cache:
        scope.cache[key] = list(
            rows_of(scope)
            .values(*fields)
            .annotate(
                total=Count("pk"),
                **{
                    f"b{index}": Count("pk", filter=age_q(scope, bucket))
                    for index, (bucket, _low, _high) in enumerate(AGE_BUCKETS)
                },
                **extra,
            )
            .order_by()
        )
    return list(scope.cache[key])


def _open_requests(scope: Scope) -> list[dict[str, Any]]:
    return _open_groups(
        scope,
        "open_requests",
        sources.open_requests,
        sources.request_age_q,
        ("team_id", "owner__username"),
    )


def _open_dossiers(scope: Scope) -> list[dict[str, Any]]:
    return _open_groups(
        scope,
        "open_dossiers",
        sources.open_dossiers,
        sources.dossier_age_q,
        ("team_id", "case_type_id", "status", "owner__username"),
        age_total=Sum(DaysBetween(Value(scope.today), "received_on")),
    )


def _summed(
    groups: list[dict[str, Any]], by: str, *names: str
) -> dict[Any, dict[str, Any]]:
    totals: dict[Any, dict[str, Any]] = {}
    for group in groups:
        into = totals.setdefault(group[by], dict.fromkeys(names, 0))
        for name in names:
            into[name] += group[name] or 0
    return totals


def _backlog(
    scope: Scope,
    *,
    key: str,
    figure: str,
    groups: list[dict[str, Any]],
    queue: str,
) -> Figure:
    buckets = [f"b{index}" for index in range(len(AGE_BUCKETS))]
    counts = _summed(groups, "team_id", "total", *buckets)
    table: list[list[Cell]] = []
    for team in scope.teams:
        found = counts.get(team.pk, {})
        row = [Cell(team.name)]
        for index, (bucket, _low, _high) in enumerate(AGE_BUCKETS):
            row.append(
                Cell(
                    found.get(f"b{index}", 0),
                    _rows(figure, **_scoped(scope, team=team.code, age=bucket)),
                )
            )
        row.append(
            Cell(found.get("total", 0), Drill(screen=queue, params={"team": team.code}))
        )
        table.append(row)
    totals = [
        sum(row[index + 1].value for row in table) for index in range(len(AGE_BUCKETS))
    ]
    title = (
        _("Open requests by age")
        if key == "backlog_requests"
        else _("Open dossiers by age")
    )
    return Figure(
        key=key,
        title=title,
        description=_(
            "Open work of each team by days since it was received; the total "
            "opens the team's queue."
        ),
        headers=[
            _("Team"),
            *[_bucket_label(bucket) for bucket, _l, _h in AGE_BUCKETS],
            _("Total"),
        ],
        rows=table,
        chart=Chart(
            title=title,
            series=[_("Open")],
            bars=[
                Bar(_bucket_label(bucket), [total])
                for (bucket, _l, _h), total in zip(AGE_BUCKETS, totals, strict=True)
            ],
        ),
    )


def backlog_requests(scope: Scope) -> Figure:
    return _backlog(
        scope,
        key="backlog_requests",
        figure="open_requests",
        groups=_open_requests(scope),
        queue="request_queue",
    )


def backlog_dossiers(scope: Scope) -> Figure:
    return _backlog(
        scope,
        key="backlog_dossiers",
        figure="open_dossiers",
        groups=_open_dossiers(scope),
        queue="dossier_queue",
    )


def service_level(scope: Scope) -> Figure:
    first = {
        row["team_id"]: row
        for row in sources.first_answers(scope)
        .values("team_id")
        .annotate(
            late=Count("pk", filter=sources.FIRST_ANSWER_LATE),
            total=Count("pk"),
        )
        .order_by()
    }
    resolved = {
        row["team_id"]: row
        for row in sources.resolutions(scope)
        .values("team_id")
        .annotate(
            late=Count("pk", filter=sources.RESOLUTION_LATE),
            total=Count("pk"),
        )
        .order_by()
    }
    breached = {
        (team_id, deadline): number
        for team_id, deadline, number in sources.breaches(scope)
        .values_list("request__team_id", "deadline")
        .annotate(number=Count("pk"))
        .order_by()
    }
    table = []
    for team in scope.teams:
        here = _scoped(scope, team=team.code)
        answers = first.get(team.pk, {"late": 0, "total": 0})
        closes = resolved.get(team.pk, {"late": 0, "total": 0})
        table.append(
            [
                Cell(team.name),
                Cell(
                    answers["total"] - answers["late"],
                    _rows("first_answers", **here, late="0"),
                ),
                Cell(answers["late"], _rows("first_answers", **here, late="1")),
                Cell(
                    closes["total"] - closes["late"],
                    _rows("resolutions", **here, late="0"),
                ),
                Cell(closes["late"], _rows("resolutions", **here, late="1")),
                Cell(
                    breached.get((team.pk, "first_answer"), 0),
                    _rows("breaches", **here, deadline="first_answer"),
                ),
                Cell(
                    breached.get((team.pk, "resolution"), 0),
                    _rows("breaches", **here, deadline="resolution"),
                ),
            ]
        )
    return Figure(
        key="service_level",
        title=_("Service levels"),
        description=_(
            "Requests first answered and resolved in the period, in time (or "
            "without a deadline) or late; breaches of a deadline due in the period."
        ),
        headers=[
            _("Team"),
            _("First answers in time"),
            _("First answers late"),
            _("Resolved in time"),
            _("Resolved late"),
            _("Breaches: first answer"),
            _("Breaches: resolution"),
        ],
        rows=table,
    )


def _contact_groups(scope: Scope) -> list[dict[str, Any]]:
    """One GROUP BY over the period's contacts, by team, channel, topic and hour,
    with the counter's waiting and serving times: the four contact figures are
    summed from it (one scan of the period's contacts instead of four)."""
    if "contacts" not in scope.cache:
        ticket = Q(channel=Channel.COUNTER, waiting_since__isnull=False)
        wait = SecondsBetween("started_at", "waiting_since")
        scope.cache["contacts"] = list(
            sources.with_hour(sources.contacts(scope))
            .values("team_id", "channel", "topic_id", "hour")
            .annotate(
                total=Count("pk"),
                visits=Count("pk", filter=ticket),
                wait_total=Sum(wait, filter=ticket),
                wait_longest=Max(wait, filter=ticket),
                served=Count("ended_at", filter=ticket),
                serving_total=Sum(
                    SecondsBetween("ended_at", "started_at"),
                    filter=ticket & Q(ended_at__isnull=False),
                ),
            )
            .order_by()
        )
    return list(scope.cache["contacts"])


def channels(scope: Scope) -> Figure:
    counts = {
        channel: value["total"]
        for channel, value in _summed(
            _contact_groups(scope), "channel", "total"
        ).items()
    }
    table = [
        [
            Cell(str(label)),
            Cell(counts[value], _rows("contacts", **_scoped(scope, channel=value))),
        ]
        for value, label in Channel.choices
        if value in counts
    ]
    return Figure(
        key="channels",
        title=_("Contacts by channel"),
        description=_("Contacts that started in the period, by channel."),
        headers=[_("Channel"), _("Contacts")],
        rows=table,
    )


def topics(scope: Scope) -> Figure:
    counts = sorted(
        (
            (topic_id, value["total"])
            for topic_id, value in _summed(
                _contact_groups(scope), "topic_id", "total"
            ).items()
        ),
        key=lambda item: (-item[1], item[0] or 0),
    )
    names = {
        topic.pk: topic
        for topic in Topic.objects.filter(pk__in=[pk for pk, _n in counts if pk])
    }
    language = _language()
    table = []
    for topic_id, number in counts:
        topic = names.get(topic_id)
        label = (
            str(getattr(topic, f"name_{language}", topic.name_en))
            if topic
            else str(_("no topic"))
        )
        table.append(
            [
                Cell(label),
                Cell(
                    number,
                    _rows(
                        "contacts",
                        **_scoped(scope, topic=topic.code if topic else "none"),
                    ),
                ),
            ]
        )
    return Figure(
        key="topics",
        title=_("Contacts by topic"),
        description=_("Contacts that started in the period, by topic."),
        headers=[_("Topic"), _("Contacts")],
        rows=table,
    )


def hours(scope: Scope) -> Figure:
    counts = {
        hour: value["total"]
        for hour, value in _summed(_contact_groups(scope), "hour", "total").items()
    }
    shown = range(min(counts, default=8), max(counts, default=17) + 1)
    table = [
        [
            Cell(f"{hour:02d}:00"),
            Cell(
                counts.get(hour, 0),
                _rows("contacts", **_scoped(scope, hour=str(hour))),
            ),
        ]
        for hour in shown
    ]
    return Figure(
        key="hours",
        title=_("Contacts by hour of the day"),
        description=_(
            "Contacts that started in the period, by the hour they started "
            "(Brussels time)."
        ),
        headers=[_("Hour"), _("Contacts")],
        rows=table,
        chart=Chart(
            title=_("Contacts by hour of the day"),
            series=[_("Contacts")],
            bars=[Bar(f"{hour:02d}", [counts.get(hour, 0)]) for hour in shown],
        ),
    )


def _case_types(ids: set[int]) -> dict[int, CaseType]:
    return {row.pk: row for row in CaseType.objects.filter(pk__in=ids)}


def lead_times(scope: Scope) -> Figure:
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for case_type_id, days, number in (
        sources.with_lead_days(sources.closed_dossiers(scope))
        .values_list("case_type_id", "lead_days")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        histograms[case_type_id][days] = number
    types = _case_types(set(histograms))
    language = _language()
    table = []
    for case_type_id in sorted(histograms, key=lambda pk: types[pk].code):
        histogram = histograms[case_type_id]
        closed = sum(histogram.values())
        mean = sum(days * number for days, number in histogram.items()) / closed
        case_type = types[case_type_id]
        table.append(
            [
                Cell(case_type.name(language)),
                Cell(
                    closed,
                    _rows(
                        "closed_dossiers", **_scoped(scope, case_type=case_type.code)
                    ),
                ),
                Cell(round(mean, 1)),
                Cell(percentile(histogram, 0.5)),
                Cell(percentile(histogram, 0.9)),
            ]
        )
    return Figure(
        key="lead_times",
        title=_("Lead times of closed dossiers"),
        description=_(
            "Dossiers closed in the period, by case type: days from received to "
            "closed (average, median and the 90th percentile)."
        ),
        headers=[
            _("Case type"),
            _("Closed"),
            _("Average days"),
            _("Median days"),
            _("90% within (days)"),
        ],
        rows=table,
    )


def open_by_status(scope: Scope) -> Figure:
    summed: dict[tuple[int, str], dict[str, int]] = {}
    for group in _open_dossiers(scope):
        into = summed.setdefault(
            (group["case_type_id"], group["status"]), {"total": 0, "age_total": 0}
        )
        into["total"] += group["total"]
        into["age_total"] += group["age_total"] or 0
    found = [
        (case_type_id, status, value["total"], value["age_total"] / value["total"])
        for (case_type_id, status), value in summed.items()
    ]
    types = _case_types({case_type_id for case_type_id, *_rest in found})
    language = _language()
    team = {"team": scope.teams[0].code} if len(scope.teams) == 1 else {}
    table = [
        [
            Cell(types[case_type_id].name(language)),
            Cell(status),
            Cell(
                number,
                Drill(
                    screen="dossier_queue",
                    params={
                        **team,
                        "case_type": types[case_type_id].code,
                        "status": status,
                    },
                ),
            ),
            Cell(round(float(age or 0), 1)),
        ]
        for case_type_id, status, number, age in sorted(
            found, key=lambda row: (types[row[0]].code, row[1])
        )
    ]
    return Figure(
        key="open_by_status",
        title=_("Open dossiers by status"),
        description=_(
            "Open dossiers by case type and status, with their average age in days "
            "since received."
        ),
        headers=[_("Case type"), _("Status"), _("Open"), _("Average age (days)")],
        rows=table,
    )


def _per_team(rows: QuerySet[Any]) -> dict[int, int]:
    return dict(rows.values_list("team_id").annotate(number=Count("pk")).order_by())


def waiting(scope: Scope) -> Figure:
    letters = _per_team(sources.letters_waiting(scope))
    decisions = _per_team(sources.decisions_waiting(scope))
    mail = _per_team(sources.mail_waiting(scope))
    table = [
        [
            Cell(team.name),
            Cell(
                letters.get(team.pk, 0),
                _rows("letters_waiting", **_scoped(scope, team=team.code)),
            ),
            Cell(
                decisions.get(team.pk, 0),
                _rows("decisions_waiting", **_scoped(scope, team=team.code)),
            ),
            Cell(
                mail.get(team.pk, 0),
                _rows("mail_waiting", **_scoped(scope, team=team.code)),
            ),
        ]
        for team in scope.teams
    ]
    return Figure(
        key="waiting",
        title=_("Approvals and mail waiting"),
        description=_(
            "Now: letters waiting for a supervisor's approval, proposed decisions "
            "waiting for a second agent, paper mail registered and not yet "
            "dispatched."
        ),
        headers=[
            _("Team"),
            _("Letters to approve"),
            _("Decisions to review"),
            _("Mail not dispatched"),
        ],
        rows=table,
    )


def counter(scope: Scope) -> Figure:
    summed: dict[tuple[int, int], dict[str, Any]] = {}
    for group in _contact_groups(scope):
        if not group["visits"]:
            continue
        into = summed.setdefault(
            (group["team_id"], group["hour"]),
            {"visits": 0, "wait": 0, "longest": 0, "served": 0, "serving": 0},
        )
        into["visits"] += group["visits"]
        into["wait"] += group["wait_total"] or 0
        into["longest"] = max(into["longest"], group["wait_longest"] or 0)
        into["served"] += group["served"]
        into["serving"] += group["serving_total"] or 0
    found = [
        (
            team_id,
            hour,
            value["visits"],
            value["wait"] / value["visits"],
            value["longest"],
            value["serving"] / value["served"] if value["served"] else None,
        )
        for (team_id, hour), value in summed.items()
    ]
    teams = {team.pk: team for team in scope.teams}
    table = [
        [
            Cell(teams[team_id].name),
            Cell(f"{hour:02d}:00"),
            Cell(
                visits,
                _rows(
                    "counter_visits",
                    **_scoped(scope, team=teams[team_id].code, hour=str(hour)),
                ),
            ),
            Cell(_minutes(wait)),
            Cell(_minutes(longest)),
            Cell(_minutes(serving)),
        ]
        for team_id, hour, visits, wait, longest, serving in sorted(
            found, key=lambda row: (teams[row[0]].code, row[1])
        )
    ]
    return Figure(
        key="counter",
        title=_("Counter waiting times"),
        description=_(
            "Visitors of the waiting room in the period, by service and hour: "
            "minutes waited (average and longest) and minutes at the desk."
        ),
        headers=[
            _("Team"),
            _("Hour"),
            _("Visitors"),
            _("Average wait (min)"),
            _("Longest wait (min)"),
            _("Average at the desk (min)"),
        ],
        rows=table,
    )


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60, 1)


def workload(scope: Scope) -> Figure:
    def owned(groups: list[dict[str, Any]]) -> dict[str, int]:
        return {
            username: value["total"]
            for username, value in _summed(groups, "owner__username", "total").items()
            if username
        }

    requests = owned(_open_requests(scope))
    dossiers = owned(_open_dossiers(scope))
    tasks = dict(
        sources.open_tasks(scope)
        .filter(assignee__isnull=False)
        .values_list("assignee__username")
        .annotate(number=Count("pk"))
        .order_by()
    )
    table = [
        [
            Cell(username),
            Cell(
                requests.get(username, 0),
                _rows("open_requests", **_scoped(scope, owner=username)),
            ),
            Cell(
                dossiers.get(username, 0),
                _rows("open_dossiers", **_scoped(scope, owner=username)),
            ),
            Cell(
                tasks.get(username, 0),
                _rows("open_tasks", **_scoped(scope, owner=username)),
            ),
        ]
        for username in sorted(set(requests) | set(dossiers) | set(tasks))
    ]
    return Figure(
        key="workload",
        title=_("Workload per agent"),
        description=_(
            "Open requests and open dossiers each agent owns, and their open "
            "dossier tasks, in the teams."
        ),
        headers=[_("Agent"), _("Open requests"), _("Open dossiers"), _("Open tasks")],
        rows=table,
    )


def appointments(scope: Scope) -> Figure:
    found = list(
        sources.with_week(sources.appointments(scope))
        .values_list("week", "offer_id")
        .annotate(number=Count("pk"))
        .order_by("week", "offer_id")
    )
    offers = {
        offer.pk: offer
        for offer in Offer.objects.filter(
            pk__in={offer_id for _w, offer_id, _n in found}
        )
    }
    language = _language()
    weeks: dict[str, int] = defaultdict(int)
    table = []
    for week, offer_id, number in found:
        offer = offers[offer_id]
        weeks[week.isoformat()] += number
        table.append(
            [
                Cell(week),
                Cell(str(getattr(offer, f"name_{language}", offer.name_en))),
                Cell(
                    number,
                    _rows(
                        "appointments",
                        **_scoped(scope, week=week.isoformat(), offer=str(offer.uuid)),
                    ),
                ),
            ]
        )
    return Figure(
        key="appointments",
        title=_("Appointments of the coming weeks"),
        description=_(
            "Appointments booked from today for the next four weeks, by week "
            "(from Monday) and offer."
        ),
        headers=[_("Week of"), _("Offer"), _("Appointments")],
        rows=table,
        chart=Chart(
            title=_("Appointments per week"),
            series=[_("Appointments")],
            bars=[Bar(week, [number]) for week, number in sorted(weeks.items())],
        ),
    )


BUILDERS: dict[str, Callable[[Scope], Figure]] = {
    "backlog_requests": backlog_requests,
    "backlog_dossiers": backlog_dossiers,
    "service_level": service_level,
    "channels": channels,
    "topics": topics,
    "hours": hours,
    "lead_times": lead_times,
    "open_by_status": open_by_status,
    "waiting": waiting,
    "counter": counter,
    "workload": workload,
    "appointments": appointments,
}
