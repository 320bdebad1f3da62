"""Shot prompts and turnaround prompts: parts, priorities, the token budget, no names."""

from __future__ import annotations

import pytest

from studio.domain.entities import Angle, CharacterSheet, Scene, Shot, ShotSize
from studio.script.prompts import (
    DEFAULT_NEGATIVE,
    TOKEN_BUDGET,
    TURNAROUND_VIEWS,
    TURNAROUND_WORDS,
    appearance,
    build_shot_prompt,
    estimate_tokens,
    label,
    light_words,
    turnaround_prompts,
    without_names,
)

MAYA = CharacterSheet("MAYA", appearance="a woman in her 30s with a red scarf", id=1)
TOM = CharacterSheet("TOM", description="(40s), a fisherman, grey beard, yellow oilskins", id=2)
NIGHT_OUT = Scene(0, "EXT. HARBOUR - NIGHT", "EXT", "HARBOUR", "NIGHT")
DAY_IN = Scene(1, "INT. KITCHEN - DAY", "INT", "KITCHEN", "DAY")


def shot(**fields) -> Shot:
    return Shot(scene_id=1, order=0, number="1", **fields)


def test_a_prompt_has_style_size_angle_subject_characters_setting_and_lens():
    result = build_shot_prompt(
        "cinematic storyboard, muted palette",
        NIGHT_OUT,
        shot(description="Maya waits by the boats.", size=ShotSize.CLOSE, angle=Angle.LOW, lens=85),
        [MAYA],
    )
    assert list(result.parts) == [
        "style", "size", "angle", "subject", "characters", "setting", "lens",
    ]  # fmt: skip
    assert result.parts["size"] == "close-up" and result.parts["angle"] == "low angle"
    assert "moonlight" in result.parts["setting"] and "harbour" in result.parts["setting"]
    assert "shallow depth of field" in result.parts["lens"]
    assert result.parts["characters"] == "a woman in her 30s with a red scarf"
    assert result.prompt.startswith("cinematic storyboard, muted palette, close-up, low angle")
    assert result.dropped == ()


def test_character_names_never_reach_the_prompt():
    result = build_shot_prompt(
        "noir",
        DAY_IN,
        shot(description="MAYA hands Tom's cup to tom. Maya smiles.", size=ShotSize.MEDIUM),
        [MAYA, TOM],
    )
    assert "maya" not in result.prompt.lower() and "tom" not in result.prompt.lower()
    assert "a woman in her 30s hands a fisherman's cup to a fisherman" in result.parts["subject"]
    assert "film noir" in result.parts["style"]


def test_an_introduction_in_the_subject_is_not_repeated():
    text = "TOM (40s), a fisherman, hauls a net."
    subject = without_names(text, {"TOM": label(TOM)})
    assert subject == "a fisherman, hauls a net."


def test_appearance_and_label_are_name_free():
    sheet = CharacterSheet("ODA", description="(70s), the keeper Oda, wiry, a wool cap")
    assert appearance(sheet) == "in their 70s, the keeper, wiry, a wool cap"
    assert label(sheet) == "the keeper"
    assert label(CharacterSheet("X")) == "a person"
    assert appearance(CharacterSheet("KIT", description="(10), a girl")) == "10 years old, a girl"


def test_the_prompt_stays_under_the_token_budget_dropping_low_priority_parts_first():
    long_text = " ".join(["The storm tears at the sails while gulls wheel overhead"] * 3)
    crowd = [
        CharacterSheet(f"P{i}", appearance=f"a sailor number {i} in a long blue coat and boots")
        for i in range(4)
    ]
    result = build_shot_prompt(
        "cinematic film still, anamorphic, film grain",
        NIGHT_OUT,
        shot(description=long_text, size=ShotSize.WIDE, angle=Angle.HIGH, lens=24),
        crowd,
    )
    assert estimate_tokens(result.prompt) <= TOKEN_BUDGET
    assert result.dropped[:2] == ("lens", "angle")
    assert "subject" in result.parts and "size" in result.parts


def test_a_subject_too_long_alone_is_cut_to_fit():
    result = build_shot_prompt("", DAY_IN, shot(description="word " * 200), [])
    assert estimate_tokens(result.prompt) <= TOKEN_BUDGET
    assert result.parts["subject"].startswith("word word")


def test_shot_prompt_wins_over_description():
    result = build_shot_prompt("", DAY_IN, shot(description="crew notes", prompt="a kettle"), [])
    assert result.parts["subject"] == "a kettle"


def test_negative_is_the_default_plus_the_shots_own_without_repeats():
    result = build_shot_prompt("", DAY_IN, shot(negative_prompt="people, text, rain"), [])
    assert result.negative.startswith(DEFAULT_NEGATIVE)
    assert result.negative.endswith("people, rain")
    assert result.negative.count("text") == 1
    for word in ("blurry", "deformed", "extra limbs", "watermark"):
        assert word in DEFAULT_NEGATIVE


def test_establishing_prompt_does_not_repeat_the_setting():
    result = build_shot_prompt(
        "", NIGHT_OUT, shot(prompt="exterior, harbour, night", size=ShotSize.EXTREME_WIDE), []
    )
    assert result.prompt.count("harbour") == 1 and result.prompt.count("night") == 1


@pytest.mark.parametrize(
    ("int_ext", "time", "light"),
    [
        ("EXT", "NIGHT", "night, moonlight"),
        ("INT", "NIGHT", "night, warm lamplight"),
        ("EXT", "DUSK", "dusk, golden hour"),
        ("EXT", "EARLY MORNING", "dawn, soft pink light"),
        ("INT", "CONTINUOUS", ""),
    ],
)
def test_time_of_day_becomes_light(int_ext, time, light):
    assert light_words(int_ext, time) == light


def test_estimate_tokens_is_words_times_1_3():
    assert estimate_tokens("") == 0
    assert estimate_tokens("one two three four five six seven eight nine ten") == 13


def test_turnarounds_give_three_views_of_the_same_look():
    views = turnaround_prompts("storyboard", TOM)
    assert len(views) == len(TURNAROUND_VIEWS) == 3
    for (prompt, negative), view in zip(views, TURNAROUND_VIEWS, strict=True):
        assert TURNAROUND_WORDS[view] in prompt
        assert "a fisherman, grey beard, yellow oilskins" in prompt
        assert "pencil sketch" in prompt and "TOM" not in prompt
        assert negative.startswith(DEFAULT_NEGATIVE) and "multiple people" in negative
    assert "front view" in views[0][0] and "profile" in views[2][0]
    assert len({prompt for prompt, _ in views}) == 3
