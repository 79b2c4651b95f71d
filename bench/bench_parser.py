"""Time ``parse_publication`` on a publication fixture (default: seed 004, the 90 KB PEEL report).

    .venv/bin/python bench/bench_parser.py [--runs N] [PATH]

Pure Python: no database and no Django settings needed. Prints the minimum and median
wall-clock time per parse in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "fixtures" / "publications" / "peel_cleveland_2021_22.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from recommendations.importing import parse_publication

    text = args.path.read_text(encoding="utf-8")
    parse_publication(text, published_on=date(2023, 3, 17))  # warm up (imports, regexes)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        publication = parse_publication(text, published_on=date(2023, 3, 17))
        timings.append((time.perf_counter() - started) * 1000)
    print(f"file:   {args.path.name} ({len(text.encode('utf-8')) / 1024:.0f} KB)")
    print(f"found:  {len(publication.items)} findings, {len(publication.grades)} graded judgments")
    print(f"runs:   {args.runs}")
    print(f"min:    {min(timings):.1f} ms")
    print(f"median: {statistics.median(timings):.1f} ms")
    print(f"python: {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
