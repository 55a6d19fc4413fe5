"""`guichet suggest train|eval`: train the topic model from a file, measure it.

    guichet suggest train --data FILE --model PATH [--json]
    guichet suggest eval --model PATH --data FILE [--json]
    guichet suggest retrain [--model PATH] [--json]

FILE is JSON Lines (`text`, `label`, optional `lang`) or CSV with a header naming
`text` and `label` or `category` (`suggest/dataset.py`). `train` writes the model
to PATH (`suggest/model.py`: plain arrays and JSON, no pickle). `eval` suggests
each message of FILE alone and prints `n`, `top1`, `top3` (fractions of 1),
`p50_ms`, `p95_ms`, `max_ms` (the wall-clock time of one message),
`p95_cpu_ms` (its processor time: the latency on an idle machine), `unknown_labels` (labels
the model never saw: each a miss) and, when FILE gives languages, `top1_by_lang`.

`retrain` trains from the service's own classified requests and contacts and the
agents' choices (`suggest/services.py`), as the weekly background task does.

`train` and `eval` do not need the database: both run before `guichet migrate`. Exit codes: 0 done,
2 an empty or malformed data file, an unreadable or foreign model file, or bad
arguments; with --json one document on standard output, on error
`{"error": {"code", "message", "file", "line"}}`; without it one line
`FILE:LINE: message [code]` on standard error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core.commands import GuichetCommand, UsageError, add_json_option
from guichet.suggest.dataset import examples_read
from guichet.suggest.errors import SuggestInputInvalid
from guichet.suggest.evaluation import evaluate
from guichet.suggest.model import load, train

STEPS = {
    "calibration": gettext_lazy("Fitting the score calibration on a held-out tenth"),
    "training": gettext_lazy("Training on every example"),
}


class Command(GuichetCommand):
    help = "Suggestions: train the topic model from a file, evaluate it on another."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        training = actions.add_parser(
            "train",
            help="Train a model from classified messages.",
            description=(
                "Read FILE (JSON Lines or CSV with text and label or category) and "
                "write the trained model to PATH. Exit 2 when FILE is empty or "
                "malformed (nothing is written)."
            ),
        )
        evaluating = actions.add_parser(
            "eval",
            help="Measure a model on classified messages.",
            description=(
                "Suggest each message of FILE one at a time with the model at PATH; "
                "print n, top1, top3 and the latency (p95_ms). A label the model "
                "never saw counts as a miss."
            ),
        )
        for sub in (training, evaluating):
            sub.add_argument(
                "--data",
                required=True,
                metavar="FILE",
                help="Classified messages: JSON Lines (text, label, optional lang) "
                "or CSV with text and label or category columns.",
            )
            sub.add_argument(
                "--model",
                required=True,
                metavar="PATH",
                help="The model file (.npz) to write (train) or read (eval).",
            )
            add_json_option(sub)
        retraining = actions.add_parser(
            "retrain",
            help="Retrain the service's model from its classified messages.",
            description=(
                "Train from the classified requests and contacts and the agents' "
                "choices among suggestions; write the model (GUICHET_SUGGEST_MODEL, "
                "or PATH) atomically. Too few examples keep the current model."
            ),
        )
        retraining.add_argument(
            "--model",
            default="",
            metavar="PATH",
            help="Where to write the model (default: GUICHET_SUGGEST_MODEL).",
        )
        add_json_option(retraining)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json_output"))
        try:
            if options["action"] == "retrain":
                self._retrain(options["model"])
            elif options["action"] == "train":
                self._train(options["data"], options["model"])
            else:
                self._eval(options["data"], options["model"])
        except SuggestInputInvalid as error:
            self._refuse(error)

    def emit(self, payload: Any) -> None:
        """One JSON document whose figures stay numbers (the base class writes
        floats as strings, for the audit chain's sake)."""
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _refuse(self, error: SuggestInputInvalid) -> NoReturn:
        problem = error.as_dict()
        if self.json_output:
            self.emit({"error": problem})
            sys.exit(2)
        where = problem["file"] or ""
        if problem["line"]:
            where = f"{where}:{problem['line']}"
        prefix = f"{where}: " if where else ""
        raise UsageError(f"{prefix}{problem['message']} [{problem['code']}]")

    def _say(self, text: str) -> None:
        """A line of progress on standard error (never with --json)."""
        if not self.json_output:
            self.stderr.write(text)

    def _retrain(self, path: str) -> None:
        from guichet.suggest.services import retrain

        result = retrain(path or None)
        if self.json_output:
            self.emit(
                {
                    "model": result.path,
                    "n": result.examples,
                    "labels": result.topics,
                    "written": result.written,
                }
            )
            return
        self.stdout.write(result.message)

    def _train(self, data: str, path: str) -> None:
        started = time.perf_counter()
        examples = examples_read(data)
        labels = sorted({example.label for example in examples})
        self._say(
            _("Read %(count)s examples of %(labels)s labels from %(file)s.")
            % {"count": len(examples), "labels": len(labels), "file": data}
        )

        def on_step(name: str) -> None:
            self._say(f"{STEPS[name]}…")

        model = train(
            [example.text for example in examples],
            [example.label for example in examples],
            on_step=on_step,
        )
        try:
            model.save(path)
        except OSError as error:
            raise UsageError(
                _("The model cannot be written to %(path)s: %(reason)s.")
                % {"path": path, "reason": error.strerror or str(error)}
            ) from None
        payload = {
            "model": path,
            "n": len(examples),
            "labels": len(model.labels),
            "seconds": round(time.perf_counter() - started, 2),
            "bytes": Path(path).stat().st_size,
        }
        if self.json_output:
            self.emit(payload)
            return
        self.stdout.write(
            _(
                "Model written to %(model)s: %(n)s examples, %(labels)s labels, "
                "trained in %(seconds)s s."
            )
            % payload
        )

    def _eval(self, data: str, path: str) -> None:
        model = load(path)
        examples = examples_read(data)
        result = evaluate(model, examples)
        payload: dict[str, Any] = {
            "n": result.n,
            "top1": round(result.top1, 4),
            "top3": round(result.top3, 4),
            "p50_ms": round(result.p50_ms, 3),
            "p95_ms": round(result.p95_ms, 3),
            "max_ms": round(result.max_ms, 3),
            "p95_cpu_ms": round(result.p95_cpu_ms, 3),
            "unknown_labels": result.unknown_labels,
        }
        if result.top1_by_lang:
            payload["top1_by_lang"] = {
                lang: round(value, 4) for lang, value in result.top1_by_lang.items()
            }
        if self.json_output:
            self.emit(payload)
            return
        self.stdout.write(
            _(
                "%(n)s messages: top 1 %(top1)s%%, top 3 %(top3)s%%; one message "
                "takes %(p50)s ms (median), %(p95)s ms (95th percentile)."
            )
            % {
                "n": result.n,
                "top1": f"{result.top1 * 100:.1f}",
                "top3": f"{result.top3 * 100:.1f}",
                "p50": f"{result.p50_ms:.2f}",
                "p95": f"{result.p95_ms:.2f}",
            }
        )
        if result.unknown_labels:
            self.stdout.write(
                _("%(count)s messages have a label the model never saw (misses).")
                % {"count": result.unknown_labels}
            )
        for lang, value in result.top1_by_lang.items():
            self.stdout.write(
                _("Top 1 in %(lang)s: %(top1)s%%")
                % {"lang": lang, "top1": f"{value * 100:.1f}"}
            )
