"""The topic model: top-k order and scores, save and load, and the features of
the hand-written prediction path against scikit-learn's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.suggest import model as model_module
from guichet.suggest.dataset import examples_read
from guichet.suggest.errors import Code, SuggestInputInvalid
from guichet.suggest.model import Model, load, normalise, train

from .conftest import TRAIN


def test_top_k_is_ordered_and_scores_are_probabilities(sample_model: Model) -> None:
    top = sample_model.predict_top("Mon passeport a été volé à l'aéroport", k=3)

    assert top[0].label == "travel-documents"
    scores = [s.score for s in top]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    everything = sample_model.predict_top("Mon passeport a été volé", k=100)
    assert len(everything) == len(sample_model.labels)
    assert sum(s.score for s in everything) == pytest.approx(1.0, abs=1e-5)
    assert sample_model.predict_top("anything", k=0) == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_ordered_scores_summing_to_one(
    sample_model: Model, text: str
) -> None:
    top = sample_model.predict_top(text, k=len(sample_model.labels))

    scores = [s.score for s in top]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-5)
    assert sorted(s.label for s in top) == sorted(sample_model.labels)


def test_features_are_scikit_learns(sample_model: Model) -> None:
    """The prediction path computes what scikit-learn's vectorizers would."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = [normalise(e.text) for e in examples_read(TRAIN)]
    message = "Wanneer komt de betaling van mijn uitkering? Merci !"
    vectorizers = []
    for features in sample_model.features:
        block = features.block
        vectorizer = TfidfVectorizer(
            analyzer=block.analyzer,
            ngram_range=(block.low, block.high),
            lowercase=False,
            sublinear_tf=True,
            token_pattern=model_module.WORD_PATTERN
            if block.analyzer == "word"
            else None,
            vocabulary=features.vocabulary,
        )
        vectorizer.fit(corpus)
        vectorizer.idf_ = features.idf
        vectorizers.append(vectorizer)
    expected = hstack(
        [v.transform([normalise(message)]) for v in vectorizers]
    ).toarray()[0]

    columns, values = sample_model.vector(message)
    ngrams = columns < len(expected)
    got = np.zeros_like(expected)
    got[columns[ngrams]] = values[ngrams]

    assert np.allclose(got, expected, atol=1e-6)
    assert ngrams.sum() > 10
    # Then the embedding, of unit length times its weight, after every n-gram.
    embedded = values[~ngrams]
    assert len(embedded) == 256
    assert np.linalg.norm(embedded) == pytest.approx(sample_model.settings.embedding)


def test_save_and_load_give_the_same_suggestions(
    sample_model: Model, tmp_path: Path
) -> None:
    path = tmp_path / "model.npz"
    sample_model.save(path)

    loaded = load(path)

    assert loaded.labels == sample_model.labels
    assert loaded.settings == sample_model.settings
    for text in ("Ich muss meinen Termin absagen", "attest voor de bank", "?"):
        assert loaded.predict_top(text, 3) == sample_model.predict_top(text, 3)


def test_a_model_of_another_format_version_is_refused(
    sample_model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.npz"
    monkeypatch.setattr(model_module, "FORMAT_VERSION", 99)
    sample_model.save(path)
    monkeypatch.undo()

    with pytest.raises(SuggestInputInvalid) as caught:
        load(path)

    assert caught.value.code == Code.MODEL_VERSION


def test_a_pickle_is_refused_without_being_run(tmp_path: Path) -> None:
    """An archive holding a pickled object is not unpickled (allow_pickle=False)."""
    path = tmp_path / "model.npz"
    np.savez(path, header=np.array([{"format": "x"}], dtype=object))
    assert zipfile.is_zipfile(path)

    with pytest.raises(SuggestInputInvalid) as caught:
        load(path)

    assert caught.value.code == Code.MODEL_INVALID


@pytest.mark.parametrize("content", [b"", b"not a model", b"PK\x03\x04broken"])
def test_anything_else_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.npz"
    path.write_bytes(content)

    with pytest.raises(SuggestInputInvalid) as caught:
        load(path)

    assert caught.value.code == Code.MODEL_INVALID


def test_training_needs_two_labels() -> None:
    with pytest.raises(SuggestInputInvalid) as caught:
        train(["a", "b"], ["x", "x"])

    assert caught.value.code == Code.TOO_FEW_LABELS


def test_two_labels_are_enough() -> None:
    model = train(
        ["where is my card", "card not arrived", "refund my money", "money back"],
        ["card", "card", "refund", "refund"],
    )

    assert model.predict_top("my card has not arrived", 1)[0].label == "card"
    assert model.predict_top("I want my money back", 1)[0].label == "refund"


def test_temperature_is_fitted_on_held_out_data() -> None:
    texts = [f"card {i} arrived late" for i in range(120)] + [
        f"refund {i} of my money" for i in range(120)
    ]
    labels = ["card"] * 120 + ["refund"] * 120

    model = train(texts, labels)

    assert model.temperature != 1.0
    assert model.predict_top("card 7", 1)[0].score > 0.5


def test_the_embedding_loads_from_the_package_without_network() -> None:
    """pytest-socket forbids connections in tests: WordLlama's weights and
    tokenizer come from its installed wheel."""
    from guichet.suggest.embedding import DIMENSIONS, _wordllama

    vectors = _wordllama()(["Where is my card?", "", "Waar is mijn kaart?"])

    assert vectors.shape == (3, DIMENSIONS)
    assert np.linalg.norm(vectors, axis=1)[[0, 2]] == pytest.approx(
        [1.0, 1.0], abs=1e-5
    )
    assert not np.isnan(vectors).any()


def test_a_model_without_embedding_has_only_ngram_features() -> None:
    from guichet.suggest.model import Settings

    model = train(
        ["where is my card", "card not arrived", "refund my money", "money back"],
        ["card", "card", "refund", "refund"],
        Settings(embedding=0.0),
    )

    columns, _ = model.vector("where is my card")
    assert columns.max() < sum(len(f.vocabulary) for f in model.features)
    assert model.weights.shape[0] == sum(len(f.vocabulary) for f in model.features)
