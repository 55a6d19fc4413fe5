"""A model trained once on the shipped multilingual sample (data/, see
data/make_sample.py: six of the seeds' topics, five messages in each of fr, nl,
de and en, written for these tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guichet.suggest import services
from guichet.suggest.dataset import examples_read
from guichet.suggest.model import Model, train

DATA = Path(__file__).parent / "data"
TRAIN = DATA / "train.jsonl"
TEST = DATA / "test.jsonl"


@pytest.fixture(scope="session")
def sample_model() -> Model:
    examples = examples_read(TRAIN)
    return train([e.text for e in examples], [e.label for e in examples])


@pytest.fixture
def model_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Where the service reads its model (nothing there yet), its cache empty."""
    path = tmp_path / "topics.npz"
    settings.SUGGEST_MODEL = path
    services.forget_model()
    yield path
    services.forget_model()
