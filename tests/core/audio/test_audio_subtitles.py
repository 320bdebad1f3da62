"""Subtitles checked by parsing the SRT with the independent `srt` library."""

from __future__ import annotations

import re

import pytest
import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.audio.subtitles import Cue, break_lines, make_cues, split_text, to_srt, to_vtt
from studio.errors import InvalidInput

GAP = 2 / 24  # two frames at 24 fps
SCENE = [
    (0.5, 0.9, "Hi.", "ANNA"),
    (1.2, 2.4, "Where were you last night?", "BEN"),
    (
        2.9,
        9.5,
        "I told you already. The car was gone when I came back, and so were you, and nobody "
        "at the station would tell me anything; not the guard, not the clerk: nobody at all.",
        "ANNA",
    ),
    (12.5, 12.8, "Fine.", "BEN"),
    (14.0, 14.3, "Wait!", "ANNA"),
]


def parsed(cues: list[Cue]) -> list[srt.Subtitle]:
    return list(srt.parse(to_srt(cues)))


def seconds(delta) -> float:
    return delta.total_seconds()


def assert_rules(subtitles: list[srt.Subtitle], check_timing: bool = True) -> None:
    for sub in subtitles:
        lines = sub.content.split("\n")
        assert 1 <= len(lines) <= 2, sub.content
        assert all(0 < len(line) <= 42 for line in lines), sub.content
        assert seconds(sub.end) > seconds(sub.start)
        if check_timing:
            duration = seconds(sub.end - sub.start)
            assert duration >= 1.0, sub
            assert len(sub.content) / duration <= 20.0, sub  # a line break counts
    for before, after in zip(subtitles, subtitles[1:], strict=False):
        assert seconds(after.start - before.end) >= GAP - 0.0005, (before, after)


def test_a_scene_obeys_every_rule():
    subtitles = parsed(make_cues(SCENE))
    assert_rules(subtitles)
    assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1))
    text = " ".join(s.content.replace("\n", " ") for s in subtitles)
    assert text == " ".join(line[2] for line in SCENE)


def test_a_long_line_is_split_at_sentences_then_clauses_in_proportion():
    subtitles = parsed(make_cues([SCENE[2]]))
    assert len(subtitles) >= 3
    assert all(re.search(r"[.,;:]$", s.content) for s in subtitles)
    durations = [seconds(s.end - s.start) for s in subtitles]
    lengths = [len(s.content) for s in subtitles]
    assert durations.index(max(durations)) == lengths.index(max(lengths))
    assert seconds(subtitles[0].start) == pytest.approx(2.9, abs=0.001)


def test_a_short_cue_stays_a_second_and_never_overlaps_the_next():
    subtitles = parsed(make_cues([(1.0, 1.2, "Go.", ""), (2.0, 3.0, "Now.", "")]))
    assert seconds(subtitles[0].start) == pytest.approx(1.0 - (1.0 - (2.0 - GAP - 1.0)), abs=0.002)
    assert seconds(subtitles[0].end) <= 2.0 - GAP + 0.0005
    assert_rules(subtitles)


def test_a_cue_takes_the_silence_after_it_first():
    subtitles = parsed(make_cues([(1.0, 1.2, "Go.", ""), (5.0, 6.0, "Now.", "")]))
    assert (seconds(subtitles[0].start), seconds(subtitles[0].end)) == (1.0, 2.0)


def test_a_fast_line_is_slowed_to_twenty_characters_a_second():
    text = "You never listen to a single word I say to you."
    subtitles = parsed(make_cues([(0.0, 1.0, text, "")]))
    assert seconds(subtitles[0].end) == pytest.approx(len(text) / 20, abs=0.001)


def test_two_lines_are_balanced():
    lines = break_lines("The car was gone when I came back, and so were you.")
    assert lines is not None and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 12
    assert break_lines("Short.") == ["Short."]


def test_a_word_longer_than_a_line_is_cut():
    pieces = split_text("Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-words")
    assert len(pieces) == 1 and break_lines(pieces[0]) is not None


def test_speaker_names_prefix_every_cue_of_the_line():
    subtitles = parsed(make_cues(SCENE, speaker_names=True))
    assert subtitles[0].content == "ANNA: Hi."
    ben = [s for s in subtitles if s.content.startswith("BEN: ")]
    assert len(ben) == 2
    assert sum(s.content.startswith("ANNA: ") for s in subtitles) >= 4
    assert_rules(subtitles)


def test_webvtt_has_its_header_and_dotted_times():
    vtt = to_vtt(make_cues([(61.25, 63.0, "Tom & Jerry <3", "")]))
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:01:01.250 --> 00:01:03.000\nTom &amp; Jerry &lt;3\n" in vtt


def test_srt_times_are_hours_minutes_seconds_and_milliseconds():
    srt_text = to_srt([Cue(3723.5, 3725.0, "Late.")])
    assert srt_text == "1\n01:02:03,500 --> 01:02:05,000\nLate.\n"


def test_bad_times_are_refused():
    with pytest.raises(InvalidInput, match="line 1"):
        make_cues([(2.0, 1.0, "Backwards.", "")])


words = st.sampled_from(
    "the car was gone when I came back and so were you, nobody told me anything. "
    "listen; wait: extraordinary circumstances demand it! why?".split()
)


@st.composite
def scripts(draw):
    """Lines with enough silence around them that every rule can be met."""
    at, lines = 0.0, []
    for _ in range(draw(st.integers(1, 6))):
        text = " ".join(draw(st.lists(words, min_size=1, max_size=30)))
        need = max(1.0, len(text) / 20 * 1.25) + 0.2 * (len(text) // 84 + 1)
        spoken = draw(st.floats(0.1, 1.0)) * need
        lines.append((at, at + spoken, text, draw(st.sampled_from(["ANNA", "BEN"]))))
        at += need + draw(st.floats(0.1, 3.0))
    return lines


@settings(max_examples=60, deadline=None)
@given(scripts(), st.booleans())
def test_any_script_with_room_obeys_the_rules(lines, names):
    subtitles = parsed(make_cues(lines, speaker_names=names))
    assert_rules(subtitles)
    for sub in subtitles:
        assert seconds(sub.start) >= 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 30), st.floats(0, 3), st.lists(words, min_size=1, max_size=25)),
        max_size=8,
    )
)
def test_crowded_lines_never_overlap_and_keep_the_line_rules(raw):
    lines = [(start, start + length, " ".join(text), "") for start, length, text in raw]
    subtitles = parsed(make_cues(lines))
    assert_rules(subtitles, check_timing=False)
    assert all(seconds(s.end - s.start) >= 0.5 - 0.0005 for s in subtitles)
