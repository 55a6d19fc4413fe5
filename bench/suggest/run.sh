#!/bin/sh
# Banking77 through the two commands the issue fixes (issue #15, point 7).
# Data: Casanueva et al., 2020, "Efficient Intent Detection with Dual Sentence
# Encoders" (PolyAI, CC BY 4.0): train.csv (10003 messages) and test.csv (3080),
# 77 intents, columns text and category. Not copied into the repository.
# Usage: bench/suggest/run.sh [DATA_DIR]   (default: ../shared/data/banking77)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/../shared/data/banking77}
out=$root/bench/out
mkdir -p "$out"
guichet=$root/.venv/bin/guichet
/usr/bin/time -v "$guichet" suggest train --data "$data/train.csv" --model "$out/banking77.npz" --json \
    2> "$out/banking77-train.time"
grep -E "Elapsed|Maximum resident|User time" "$out/banking77-train.time"
"$guichet" suggest eval --model "$out/banking77.npz" --data "$data/test.csv" --json
