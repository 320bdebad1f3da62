import os
import signal
import subprocess
import sys

from studio.services.doctor import doctor
from studio.services.project import open_project
from studio.store.blobs import MediaStore


def test_same_bytes_take_one_file(tmp_path):
    store = MediaStore(tmp_path)
    a = store.put_bytes(b"frame" * 100, ".png")
    b = store.put_bytes(b"frame" * 100, ".png")
    assert a == b
    assert a.path.startswith(f"media/{a.sha256[:2]}/{a.sha256}")
    assert list(store.files()) == [a.path]
    assert not any(store.incoming.iterdir())


def test_put_file_streams_and_hashes(tmp_path):
    src = tmp_path / "clip.mp4"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    store = MediaStore(tmp_path / "p")
    blob = store.put_file(src)
    assert store.absolute(blob.path).read_bytes() == src.read_bytes()
    assert blob.path.endswith(".mp4") and blob.size == src.stat().st_size


WRITER = r"""
import os, sys
from studio.domain import Asset
from studio.services.project import open_project
p = open_project(sys.argv[1])
i = 0
while True:
    data = os.urandom(8 * 1024 * 1024)
    blob = p.store.media.put_bytes(data, ".bin")
    p.store.assets.add(Asset(sha256=blob.sha256, kind="video", path=blob.path, size=blob.size))
    i += 1
    print(i, flush=True)
"""


def test_sigkill_while_writing_media_leaves_nothing_partial_referenced(project):
    folder = project.folder
    project.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    for _ in range(3):  # let it store a few files, then kill it in the middle of the next ones
        assert proc.stdout.readline().strip()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_project(folder) as reopened:
        report = doctor(reopened.store)
        assert report.checked >= 3
        assert not report.damaged, report.to_json()
        assert not any(reopened.store.media.incoming.iterdir())
