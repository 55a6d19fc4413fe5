"""Benchmark: write and validate one SEPA credit-transfer file of N transfers.

    .venv/bin/python bench/sepa/run.py --count 10000 [--repeat 5] [--independent]

Synthetic transfers shaped like a benefits run: Belgian IBANs (all distinct),
names with and without accents, one in ten to a creditor with a BIC, one in three
with a structured reference (OGM), the others with free text. For each version it
prints the best of `repeat` runs (CPU time of this process, so a shared machine
disturbs it less than wall time) per transfer for `write_file`, `validate` (lxml,
with the whole tree as for a file up to 16 MiB, and as a stream as for a larger one)
and, with --independent, `validate_independently` (xmlschema, once), and the file
size. Results are written down in docs/payments-sepa.md, section "Speed".
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
django.setup()

from guichet.checks.ogm import check_digits  # noqa: E402 - after django.setup()
from guichet.payments import sepa  # noqa: E402 - after django.setup()
from guichet.payments.sepa import (  # noqa: E402 - after django.setup()
    Debtor,
    SepaVersion,
    Transfer,
    validate,
    validate_independently,
    write_file,
)

FIRST = ("Jean", "Marie", "Hélène", "Zoë", "Luc", "Anaïs", "Jürgen", "Françoise")
LAST = ("Dupont", "Van den Broeck", "Lemaître", "Peeters", "D'Hondt", "Müller")


def belgian_iban(account: int) -> str:
    ten = f"{account % 10**10:010d}"
    bban = ten + f"{int(ten) % 97 or 97:02d}"
    return f"BE{98 - int(bban + '111400') % 97:02d}{bban}"


def transfers(count: int) -> list[Transfer]:
    result = []
    for index in range(count):
        ogm = None
        text = None
        if index % 3 == 0:
            ten = f"{index + 1:010d}"
            ogm = ten + check_digits(ten)
        else:
            text = f"Allocation 2026-11 dossier {index}"
        result.append(
            Transfer(
                end_to_end_id=f"P2026-11-{index:09d}",
                amount_cents=95_000 + index % 70_000,
                creditor_name=f"{FIRST[index % 8]} {LAST[index % 6]}",
                creditor_iban=belgian_iban(index + 1),
                creditor_bic="GEBABEBB" if index % 10 == 0 else None,
                ogm=ogm,
                text=text,
            )
        )
    return result


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--independent", action="store_true")
    arguments = parser.parse_args()
    count = arguments.count
    rows = transfers(count)
    debtor = Debtor(name="Office de paiement", iban="BE68539007547034", bic="GEBABEBB")
    created = datetime(2026, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    with tempfile.TemporaryDirectory() as directory:
        for version in SepaVersion:
            path = Path(directory) / f"{version}.xml"

            def write(version: SepaVersion = version, path: Path = path) -> None:
                write_file(
                    rows,
                    debtor=debtor,
                    message_id="BENCH-2026-11-1",
                    execution_date=date(2026, 11, 25),
                    created_at=created,
                    version=version,
                    path=path,
                )

            writing = best(write, arguments.repeat)
            validate(path, version)  # compiles the schema once
            checking = best(lambda v=version, p=path: validate(p, v), arguments.repeat)
            threshold = sepa.STREAM_ABOVE_BYTES
            sepa.STREAM_ABOVE_BYTES = 0
            streaming = best(lambda v=version, p=path: validate(p, v), arguments.repeat)
            sepa.STREAM_ABOVE_BYTES = threshold
            line = (
                f"{version}: {count} transfers, {path.stat().st_size / count:.0f} bytes "
                f"each ({path.stat().st_size / 1e6:.1f} MB); write "
                f"{writing / count * 1e6:.2f} µs, validate (lxml) "
                f"{checking / count * 1e6:.2f} µs per transfer, as a stream "
                f"{streaming / count * 1e6:.2f} µs"
            )
            if arguments.independent:
                independent = best(
                    lambda v=version, p=path: validate_independently(p, v), 1
                )
                line += f", xmlschema {independent / count * 1e6:.0f} µs"
            print(line)


if __name__ == "__main__":
    main()
