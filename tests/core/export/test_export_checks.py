"""An export refuses damaged media before it renders anything, naming the clip and the file."""

from __future__ import annotations

import pytest

from studio.domain.timeline import Clip
from studio.errors import InvalidInput
from studio.services.export import export_film
from studio.services.timeline import load_timeline
from tests.core.timeline.test_otio_import import built, folder, project  # noqa: F401 - fixtures


def _voice(project):  # noqa: F811
    dialogue = load_timeline(project.store).track("dialogue")
    line = next(item for item in dialogue.items if isinstance(item, Clip))
    asset = project.store.assets.get(line.asset_id)
    return line, project.store.folder / asset.path


def test_a_truncated_voice_take_is_refused_by_name(project, tmp_path):  # noqa: F811
    line, path = _voice(project)
    path.write_bytes(path.read_bytes()[:2000])  # a copy cut short
    with pytest.raises(InvalidInput, match=rf"{line.name}: .*{path.name} is 2000 bytes"):
        export_film(project, tmp_path / "out")
    assert not (tmp_path / "out" / "film.mp4").exists()


def test_a_missing_media_file_is_refused_by_name(project, tmp_path):  # noqa: F811
    line, path = _voice(project)
    path.unlink()
    with pytest.raises(InvalidInput, match=rf"{line.name}: its media is missing"):
        export_film(project, tmp_path / "out")
