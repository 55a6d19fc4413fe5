"""Demo register of specimen signatures and seals, and one document to compare.

Three authorities whose documents a Belgian consular post legalises (docs/sources.md
§5.5: a foreign document is legalised after that country's foreign ministry), each
with an official and a specimen; one specimen has expired, one was withdrawn. The
images are drawn here, at build time, as small PNGs (a pen stroke, a round seal):
synthetic, nothing downloaded, nobody's real signature. Idempotent: organisations
are found by name, officials by name within their authority, specimens by
official, kind and start of validity.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.agents.models import Agent
from guichet.documents.models import Document, SigningOfficial, Specimen
from guichet.documents.services import (
    DocumentDetails,
    document_upload,
    signing_official_register,
    specimen_register,
    specimen_withdraw,
)
from guichet.parties.models import Organisation, Person
from guichet.parties.services import organisation_create

ACTOR = "front.legal"
WIDTH, HEIGHT = 240, 90


def png(pixels: list[bytearray]) -> bytes:
    """A greyscale PNG (RFC 2083) of these rows of 0-255 values."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _draw(points: Iterable[tuple[float, float]], thickness: float = 1.6) -> bytes:
    pixels = [bytearray([255] * WIDTH) for _ in range(HEIGHT)]
    reach = math.ceil(thickness)
    for x, y in points:
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                px, py = round(x) + dx, round(y) + dy
                if (
                    0 <= px < WIDTH
                    and 0 <= py < HEIGHT
                    and dx * dx + dy * dy <= (thickness * thickness)
                ):
                    pixels[py][px] = 30
    return png(pixels)


def signature(seed: int) -> bytes:
    """A pen stroke: loops along a line, then an underline; `seed` varies it."""

    def stroke() -> Iterable[tuple[float, float]]:
        for step in range(1400):
            t = step / 1400
            x = 20 + 190 * t + 12 * math.sin(t * (14 + seed) * math.pi)
            y = 42 - 20 * math.sin(t * (5 + seed % 3) * math.pi) * (1 - t / 2)
            yield x, y + 6 * math.cos(t * (22 + seed) * math.pi)
        for step in range(400):
            t = step / 400
            yield 30 + 180 * t, 72 + 4 * math.sin(t * math.pi)

    return _draw(stroke())


def seal(seed: int) -> bytes:
    """A round stamp: two rings and a star in the middle."""

    def rings() -> Iterable[tuple[float, float]]:
        cx, cy = WIDTH / 2, HEIGHT / 2
        for ring in (40, 33):
            for step in range(720):
                angle = step / 720 * 2 * math.pi
                yield cx + ring * math.cos(angle), cy + ring * math.sin(angle)
        points = 5 + seed % 3
        for step in range(points * 2 * 60):
            branch, t = divmod(step, 60)
            angle = branch / (points * 2) * 2 * math.pi
            radius = (22.0 if branch % 2 == 0 else 9.0) * (t / 60)
            yield cx + radius * math.cos(angle), cy + radius * math.sin(angle)

    return _draw(rings(), thickness=1.2)


@dataclass(frozen=True)
class DemoSpecimen:
    authority: str
    country: str
    official: str
    function: str
    kind: str
    valid_from: dt.date
    valid_until: dt.date | None
    image: Callable[[int], bytes]
    withdrawn: str = ""  # the reason, when the demo shows a withdrawn one


SPECIMENS = [
    DemoSpecimen(
        "Ministère des Affaires étrangères de la République démocratique du Congo",
        "CD",
        "Jean-Pierre Mukendi",
        "Directeur de la chancellerie",
        "signature",
        dt.date(2023, 1, 1),
        None,
        signature,
    ),
    DemoSpecimen(
        "Ministère des Affaires étrangères de la République démocratique du Congo",
        "CD",
        "Jean-Pierre Mukendi",
        "Directeur de la chancellerie",
        "seal",
        dt.date(2023, 1, 1),
        None,
        seal,
    ),
    DemoSpecimen(
        "Tribunal de grande instance de Kinshasa/Gombe",
        "CD",
        "Béatrice Ilunga",
        "Greffière en chef",
        "signature",
        dt.date(2019, 9, 1),
        dt.date(2024, 8, 31),
        signature,
    ),
    DemoSpecimen(
        "Ministère des Affaires étrangères du Royaume du Maroc",
        "MA",
        "Youssef Benjelloun",
        "Chef du service des légalisations",
        "signature",
        dt.date(2024, 3, 1),
        dt.date(2029, 2, 28),
        signature,
    ),
    DemoSpecimen(
        "Ministère des Affaires étrangères du Royaume du Maroc",
        "MA",
        "Youssef Benjelloun",
        "Chef du service des légalisations",
        "signature",
        dt.date(2024, 2, 1),
        dt.date(2029, 1, 31),
        signature,
        withdrawn="Registered with the wrong dates; replaced by the specimen of 1 March.",
    ),
]

# A birth certificate from Kinshasa, its scan carrying the first official's
# signature, for the comparison screen.
DOCUMENT_NUMBER = "DEMO-LEG-0001"


def _authority(actor: Agent, name: str) -> Organisation:
    found = Organisation.objects.filter(name=name, enterprise_number=None).first()
    return found or organisation_create(actor=actor, name=name, language="fr")


def _official(actor: Agent, item: DemoSpecimen) -> SigningOfficial:
    authority = _authority(actor, item.authority)
    found = SigningOfficial.objects.filter(
        authority=authority, name=item.official
    ).first()
    return found or signing_official_register(
        actor=actor,
        authority_id=authority.uuid,
        country=item.country,
        name=item.official,
        function=item.function,
    )


def build(agents: dict[str, Agent]) -> int:
    """Register the demo specimens that are missing; return how many were."""
    actor = agents[ACTOR]
    created = 0
    for seed, item in enumerate(SPECIMENS):
        official = _official(actor, item)
        if Specimen.objects.filter(
            official=official, kind=item.kind, valid_from=item.valid_from
        ).exists():
            continue
        specimen = specimen_register(
            actor=actor,
            official_id=official.uuid,
            kind=item.kind,
            file=SimpleUploadedFile(f"{item.kind}.png", item.image(seed)),
            valid_from=item.valid_from,
            valid_until=item.valid_until,
        )
        if item.withdrawn:
            specimen_withdraw(
                actor=actor,
                specimen_id=specimen.uuid,
                expected_version=specimen.version,
                reason=item.withdrawn,
            )
        created += 1
    _document(actor)
    return created


def _document(actor: Agent) -> None:
    if Document.objects.filter(document_number=DOCUMENT_NUMBER).exists():
        return
    person = (
        Person.objects.filter(confidential_team__isnull=True)
        .order_by("national_number")
        .first()
    )
    if person is None:  # pragma: no cover - the demo persons are built first
        return
    document_upload(
        actor=actor,
        person_id=person.uuid,
        file=SimpleUploadedFile("acte-de-naissance.png", signature(0)),
        details=DocumentDetails(
            document_type="civil_status",
            document_number=DOCUMENT_NUMBER,
            issued_on=dt.date(2025, 11, 3),
            description="Acte de naissance, Kinshasa (à légaliser)",
        ),
    )
