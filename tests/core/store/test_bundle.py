import json
import stat
import zipfile

import pytest

from studio.domain import Asset
from studio.errors import BundleRefused
from studio.services.doctor import doctor
from studio.services.project import (
    bundle_project,
    open_project,
    project_info,
    unbundle_project,
)


def _manifest(files):
    return json.dumps(
        {
            "format": "microfilm-studio-bundle",
            "version": 1,
            "files": files,
            "total_size": sum(f["size"] for f in files),
        }
    )


def test_bundle_round_trip(project, tmp_path):
    blob = project.store.media.put_bytes(b"keyframe", ".png")
    project.store.assets.add(Asset(sha256=blob.sha256, kind="image", path=blob.path, size=8))
    out = tmp_path / "film.studio"
    bundle_project(project.store, out)
    dest = unbundle_project(out, tmp_path / "copy")
    with open_project(dest) as copy:
        assert project_info(copy.store).name == "Test Film"
        assert not doctor(copy.store).damaged


@pytest.mark.parametrize("evil", ["../evil", "/tmp/absolute-evil", "media/../../evil"])
def test_paths_that_escape_are_refused(tmp_path, evil):
    bundle = tmp_path / "evil.studio"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("bundle.json", _manifest([{"path": evil, "size": 4, "sha256": "x"}]))
        zf.writestr(evil, b"pwnd")
    dest = tmp_path / "dest"
    with pytest.raises(BundleRefused, match="absolute|climbs"):
        unbundle_project(bundle, dest)
    assert not (tmp_path / "evil").exists()
    assert not list(tmp_path.parent.glob("evil"))
    assert not dest.exists() or not any(dest.iterdir())


def test_links_are_refused(tmp_path):
    bundle = tmp_path / "link.studio"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("bundle.json", _manifest([{"path": "media/x", "size": 11, "sha256": "x"}]))
        info = zipfile.ZipInfo("media/x")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(BundleRefused, match="link"):
        unbundle_project(bundle, tmp_path / "dest")


def test_a_bundle_larger_than_declared_is_refused(tmp_path):
    bundle = tmp_path / "bomb.studio"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bundle.json", _manifest([{"path": "project.db", "size": 10, "sha256": "x"}]))
        zf.writestr("project.db", b"\0" * 10_000_000)
    with pytest.raises(BundleRefused, match="larger than its declared size"):
        unbundle_project(bundle, tmp_path / "dest")
    assert not (tmp_path / "dest").exists() or not any((tmp_path / "dest").iterdir())


def test_undeclared_entries_and_garbage_are_refused(tmp_path):
    bundle = tmp_path / "x.studio"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("bundle.json", _manifest([]))
        zf.writestr("media/extra", b"hi")
    with pytest.raises(BundleRefused, match="not in its manifest"):
        unbundle_project(bundle, tmp_path / "d1")
    garbage = tmp_path / "g.studio"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(BundleRefused, match="not a readable bundle"):
        unbundle_project(garbage, tmp_path / "d2")
