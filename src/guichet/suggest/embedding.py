"""Static sentence embeddings for the topic model, from WordLlama.

WordLlama (MIT licence, https://github.com/dleemiller/WordLlama) averages token
vectors distilled from large language models' token embeddings; its default
256-dimension weights (16 MB) and their tokenizer ship inside its PyPI wheel.
They are loaded from the installed package with downloads disabled: nothing is
fetched at run time, and a missing file is an error, not a download. The
vectors are scaled to unit length. Loaded once per process (about half a
second), then a message takes a fraction of a millisecond.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .model import Settings

DIMENSIONS = 256

Embedder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def embedding_for(settings: Settings) -> Embedder | None:
    """The embedder a model's settings ask for, or None when they ask for none."""
    return _wordllama() if settings.embedding > 0 else None


@functools.cache
def _wordllama() -> Embedder:
    import wordllama
    from wordllama import WordLlama

    package = Path(wordllama.__file__).parent
    # The wheel holds weights/ and tokenizers/: point the "cache" at the package
    # itself, and forbid the download WordLlama would otherwise try.
    model = WordLlama.load(dim=DIMENSIONS, cache_dir=package, disable_download=True)

    def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        vectors = np.asarray(model.embed(list(texts)), dtype=np.float32)
        vectors = vectors.reshape(len(texts), DIMENSIONS)
        lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
        # A text without tokens (empty) keeps a zero vector, not a division by 0.
        result: npt.NDArray[np.float32] = np.divide(
            vectors, lengths, out=np.zeros_like(vectors), where=lengths > 0
        )
        return result

    return embed
