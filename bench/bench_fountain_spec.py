"""Fountain fidelity: the pass rate of `studio script parse --json` on our own cases written from
the Fountain 1.1 syntax page, with each failing case and why: the cases the parser was written
against (tests/core/script/spec_cases) and the held-out ones written later from the spec alone
(tests/core/script/spec_cases_heldout).

Run: .venv/bin/python bench/bench_fountain_spec.py   (figures go to bench/RESULTS.md)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.script.spec_runner import CASES, HELDOUT, run_cases, spec_cases  # noqa: E402


def report(label: str, folder: Path) -> None:
    cases = spec_cases(folder)
    start = time.perf_counter()
    failures = run_cases(cases)
    took = time.perf_counter() - start
    passed = len(cases) - len(failures)
    sections = Counter(case.expected["spec"] for case in cases)
    print(f"{label} cases: {len(cases)} in {len(sections)} spec sections; {took:.2f} s")
    print(f"pass rate: {passed}/{len(cases)} ({100 * passed / len(cases):.1f}%)")
    for name, why in failures.items():
        print(f"  FAIL {name}: {why}")


def main() -> None:
    report("tuned", CASES)
    report("held-out", HELDOUT)


if __name__ == "__main__":
    main()
