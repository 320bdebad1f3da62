"""Every parser is linear on any input: a 1 MB adversarial script (unclosed boneyard and notes,
runs of emphasis markers, huge lines, long names, NULs, deep XML…) parses and breaks down in
less than 10× the time of a normal 1 MB script measured in the same run.

Each case runs in a child process that the test stops at the bound, so a quadratic path fails
the test instead of hanging it (the old parser took hours on some of these).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.script.hostile_inputs import FDX_CASES, FOUNTAIN_CASES

SIZE = 1_000_000
BOUND = 10  # generous: the benchmark's ratios are within 3× (bench/RESULTS.md)
ROOT = Path(__file__).resolve().parents[3]

_CHILD = """
import json, sys, time
from tests.core.script import hostile_inputs as h
from studio.script.breakdown import breakdown
from studio.script.fdx import parse_fdx
from studio.script.fountain import parse

kind, name, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "fountain":
    data = h.normal_fountain(size) if name == "normal" else h.FOUNTAIN_CASES[name](size)
    work = lambda: breakdown(parse(data), 24)
else:
    data = h.normal_fdx(size) if name == "normal" else h.FDX_CASES[name](size)
    work = lambda: parse_fdx(data)
best = None
for _ in range(int(sys.argv[4])):
    start = time.process_time()
    work()
    took = time.process_time() - start
    best = took if best is None else min(best, took)
print(json.dumps({"seconds": best}))
"""


def _run(kind: str, name: str, repeats: int, timeout: float | None) -> float | None:
    """CPU seconds of the best of `repeats` runs, or None when the child ran past `timeout`."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, kind, name, str(SIZE), str(repeats)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


@pytest.fixture(scope="module")
def normal_seconds() -> dict[str, float]:
    """The normal 1 MB script's (and .fdx's) time, best of 2, in this run."""
    return {kind: _run(kind, "normal", 2, None) or 0.0 for kind in ("fountain", "fdx")}


def _check(kind: str, name: str, normal: float) -> None:
    limit = BOUND * normal
    # The wall-clock guard is looser than the CPU bound (the machine is shared; the child also
    # starts Python and builds the input), so only a run far past the bound is cut short.
    took = _run(kind, name, 1, timeout=10 + 4 * limit)
    assert took is not None, f"{name}: still running after {10 + 4 * limit:.0f} s"
    assert took < limit, f"{name}: {took:.2f} s, over {BOUND}× the normal {normal:.2f} s"


@pytest.mark.parametrize("name", list(FOUNTAIN_CASES))
def test_adversarial_fountain_parses_within_10x_a_normal_script(name, normal_seconds) -> None:
    _check("fountain", name, normal_seconds["fountain"])


@pytest.mark.parametrize("name", list(FDX_CASES))
def test_adversarial_fdx_parses_within_10x_a_normal_file(name, normal_seconds) -> None:
    _check("fdx", name, normal_seconds["fdx"])
