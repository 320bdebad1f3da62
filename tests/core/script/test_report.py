"""The script report: printed lines, pages, runtimes, scenes, characters, balance, speeches."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from studio.script.elements import Element, Screenplay
from studio.script.report import eighths_text, script_report, wrapped_lines

SAMPLE = Path(__file__).parents[3] / "projects" / "sample" / "script.fountain"
WORDS = "the old keeper climbs slowly toward a lamp that has burned for forty years".split()


def words(count: int, offset: int = 0) -> str:
    return " ".join(WORDS[(offset + i) % len(WORDS)] for i in range(count))


def sp(*elements: tuple, title: str = "Report Test") -> Screenplay:
    return Screenplay(
        {"Title": title},
        [Element(kind, text, start_line=i + 1, **(rest[0] if rest else {}))
         for i, (kind, text, *rest) in enumerate(elements)],
    )  # fmt: skip


def generated(scenes: int) -> Screenplay:
    """A long, plausible screenplay: headings, action, a four-person exchange per scene."""
    people = ["ODA", "KIT", "COURIER-7", "DAD"]
    items: list[tuple] = []
    for n in range(scenes):
        items.append(("scene_heading", f"{'INT' if n % 2 else 'EXT'}. PLACE {n % 7} - NIGHT"))
        items.append(("action", words(30, n) + ". " + words(20, n + 3) + "."))
        items.append(("action", f"{people[n % 4]} turns. " + words(12, n) + "."))
        for turn in range(6):
            items.append(("character", people[(n + turn) % 4]))
            if turn % 3 == 0:
                items.append(("parenthetical", "(beat)"))
            items.append(("dialogue", words(8 + (n * 7 + turn * 5) % 25, turn) + "."))
        items.append(("transition", "CUT TO:"))
    return sp(*items)


def test_wrapped_lines_counts_like_a_typewriter():
    assert wrapped_lines("", 35) == 1
    assert wrapped_lines("x" * 35, 35) == 1
    assert wrapped_lines("x" * 30 + " " + "y" * 4, 35) == 1
    assert wrapped_lines("x" * 30 + " " + "y" * 5, 35) == 2
    assert wrapped_lines("x" * 80, 35) == 3
    assert wrapped_lines("one\ntwo\n\nfour", 35) == 4


def test_eighths_read_like_a_call_sheet():
    assert [eighths_text(n) for n in (1, 4, 8, 11, 16)] == ["1/8", "4/8", "1", "1 3/8", "2"]


def test_printed_lines_follow_screenplay_spacing():
    report = script_report(
        sp(
            ("scene_heading", "INT. HUT - NIGHT"),  # 1 line, top of the page
            ("action", "x " * 80),  # blank + 3 lines at 61 characters
            ("character", "ODA"),  # blank + 1
            ("parenthetical", "(quietly, to nobody in particular at all)"),  # 2 lines at 26
            ("dialogue", words(8)),  # 2 lines at 35
            ("note", "not printed"),
            ("synopsis", "not printed either"),
        )
    )
    assert report.printed_lines == 1 + 4 + 2 + 2 + 2
    assert report.page_count == 0.25  # 11/55 of a page, to the nearest eighth
    assert report.scenes[0].eighths == 2 and report.scenes[0].length == "2/8"


def test_pages_and_the_page_a_minute_runtime():
    report = script_report(sp(*[("action", "x")] * 56))  # 1 + 27 × 2 lines a page
    assert report.printed_lines == 1 + 2 * 55
    assert report.page_count == 2.0
    assert report.runtime_pages_s == 120.0


def test_an_element_that_does_not_fit_moves_to_the_next_page_and_page_breaks_force_one():
    filled = [("action", "x")] + [("character", "ODA")] * 27  # 1 + 27 × 2 = 55 lines
    report = script_report(sp(*filled, ("page_break", ""), ("action", "y")))
    assert report.page_count == 1.0  # one line on page two (its blank dropped): under an eighth
    assert report.runtime_pages_s == round((1 + 1 / 55) * 60, 1)


def test_dual_dialogue_prints_side_by_side_as_tall_as_its_taller_column():
    def lines(*items: tuple) -> int:
        return script_report(sp(*items)).printed_lines

    long, short = words(30), words(6)  # 5 lines and 1 line at 35 characters
    alone = lines(("character", "ODA"), ("dialogue", long))
    assert alone == 1 + 5
    left_long = lines(
        ("character", "ODA", {"dual": "left"}),
        ("dialogue", long),
        ("character", "KIT", {"dual": "right"}),
        ("dialogue", short),
    )
    right_long = lines(
        ("character", "ODA", {"dual": "left"}),
        ("dialogue", short),
        ("character", "KIT", {"dual": "right"}),
        ("dialogue", long),
    )
    assert left_long == right_long == alone


def test_scenes_characters_and_balance():
    report = script_report(
        sp(
            ("scene_heading", "EXT. CLIFF - DUSK", {"scene_number": "1"}),
            ("action", "Oda and Kit watch the sea."),  # 6 action words
            ("character", "ODA"),
            ("dialogue", "Storm coming."),
            ("character", "KIT (CONT'D)"),
            ("dialogue", "How do you know?"),
            ("scene_heading", "INT. LAMP ROOM - NIGHT", {"scene_number": "2"}),
            ("action", "Kit sleeps."),  # 2 action words
            ("character", "ODA (V.O.)"),
            ("dialogue", "I always know."),
        )
    )
    assert [(s.number, s.int_ext, s.time_of_day) for s in report.scenes] == [
        ("1", "EXT", "DUSK"),
        ("2", "INT", "NIGHT"),
    ]
    oda, kit = report.characters
    assert (oda.name, oda.lines, oda.words, oda.scenes) == ("ODA", 2, 5, ["1", "2"])
    assert (kit.name, kit.lines, kit.words, kit.scenes) == ("KIT", 1, 4, ["1"])
    assert (report.dialogue_words, report.action_words) == (9, 8)
    assert (report.dialogue_percent, report.action_percent) == (52.9, 47.1)
    assert [s.shots for s in report.scenes] == [3, 2]  # the V.O. plays over a shot
    assert report.shot_count == 5


def test_longest_speeches_are_whole_speeches_longest_first():
    report = script_report(
        sp(
            ("scene_heading", "INT. A - DAY"),
            ("character", "ODA"),
            ("dialogue", words(5)),
            ("parenthetical", "(beat)"),
            ("dialogue", words(5)),  # one speech of 10 words
            *[item for n in range(6) for item in [("character", f"P{n}"), ("dialogue", words(3))]],
            ("character", "KIT"),
            ("dialogue", words(12)),
        )
    )
    top = report.longest_speeches
    assert [(s.character, s.words) for s in top] == [
        ("KIT", 12), ("ODA", 10), ("P0", 3), ("P1", 3), ("P2", 3),
    ]  # fmt: skip
    assert top[0].first_words == words(8) + "…"
    assert top[0].scene == "1"


def test_json_and_text_forms():
    report = script_report(SAMPLE_SCRIPT())
    data = json.loads(json.dumps(report.to_json()))
    for key in (
        "title",
        "page_count",
        "runtime_pages_s",
        "runtime_breakdown_s",
        "scenes",
        "characters",
        "dialogue_percent",
        "action_percent",
        "longest_speeches",
    ):
        assert key in data  # fmt: skip
    assert data["scenes"][0]["length"]
    text = report.to_text()
    assert text.splitlines()[0] == report.title
    for header in ("SCENES", "CHARACTERS", "LONGEST SPEECHES", "Runtime:", "Pages:"):
        assert header in text
    for character in report.characters:
        assert character.name in text


def test_empty_screenplay_reports_zeros():
    report = script_report(Screenplay(None, []))
    assert (report.page_count, report.shot_count, report.scenes) == (0.0, 0, [])
    assert report.dialogue_percent == 0.0
    assert "(untitled)" in report.to_text()


def SAMPLE_SCRIPT() -> Screenplay:  # noqa: N802 - a fixture-like constant
    fountain = pytest.importorskip("studio.script.fountain")
    return fountain.parse(SAMPLE.read_text(encoding="utf-8"))


def test_the_sample_runs_two_to_three_minutes():
    report = script_report(SAMPLE_SCRIPT())
    assert 2 <= report.page_count <= 3.5
    assert 120 <= report.runtime_breakdown_s <= 180
    assert len(report.characters) >= 3


def test_a_feature_length_script_reports_in_well_under_a_second():
    script = generated(150)
    report = script_report(script)
    assert 100 <= report.page_count <= 160
    started = time.process_time()
    script_report(script)
    assert time.process_time() - started < 1.0
