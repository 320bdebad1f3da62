"""The breakdown: screenplay elements → scenes, shots, lines, characters, fingerprints."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.entities import Angle, Move, ShotSize
from studio.errors import InvalidInput
from studio.script.breakdown import (
    Breakdown,
    action_seconds,
    breakdown,
    line_seconds,
    parse_direction,
    parse_heading,
    split_character,
)
from studio.script.elements import Element, Screenplay

SAMPLE = Path(__file__).parents[3] / "projects" / "sample" / "script.fountain"


def script(*elements: tuple, title: str = "Test") -> Screenplay:
    """A screenplay from (type, text, {fields}) tuples, numbered two source lines apart."""
    built = []
    for index, item in enumerate(elements):
        kind, text, *rest = item
        fields = rest[0] if rest else {}
        built.append(Element(kind, text, start_line=2 * index + 1, **fields))
    return Screenplay({"Title": title}, built)


def H(text: str, number: str | None = None) -> tuple:  # noqa: N802 - reads like a script
    return ("scene_heading", text, {"scene_number": number} if number else {})


def A(text: str) -> tuple:  # noqa: N802
    return ("action", text)


def say(who: str, *lines: str, dual: str | None = None) -> list[tuple]:
    """A character and their dialogue; a line in parentheses is a parenthetical."""
    out: list[tuple] = [("character", who, {"dual": dual} if dual else {})]
    for line in lines:
        out.append(("parenthetical" if line.startswith("(") else "dialogue", line))
    return out


def flat(*parts) -> list[tuple]:
    out: list[tuple] = []
    for part in parts:
        out.extend(part if isinstance(part, list) else [part])
    return out


def bd(*parts, fps: int = 24) -> Breakdown:
    return breakdown(script(*flat(*parts)), fps=fps)


# --- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("INT. LIGHTHOUSE - NIGHT", ("INT", "LIGHTHOUSE", "NIGHT")),
        ("EXT BEACH -- DAY", ("EXT", "BEACH", "DAY")),
        ("INT./EXT. CAR - MOVING", ("INT./EXT.", "CAR - MOVING", "")),
        ("I/E CAR - MOMENTS LATER", ("INT./EXT.", "CAR", "MOMENTS LATER")),
        ("EST. HARBOUR TOWN - DAWN", ("EST", "HARBOUR TOWN", "DAWN")),
        ("int. house - kitchen - night", ("INT", "house - kitchen", "NIGHT")),
        ("INTERIOR DESIGN STUDIO", ("", "INTERIOR DESIGN STUDIO", "")),
        ("ROOFTOP", ("", "ROOFTOP", "")),
        ("EXT. FIELD - DAY #12A#", ("EXT", "FIELD", "DAY")),
    ],
)
def test_headings_split_into_int_ext_location_and_time(heading, expected):
    assert parse_heading(heading) == expected


# --- scenes and establishing shots --------------------------------------------------------------


def test_each_scene_opens_on_an_establishing_shot_wide_outside_and_in():
    result = bd(H("EXT. CLIFF - NIGHT"), A("Waves."), H("INT. HUT - DAY"), A("A kettle."))
    first, second = (scene.shots[0] for scene in result.scenes)
    assert (first.origin, first.size, first.duration) == ("establishing", ShotSize.EXTREME_WIDE, 3)
    assert (second.origin, second.size, second.duration_frames) == ("establishing", "WS", 72)
    assert [s.origin for s in result.shots].count("establishing") == 2


def test_an_opening_wide_direction_replaces_the_automatic_establishing_shot():
    result = bd(H("EXT. CLIFF - NIGHT"), A("ESTABLISHING -- The cliff, black on black."))
    assert [(s.origin, s.size) for s in result.shots] == [("direction", ShotSize.EXTREME_WIDE)]
    assert result.shots[0].description == "ESTABLISHING -- The cliff, black on black."
    assert result.shots[0].prompt == "The cliff, black on black."


def test_scene_numbers_come_from_the_script_or_from_order():
    result = bd(H("INT. A - DAY", "7B"), A("x."), H("INT. B - DAY"), A("y."))
    assert [s.number for s in result.scenes] == ["7B", "2"]


def test_synopsis_and_transition_belong_to_the_scene_and_make_no_shots():
    result = bd(
        H("INT. A - DAY"),
        ("synopsis", "She finds the letter."),
        A("The letter."),
        ("transition", "CUT TO:"),
        H("EXT. B - NIGHT"),
        A("Rain."),
        ("transition", "DISSOLVE TO:"),
    )
    first, second = result.scenes
    assert first.synopsis == "She finds the letter."
    assert (first.transition_after, second.transition_after) == ("CUT TO:", "DISSOLVE TO:")
    assert all("CUT TO" not in shot.description for shot in result.shots)
    assert len(result.shots) == 4


def test_empty_screenplay_has_no_scenes():
    result = breakdown(Screenplay(None, []))
    assert (result.title, result.scenes, result.characters) == ("", [], [])


def test_dialogue_before_any_heading_makes_an_implicit_prologue():
    result = bd(A("FADE IN:"), say("MAYA", "Where am I?"), H("INT. ROOM - DAY"), A("A room."))
    prologue = result.scenes[0]
    assert (prologue.heading, prologue.int_ext, prologue.implicit) == ("PROLOGUE", "", True)
    assert [s.origin for s in prologue.shots] == ["coverage"]
    assert prologue.lines[0].text == "Where am I?"
    assert "FADE IN" not in " ".join(s.description for s in result.shots)


def test_fade_in_before_the_first_heading_makes_no_prologue():
    result = bd(A("FADE IN:"), H("INT. ROOM - DAY"), A("A room."), A("FADE OUT."))
    assert [s.heading for s in result.scenes] == ["INT. ROOM - DAY"]
    assert result.scenes[0].transition_after == "FADE OUT."
    assert len(result.shots) == 2


def test_a_scene_without_dialogue_has_shots_and_no_lines():
    result = bd(H("EXT. DESERT - DAY"), A("Sand."), A("More sand, as far as the eye can see."))
    scene = result.scenes[0]
    assert scene.lines == []
    assert [s.origin for s in scene.shots] == ["establishing", "action", "action"]


# --- action beats -------------------------------------------------------------------------------


def test_each_action_paragraph_is_a_beat_and_a_very_long_one_splits_at_sentences():
    sentences = [f"Sentence number {i} describes one more thing in the room." for i in range(8)]
    result = bd(H("INT. ROOM - DAY"), A("Short beat."), A(" ".join(sentences)))
    shots = result.shots[1:]
    assert shots[0].description == "Short beat."
    assert len(shots) >= 3
    assert all(s.description.startswith("Sentence number") for s in shots[1:])
    assert " ".join(s.description for s in shots[1:]) == " ".join(sentences)
    assert len({s.fingerprint for s in shots}) == len(shots)


def test_action_duration_grows_with_length_and_is_clamped():
    assert action_seconds("Go.") == 2
    assert action_seconds("x" * 54) == 4
    assert action_seconds("x" * 1000) == 8
    result = bd(H("INT. ROOM - DAY"), A("x" * 54))
    assert result.shots[1].duration == 4 and result.shots[1].duration_frames == 96


def test_characters_named_in_action_are_in_the_shot_case_insensitive_whole_words():
    result = bd(
        H("INT. ROOM - DAY"),
        A("maya hands Tom a cup. The Mayan calendar falls."),
        A("The Mayan calendar hangs on the wall."),
        say("MAYA", "Tea?"),
        say("TOM", "Always."),
    )
    first, second = result.shots[1], result.shots[2]
    assert first.characters == ["MAYA", "TOM"]
    assert second.characters == []


@pytest.mark.parametrize(
    ("text", "size", "angle", "move", "origin", "rest"),
    [
        ("CLOSE ON: the lamp.", "CU", "eye", "static", "direction", "the lamp."),
        ("CLOSE UP -- Her hands.", "CU", "eye", "static", "direction", "Her hands."),
        ("CU the key.", "CU", "eye", "static", "direction", "the key."),
        ("EXTREME CLOSE UP -- An eye opens.", "ECU", "eye", "static", "direction", "An eye opens."),
        ("ECU: the match.", "ECU", "eye", "static", "direction", "the match."),
        ("ANGLE ON the door.", "MS", "eye", "static", "direction", "the door."),
        ("WIDE SHOT -- The bay.", "WS", "eye", "static", "direction", "The bay."),
        ("WIDE ON the harbour.", "WS", "eye", "static", "direction", "the harbour."),
        ("ESTABLISHING: The town.", "EWS", "eye", "static", "direction", "The town."),
        ("MAYA'S POV -- The sea.", None, "pov", "static", "direction", "The sea."),
        ("POV: a gull.", None, "pov", "static", "direction", "a gull."),
        ("INSERT -- The letter.", "INSERT", "eye", "static", "insert", "The letter."),
        ("TRACKING SHOT -- She runs.", None, "eye", "tracking", "direction", "She runs."),
        ("TRACKING with the dog.", None, "eye", "tracking", "direction", "the dog."),
        ("PUSH IN on the window.", None, "eye", "push_in", "direction", "the window."),
        ("DOLLY IN: the bed.", None, "eye", "push_in", "direction", "the bed."),
        ("PULL BACK to reveal the sea.", None, "eye", "pull_out", "direction", "reveal the sea."),
        ("PULL OUT -- The city.", None, "eye", "pull_out", "direction", "The city."),
        ("PAN across the shelves.", None, "eye", "pan_right", "direction", "the shelves."),
        ("PAN LEFT to the door.", None, "eye", "pan_left", "direction", "the door."),
        ("TILT up the tower.", None, "eye", "tilt_up", "direction", "up the tower."),
        ("TILT DOWN to the floor.", None, "eye", "tilt_down", "direction", "the floor."),
        ("HANDHELD -- Chaos.", None, "eye", "handheld", "direction", "Chaos."),
        ("AERIAL SHOT -- The island.", None, "overhead", "static", "direction", "The island."),
        ("OVERHEAD: the table.", None, "overhead", "static", "direction", "the table."),
        ("BIRD'S EYE VIEW of the maze.", None, "overhead", "static", "direction", "the maze."),
        ("LOW ANGLE on the tower.", None, "low", "static", "direction", "the tower."),
        ("HIGH ANGLE -- The crowd.", None, "high", "static", "direction", "The crowd."),
        ("LOW ANGLE TRACKING SHOT: A runner.", None, "low", "tracking", "direction", "A runner."),
        ("PULL BACK, WIDE SHOT -- The bay.", "WS", "eye", "pull_out", "direction", "The bay."),
    ],
)
def test_camera_directions_at_the_start_of_a_paragraph(text, size, angle, move, origin, rest):
    shot = bd(H("EXT. SEA - DAY"), A(text)).shots[-1]
    assert (shot.angle, shot.movement, shot.origin) == (angle, move, origin)
    assert shot.description == text  # the caption keeps the direction as written
    assert shot.prompt == rest  # the picture's prompt is what the shot shows
    if size:
        assert shot.size == size


@pytest.mark.parametrize(
    "text",
    [
        "She turns, and we CLOSE ON her face.",  # mid-paragraph
        "close on the lamp, she whispers.",  # not in caps
        "CUT the rope, he says.",  # CU must not match CUT
        "PANIC in the street.",  # PAN must not match PANIC
        "INSERTING the key, she waits.",
    ],
)
def test_words_that_only_look_like_directions_make_an_action_shot(text):
    shot = bd(H("INT. ROOM - DAY"), A(text)).shots[-1]
    assert (shot.origin, shot.description) == ("action", text)


def test_a_move_written_mid_paragraph_sets_the_movement_but_not_a_direction_shot():
    shot = bd(H("INT. ROOM - DAY"), A("She turns, and we PUSH IN on her face.")).shots[-1]
    assert (shot.origin, shot.movement) == ("action", Move.PUSH_IN)
    assert shot.description == "She turns, and we PUSH IN on her face."


def test_parse_direction_reports_the_words_it_stripped():
    found = parse_direction("LOW ANGLE -- The tower.")
    assert (found.words, found.angle, found.rest) == ("LOW ANGLE", Angle.LOW, "The tower.")


def test_lens_follows_shot_size():
    result = bd(H("EXT. SEA - DAY"), A("CLOSE ON: a shell."), A("WIDE SHOT -- The sea."))
    lenses = {shot.size: shot.lens for shot in result.shots}
    assert lenses[ShotSize.EXTREME_WIDE] < lenses[ShotSize.WIDE] < lenses[ShotSize.CLOSE]


# --- dialogue and coverage ----------------------------------------------------------------------


def _covered_once(result: Breakdown) -> None:
    for scene in result.scenes:
        for line in scene.lines:
            assert 0 <= line.shot_index < len(scene.shots)


def test_character_extensions_and_contd_normalise_to_one_person():
    assert split_character("MAYA (V.O.) (CONT'D)") == ("MAYA", "V.O.")
    assert split_character("maya  (cont’d)") == ("MAYA", "")
    assert split_character("Dr.  Ruiz (o.s.)") == ("DR. RUIZ", "O.S.")
    result = bd(
        H("INT. ROOM - DAY"),
        say("MAYA (V.O.)", "I remember."),
        A("A photo."),
        say("MAYA", "This one."),
        say("MAYA (CONT'D)", "And this."),
    )
    assert [c.name for c in result.characters] == ["MAYA"]
    assert [line.extension for line in result.lines] == ["V.O.", "", ""]
    assert result.characters[0].line_count == 3


def test_alternating_speakers_get_a_two_shot_then_singles():
    result = bd(
        H("INT. KITCHEN - NIGHT"),
        say("MAYA", "Did you feed the cat this morning before you left?"),
        say("TOM", "Which cat?"),
        say("MAYA", "We have one cat, Tom, and you know exactly which one I mean."),
        say("TOM", "Oh. That cat."),
    )
    coverage = result.shots[1:]
    assert [s.size for s in coverage] == ["MS", "CU", "MCU", "CU"]
    assert coverage[0].characters == ["MAYA", "TOM"]
    assert [s.characters for s in coverage[1:]] == [["TOM"], ["MAYA"], ["TOM"]]
    assert [line.shot_index for line in result.lines] == [1, 2, 3, 4]
    assert all(s.origin == "coverage" for s in coverage)


def test_a_speaker_who_continues_stays_in_the_same_shot():
    result = bd(
        H("INT. KITCHEN - NIGHT"),
        say("MAYA", "One.", "(beat)", "Two."),
        say("MAYA (CONT'D)", "Three."),
    )
    assert len(result.shots) == 2
    assert [line.text for line in result.lines] == ["One.", "Two.", "Three."]
    assert {line.shot_index for line in result.lines} == {1}
    assert result.lines[1].parenthetical == "(beat)"


def test_a_short_exchange_is_one_two_shot():
    result = bd(H("EXT. PIER - DAY"), say("MAYA", "Ready?"), say("TOM", "No."))
    assert len(result.shots) == 2 and result.shots[1].size == ShotSize.MEDIUM
    assert result.shots[1].characters == ["MAYA", "TOM"]
    _covered_once(result)


def test_dual_dialogue_puts_both_characters_in_one_two_shot():
    result = bd(
        H("INT. CAR - NIGHT"),
        A("MAYA sits on the right."),
        say("TOM", "Look out!", dual="left"),
        say("MAYA", "I see it!", dual="right"),
    )
    two_shot = result.shots[-1]
    assert two_shot.characters == ["TOM", "MAYA"] and two_shot.size == ShotSize.MEDIUM
    assert two_shot.blocking["TOM"] < two_shot.blocking["MAYA"]
    assert [line.dual for line in result.lines] == ["left", "right"]
    assert {line.shot_index for line in result.lines} == {len(result.scenes[0].shots) - 1}


def test_voice_over_plays_over_the_previous_shot_and_lengthens_it():
    narration = "I was nine the summer the light went out, and nobody told me why."
    result = bd(H("EXT. SHORE - DAY"), A("A boy runs."), say("MAYA (V.O.)", narration))
    shots = result.shots
    assert len(shots) == 2
    assert result.lines[0].shot_index == 1
    assert shots[1].characters == []  # the narrator is heard, not seen
    assert shots[1].duration == Fraction(shots[1].duration_frames, 24)
    assert shots[1].duration >= line_seconds(narration) > action_seconds("A boy runs.")


def test_off_screen_line_in_an_exchange_joins_the_shot_it_is_heard_over():
    result = bd(
        H("INT. HALL - DAY"),
        say("MAYA", "Hello?"),
        say("TOM (O.S.)", "Up here!"),
        say("MAYA", "Where?"),
        say("TOM", "Here."),
    )
    assert result.shots[1].characters == ["MAYA", "TOM"]
    tom_os = result.lines[1]
    assert tom_os.extension == "O.S." and tom_os.shot_index == 1
    _covered_once(result)


def test_dialogue_text_drops_emphasis_notes_and_boneyard():
    result = bd(
        H("INT. ROOM - DAY"),
        say("MAYA", "I *really* **mean** _it_ [[say it softly]] /* cut this */ now."),
    )
    assert result.lines[0].text == "I really mean it now."


def test_line_duration_uses_words_per_second_pad_and_pauses():
    assert line_seconds("one two three four five") == 2 + Fraction(3, 10)
    assert line_seconds("one", "(beat)") == Fraction(2, 5) + Fraction(3, 10) + 1
    assert line_seconds("one", "(long pause)") == Fraction(2, 5) + Fraction(3, 10) + Fraction(5, 2)
    assert line_seconds("one", "(whispering)") == Fraction(7, 10)


def test_durations_are_at_least_one_second_and_whole_frames():
    result = bd(H("INT. ROOM - DAY"), say("MAYA", "Hi."), fps=25)
    shot = result.shots[1]
    assert shot.duration_frames == 25 and shot.duration == 1
    with pytest.raises(InvalidInput):
        breakdown(Screenplay(None, []), fps=0)


def test_lines_are_ordered_through_the_whole_script():
    result = bd(
        H("INT. A - DAY"), say("MAYA", "One."), H("INT. B - DAY"), say("TOM", "Two.", "Three.")
    )
    assert [line.order for line in result.lines] == [0, 1, 2]
    assert [len(scene.lines) for scene in result.scenes] == [1, 2]


# --- blocking and characters --------------------------------------------------------------------


def test_blocking_spreads_in_order_of_appearance_and_honours_left_right_hints():
    spread = bd(
        H("INT. ROOM - DAY"),
        A("Maya, Tom and Ana sit down."),
        say("ANA", "So."),
        say("TOM", "So?"),
        say("MAYA", "So!"),
    )
    assert spread.shots[1].blocking == {"MAYA": 0.25, "TOM": 0.5, "ANA": 0.75}
    hinted = bd(
        H("INT. ROOM - DAY"),
        A("Maya and Tom sit down, Maya on the right."),
        say("MAYA", "So."),
        say("TOM", "So."),
    )
    assert hinted.shots[1].blocking["TOM"] < hinted.shots[1].blocking["MAYA"]
    assert hinted.shots[2].blocking["TOM"] < hinted.shots[2].blocking["MAYA"]


def test_characters_carry_counts_scenes_and_their_introduction():
    result = bd(
        H("INT. BOOTH - NIGHT"),
        A("MAYA (30s), a projectionist, threads the film."),
        say("MAYA", "Lights down."),
        H("EXT. STREET - NIGHT"),
        A("TOM runs past the posters. He is late."),
        say("TOM", "Wait for me!"),
        say("MAYA (O.S.)", "Never."),
    )
    maya, tom = result.characters
    assert (maya.name, maya.description) == ("MAYA", "(30s), a projectionist")
    assert (maya.line_count, maya.word_count, maya.scenes) == (2, 3, [0, 1])
    assert (tom.description, tom.scenes) == ("TOM runs past the posters", [1])


def test_shots_are_numbered_through_the_whole_film():
    result = bd(H("INT. A - DAY"), A("One."), H("INT. B - DAY"), A("Two."), A("Three."))
    assert [shot.number for shot in result.shots] == ["1", "2", "3", "4", "5"]


# --- fingerprints -------------------------------------------------------------------------------

BASE = [
    H("INT. LIGHTHOUSE - NIGHT", "1"),
    A("Oda climbs the stairs."),
    say("ODA", "Who is there?"),
    say("KIT", "Only me."),
    H("EXT. ROCKS - NIGHT", "2"),
    A("WIDE SHOT -- A boat in the fog."),
]


def _prints(result: Breakdown) -> list[list[str]]:
    return [
        [s.fingerprint for s in result.scenes],
        [s.fingerprint for s in result.shots],
        [line.fingerprint for line in result.lines],
    ]


def test_fingerprints_are_16_hex_and_stable_across_runs():
    first, second = _prints(bd(*BASE)), _prints(bd(*BASE))
    assert first == second
    every = [fp for group in first for fp in group]
    assert all(len(fp) == 16 and int(fp, 16) >= 0 for fp in every)
    assert len(set(first[1])) == len(first[1])


def test_fingerprints_survive_renumbering_and_whitespace_changes():
    edited = [
        H("INT.  LIGHTHOUSE  -  NIGHT", "10A"),
        A("Oda  climbs\nthe stairs."),
        say("ODA (CONT'D)", "Who   is there?"),
        say("KIT", " Only me. "),
        H("EXT. ROCKS - NIGHT", "11"),
        A("WIDE SHOT -- A boat in the fog."),
    ]
    assert _prints(bd(*edited)) == _prints(bd(*BASE))


def test_fingerprints_change_with_the_text_and_only_where_it_changed():
    edited = list(BASE)
    edited[1] = A("Oda runs up the stairs.")
    before, after = _prints(bd(*BASE)), _prints(bd(*edited))
    assert before[0] == after[0]  # scenes unchanged
    assert before[2] == after[2]  # lines unchanged
    changed = [i for i, (a, b) in enumerate(zip(before[1], after[1], strict=True)) if a != b]
    assert changed == [1]


def test_line_fingerprint_depends_on_character_and_text_but_not_case():
    base = bd(H("INT. A - DAY"), say("ODA", "Who is there?")).lines[0].fingerprint
    assert bd(H("INT. A - DAY"), say("oda", "WHO IS THERE?")).lines[0].fingerprint == base
    assert bd(H("INT. A - DAY"), say("KIT", "Who is there?")).lines[0].fingerprint != base
    assert bd(H("INT. A - DAY"), say("ODA", "Who is here?")).lines[0].fingerprint != base


def test_scene_fingerprint_is_int_ext_and_location():
    def fp(heading: str) -> str:
        return bd(H(heading), A("x.")).scenes[0].fingerprint

    assert fp("INT. HUT - NIGHT") == fp("int. hut - NIGHT")
    assert fp("INT. HUT - NIGHT") != fp("EXT. HUT - NIGHT")
    assert fp("INT. HUT - NIGHT") != fp("INT. SHED - NIGHT")


def test_coverage_fingerprint_follows_its_lines():
    one = bd(H("INT. A - DAY"), say("ODA", "Hi."), say("KIT", "Hey.")).shots[1].fingerprint
    two = bd(H("INT. A - DAY"), say("ODA", "Hi."), say("KIT", "Hello.")).shots[1].fingerprint
    assert one != two


def test_inserting_a_scene_leaves_the_other_scenes_fingerprints_alone():
    before = bd(*BASE)
    inserted = bd(*BASE[:4], H("INT. STAIRS - NIGHT", "1A"), A("Steps."), *BASE[4:])
    old = {s.fingerprint for s in before.shots} | {line.fingerprint for line in before.lines}
    new = {s.fingerprint for s in inserted.shots} | {line.fingerprint for line in inserted.lines}
    assert old < new


# --- properties and the sample ------------------------------------------------------------------

_element = st.one_of(
    st.builds(lambda t: A(t), st.text("abc MAYA.CLOSE ON:-", min_size=1, max_size=80)),
    st.builds(
        lambda w, t: say(w, t),
        st.sampled_from(["MAYA", "TOM (V.O.)", "ANA (CONT'D)"]),
        st.text("hi there.", min_size=1, max_size=40),
    ),
    st.builds(lambda t: H(t), st.sampled_from(["INT. A - DAY", "EXT. B - NIGHT", "C"])),
    st.just(("transition", "CUT TO:")),
    st.just(("parenthetical", "(beat)")),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_element, max_size=14))
def test_any_script_covers_every_line_once_with_whole_frame_durations(parts):
    result = breakdown(script(*flat(*parts)))
    _covered_once(result)
    for shot in result.shots:
        assert shot.duration_frames >= 24 and shot.duration == Fraction(shot.duration_frames, 24)
    assert [line.order for line in result.lines] == list(range(len(result.lines)))
    assert [shot.number for shot in result.shots] == [str(i + 1) for i in range(len(result.shots))]


def test_the_sample_screenplay_breaks_down_into_a_micro_film():
    fountain = pytest.importorskip("studio.script.fountain")
    result = breakdown(fountain.parse(SAMPLE.read_text(encoding="utf-8")))
    assert result.title == "THE LAST LAMP"
    assert 3 <= len(result.scenes) <= 4
    assert {"INT", "EXT"} <= {s.int_ext for s in result.scenes}
    assert {"NIGHT"} <= {s.time_of_day for s in result.scenes}
    assert {"DUSK", "DAWN"} & {s.time_of_day for s in result.scenes}
    assert 30 <= len(result.shots) <= 45
    assert 120 <= result.duration <= 180
    assert len(result.lines) < 45 and len(result.characters) >= 3
    assert all(c.line_count for c in result.characters)
    assert any(line.parenthetical for line in result.lines)
    assert {"left", "right"} <= {line.dual for line in result.lines}
    assert {"CUT TO:", "DISSOLVE TO:"} & {s.transition_after for s in result.scenes}
    origins = {shot.origin for shot in result.shots}
    assert origins == {"establishing", "action", "coverage", "direction", "insert"}
    moves = {shot.movement for shot in result.shots}
    assert {Move.PUSH_IN, Move.TRACKING, Move.PULL_OUT} <= moves
    _covered_once(result)


def test_time_of_day_changes_the_establishing_shot_but_not_the_scene():
    night = bd(H("EXT. PIER - NIGHT"), A("Rain."))
    day = bd(H("EXT. PIER - DAY"), A("Rain."))
    assert night.scenes[0].fingerprint == day.scenes[0].fingerprint
    assert night.shots[0].fingerprint != day.shots[0].fingerprint
    assert night.shots[1].fingerprint == day.shots[1].fingerprint


def test_a_character_cue_without_a_name_still_covers_its_line():
    result = bd(H("INT. A - DAY"), say("(V.O.)", "Who said that?"))
    assert [(line.character, line.extension) for line in result.lines] == [("UNKNOWN", "V.O.")]
    assert [c.name for c in result.characters] == ["UNKNOWN"]
    _covered_once(result)


def test_scenes_know_their_element_range_and_source_lines():
    result = bd(A("FADE IN:"), H("INT. A - DAY"), A("One."), H("INT. B - DAY"), A("Two."))
    assert [s.element_range for s in result.scenes] == [(1, 3), (3, 5)]
    assert [s.start_line for s in result.scenes] == [3, 7]
    assert [(s.start_line, s.end_line) for s in result.shots if s.origin == "action"] == [
        (5, 5),
        (9, 9),
    ]
