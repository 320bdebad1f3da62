import json
import subprocess
import sys
import zipfile

import pytest

from studio.errors import InvalidInput

HEAVY = ("torch", "diffusers", "transformers", "PySide6", "ray", "cv2", "av")


def studio(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", *args],
        capture_output=True,
        text=True,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom studio.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_new_then_info_json(tmp_path):
    studio("new", str(tmp_path / "p"), "--name", "Night Ferry", "--fps", "25")
    info = json.loads(studio("info", str(tmp_path / "p"), "--json").stdout)
    assert info["name"] == "Night Ferry" and info["settings"]["fps"] == 25
    assert info["shots"] == 0 and info["jobs"] == {}


def test_errors_are_one_clear_line_and_debug_shows_the_trace(tmp_path):
    result = studio("info", str(tmp_path / "missing"), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: no project at")
    assert "Traceback" not in result.stderr
    debug = studio("--debug", "info", str(tmp_path / "missing"), check=False)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_unbundle_refuses_escaping_entries(tmp_path):
    bundle = tmp_path / "evil.studio"
    manifest = {
        "format": "microfilm-studio-bundle",
        "version": 1,
        "files": [{"path": "../evil", "size": 1, "sha256": ""}],
        "total_size": 1,
    }
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("bundle.json", json.dumps(manifest))
        zf.writestr("../evil", b"x")
    result = studio("unbundle", str(bundle), str(tmp_path / "dest"), check=False)
    assert result.returncode == 1 and "climbs out" in result.stderr
    assert not (tmp_path / "evil").exists()


def test_doctor_exits_non_zero_on_damage(tmp_path):
    from studio.domain import Asset
    from studio.services.project import new_project

    with new_project(tmp_path / "p") as p:
        blob = p.store.media.put_bytes(b"original", ".png")
        p.store.assets.add(Asset(sha256=blob.sha256, kind="image", path=blob.path, size=8))
        p.store.media.absolute(blob.path).write_bytes(b"tampered")
    result = studio("doctor", str(tmp_path / "p"), check=False)
    assert result.returncode == 1 and "corrupt" in result.stdout


def test_script_parse_json_contract(tmp_path):
    from studio.script.elements import ELEMENT_TYPES

    source = tmp_path / "s.fountain"
    source.write_text(
        "Title: **Night** Ferry\n\n.BRIDGE #2A#\n\n!LOUD action\n\n@麦克\n(quietly)\n"
        "*Go* _now_ [[note]]\n\n> THE END <\n/* cut */\n"
    )
    data = json.loads(studio("script", "parse", str(source), "--json").stdout)
    assert data["title_page"] == {"Title": "**Night** Ferry"}
    elements = data["elements"]
    assert {e["type"] for e in elements} <= set(ELEMENT_TYPES)
    heading = next(e for e in elements if e["type"] == "scene_heading")
    assert heading["text"] == "BRIDGE" and heading["scene_number"] == "2A"
    assert next(e for e in elements if e["type"] == "action")["text"] == "LOUD action"
    assert next(e for e in elements if e["type"] == "character")["text"] == "麦克"
    line = next(e for e in elements if e["type"] == "dialogue")
    assert line["text"] == "*Go* _now_ [[note]]" and line["start_line"] == 9
    assert [text for text, styles in line["runs"] if styles] == ["Go", "now"]
    assert not any("cut" in e["text"] for e in elements)


def test_project_groups_take_the_path_first(tmp_path):
    """`studio shots PATH list`, `studio characters PATH …`, `studio jobs PATH …` as documented."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "projects" / "sample" / "script.fountain"
    project = str(tmp_path / "p")
    studio("new", project)
    studio("script", "import", project, str(sample))
    shots = json.loads(studio("shots", project, "list", "--json").stdout)
    assert len(shots) > 20 and shots[0]["number"] == "1"
    studio("shots", project, "set", "1", "--size", "CU")
    assert json.loads(studio("shots", project, "list", "--json").stdout)[0]["size"] == "CU"
    names = {c["name"] for c in json.loads(studio("characters", project, "list", "--json").stdout)}
    assert {"ODA", "KIT", "COURIER-7"} <= names
    assert json.loads(studio("jobs", project, "list", "--json").stdout) == []
    assert json.loads(studio("lines", project, "list", "--json").stdout)[0]["number"] == 1


def test_generate_clips_refuses_a_size_that_is_not_one(tmp_path):
    from studio.cli.generation import parse_size

    assert parse_size("832x480") == (832, 480) and parse_size(" 1280 × 720 ") == (1280, 720)
    for bad in ("832", "832x", "8x8", "wide"):
        with pytest.raises(InvalidInput, match="--size"):
            parse_size(bad)
    studio("new", str(tmp_path / "film"))
    refused = studio("generate", "clips", str(tmp_path / "film"), "--size", "wide", check=False)
    assert refused.returncode == 1 and "WIDTHxHEIGHT" in refused.stdout + refused.stderr


def test_shot_numbers_stay_when_the_script_gains_a_shot_and_renumber_is_explicit(tmp_path):
    """Add a shot in the script: no existing number changes and the new one is 27A."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "projects" / "sample" / "script.fountain"
    script = tmp_path / "script.fountain"
    script.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    project = str(tmp_path / "p")
    studio("new", project)
    studio("script", "import", project, str(script))

    def listed() -> dict[int, str]:
        shots = json.loads(studio("shots", project, "list", "--json").stdout)
        return {s["id"]: s["number"] for s in shots}

    before = listed()
    heading = "EXT. SKERRY ROCKS - NIGHT #3#\n\n"  # its establishing shot is 27, then 28
    assert heading in script.read_text(encoding="utf-8")
    script.write_text(
        script.read_text(encoding="utf-8").replace(heading, heading + "Spray bursts white.\n\n"),
        encoding="utf-8",
    )
    studio("script", "import", project, str(script))
    after = listed()
    assert {i: after[i] for i in before} == before
    assert [n for i, n in after.items() if i not in before] == ["27A"]
    assert list(after.values())[26:29] == ["27", "27A", "28"]
    studio("shots", project, "add", "A second insert", "--after", "27A")
    assert list(listed().values())[26:30] == ["27", "27A", "27B", "28"]
    result = json.loads(studio("shots", project, "renumber", "--json").stdout)
    assert result["renumbered"]["27A"] == "28" and result["renumbered"]["28"] == "30"
    assert list(listed().values()) == [str(i) for i in range(1, len(before) + 3)]


def test_settings_show_and_set_the_image_limit_an_import_refusal_names(tmp_path):
    import cv2
    import numpy as np

    project, script, still = tmp_path / "p", tmp_path / "s.fountain", tmp_path / "wide.png"
    script.write_text("EXT. DUNES - DAY\n\nWind combs the sand.\n")
    cv2.imwrite(str(still), np.zeros((1000, 1500, 3), np.uint8))  # 1.5 MP
    studio("new", str(project))
    studio("script", "import", str(project), str(script))
    studio("settings", str(project), "set", "--max-image-pixels", "1000000")
    refused = studio("takes", str(project), "import", "1", str(still), check=False)
    assert refused.returncode != 0
    assert "wide.png is 1500×1000 pixels" in refused.stderr
    assert "studio settings PROJECT set --max-image-pixels" in refused.stderr
    too_low = studio("settings", str(project), "set", "--max-image-pixels", "10", check=False)
    assert too_low.returncode != 0 and "below a megapixel" in too_low.stderr
    studio("settings", str(project), "set", "--max-image-pixels", "2000000", "--no-follow-picks")
    shown = json.loads(studio("settings", str(project), "show", "--json").stdout)
    assert shown["max_image_pixels"] == 2_000_000 and shown["clips_follow_picks"] is False
    studio("takes", str(project), "import", "1", str(still))
    takes = json.loads(studio("takes", str(project), "list", "1", "--json").stdout)
    assert len(takes) == 1


def test_effects_are_listed_and_taken_out_and_the_music_bed_cleared(tmp_path):
    import numpy as np
    import soundfile as sf

    project, script, door = tmp_path / "p", tmp_path / "s.fountain", tmp_path / "door.wav"
    script.write_text("EXT. DUNES - DAY\n\nWind combs the sand.\n")
    sf.write(door, np.full((4800, 2), 0.1, np.float32), 48000)
    studio("new", str(project))
    studio("script", "import", str(project), str(script))
    studio("sfx", str(project), str(door), "--at", "1.5")
    studio("sfx", str(project), str(door), "--at", "3", "--gain", "-6")
    studio("music", str(project), str(door))
    placed = json.loads(studio("sfx", str(project), "--list", "--json").stdout)
    assert [(e["at_seconds"], e["gain_db"], e["name"]) for e in placed] == [
        (1.5, 0.0, "door.wav"),
        (3.0, -6.0, "door.wav"),
    ]
    studio("sfx", str(project), "--remove", str(placed[0]["id"]))
    left = json.loads(studio("sfx", str(project), "--list", "--json").stdout)
    assert [e["id"] for e in left] == [placed[1]["id"]]
    gone = studio("sfx", str(project), "--remove", str(placed[0]["id"]), check=False)
    assert gone.returncode != 0 and f"no sound effect with id {placed[0]['id']}" in gone.stderr
    assert "taken out" in studio("music", str(project), "--clear").stdout
    from studio.services.project import open_readonly

    with open_readonly(project) as store:
        assert store.music_bed.current() is None and len(store.sound_effects.all()) == 1
    neither = studio("music", str(project), check=False)
    assert neither.returncode != 0 and "give a music file or --clear" in neither.stderr
