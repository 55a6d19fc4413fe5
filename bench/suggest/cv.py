"""Cross-validation of model designs on Banking77's TRAINING split only.

    .venv/bin/python bench/suggest/cv.py [--folds 3] [--data FILE] DESIGN...

Each DESIGN is a name below; for each, the mean top-1 over stratified folds of the
training file (never the test file), and the processor time of one fit. This is how
the defaults of `guichet.suggest.model.Settings` were chosen (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from guichet.suggest.dataset import examples_read  # noqa: E402
from guichet.suggest.model import Block, Settings, train  # noqa: E402

NGRAMS = (Block("word", 1, 2), Block("char_wb", 1, 5))
DESIGNS = {
    "ngrams_svc": Settings(blocks=NGRAMS, embedding=0.0, calibration_share=0),
    "ngrams_svc_fold": Settings(
        blocks=NGRAMS, embedding=0.0, normalisation="fold", calibration_share=0
    ),
    "ngrams_word13_svc": Settings(
        blocks=(Block("word", 1, 3), Block("char_wb", 1, 5)),
        embedding=0.0,
        calibration_share=0,
    ),
    "ngrams_sgd": Settings(
        blocks=NGRAMS, embedding=0.0, classifier="sgd", c=5e4, calibration_share=0
    ),
    "ngrams_ridge": Settings(
        blocks=NGRAMS, embedding=0.0, classifier="ridge", calibration_share=0
    ),
    "ngrams_embedding1_svc": Settings(
        blocks=NGRAMS, embedding=1.0, calibration_share=0
    ),
    "ngrams_embedding2_svc": Settings(
        blocks=NGRAMS, embedding=2.0, calibration_share=0
    ),
    "wider_embedding1_svc": Settings(
        blocks=(Block("word", 1, 3), Block("char_wb", 1, 6)),
        embedding=1.0,
        calibration_share=0,
    ),
    "ngrams_embedding1_sgd": Settings(
        blocks=NGRAMS, embedding=1.0, classifier="sgd", c=5e4, calibration_share=0
    ),
    "embedding_only_svc": Settings(blocks=(), embedding=1.0, calibration_share=0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("designs", nargs="+", choices=sorted(DESIGNS))
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument(
        "--data", default=str(ROOT.parent / "shared/data/banking77/train.csv")
    )
    options = parser.parse_args()
    examples = examples_read(options.data)
    texts = [e.text for e in examples]
    labels = np.asarray([e.label for e in examples])
    folds = StratifiedKFold(options.folds, shuffle=True, random_state=0)
    for name in options.designs:
        hits, cpu = [], []
        for fit, held in folds.split(texts, labels):
            start = time.process_time()
            model = train([texts[i] for i in fit], labels[fit].tolist(), DESIGNS[name])
            cpu.append(time.process_time() - start)
            hits.extend(
                model.predict_top(texts[i], 1)[0].label == labels[i] for i in held
            )
        print(
            json.dumps(
                {
                    "design": name,
                    "folds": options.folds,
                    "cv_top1": round(float(np.mean(hits)), 4),
                    "fit_cpu_s": round(float(np.mean(cpu)), 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
