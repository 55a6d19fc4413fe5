"""The light language guess: fr, nl, de, en from function words."""

from __future__ import annotations

import json

import pytest

from guichet.suggest.language import language_guess

from .conftest import TEST, TRAIN


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour, je n'ai pas reçu mon allocation.", "fr"),
        ("Goedendag, ik heb mijn uitkering niet ontvangen.", "nl"),
        ("Guten Tag, ich habe mein Geld nicht erhalten.", "de"),
        ("Hello, I have not received my benefit.", "en"),
        ("L'attestation pour l'école", "fr"),
    ],
)
def test_guesses_the_language_of_a_sentence(text: str, language: str) -> None:
    guess = language_guess(text)

    assert guess.language == language
    assert 0.5 <= guess.confidence <= 1


@pytest.mark.parametrize("text", ["", "12345", "REQ-2026-0000001", "?!"])
def test_no_evidence_no_language(text: str) -> None:
    guess = language_guess(text)

    assert (guess.language, guess.confidence) == ("", 0.0)


def test_the_shipped_sample_is_mostly_recognised() -> None:
    lines = [
        json.loads(line)
        for path in (TRAIN, TEST)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]

    right = sum(language_guess(item["text"]).language == item["lang"] for item in lines)

    assert right / len(lines) >= 0.9
