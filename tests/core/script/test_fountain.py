"""Fountain 1.1 block rules: each rule beside the neighbours that must not trigger it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.errors import InvalidInput
from studio.script.fountain import parse, parse_file

CORPUS = Path(__file__).parent / "corpus"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.text) for e in parse(text).elements]


# Title page


def test_title_page_keys_multiline_values_and_end_at_blank_line() -> None:
    sp = parse("Title:\n    Brick\n\tand Steel\nAuthor: Stu\nDraft date: today\n\nFADE IN:\n")
    assert sp.title_page == {"Title": "Brick\nand Steel", "Author": "Stu", "Draft date": "today"}
    assert sp.title == "Brick and Steel"
    assert [e.type for e in sp.elements] == ["title_page", "action"]
    assert (sp.elements[0].start_line, sp.elements[0].end_line) == (1, 5)


def test_title_page_only_at_the_very_start() -> None:
    sp = parse("Some action.\n\nTitle: Late\n")
    assert sp.title_page is None
    assert kinds("Some action.\n\nTitle: Late\n") == [
        ("action", "Some action."),
        ("action", "Title: Late"),
    ]


def test_block_with_a_non_key_line_is_not_a_title_page() -> None:
    sp = parse("Title: Inception\nadditional line\n\nINT. DREAM - DAY\n")
    assert sp.title_page is None
    assert sp.elements[0].type == "action"


def test_no_title_page_gives_null_in_json() -> None:
    assert parse("INT. HOUSE - DAY\n").to_json()["title_page"] is None


# Scene headings


@pytest.mark.parametrize(
    "line",
    [
        "INT. HOUSE - DAY",
        "EXT. GARDEN",
        "EST. CITY - NIGHT",
        "INT./EXT. CAR - DAY",
        "INT/EXT CAR - DAY",
        "I/E. TRUCK",
        "int. house - night",
        "ext garden",
    ],
)
def test_scene_heading_prefixes_any_case(line: str) -> None:
    assert kinds(f"Action.\n\n{line}\n\nMore action.") == [
        ("action", "Action."),
        ("scene_heading", line),
        ("action", "More action."),
    ]


@pytest.mark.parametrize("line", ["INTERIOR DESIGN IS HARD", "EXTRA! EXTRA!", "Interesting."])
def test_words_starting_like_a_prefix_are_not_headings(line: str) -> None:
    assert kinds(f"\n{line}\n")[0][0] == "action"


def test_heading_needs_blank_line_after() -> None:
    # An uppercase heading-like line followed by text reads as a character (screenplain agrees).
    assert kinds("INT. HOUSE - DAY\nANOTHER LINE\n")[0] == ("character", "INT. HOUSE - DAY")
    assert kinds("int. house - day\nthe door opens.\n") == [
        ("action", "int. house - day\nthe door opens.")
    ]


def test_int_inside_action_is_action() -> None:
    assert kinds("He walks in.\nINT. HOUSE - DAY\n\nNext.") == [
        ("action", "He walks in.\nINT. HOUSE - DAY"),
        ("action", "Next."),
    ]


def test_forced_heading_stands_alone_but_not_ellipsis() -> None:
    assert kinds(".SNIPER SCOPE POV\n\nThe crosshairs drift.") == [
        ("scene_heading", "SNIPER SCOPE POV"),
        ("action", "The crosshairs drift."),
    ]
    # With text hanging on the next line the paragraph is action, as written.
    assert kinds(".SNIPER SCOPE POV\nThe crosshairs drift.") == [
        ("action", ".SNIPER SCOPE POV\nThe crosshairs drift.")
    ]
    assert kinds("He looks.\n.SNIPER SCOPE POV")[0][0] == "action"
    assert kinds("...and then nothing.")[0] == ("action", "...and then nothing.")


@pytest.mark.parametrize(
    ("line", "text", "number"),
    [
        ("INT. HOUSE - DAY #1#", "INT. HOUSE - DAY", "1"),
        ("INT. HOUSE - DAY #1A#", "INT. HOUSE - DAY", "1A"),
        ("EXT. SEA #I-1-A#", "EXT. SEA", "I-1-A"),
        ("INT ROOM #237 #42#", "INT ROOM #237", "42"),
        (".SOMEWHERE #*HELLO*#", "SOMEWHERE #*HELLO*#", None),
        (".FLASHBACK #110A.#", "FLASHBACK", "110A."),
    ],
)
def test_scene_numbers(line: str, text: str, number: str | None) -> None:
    heading = parse(line).elements[0]
    assert (heading.type, heading.text, heading.scene_number) == ("scene_heading", text, number)


# Action


def test_action_keeps_indentation_tabs_as_four_spaces_and_line_breaks() -> None:
    assert kinds("hello\n\n  two spaces\n\tone tab   \nplain") == [
        ("action", "hello"),
        ("action", "  two spaces\n    one tab\nplain"),
    ]


def test_forced_action_removes_the_mark() -> None:
    assert kinds("!SCANNING THE AISLES...\nWhere is that pit boss?") == [
        ("action", "SCANNING THE AISLES...\nWhere is that pit boss?")
    ]
    assert kinds("!CUT TO:") == [("action", "CUT TO:")]


def test_caps_line_without_dialogue_after_is_action() -> None:
    assert kinds("Intro.\n\nTHE DOOR SLAMS.\n\nSilence.") == [
        ("action", "Intro."),
        ("action", "THE DOOR SLAMS."),
        ("action", "Silence."),
    ]


def test_line_ending_in_two_spaces_is_not_a_character() -> None:
    assert kinds("SCANNING THE AISLES...  \nWhere is that pit boss?")[0][0] == "action"


# Characters and dialogue


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("STEEL", "STEEL"),
        ("HANS (on the radio)", "HANS (on the radio)"),
        ("MOM (V.O.)", "MOM (V.O.)"),
        ("BRICK (O.S.) (CONT'D)", "BRICK (O.S.) (CONT'D)"),
        ("R2D2", "R2D2"),
        ("AGENT 47", "AGENT 47"),
        ("ВЛАДИМИР", "ВЛАДИМИР"),
        ("@McCLANE", "McCLANE"),
        ("@老李", "老李"),
        ("  INDENTED", "INDENTED"),
    ],
)
def test_character_names(line: str, name: str) -> None:
    assert kinds(f"{line}\nHello.") == [("character", name), ("dialogue", "Hello.")]


@pytest.mark.parametrize("line", ["23", "McCLANE", "老李", "MARTA (70s), coat", "BOB:", "(V.O.)"])
def test_not_character_names(line: str) -> None:
    assert kinds(f"{line}\nHello.")[0][0] == "action"


def test_character_needs_blank_line_before() -> None:
    assert kinds("She turns.\nBOB\nHello.") == [("action", "She turns.\nBOB\nHello.")]


def test_dialogue_lines_parentheticals_and_two_space_line() -> None:
    text = "BRICK\n(beat)\nOne.\n  \n  Two.\n(quietly)\nThree.\n\nAfter."
    assert kinds(text) == [
        ("character", "BRICK"),
        ("parenthetical", "(beat)"),
        ("dialogue", "One.\n\nTwo."),
        ("parenthetical", "(quietly)"),
        ("dialogue", "Three."),
        ("action", "After."),
    ]


def test_dual_dialogue_marks_left_and_right() -> None:
    sp = parse("BRICK\nRetirement.\n\nSTEEL ^\nRetirement!\n")
    assert [(e.type, e.text, e.dual) for e in sp.elements] == [
        ("character", "BRICK", "left"),
        ("dialogue", "Retirement.", None),
        ("character", "STEEL", "right"),
        ("dialogue", "Retirement!", None),
    ]
    assert sp.to_json()["elements"][0]["dual"] == "left"


def test_dual_caret_without_previous_dialogue_is_plain() -> None:
    sp = parse("Brick strolls.\n\nBRICK ^\nNice.\n")
    assert [(e.type, e.text, e.dual) for e in sp.elements][1] == ("character", "BRICK", None)


def test_lyrics_alone_and_in_dialogue() -> None:
    assert kinds("~Willy Wonka!\n~The amazing chocolatier!") == [
        ("lyric", "Willy Wonka!\nThe amazing chocolatier!")
    ]
    assert kinds("BOB\n~La la\nHe sang.") == [
        ("character", "BOB"),
        ("lyric", "La la"),
        ("dialogue", "He sang."),
    ]


# Transitions and centered text


def test_transition_needs_blank_lines_uppercase_and_to_colon() -> None:
    assert kinds("Bill argues.\n\nCUT TO:\n\nEXT. POOL - DAY") == [
        ("action", "Bill argues."),
        ("transition", "CUT TO:"),
        ("scene_heading", "EXT. POOL - DAY"),
    ]
    assert kinds("\ncut to:\n")[0][0] == "action"
    assert kinds("\nCUT TOO:\n")[0][0] == "action"
    assert kinds("\nCUT TO: \n")[0][0] == "action"


def test_transition_not_followed_by_blank_line_is_not_a_transition() -> None:
    assert kinds("Intro.\n\nCUT TO:\nEXT. POOL - DAY\n") == [
        ("action", "Intro."),
        ("action", "CUT TO:\nEXT. POOL - DAY"),
    ]


def test_forced_transition_and_centered() -> None:
    assert kinds("> FADE OUT.\n\n> THE END <\n\n>  Centered too  <") == [
        ("transition", "FADE OUT."),
        ("centered", "THE END"),
        ("centered", "Centered too"),
    ]
    # `>` and `<` inside a paragraph, or with text hanging after them, are text.
    assert kinds("Action.\n> Burn to white.") == [("action", "Action.\n> Burn to white.")]
    assert kinds("> THE END <\nroll credits") == [("action", "> THE END <\nroll credits")]
    assert kinds("He types 3 > 2 < 4.\n> 1 <") == [("action", "He types 3 > 2 < 4.\n> 1 <")]


# Page breaks, sections, synopses


def test_page_break_is_three_or_more_equals_alone() -> None:
    assert kinds("A.\n\n===\n\n=====\n\n=== x") == [
        ("action", "A."),
        ("page_break", ""),
        ("page_break", ""),
        ("synopsis", "== x"),
    ]


def test_sections_with_levels_and_synopses() -> None:
    sp = parse("# Act\n\n## Sequence\n\n### Beat\n= The hero leaves.\n\nINT. HOUSE - DAY\n")
    assert [(e.type, e.text, e.level) for e in sp.elements] == [
        ("section", "Act", 1),
        ("section", "Sequence", 2),
        ("section", "Beat", 3),
        ("synopsis", "The hero leaves.", None),
        ("scene_heading", "INT. HOUSE - DAY", None),
    ]


def test_section_before_heading_still_lets_it_be_a_heading() -> None:
    assert kinds("# Act One\n\nEXT. SEA - DAY\n\nWaves.")[1] == ("scene_heading", "EXT. SEA - DAY")


# Notes and boneyard


def test_note_alone_becomes_element_inline_stays_in_text() -> None:
    sp = parse("[[Lose this scene?]]\n\nHe sits. [[too slow]] He stands.\n")
    assert [(e.type, e.text) for e in sp.elements] == [
        ("note", "Lose this scene?"),
        ("action", "He sits. [[too slow]] He stands."),
    ]
    assert sp.elements[1].runs == [("He sits. He stands.", ())]


def test_note_across_lines_with_two_space_line() -> None:
    sp = parse("Intro.\n\n[[A note\n  \nacross lines]]\n\nOutro.")
    note = sp.elements[1]
    assert (note.type, note.text, note.start_line, note.end_line) == (
        "note",
        "A note\n\nacross lines",
        3,
        5,
    )
    inline = kinds("He waits [[for\nthe bus]] patiently.")
    assert inline == [("action", "He waits [[for\nthe bus]] patiently.")]


def test_note_inside_dialogue() -> None:
    assert kinds("BOB\nHi.\n[[louder]]\nThere.") == [
        ("character", "BOB"),
        ("dialogue", "Hi."),
        ("note", "louder"),
        ("dialogue", "There."),
    ]


def test_boneyard_across_scenes_never_appears_and_lines_stay_true() -> None:
    text = "INT. A - DAY\n\nOne /* cut\n\nINT. B - DAY\n\nGone. */two.\n\nEXT. C - NIGHT\n"
    sp = parse(text)
    assert [(e.type, e.text) for e in sp.elements] == [
        ("scene_heading", "INT. A - DAY"),
        ("action", "One two."),
        ("scene_heading", "EXT. C - NIGHT"),
    ]
    assert (sp.elements[1].start_line, sp.elements[1].end_line) == (3, 7)
    assert sp.elements[2].start_line == 9
    assert "Gone" not in json.dumps(sp.to_json())


def test_unclosed_boneyard_is_kept_as_text() -> None:
    assert kinds("Keep /* this") == [("action", "Keep /* this")]


# Line numbers, encodings, files


def test_line_numbers_span_the_element() -> None:
    sp = parse("INT. A - DAY\n\nLine one\nline two\n\nBOB\n(beat)\nHi.\nThere.\n")
    spans = [(e.type, e.start_line, e.end_line) for e in sp.elements]
    assert spans == [
        ("scene_heading", 1, 1),
        ("action", 3, 4),
        ("character", 6, 6),
        ("parenthetical", 7, 7),
        ("dialogue", 8, 9),
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newlines_and_bom(newline: str) -> None:
    text = "\ufeffTitle: T\n\nINT. A - DAY\n\nBOB\nHi.\n".replace("\n", newline)
    sp = parse(text)
    assert sp.title_page == {"Title": "T"}
    assert [(e.type, e.text) for e in sp.elements][1:] == [
        ("scene_heading", "INT. A - DAY"),
        ("character", "BOB"),
        ("dialogue", "Hi."),
    ]


def test_parse_file_utf8_bom_crlf_and_cp1252_fallback(tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.fountain"
    utf8.write_bytes(b"\xef\xbb\xbfINT. CAF\xc3\x89 - DAY\r\n\r\nJos\xc3\xa9 waits.\r\n")
    assert [e.text for e in parse_file(utf8).elements] == ["INT. CAFÉ - DAY", "José waits."]
    legacy = tmp_path / "legacy.fountain"
    legacy.write_bytes(b"INT. CAF\xc9 - DAY\n\nJos\xe9 pays \x80 5.\n")
    assert [e.text for e in parse_file(legacy).elements] == ["INT. CAFÉ - DAY", "José pays € 5."]


def test_parse_file_missing_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.fountain"
    with pytest.raises(InvalidInput, match="nowhere.fountain"):
        parse_file(missing)
    folder = tmp_path / "folder.fountain"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="folder.fountain"):
        parse_file(folder)


def test_corpus_script_shape() -> None:
    sp = parse_file(CORPUS / "lighthouse.fountain")
    assert sp.title_page is not None and sp.title_page["Contact"] == "Ada Quill\nada@example.org"
    headings = [(e.text, e.scene_number) for e in sp.elements if e.type == "scene_heading"]
    assert headings == [
        ("EXT. LIGHTHOUSE - NIGHT", "1"),
        ("INT. LAMP ROOM - CONTINUOUS", "2"),
        ("i/e. car - moving - dawn", None),
        ("FLASHBACK - THE HARBOUR, 1975", None),
        ("EST. THE HARBOUR - DAY", None),
    ]
    texts = json.dumps(sp.to_json(), ensure_ascii=False)
    assert "KITCHEN" not in texts and "burns the letter" not in texts
    duals = [(e.text, e.dual) for e in sp.elements if e.dual]
    assert duals == [("MARTA", "left"), ("HARBOUR MASTER (O.S.)", "right")]


def test_corpus_eastern_script_needs_at_for_caseless_names() -> None:
    sp = parse_file(CORPUS / "eastern.fountain")
    characters = [(e.text, e.dual) for e in sp.elements if e.type == "character"]
    assert characters == [
        ("老李", None),
        ("小王", "left"),
        ("老李 (V.O.)", "right"),
        ("ВЛАДИМИР", None),
        ("R2D2", None),
    ]
    assert sp.elements[1].type == "action"
    assert sp.elements[-1].text == "23\nNot a name."
