"""Demo suggestions: a topic model trained from the demo's own classified
requests and contacts and a small labelled sample shipped here
(`fixtures/suggest_sample.jsonl`: messages on six of the shipped topics, five in each of
French, Dutch, German and English, written for Guichet; the same as the suggest
tests' sample), so that a new message in the demo shows suggestions."""

from __future__ import annotations

from pathlib import Path

from guichet.suggest.dataset import examples_read
from guichet.suggest.services import Retrained, retrain

SAMPLE = Path(__file__).parent / "fixtures" / "suggest_sample.jsonl"


def build() -> Retrained:
    sample = [(example.text, example.label) for example in examples_read(SAMPLE)]
    return retrain(extra=sample)
