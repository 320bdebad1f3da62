"""Our Fountain spec cases through `studio script parse --json`: the pass rate, and every case."""

from __future__ import annotations

from tests.core.script.spec_runner import HELDOUT, SpecCase, mismatch, run_cases, spec_cases


def test_every_spec_case_passes() -> None:
    cases = spec_cases()
    assert len(cases) >= 80
    failures = run_cases(cases)
    rate = 100 * (len(cases) - len(failures)) / len(cases)
    print(f"Fountain spec cases: {len(cases) - len(failures)}/{len(cases)} pass ({rate:.1f}%)")
    assert not failures, "\n".join(f"{name}: {why}" for name, why in failures.items())


def test_every_held_out_case_passes() -> None:
    cases = spec_cases(HELDOUT)
    assert len(cases) >= 70
    failures = run_cases(cases)
    rate = 100 * (len(cases) - len(failures)) / len(cases)
    print(f"Held-out Fountain cases: {len(cases) - len(failures)}/{len(cases)} pass ({rate:.1f}%)")
    assert not failures, "\n".join(f"{name}: {why}" for name, why in failures.items())


def test_runs_are_compared_as_seen() -> None:
    case = next(case for case in spec_cases(HELDOUT) if case.name.endswith("em-underline-bold"))
    split = [["BRICK & ", ["u", "b"]], ["STEEL", ["b", "u"]], ["", []]]
    got = {
        "title_page": None,
        "elements": [
            {"type": "scene_heading", "text": "INT. ROOM - DAY"},
            {"type": "action", "text": "_**BRICK & STEEL**_", "runs": split},
        ],
    }
    assert mismatch(case, got) is None
    got["elements"][1]["runs"] = [["BRICK & STEEL", ["b"]]]
    assert mismatch(case, got) is not None  # the underline is lost


def test_a_wrong_expectation_is_caught() -> None:
    case = next(case for case in spec_cases() if case.name.endswith("heading-i-dot-slash-e-dot"))
    wrong = dict(case.expected, elements=[{"type": "action", "text": "I./E. TRUCK - NIGHT"}])
    got = {"title_page": None, "elements": [{"type": "scene_heading", "text": "I./E. TRUCK"}]}
    assert mismatch(SpecCase(case.name, case.fountain, wrong), got) is not None
    assert mismatch(case, got) is not None  # the text differs too
