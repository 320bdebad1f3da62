"""Bundles are bounded: by their declared sizes against a limit and the free space, by each
entry's compression ratio, by the size each entry declares; and they carry only the media that
their project database names. Each refusal is one line naming the entry, and leaves nothing."""

import hashlib
import json
import shutil
import zipfile

import pytest

from studio.domain import Asset
from studio.errors import BundleRefused
from studio.services.project import bundle_project, new_project, unbundle_project
from studio.store.bundle import Limits, human_size, parse_size
from tests.core.store.test_bundle import _manifest

GIB = 1 << 30


def _left_in(dest):
    return sorted(p.name for p in dest.rglob("*")) if dest.exists() else []


@pytest.fixture
def real_bundle(tmp_path):
    """A bundle the studio wrote: a project with one keyframe."""
    with new_project(tmp_path / "p", name="Bounded") as project:
        blob = project.store.media.put_bytes(b"keyframe", ".png")
        project.store.assets.add(Asset(sha256=blob.sha256, kind="image", path=blob.path, size=8))
        bundle_project(project.store, tmp_path / "real.studio")
    return tmp_path / "real.studio"


def _rewrite(bundle, out, extra=(), sizes=None, streamed=None):
    """`bundle`'s entries copied into `out` with `extra` (name, bytes) entries, all declared
    honestly in its manifest; `streamed`: (name, size) of zeros written streamed;
    `sizes`: name -> a size the central directory claims instead of the real one."""
    files = []
    with (
        zipfile.ZipFile(bundle) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
    ):
        entries = [(n, src.read(n)) for n in src.namelist() if n != "bundle.json"]
        for name, data in [*entries, *extra]:
            zf.writestr(name, data)
            files.append(
                {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
        if streamed:
            name, size = streamed
            digest, zeros = hashlib.sha256(), bytes(1 << 20)
            with zf.open(name, "w", force_zip64=True) as f:
                for _ in range(size >> 20):
                    f.write(zeros)
                    digest.update(zeros)
            files.append({"path": name, "size": size, "sha256": digest.hexdigest()})
        for info in zf.filelist:
            if sizes and info.filename in sizes:
                info.file_size = sizes[info.filename]
                next(f for f in files if f["path"] == info.filename)["size"] = info.file_size
        zf.writestr("bundle.json", _manifest(files))
    return out


def test_a_small_bundle_declaring_a_gib_of_zeros_is_refused_by_its_ratio(real_bundle, tmp_path):
    bomb = _rewrite(real_bundle, tmp_path / "bomb.studio", streamed=("media/ab/silence.wav", GIB))
    assert bomb.stat().st_size < 8 << 20
    with pytest.raises(BundleRefused) as err:
        unbundle_project(bomb, tmp_path / "copy")
    message = str(err.value)
    assert "entry 'media/ab/silence.wav' inflates" in message and "1.0 GiB" in message
    assert "past the 100× limit" in message and "--max-ratio" in message
    assert _left_in(tmp_path / "copy") == []
    # allowed past its ratio, it is still not media of the project: refused before a byte
    with pytest.raises(BundleRefused, match="'media/ab/silence.wav' is not media of the project"):
        unbundle_project(bomb, tmp_path / "copy", Limits(max_ratio=1e9))
    assert _left_in(tmp_path / "copy") == []
    # and a limit below what it declares refuses it by its size, with the flag that allows it
    with pytest.raises(BundleRefused, match=r"unpacks to 1\.0 GiB, more than the 512\.0 MiB"):
        unbundle_project(bomb, tmp_path / "copy", Limits(max_size=512 << 20, max_ratio=1e9))


def test_a_bundle_larger_than_the_free_space_is_refused_before_writing(real_bundle, tmp_path):
    free = shutil.disk_usage(tmp_path).free
    huge = free + 1024 * GIB
    lying = _rewrite(
        real_bundle,
        tmp_path / "huge.studio",
        extra=[("media/cd/huge.mp4", b"x")],
        sizes={"media/cd/huge.mp4": huge},
    )
    with pytest.raises(BundleRefused) as err:
        unbundle_project(lying, tmp_path / "copy", Limits(max_size=huge * 2, max_ratio=1e30))
    assert "free; nothing was unpacked" in err.value.message
    assert str(tmp_path) in err.value.message
    assert _left_in(tmp_path / "copy") == []
    with pytest.raises(BundleRefused, match="more than the 32.0 GiB a bundle may hold"):
        unbundle_project(lying, tmp_path / "copy", Limits(max_ratio=1e30))


def test_an_unreferenced_entry_is_refused_by_name(real_bundle, tmp_path):
    sneaky = _rewrite(
        real_bundle, tmp_path / "sneaky.studio", extra=[("media/zz/run-me.sh", b"rm -rf ~\n")]
    )
    with pytest.raises(BundleRefused) as err:
        unbundle_project(sneaky, tmp_path / "copy")
    assert "entry 'media/zz/run-me.sh' is not media of the project" in str(err.value)
    assert _left_in(tmp_path / "copy") == []
    unbundle_project(real_bundle, tmp_path / "fine")  # the same bundle without it unpacks


def test_an_entry_is_written_no_further_than_its_declared_size(real_bundle, tmp_path):
    with zipfile.ZipFile(real_bundle) as zf:
        db = zf.read("project.db")
    lying = tmp_path / "lying.studio"
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.db", db + bytes(10 << 20))  # inflates 10 MiB past what it says
        zf.filelist[-1].file_size = len(db)
        files = [{"path": "project.db", "size": len(db), "sha256": "0" * 64}]
        zf.writestr("bundle.json", _manifest(files))
    dest = tmp_path / "copy"
    with pytest.raises(BundleRefused, match="entry 'project.db' (is damaged|does not match)"):
        unbundle_project(lying, dest)
    assert _left_in(dest) == []


def test_sizes_that_disagree_with_the_manifest_are_refused(real_bundle, tmp_path):
    odd = _rewrite(real_bundle, tmp_path / "odd.studio", extra=[("media/ee/x.png", b"12345")])
    with zipfile.ZipFile(odd, "a") as zf:
        manifest = json.loads(zf.read("bundle.json"))
    for f in manifest["files"]:
        if f["path"] == "media/ee/x.png":
            f["size"] = 10
    with zipfile.ZipFile(odd) as src, zipfile.ZipFile(tmp_path / "odd2.studio", "w") as zf:
        for name in src.namelist():
            if name != "bundle.json":
                zf.writestr(name, src.read(name))
        zf.writestr("bundle.json", json.dumps(manifest))
    with pytest.raises(BundleRefused, match="'media/ee/x.png' holds 5 bytes but its manifest"):
        unbundle_project(tmp_path / "odd2.studio", tmp_path / "copy")


@pytest.mark.parametrize("bad", ["file", "file/below"])
def test_unbundling_onto_a_file_names_it(real_bundle, tmp_path, bad):
    (tmp_path / "file").write_text("mine")
    with pytest.raises(BundleRefused, match=f"{tmp_path / bad} (is a file|cannot be made)"):
        unbundle_project(real_bundle, tmp_path / bad)
    assert (tmp_path / "file").read_text() == "mine"


def test_sizes_read_and_print_both_ways():
    assert parse_size("2G") == 2 * GIB and parse_size("500M") == 500 << 20
    assert parse_size("1.5T") == 3 << 39 and parse_size("123") == 123
    assert parse_size(human_size(GIB + 1, exact=True)) >= GIB + 1
    with pytest.raises(ValueError, match="not a size"):
        parse_size("lots")
