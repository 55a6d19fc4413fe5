"""The topic model behind suggestions: word and character n-grams, TF-IDF, a linear
classifier; pure functions, no database.

    model = train(texts, labels)
    model.predict_top("Where is my card?", k=3)   # [Suggestion(label, score), ...]
    model.save(path); load(path)

**Features.** Each text is normalised (`normalise`), then cut into blocks of
features: words and word n-grams, and character n-grams inside word boundaries
(`char_wb`, which is robust to typos, inflection and compound words, the norm in
Dutch and German). Each block is weighted by TF-IDF with a sublinear term frequency
(1 + log tf) and scaled to unit length, as scikit-learn's `TfidfVectorizer` does;
the blocks are concatenated. Then, with `Settings.embedding` above 0, the
message's static sentence embedding (`embedding.py`: WordLlama's 256 dimensions,
whose weights ship inside its PyPI wheel and load offline), of unit length times
that weight: it knows that "refund" and "money back" are close, which n-grams
cannot learn from a few examples.

**Classifier.** A linear one-vs-rest support vector machine (`LinearSVC`) by
default; `Settings.classifier` also offers logistic regression, SGD with the
modified Huber loss and ridge (bench/RESULTS.md, "Suggestions (issue #15)", has
every design measured: the default is the one cross-validation on Banking77's
training split chose). Its decision values become scores that sum to 1 by a
softmax with a temperature fitted on a held-out tenth of the training data (one
number, minimising the log loss), so "0.83" means roughly "right 83% of the time".

**Prediction** does not go through scikit-learn: the vocabulary lookup, the
weighting and one product with the weight rows of the features present take well
under a millisecond for a message, where a scikit-learn pipeline pays its input
checks on each call. `tests/suggest/test_model.py` checks it gives scikit-learn's
features.

**The model file and trust.** A model is saved as a NumPy `.npz` archive holding
plain arrays (weights, IDF, intercepts) and one JSON document (settings, labels,
vocabularies), and is read back with `allow_pickle=False`: loading a model runs no
code from the file, so a model file from elsewhere cannot execute anything (no
pickle, no joblib). A model file is still data that decides which topic and which
answers an agent is offered: keep it where only the service's operators can write.
The file carries `FORMAT_VERSION`; a file of another version is refused (retrain).
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _

import numpy as np
import numpy.typing as npt

from guichet.core.text import fold

from .embedding import embedding_for
from .errors import Code, SuggestInputInvalid

FORMAT = "guichet-suggest-model"
FORMAT_VERSION = 1

Classifier = Literal["svc", "logistic", "sgd", "ridge"]
Normalisation = Literal["lower", "fold"]
Analyzer = Literal["word", "char_wb", "char"]
FloatArray = npt.NDArray[np.float32]
# Words as scikit-learn's default pattern, but one-letter words too ("a card", "I").
WORD_PATTERN = r"(?u)\b\w+\b"


@dataclass(frozen=True)
class Block:
    """One kind of features: word or character n-grams from `low` to `high`."""

    analyzer: Analyzer
    low: int
    high: int
    min_df: int = 1


@dataclass(frozen=True)
class Settings:
    """What `train` builds; the defaults are the design chosen by cross-validation
    on Banking77's training split (bench/RESULTS.md)."""

    blocks: tuple[Block, ...] = (Block("word", 1, 2), Block("char_wb", 1, 5))
    normalisation: Normalisation = "lower"
    # Weight of the static sentence embedding appended to the n-grams (0: none).
    embedding: float = 1.0
    classifier: Classifier = "svc"
    # Inverse regularisation strength (svc, logistic); alpha is 1 / c (sgd, ridge).
    c: float = 1.0
    # Hold out this share of the training data to fit the score temperature.
    calibration_share: float = 0.1
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        blocks = tuple(Block(**block) for block in data.pop("blocks"))
        return cls(blocks=blocks, **data)


@dataclass(frozen=True)
class Suggestion:
    label: str
    score: float


@dataclass
class _Features:
    """A fitted block: its analyzer, vocabulary (term -> column) and IDF."""

    block: Block
    vocabulary: dict[str, int]
    idf: FloatArray
    analyze: Callable[[str], list[str]] = field(repr=False)


def normalise(text: str, how: Normalisation = "lower") -> str:
    """Unicode-compose and lower-case (`lower`), or also strip accents and
    punctuation (`fold`, the search folding of `core.text`)."""
    if how == "fold":
        return fold(text)
    return unicodedata.normalize("NFKC", text).casefold()


def _analyzer(block: Block) -> Callable[[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyze: Callable[[str], list[str]] = _vectorizer(
        block, TfidfVectorizer
    ).build_analyzer()
    return analyze


def _vectorizer(block: Block, kind: Any) -> Any:
    return kind(
        analyzer=block.analyzer,
        ngram_range=(block.low, block.high),
        lowercase=False,
        token_pattern=WORD_PATTERN if block.analyzer == "word" else None,
        sublinear_tf=True,
        min_df=block.min_df,
        dtype=np.float32,
    )


class Model:
    """A trained model: blocks of features, one weight row per feature, labels."""

    def __init__(
        self,
        *,
        settings: Settings,
        labels: Sequence[str],
        features: Sequence[_Features],
        weights: FloatArray,
        intercept: FloatArray,
        temperature: float,
        trained_on: int,
    ) -> None:
        self.settings = settings
        self.labels = list(labels)
        self.features = list(features)
        # (number of features, number of labels): the rows of a message's features
        # are gathered in one step.
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.temperature = float(temperature)
        self.trained_on = trained_on
        self._offsets = np.cumsum([0] + [len(f.vocabulary) for f in self.features])
        self._embedder = embedding_for(settings)

    def vector(self, text: str) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """The message's features: column numbers and TF-IDF values (each block of
        unit length), the same as scikit-learn's `TfidfVectorizer`."""
        normalised = normalise(text, self.settings.normalisation)
        columns: list[int] = []
        values: list[float] = []
        for offset, features in zip(self._offsets, self.features, strict=False):
            counts = Counter(features.analyze(normalised))
            found = [
                (column, count)
                for term, count in counts.items()
                if (column := features.vocabulary.get(term)) is not None
            ]
            if not found:
                continue
            block = [
                (1.0 + math.log(count)) * float(features.idf[column])
                for column, count in found
            ]
            norm = math.sqrt(sum(value * value for value in block)) or 1.0
            columns.extend(int(offset) + column for column, _ in found)
            values.extend(value / norm for value in block)
        column_array = np.asarray(columns, dtype=np.intp)
        value_array = np.asarray(values, dtype=np.float32)
        if self._embedder is not None:
            dense = self._embedder([normalised])[0] * self.settings.embedding
            start = int(self._offsets[-1])
            column_array = np.concatenate(
                [column_array, np.arange(start, start + len(dense), dtype=np.intp)]
            )
            value_array = np.concatenate([value_array, dense.astype(np.float32)])
        return column_array, value_array

    def decision(self, text: str) -> FloatArray:
        """One decision value per label (higher: more likely)."""
        columns, values = self.vector(text)
        if not len(columns):
            return self.intercept.copy()
        result: FloatArray = values @ self.weights[columns] + self.intercept
        return result

    def scores(self, text: str) -> FloatArray:
        """A score per label, summing to 1 (a softmax of the decision values)."""
        scores: FloatArray = _softmax(self.decision(text)[None, :], self.temperature)[0]
        return scores

    def predict_top(self, text: str, k: int = 3) -> list[Suggestion]:
        """The k most likely labels, best first, with their scores."""
        scores = self.scores(text)
        k = max(0, min(k, len(self.labels)))
        best = np.argsort(-scores, kind="stable")[:k]
        return [Suggestion(self.labels[i], float(scores[i])) for i in best]

    def save(self, path: str | Path) -> None:
        """Write the model as plain arrays and JSON (see the module docstring)."""
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "settings": self.settings.as_dict(),
            "labels": self.labels,
            "temperature": self.temperature,
            "trained_on": self.trained_on,
            "vocabularies": [
                sorted(f.vocabulary, key=f.vocabulary.__getitem__)
                for f in self.features
            ],
        }
        arrays: dict[str, npt.NDArray[Any]] = {
            "header": np.frombuffer(
                json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8
            ),
            "weights": self.weights,
            "intercept": self.intercept,
        }
        for number, features in enumerate(self.features):
            arrays[f"idf_{number}"] = features.idf
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub wants positional arrays
        Path(path).write_bytes(buffer.getvalue())


def load(path: str | Path) -> Model:
    """Read a model written by `Model.save`; refuse anything else (no pickle)."""
    name = str(path)
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        raise SuggestInputInvalid(
            Code.MODEL_UNREADABLE,
            _("The model file cannot be read: %(reason)s."),
            file=name,
            params={"reason": error.strerror or str(error)},
        ) from None
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            header = json.loads(bytes(archive["header"]).decode())
            if header.get("format") != FORMAT:
                raise SuggestInputInvalid(
                    Code.MODEL_INVALID,
                    _("This file is not a suggestion model."),
                    file=name,
                )
            if header.get("version") != FORMAT_VERSION:
                raise SuggestInputInvalid(
                    Code.MODEL_VERSION,
                    _(
                        "This model was written in format %(found)s; this version "
                        "reads format %(expected)s: train it again."
                    ),
                    file=name,
                    params={"found": header.get("version"), "expected": FORMAT_VERSION},
                )
            settings = Settings.from_dict(dict(header["settings"]))
            features = [
                _Features(
                    block=block,
                    vocabulary={term: i for i, term in enumerate(vocabulary)},
                    idf=archive[f"idf_{number}"].astype(np.float32),
                    analyze=_analyzer(block),
                )
                for number, (block, vocabulary) in enumerate(
                    zip(settings.blocks, header["vocabularies"], strict=True)
                )
            ]
            return Model(
                settings=settings,
                labels=header["labels"],
                features=features,
                weights=archive["weights"],
                intercept=archive["intercept"],
                temperature=header["temperature"],
                trained_on=header["trained_on"],
            )
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError):
        raise SuggestInputInvalid(
            Code.MODEL_INVALID, _("This file is not a suggestion model."), file=name
        ) from None


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    settings: Settings | None = None,
    *,
    on_step: Callable[[str], None] | None = None,
) -> Model:
    """Fit a model on the texts and their labels (at least two labels)."""
    settings = settings or Settings()
    step = on_step or (lambda _name: None)
    if len(set(labels)) < 2:
        raise SuggestInputInvalid(
            Code.TOO_FEW_LABELS,
            _("Training needs examples of at least two labels."),
        )
    normalised = [normalise(text, settings.normalisation) for text in texts]
    target = np.asarray(labels)
    temperature = 1.0
    held_out = _calibration_split(target, settings)
    if held_out is not None:
        step("calibration")
        fit_part, check_part = held_out
        model = _fit([normalised[i] for i in fit_part], target[fit_part], settings)
        decisions = np.vstack([model.decision(texts[i]) for i in check_part])
        label_index = {label: i for i, label in enumerate(model.labels)}
        truth = np.asarray([label_index.get(label, -1) for label in target[check_part]])
        temperature = _fit_temperature(decisions[truth >= 0], truth[truth >= 0])
    step("training")
    model = _fit(normalised, target, settings)
    model.temperature = temperature
    model.trained_on = len(texts)
    return model


def _fit(texts: list[str], target: npt.NDArray[Any], settings: Settings) -> Model:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    features: list[_Features] = []
    matrices = []
    for block in settings.blocks:
        vectorizer = _vectorizer(block, TfidfVectorizer)
        matrices.append(vectorizer.fit_transform(texts))
        features.append(
            _Features(
                block=block,
                vocabulary={str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                idf=vectorizer.idf_.astype(np.float32),
                analyze=vectorizer.build_analyzer(),
            )
        )
    embedder = embedding_for(settings)
    if embedder is not None:
        from scipy.sparse import csr_matrix

        matrices.append(csr_matrix(embedder(texts) * settings.embedding))
    matrix = hstack(matrices, format="csr")
    classifier = _classifier(settings)
    classifier.fit(matrix, target)
    labels = [str(label) for label in classifier.classes_]
    coef = np.asarray(classifier.coef_, dtype=np.float32)
    intercept = np.asarray(classifier.intercept_, dtype=np.float32)
    if len(labels) == 2:
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.asarray([-intercept[0], intercept[0]], dtype=np.float32)
    return Model(
        settings=settings,
        labels=labels,
        features=features,
        weights=coef.T,
        intercept=intercept,
        temperature=1.0,
        trained_on=len(texts),
    )


def _classifier(settings: Settings) -> Any:
    from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
    from sklearn.svm import LinearSVC

    if settings.classifier == "svc":
        return LinearSVC(C=settings.c, random_state=settings.seed)
    if settings.classifier == "logistic":
        return LogisticRegression(C=settings.c, max_iter=1000)
    if settings.classifier == "sgd":
        return SGDClassifier(
            loss="modified_huber",
            alpha=1.0 / settings.c,
            max_iter=50,
            random_state=settings.seed,
        )
    return RidgeClassifier(alpha=1.0 / settings.c, solver="sparse_cg")


def _calibration_split(
    target: npt.NDArray[Any], settings: Settings
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None:
    """Indices to fit on and to fit the temperature on, or None when the data are
    too few to spare a tenth (the temperature stays 1)."""
    count = len(target)
    held = int(count * settings.calibration_share)
    if held < 20 or settings.calibration_share <= 0:
        return None
    order = np.random.default_rng(settings.seed).permutation(count)
    fit_part, check_part = order[held:], order[:held]
    if len(set(target[fit_part].tolist())) < 2:
        return None
    return np.sort(fit_part), np.sort(check_part)


def _softmax(decisions: FloatArray, temperature: float) -> FloatArray:
    scaled = decisions * temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    result: FloatArray = exp / exp.sum(axis=1, keepdims=True)
    return result


def _fit_temperature(decisions: FloatArray, truth: npt.NDArray[np.intp]) -> float:
    """The factor on the decision values that minimises the log loss of the
    held-out examples (a golden-section search on a log scale)."""
    if not len(truth):
        return 1.0

    def loss(log_t: float) -> float:
        probabilities = _softmax(decisions, math.exp(log_t))
        picked = probabilities[np.arange(len(truth)), truth]
        return float(-np.mean(np.log(np.clip(picked, 1e-12, None))))

    low, high = math.log(0.05), math.log(200.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _step in range(60):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if loss(a) < loss(b):
            high = b
        else:
            low = a
    return math.exp((low + high) / 2)
