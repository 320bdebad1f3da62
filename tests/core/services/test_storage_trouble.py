"""Storage trouble is one sentence that names the path: a read-only project can still be
inspected and exported elsewhere, a full disk says which one, and nothing reaches the user as
"unexpected".

The read-only project: `chmod -R a-w`, then the studio runs in a child process that lacks the
capabilities that let root ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
CAP_FOWNER, dropped from its bounding set before exec), so the kernel refuses its writes as it
would any user's on a read-only folder. Run as another user, the chmod alone does it.
"""

import ctypes
import errno
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from studio.errors import DiskFull, ReadOnlyStorage, storage_failure
from studio.services.generation import queue_keyframes, run_queue
from studio.services.project import new_project
from studio.services.script import import_script
from studio.services.timeline import assemble

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = "EXT. PIER - DAWN\n\nFog over the water.\n\nASH\nStill here.\n"
PR_CAPBSET_DROP = 24
DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_file_powers() -> None:  # runs in the child, before exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in DAC_CAPS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(97)


def studio_unprivileged(*args):
    """`studio ARGS` in a process that the file permissions bind, even when tests run as root."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        preexec_fn=_drop_file_powers if os.geteuid() == 0 else None,
        timeout=300,
    )


@pytest.fixture
def readonly_project(tmp_path):
    """A small project with keyframes and a cut, then `chmod -R a-w`."""
    folder = tmp_path / "pier"
    with new_project(folder, name="Pier") as project:
        store = project.store
        settings = replace(store.settings(), width=64, height=36)
        store.project_repo.set_fields(store.project().id, settings=settings)
        (tmp_path / "pier.fountain").write_text(SCRIPT, encoding="utf-8")
        import_script(project, tmp_path / "pier.fountain")
        queue_keyframes(project)
        run_queue(project, executor="inline")
        assemble(project)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
    probe = studio_unprivileged("new", folder / "probe")
    if probe.returncode == 0 or "Read-only" not in probe.stderr + probe.stdout:
        if "Permission denied" not in probe.stderr:
            subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)
            pytest.skip(f"cannot make a folder read-only for a child here: {probe.stderr}")
    yield folder, before
    subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


def test_a_read_only_project_can_be_inspected_and_exported_elsewhere(readonly_project, tmp_path):
    folder, before = readonly_project
    info = studio_unprivileged("info", folder, "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["shots"] >= 1
    doctor = studio_unprivileged("doctor", folder, "--json")
    assert doctor.returncode == 0, doctor.stderr
    assert json.loads(doctor.stdout)["schema"] == []
    shots = studio_unprivileged("shots", folder, "list", "--json")
    assert shots.returncode == 0, shots.stderr
    status = studio_unprivileged("timeline", folder, "status", "--json")
    assert status.returncode == 0, status.stderr
    out = tmp_path / "out"
    export = studio_unprivileged(
        "export", folder, "--out", out, "--preset", "draft", "--cut-formats", ""
    )
    assert export.returncode == 0, export.stderr
    assert (out / "film.mp4").stat().st_size > 0
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before  # nothing written


def test_changing_a_read_only_project_is_one_line_naming_it(readonly_project):
    folder, before = readonly_project
    for args in (("assemble", folder), ("jobs", folder, "pause")):
        result = studio_unprivileged(*args)
        assert result.returncode != 0
        assert result.stderr.startswith(f"error: the project {folder} is read-only here")
        assert "unexpected" not in result.stderr and "Background on this error" not in (
            result.stderr
        )
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_a_full_database_says_which_disk_and_keeps_what_was_saved(project):
    """SQLITE_FULL, reached here through SQLite's own page limit (the same error a full disk
    gives), is one line naming project.db; what was stored before stays."""
    store = project.store
    store.values.set("kept", "yes")
    pages = sqlite3.connect(store.db_path).execute("PRAGMA page_count").fetchone()[0]
    from sqlalchemy import event

    event.listen(
        store.engine,
        "connect",
        lambda con, _: con.execute(f"PRAGMA max_page_count={pages + 1}"),
    )
    store.engine.dispose()
    with pytest.raises(DiskFull) as err:
        store.values.set("big", "x" * (1 << 20))
    assert str(store.db_path) in err.value.message and "\n" not in str(err.value)
    assert store.values.get("kept") == "yes"


def test_a_full_disk_and_a_read_only_file_are_sentences_that_name_the_path():
    with pytest.raises(OSError) as full:
        with open("/dev/full", "wb") as f:
            f.write(b"x" * 65536)
            f.flush()
    failure = storage_failure(full.value)
    assert isinstance(failure, DiskFull) and full.value.errno == errno.ENOSPC
    assert "no space left on the disk holding" in failure.message
    readonly = storage_failure(OSError(errno.EROFS, "Read-only file system", "/mnt/film/x"))
    assert isinstance(readonly, ReadOnlyStorage) and "/mnt/film/x" in readonly.message


def test_unbundling_onto_a_file_or_a_dash_path_is_one_line(tmp_path):
    from tests.core.test_cli import studio

    studio("new", str(tmp_path / "p"))
    studio("bundle", str(tmp_path / "p"), str(tmp_path / "p.studio"))
    (tmp_path / "taken").write_text("mine")
    onto_file = studio("unbundle", str(tmp_path / "p.studio"), str(tmp_path / "taken"), check=False)
    assert onto_file.returncode == 1
    assert (
        onto_file.stderr.splitlines()[0] == f"error: {tmp_path / 'taken'} is a file, not a folder"
    )
    dash = subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", "unbundle", "p.studio", "-x"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert dash.returncode == 2
    assert dash.stderr.splitlines()[0] == "error: no such option: -x"
    assert "./-name" in dash.stderr and "unexpected" not in dash.stderr
    assert not (tmp_path / "-x").exists()
    studio("unbundle", str(tmp_path / "p.studio"), str(tmp_path / "-x"))
    assert (tmp_path / "-x" / "project.db").is_file()
    assert (tmp_path / "taken").read_text() == "mine"
