"""Fountain fidelity: the pass rate of `studio script parse --json` on our own cases written from
the Fountain 1.1 syntax page (tests/core/script/spec_cases), with each failing case and why.

Run: .venv/bin/python bench/bench_fountain_spec.py   (figures go to bench/RESULTS.md)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.script.spec_runner import run_cases, spec_cases  # noqa: E402


def main() -> None:
    cases = spec_cases()
    start = time.perf_counter()
    failures = run_cases(cases)
    took = time.perf_counter() - start
    passed = len(cases) - len(failures)
    sections = Counter(case.expected["spec"] for case in cases)
    print(f"cases: {len(cases)} in {len(sections)} spec sections; {took:.2f} s")
    print(f"pass rate: {passed}/{len(cases)} ({100 * passed / len(cases):.1f}%)")
    for name, why in failures.items():
        print(f"  FAIL {name}: {why}")


if __name__ == "__main__":
    main()
