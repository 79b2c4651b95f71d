"""Time the importer on the inputs that stalled it (issue 9) and on a real report.

    .venv/bin/python bench/bench_import_parse.py [--timeout SECONDS] [--source DIR] [NAME ...]

Each input is parsed (or, for the PDF, read) in a fresh process, stopped after ``--timeout``
seconds (default 60), without the import time limit so that the parser's own speed shows.
``--source DIR`` times the code in DIR instead, for example an older commit unpacked with
``git archive COMMIT recommendations | tar -x -C DIR``. Pure Python: no database. Prints the
wall-clock and processor time of each input, and what came of it.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "publications"
LOG = "[on]7th August 2018 [status]awaiting-review[/status][/on]"


def _deadline_probe(repeats: int) -> str:
    return (
        "Title\n\nRecommendations\n\nWithin three months, "
        + "by the end of March 2027 within the next six calendar months " * repeats
        + " the force should act."
    )


def _text_operators_pdf() -> bytes:
    sys.path.insert(0, str(ROOT / "tests" / "recommendations" / "importing"))
    from pdf_builder import make_compressed_pdf

    return make_compressed_pdf([b"BT /F1 11 Tf 72 770 Td " + b"(x) Tj " * 600_000 + b"ET"])


def _peel() -> str:
    return (FIXTURES / "peel_cleveland_2021_22.txt").read_text(encoding="utf-8")


# name: (what it is, how to build it); a bytes input is a PDF.
INPUTS = {
    "deadlines-500": (
        "deadline phrases x500 in one sentence (31 KB)",
        lambda: _deadline_probe(500),
    ),
    "deadlines-1500": ("deadline phrases x1,500 (92 KB)", lambda: _deadline_probe(1_500)),
    "deadlines-30000": ("deadline phrases x30,000 (1.8 MB)", lambda: _deadline_probe(30_000)),
    "register-title": (
        'first line "T (" + "1and" x40 + "!" with an [on] log',
        lambda: "T (" + "1and" * 40 + f"!\nRecommendations\n\nThe force should act.\n{LOG}",
    ),
    "unclosed-comments": (
        '"[comment]x" x8,000 in one [on] log entry',
        lambda: f"[on]7 May 2020 [status]complete[/status]{'[comment]x' * 8_000}[/on]",
    ),
    "pdf-text-operators": (
        "6.7 KB PDF, one stream of 4.2 MB of text operators",
        _text_operators_pdf,
    ),
    "peel-report": ("seed 004, the PEEL report (88 KB)", _peel),
    "peel-x22": ("the PEEL report 22 times over (2 MB)", lambda: _peel() * 22),
    "short-lines": ('"Ab" on each of 99,999 lines (300 KB)', lambda: "Ab\n" * 99_999),
    "short-paragraphs": (
        '"Within three months" as each of 95,238 paragraphs (2 MB, the size limit)',
        lambda: "Title\n" + "Within three months\n\n" * 95_238 + ".",
    ),
    "endless-findings": (
        "90,000 recommendation points under one lead-in (2 MB, past the findings limit)",
        lambda: (
            "Recommendations\n\nThe force should:\n"
            + "".join(f"\u2022 act on matter {number};\n" for number in range(90_000))
        ),
    ),
}


def _run_one(name: str) -> None:
    built = INPUTS[name][1]()
    import pypdf  # noqa: F401 (imported before the clock starts, as a server has it)

    from recommendations.importing import PublicationParseError

    wall, cpu = time.perf_counter(), time.process_time()
    try:
        if isinstance(built, bytes):
            from recommendations.importing import extract_pdf_text

            outcome = f"{len(extract_pdf_text(built)):,} characters of text"
        else:
            from recommendations.importing.parser import _parse

            parsed = _parse(built, published_on=date(2026, 1, 15), issued_on=None)
            outcome = f"{len(parsed.items)} findings"
    except PublicationParseError as refused:
        outcome = f"refused: {refused.message[:70]}"
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{wall:.3f}\t{cpu:.3f}\t{outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"inputs to time (default all): {', '.join(INPUTS)}"
    )
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.source.resolve()))
    if args.one:
        _run_one(args.one)
        return
    unknown = [name for name in args.names if name not in INPUTS]
    if unknown:
        parser.error(f"unknown input {', '.join(unknown)}; choose from {', '.join(INPUTS)}")
    print(f"source: {args.source.resolve()}")
    print(f"python: {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"load:   {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    for name in args.names or INPUTS:
        print(f"  {name}: {INPUTS[name][0]}")
    print(f"{'input':20} {'wall s':>8} {'cpu s':>8}  outcome")
    for name in args.names or INPUTS:
        command = [sys.executable, __file__, "--source", str(args.source), "--one", name]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, check=True
            )
        except subprocess.TimeoutExpired:
            print(f"{name:20} {'>' + format(args.timeout, 'g'):>8} {'':>8}  stopped")
            continue
        wall, cpu, outcome = done.stdout.strip().split("\t")
        print(f"{name:20} {wall:>8} {cpu:>8}  {outcome}")


if __name__ == "__main__":
    main()
