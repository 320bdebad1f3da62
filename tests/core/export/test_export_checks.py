"""An export refuses damaged media before it renders anything, naming the clip and the file."""

from __future__ import annotations

import os

import pytest

from studio.domain.timeline import Clip
from studio.errors import InvalidInput
from studio.services.export import _asset_ids, check_media, export_film, timeline_media
from studio.services.timeline import load_timeline
from studio.store.verified import VerifiedMedia
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


def _picture(project):  # noqa: F811
    video = load_timeline(project.store).track("V1")
    clip = next(item for item in video.items if isinstance(item, Clip) and item.take_id)
    asset = project.store.assets.get(clip.asset_id)
    return clip, project.store.folder / asset.path


def _flip_bytes(path, at: int = 0) -> None:
    """Same-size corruption: a few bytes in the middle changed in place, the mtime put back."""
    stat = path.stat()
    data = bytearray(path.read_bytes())
    at = at or len(data) // 2
    data[at : at + 4] = bytes(255 - b for b in data[at : at + 4])
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_same_size_corruption_is_refused_naming_the_clip_take_and_file(project, tmp_path):  # noqa: F811
    clip, path = _picture(project)
    _flip_bytes(path)
    out = tmp_path / "out"
    with pytest.raises(InvalidInput) as refused:
        export_film(project, out)
    message = str(refused.value)
    assert (
        f"{clip.name}: {path.relative_to(project.store.folder)} is not the file stored" in message
    )
    assert f"(take {clip.take_id})" in message and "\n" not in message
    assert not out.exists()  # refused before anything was written


def test_the_content_check_is_remembered_until_a_file_changes(project):  # noqa: F811
    cut = load_timeline(project.store)
    media = timeline_media(project.store, cut)
    files = {media.asset(i).path: media.asset(i).sha256 for i in _asset_ids(cut)}
    check_media(cut, media)
    again = VerifiedMedia(project.store.folder, project.store.cache)
    assert len(files) > 3 and all(again.check(path, sha) for path, sha in files.items())
    assert again.hashed == 0  # every file known whole since its last change: none read
    clip, path = _picture(project)
    _flip_bytes(path)  # in place, same size, mtime restored: the ctime still moves
    with pytest.raises(InvalidInput, match=path.name):
        check_media(cut, media)
