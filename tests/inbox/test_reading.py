"""Reading raw e-mail: classification, sanitising, ids (pure, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.inbox import reading

OURS = "noreply@guichet.example"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("auto_reply.eml", "auto_reply"),
        ("precedence_bulk.eml", "auto_reply"),
        ("bounce.eml", "bounce"),
        ("loop.eml", "loop"),
        ("no_subject.eml", ""),
        ("many_recipients.eml", ""),
    ],
)
def test_automatic_messages_are_recognised(corpus: Path, name: str, kind: str) -> None:
    assert reading.read((corpus / name).read_bytes(), our_address=OURS).kind == kind


def test_a_message_from_our_own_address_is_a_loop() -> None:
    raw = b"From: Guichet <noreply@guichet.example>\r\nSubject: x\r\n\r\nbody\r\n"
    assert reading.read(raw, our_address=OURS).kind == "loop"
    assert reading.read(raw, our_address="other@example.be").kind == ""


def test_auto_submitted_no_is_a_person_writing() -> None:
    raw = b"From: a@example.be\r\nAuto-Submitted: no\r\n\r\nbody\r\n"
    assert reading.read(raw).kind == ""


def test_encoded_headers_in_french_and_dutch_are_decoded(corpus: Path) -> None:
    french = reading.read((corpus / "encoded_fr.eml").read_bytes())
    assert french.subject == (
        "Demande d'extrait d'acte de naissance – référence à suivre"  # noqa: RUF001
    )
    assert french.from_name == "Hélène Lefèvre"
    assert "frère" in french.text
    dutch = reading.read((corpus / "encoded_nl.eml").read_bytes())
    assert dutch.subject == "Verhuizing naar Gent – wat moet ik doen?"  # noqa: RUF001
    assert dutch.from_name == "Céline Van Damme"
    assert "Céline" in dutch.text


def test_html_is_sanitised_scripts_handlers_and_images_dropped(corpus: Path) -> None:
    read = reading.read((corpus / "script_and_remote_images.eml").read_bytes())
    for banned in (
        "<script",
        "pwned",
        "onerror",
        "javascript:",
        "<img",
        "<iframe",
        "style=",
    ):
        assert banned not in read.html
    assert read.remote_images == 2
    assert 'href="https://example.be/info"' in read.html
    assert 'rel="noopener noreferrer nofollow"' in read.html


def test_an_html_only_message_gets_a_plain_text_too(corpus: Path) -> None:
    read = reading.read((corpus / "html_only.eml").read_bytes())
    assert read.text.splitlines() == [
        "Goedendag,",
        "Ik ben verhuisd en wil mijn adres wijzigen.",
    ]
    assert "<style" not in read.html
    assert "color:red" not in read.text


def test_a_message_without_id_gets_a_stable_one_from_its_bytes(corpus: Path) -> None:
    raw = (corpus / "no_message_id.eml").read_bytes()
    first = reading.message_id_of(raw)
    assert first == reading.message_id_of(bytes(raw))
    assert first.startswith("sha256-")
    assert first.endswith("@guichet.invalid")
    assert reading.message_id_of(raw + b"x") != first


def test_the_message_id_is_read_without_brackets() -> None:
    raw = b"Message-ID:   <abc@example.be>  \r\nSubject: x\r\n\r\n"
    assert reading.message_id_of(raw) == "abc@example.be"


def test_request_references_in_the_subject() -> None:
    raw = b"Subject: Re: [REQ-2026-0000042] Our letter; req-2025-0000007\r\n\r\n"
    assert reading.read(raw).request_references() == [(2026, 42), (2025, 7)]


def test_every_corpus_message_is_read_without_crashing(corpus: Path) -> None:
    for path in sorted(corpus.glob("*.eml")):
        read = reading.read(path.read_bytes(), our_address=OURS)
        assert isinstance(read.text, str), path.name


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_reading(raw: bytes) -> None:
    read = reading.read(raw)
    assert "<script" not in read.html
    assert reading.message_id_of(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_sanitised_markup_never_keeps_a_script_or_an_image(markup: str) -> None:
    clean, _ = reading.sanitise(markup + "<script>x</script><img src=http://a/b>")
    assert "<script" not in clean.lower()
    assert "<img" not in clean.lower()
