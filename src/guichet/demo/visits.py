"""The demo's counter queue: the consular post receives visitors for passports,
visas, legalisations and general information, at three desks (two of them the
cash book's passport and visa counters, the third its counter 1), through the
services. The kiosk is at /visits/consular-post/kiosk/ and the waiting room's
screen at /visits/consular-post/display/."""

from __future__ import annotations

from guichet.agents.models import Agent, Team
from guichet.cashbook.models import Counter
from guichet.visits import services
from guichet.visits.models import Site

SITE_CODE = "consular-post"
# code, letter, team, names in fr, nl, de, en
SERVICES = [
    (
        "passports",
        "P",
        "travel-documents",
        ("Passeports", "Paspoorten", "Reisepässe", "Passports"),
    ),
    ("visas", "V", "visas", ("Visas", "Visa", "Visa", "Visas")),
    (
        "legalisations",
        "L",
        "legalisations",
        ("Légalisations", "Legalisaties", "Legalisationen", "Legalisations"),
    ),
    (
        "information",
        "I",
        "legalisations",
        (
            "Informations générales",
            "Algemene inlichtingen",
            "Allgemeine Auskünfte",
            "General information",
        ),
    ),
]
# code, name, services, the cash book's counter (team, code)
DESKS = [
    ("passports-1", "Desk 1", ["passports"], ("travel-documents", "passports-1")),
    ("visas-1", "Desk 2", ["visas"], ("visas", "visas-1")),
    (
        "consular-1",
        "Desk 3",
        ["legalisations", "information"],
        ("legalisations", "consular-1"),
    ),
]


def build(agents: dict[str, Agent]) -> int:
    """Make the site, its services and desks once; return how many desks."""
    if Site.objects.filter(code=SITE_CODE).exists():
        return 0
    chief = agents["supervisor.consular"]
    site = services.site_create(
        actor=chief, code=SITE_CODE, name="Consular post · Poste consulaire"
    )
    made = {}
    for order, (code, prefix, team, names) in enumerate(SERVICES):
        made[code] = services.service_create(
            actor=chief,
            site=site,
            code=code,
            names=dict(zip(("fr", "nl", "de", "en"), names, strict=True)),
            prefix=prefix,
            team=Team.objects.get(code=team),
            order=order,
        )
    for code, name, served, (team, till) in DESKS:
        services.desk_create(
            actor=chief,
            site=site,
            code=code,
            name=name,
            services=[made[service] for service in served],
            till=Counter.objects.filter(team__code=team, code=till).first(),
        )
    return len(DESKS)
