"""Our own cases from the Fountain 1.1 syntax page (fountain.io/syntax), run through the CLI.

Each case is `NNN-name.fountain` beside `NNN-name.json`: the spec section it comes from (and, in
the held-out set, the spec's sentence as `rule`), the title page expected (`null` for none; no
key: not checked) and the elements expected, in order, each with `type` and any of `text`,
`scene_number`, `dual`, `level`, `runs` to check. Runs are compared as what a reader sees: the
styles of a run as a set, neighbours of the same styles joined, empty runs dropped.
`spec_cases/` are the cases the parser was written against; `spec_cases_heldout/` were written
later from the spec alone, without reading the parser, to estimate how it does on cases it was
not tuned on.
What is checked is what `studio script parse FILE --json` prints (the `title_page` element is
left out: the title page is checked as a whole). Shared by the test and
`bench/bench_fountain_spec.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from studio.cli import app

CASES = Path(__file__).parent / "spec_cases"
HELDOUT = Path(__file__).parent / "spec_cases_heldout"


@dataclass(frozen=True)
class SpecCase:
    name: str
    fountain: Path
    expected: dict


def spec_cases(folder: Path = CASES) -> list[SpecCase]:
    """Every case in `folder`, in the order of its number."""
    return [
        SpecCase(path.stem, path, json.loads(path.with_suffix(".json").read_text("utf-8")))
        for path in sorted(folder.glob("*.fountain"))
    ]


def parsed(path: Path) -> dict:
    """What `studio script parse PATH --json` prints, read back."""
    done = CliRunner().invoke(app, ["script", "parse", str(path), "--json"])
    if done.exit_code:
        raise AssertionError(f"studio script parse {path.name} failed: {done.output.strip()}")
    return json.loads(done.stdout)


def seen_runs(runs: list | None) -> list | None:
    """Runs as a reader sees them: styles sorted, same-styled neighbours joined, no empty run."""
    if runs is None:
        return None
    joined: list[list] = []
    for text, styles in runs:
        if not text:
            continue
        styles = sorted(styles)
        if joined and joined[-1][1] == styles:
            joined[-1][0] += text
        else:
            joined.append([text, styles])
    return joined


def mismatch(case: SpecCase, got: dict) -> str | None:
    """None when `got` is what the case expects, else what differs first."""
    expected = case.expected
    if "title_page" in expected and got["title_page"] != expected["title_page"]:
        return f"title page {got['title_page']!r}, expected {expected['title_page']!r}"
    elements = [e for e in got["elements"] if e["type"] != "title_page"]
    for index, want in enumerate(expected["elements"]):
        if index >= len(elements):
            return f"element {index} missing: expected {want!r}"
        have = {key: elements[index].get(key) for key in want}
        if "runs" in want:
            have["runs"] = seen_runs(have["runs"])
            want = dict(want, runs=seen_runs(want["runs"]))
        if have != want:
            return f"element {index} is {have!r}, expected {want!r}"
    if len(elements) > len(expected["elements"]):
        return f"extra elements: {elements[len(expected['elements']) :]!r}"
    return None


def run_cases(cases: list[SpecCase]) -> dict[str, str]:
    """The failing cases, each with what differs."""
    failures: dict[str, str] = {}
    for case in cases:
        problem = mismatch(case, parsed(case.fountain))
        if problem is not None:
            failures[case.name] = problem
    return failures
