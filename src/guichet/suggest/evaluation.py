"""How good a model is on classified messages: top-1 and top-3 accuracy and the
latency of one message.

Each message is suggested alone, one after the other, as it would be when it
arrives; the time of each `predict_top` call is measured with a monotonic
clock. A message whose label the model never saw counts as a miss (it cannot be
suggested).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dataset import Example
from .model import Model

TOP = 3


@dataclass(frozen=True)
class Evaluation:
    n: int
    top1: float
    top3: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    # The processor time of one message (p95): what the latency would be on an
    # idle machine, where wall time also counts waiting for a busy processor.
    p95_cpu_ms: float
    unknown_labels: int
    # Top-1 per language, for the examples that give one.
    top1_by_lang: dict[str, float] = field(default_factory=dict)


def evaluate(model: Model, examples: Sequence[Example]) -> Evaluation:
    """Suggest each example's label one message at a time and count the hits."""
    known = set(model.labels)
    hits1 = hits3 = unknown = 0
    timings: list[float] = []
    cpu_timings: list[float] = []
    by_lang: dict[str, list[int]] = {}
    for example in examples:
        start, cpu_start = time.perf_counter(), time.thread_time()
        top = model.predict_top(example.text, TOP)
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.thread_time() - cpu_start) * 1000)
        labels = [suggestion.label for suggestion in top]
        first = bool(labels) and labels[0] == example.label
        hits1 += first
        hits3 += example.label in labels
        unknown += example.label not in known
        if example.lang:
            counts = by_lang.setdefault(example.lang, [0, 0])
            counts[0] += first
            counts[1] += 1
    count = len(examples)
    return Evaluation(
        n=count,
        top1=hits1 / count if count else 0.0,
        top3=hits3 / count if count else 0.0,
        p50_ms=percentile(timings, 50),
        p95_ms=percentile(timings, 95),
        max_ms=max(timings, default=0.0),
        p95_cpu_ms=percentile(cpu_timings, 95),
        unknown_labels=unknown,
        top1_by_lang={
            lang: hits / total for lang, (hits, total) in sorted(by_lang.items())
        },
    )


def percentile(values: Sequence[float], rank: float) -> float:
    """The nearest-rank percentile (0 for no values): the smallest value with at
    least `rank` percent of the values at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = max(1, -(-len(ordered) * rank // 100))
    return ordered[min(len(ordered), int(position)) - 1]
