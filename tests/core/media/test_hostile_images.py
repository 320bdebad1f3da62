"""Images that lie about themselves: refused from their header, before a byte is decoded."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio.errors import BundleRefused, InvalidInput
from studio.media.decode import encode_png, read_image
from studio.media.image_header import image_header
from studio.services import characters
from studio.services.generation import import_takes
from studio.services.project import bundle_project, unbundle_project
from studio.services.script import import_script

from .hostile import pixel_bomb_png, short_clip

SCRIPT = "EXT. DUNES - DAY\n\nWind combs the sand.\n\nASH\nKeep walking.\n"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def scripted(project, tmp_path):
    path = tmp_path / "dunes.fountain"
    path.write_text(SCRIPT)
    import_script(project, path)
    return project


def _picture(h: int = 36, w: int = 64) -> np.ndarray:
    return np.random.default_rng(1).integers(0, 255, (h, w, 3), dtype=np.uint8)


def test_a_pixel_bomb_is_refused_from_its_header_naming_file_size_and_setting(tmp_path):
    bomb = pixel_bomb_png(tmp_path / "face.png")
    assert bomb.stat().st_size < 100_000  # a tiny file...
    assert image_header(bomb.read_bytes(), "face.png").pixels == 400_000_000  # ...of 400 MP
    with pytest.raises(InvalidInput) as refused:
        read_image(bomb.read_bytes(), "refs/face.png")
    message = str(refused.value)
    assert "refs/face.png is 20000×20000 pixels (400 MP)" in message
    assert "the limit is 50 MP (project setting max_image_pixels)" in message
    assert "\n" not in message


def test_the_limit_is_the_projects_setting(scripted, tmp_path):
    store = scripted.store
    still = tmp_path / "still.png"
    still.write_bytes(encode_png(_picture()))  # 2304 pixels
    settings = replace(store.settings(), max_image_pixels=2000)
    store.project_repo.set_fields(store.project().id, settings=settings)
    with pytest.raises(InvalidInput, match=r"still.png is 64×36 pixels .*limit is 0.0 MP"):
        import_takes(scripted, "1", [still])
    with pytest.raises(InvalidInput, match="still.png is 64×36"):
        characters.add_references(scripted, "ASH", [still])
    assert store.takes.all() == [] and store.assets.all() == []  # nothing stored


def test_a_clip_whose_frames_are_over_the_limit_is_refused_like_an_image(scripted, tmp_path):
    store = scripted.store
    clip = short_clip(tmp_path / "wide.mp4", frames=4)  # 64×36: 2304 pixels a frame
    settings = replace(store.settings(), max_image_pixels=2000)
    store.project_repo.set_fields(store.project().id, settings=settings)
    with pytest.raises(InvalidInput, match=r"wide.mp4 is 64×36 pixels .*max_image_pixels"):
        import_takes(scripted, "1", [clip])
    assert store.takes.all() == [] and store.assets.all() == []
    at_limit = replace(settings, max_image_pixels=2304)
    store.project_repo.set_fields(store.project().id, settings=at_limit)
    assert [t.kind.value for t in import_takes(scripted, "1", [clip])] == ["clip"]


def test_takes_import_refuses_the_bomb_in_a_small_address_space(tmp_path):
    """Decoding 20000×20000 to RGB takes 1.2 GB twice over: under a 1.5 GB address space only a
    refusal from the header gets through (the control decode in the same limit fails)."""
    pixel_bomb_png(tmp_path / "bomb.png")
    (tmp_path / "dunes.fountain").write_text(SCRIPT)
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        limit = 1536 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from pathlib import Path
        from studio.errors import InvalidInput
        from studio.services.generation import import_takes
        from studio.services.project import new_project
        from studio.services.script import import_script
        tmp = Path({str(tmp_path)!r})
        project = new_project(tmp / "film", name="Bomb")
        import_script(project, tmp / "dunes.fountain")
        out = {{}}
        try:
            import_takes(project, "1", [tmp / "bomb.png"])
            out["import"] = "imported"
        except InvalidInput as err:
            out["import"] = str(err)
        out["takes"] = len(project.store.takes.all())
        project.close()
        if "--control" in sys.argv:
            import cv2, numpy as np
            data = (tmp / "bomb.png").read_bytes()
            try:
                image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
                out["control"] = "decoded" if image is not None else "failed"
                cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            except (cv2.error, MemoryError) as err:
                out["control"] = "failed"
        out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "--control"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "bomb.png is 20000×20000 pixels (400 MP)" in out["import"]
    assert out["takes"] == 0
    assert out["control"] == "failed"  # the limit is tight enough to catch a real decode


def test_images_cut_short_are_refused_by_name():
    picture = _picture(120, 200)
    for ext in (".png", ".jpg", ".webp"):
        ok, data = cv2.imencode(ext, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
        half = data.tobytes()[: len(data) // 2]
        with pytest.raises(InvalidInput, match=rf"image half{ext} is damaged .*cut short"):
            read_image(half, f"half{ext}")


def test_other_formats_and_lying_headers_are_refused():
    ok, bmp = cv2.imencode(".bmp", _picture())
    with pytest.raises(InvalidInput, match="not a PNG/JPEG/WebP"):
        read_image(bmp.tobytes(), "a.bmp")
    png = bytearray(encode_png(_picture()))
    png[16:24] = (640).to_bytes(4, "big") + (360).to_bytes(4, "big")  # IHDR lies about its size
    with pytest.raises(InvalidInput, match="lies.png"):
        read_image(bytes(png), "lies.png")


def test_a_bundle_carrying_a_pixel_bomb_is_refused_before_unpacking(project, tmp_path):
    bundle = tmp_path / "film.studio"
    bundle_project(project.store, bundle)
    bomb = pixel_bomb_png(tmp_path / "bomb.png")
    with zipfile.ZipFile(bundle, "a") as zf:
        zf.write(bomb, "media/ab/" + "ab" * 32 + ".png")
    dest = tmp_path / "unpacked"
    with pytest.raises(BundleRefused, match=r"film.studio: media/ab/.*20000×20000 pixels"):
        unbundle_project(bundle, dest)
    assert not dest.exists()
    clean = tmp_path / "clean.studio"
    bundle_project(project.store, clean)
    assert unbundle_project(clean, tmp_path / "fine") == tmp_path / "fine"
    assert (tmp_path / "fine" / "project.db").is_file()
