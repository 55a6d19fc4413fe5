"""Factories and sample files of the documents app."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

import factory

from guichet.core.text import fold
from guichet.documents.models import (
    Document,
    DocumentType,
    SigningOfficial,
    Specimen,
    SpecimenKind,
)
from tests.factories import AgentFactory, OrganisationFactory, PersonFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
TIFF = b"II*\x00\x08\x00\x00\x00" + bytes(16)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56)


def upload(content: bytes = PDF, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document row; its content is not stored (tests of reads only)."""

    class Meta:
        model = Document

    person = factory.SubFactory(PersonFactory)
    document_type = DocumentType.PASSPORT
    document_number = "AB1234567"
    issued_on = dt.date(2021, 5, 2)
    expires_on = dt.date(2031, 5, 1)
    content_sha256 = factory.Sequence(
        lambda n: hashlib.sha256(f"document {n}".encode()).hexdigest()
    )
    content_type = "application/pdf"
    size = 1234
    original_name = "passport.pdf"
    uploaded_by = factory.SubFactory(AgentFactory)


class SigningOfficialFactory(factory.django.DjangoModelFactory):
    """An official of the register of specimens, of a foreign ministry."""

    class Meta:
        model = SigningOfficial

    authority = factory.SubFactory(
        OrganisationFactory, name="Ministère des Affaires étrangères"
    )
    country = "CD"
    name = factory.Sequence(lambda n: f"Official {n}")
    function = "Chef de division"
    search_name = factory.LazyAttribute(lambda official: fold(official.name))
    registered_by = factory.SubFactory(AgentFactory)


class SpecimenFactory(factory.django.DjangoModelFactory):
    """A specimen row; its image is not stored (tests of reads only)."""

    class Meta:
        model = Specimen

    official = factory.SubFactory(SigningOfficialFactory)
    kind = SpecimenKind.SIGNATURE
    valid_from = dt.date(2024, 1, 1)
    valid_until = dt.date(2026, 12, 31)
    content_sha256 = factory.Sequence(
        lambda n: hashlib.sha256(f"specimen {n}".encode()).hexdigest()
    )
    content_type = "image/png"
    size = len(PNG)
    original_name = "signature.png"
    registered_by = factory.SubFactory(AgentFactory)
