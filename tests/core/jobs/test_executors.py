import shutil
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from studio.domain import JobState
from studio.generation.requests import KeyframeRequest
from studio.jobs.local import LocalExecutor
from studio.jobs.runner import JobRunner
from studio.services.doctor import doctor
from studio.services.project import open_project
from studio.store import orm


def kf(seed):
    return KeyframeRequest(width=160, height=90, seed=seed, description=f"take {seed}")


def _cli(*args):
    return [sys.executable, "-c", "from studio.cli import main; main()", *args]


def test_local_worker_processes_make_the_same_takes_as_inline(project, shots):
    queue = project.queue
    queue.enqueue_many([(s.id, kf(i)) for i, s in enumerate(shots)])
    with LocalExecutor(cpu_workers=2) as ex:
        summary = JobRunner(project.queue, ex).run()
    assert summary.done == 3
    from studio.jobs.inline import InlineExecutor

    shas = {project.store.assets.get(t.asset_id).sha256 for t in project.store.takes.all()}
    queue.enqueue_many([(s.id, kf(i)) for i, s in enumerate(shots)], force=True)
    with InlineExecutor() as ex:
        JobRunner(project.queue, ex).run()
    assert {project.store.assets.get(t.asset_id).sha256 for t in project.store.takes.all()} == shas
    assert project.store.takes.count() == 3


def test_sigkill_mid_batch_then_jobs_run_finishes_everything(project, shots):
    queue = project.queue
    queue.enqueue_many([(s.id, kf(100 + k)) for s in shots for k in range(8)])
    folder = project.folder
    project.close()
    proc = subprocess.Popen(_cli("jobs", str(folder), "run"), stdout=subprocess.PIPE, text=True)
    for _ in range(5):  # five jobs finished: the batch is under way
        line = proc.stdout.readline()
        assert "done" in line, line
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    resumed = subprocess.run(_cli("jobs", str(folder), "run"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    with open_project(folder) as reopened:
        store = reopened.store
        assert store.jobs.counts() == {"done": 24}
        with store.engine.connect() as conn:
            dupes = conn.execute(
                sa.select(orm.takes.c.owner_id, orm.takes.c.cache_key, sa.func.count())
                .group_by(orm.takes.c.owner_id, orm.takes.c.cache_key)
                .having(sa.func.count() > 1)
            ).all()
        assert dupes == []
        assert store.takes.count() == 24
        assert not doctor(store).damaged
    check = subprocess.run(_cli("doctor", str(folder)), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


@pytest.mark.ray
def test_ray_executor_produces_the_same_takes_as_local(project, shots):
    ray = pytest.importorskip("ray")
    from studio.jobs.ray_executor import RayExecutor

    queue = project.queue
    queue.enqueue_many([(s.id, kf(i)) for i, s in enumerate(shots)])
    with LocalExecutor(cpu_workers=1) as ex:
        JobRunner(project.queue, ex).run()
    local = sorted(project.store.assets.get(t.asset_id).sha256 for t in project.store.takes.all())
    queue.enqueue_many([(s.id, kf(i)) for i, s in enumerate(shots)], force=True)
    import tempfile

    ray_dir = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # AF_UNIX paths must stay short
    ray.init(num_cpus=2, include_dashboard=False, _temp_dir=ray_dir, log_to_driver=False)
    try:
        with RayExecutor() as ex:
            summary = JobRunner(project.queue, ex).run()
    finally:
        ray.shutdown()
        shutil.rmtree(ray_dir, ignore_errors=True)
    assert summary.done == 3 and summary.failed == 0
    farm = sorted(project.store.assets.get(t.asset_id).sha256 for t in project.store.takes.all())
    assert farm == local
    assert all(j.state is JobState.DONE for j in project.store.jobs.all())
