"""The diffusers backends through the whole engine: model library → project → queue → worker
process → takes, as a user runs them with `studio generate … --backend diffusers --model ID`."""

import dataclasses
import json
import subprocess
import sys

import pytest

from studio.domain import JobState, Scene, Shot, TakeKind
from studio.domain.time import RationalTime
from studio.media.decode import probe, read_image
from studio.services.project import new_project, open_project


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture
def tiny_project(tmp_path):
    with new_project(tmp_path / "film", name="Tiny") as project:
        store = project.store
        row = store.project()
        settings = dataclasses.replace(row.settings, fps=8, width=64, height=64, handles=0)
        store.project_repo.update(dataclasses.replace(row, settings=settings))
        scene = store.scenes.add(Scene(order=0, heading="EXT. FIELD - DAY", int_ext="EXT"))
        for i in range(2):
            store.shots.add(
                Shot(
                    scene_id=scene.id,
                    order=i,
                    number=str(i + 1),
                    description=f"a red kite over a field, take {i}",
                    duration=RationalTime(8, 8),
                )
            )
    return tmp_path / "film"


def test_models_add_then_generate_keyframes_and_clips(
    tiny_project, tiny_sd, tiny_svd, tmp_path, monkeypatch
):
    import os

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-cache"))
    env = dict(os.environ)
    added = _cli("models", "add", str(tiny_sd), env=env)
    assert added.returncode == 0, added.stderr
    _cli("models", "add", str(tiny_svd), env=env)
    models = json.loads(_cli("models", "list", "--json", env=env).stdout)
    by_class = {m["pipeline_class"]: m["id"] for m in models}
    sd_id, svd_id = by_class["StableDiffusionPipeline"], by_class["StableVideoDiffusionPipeline"]

    keyframes = _cli(
        "generate",
        "keyframes",
        str(tiny_project),
        "--backend",
        "diffusers",
        "--model",
        sd_id,
        "--takes",
        "2",
        env=env,
    )
    assert keyframes.returncode == 0, keyframes.stderr + keyframes.stdout
    clips = _cli(
        "generate",
        "clips",
        str(tiny_project),
        "--backend",
        "diffusers-video",
        "--model",
        svd_id,
        env=env,
    )
    assert clips.returncode == 0, clips.stderr + clips.stdout

    with open_project(tiny_project) as project:
        store = project.store
        assert store.jobs.counts() == {JobState.DONE.value: 6}
        for shot in store.shots.in_order():
            frames = store.takes.of_owner(TakeKind.KEYFRAME, shot.id)
            assert len(frames) == 2
            assert frames[0].recipe["model"] == sd_id
            assert frames[0].recipe["info"]["pipeline_class"] == "StableDiffusionPipeline"
            image = read_image(store.media.read_bytes(store.assets.get(frames[0].asset_id).path))
            assert image.shape[:2] == (64, 64)
            clip = store.takes.get(store.shots.get(shot.id).active_clip_take_id)
            info = probe(store.media.absolute(store.assets.get(clip.asset_id).path))
            assert info.frames == 8 and info.fps == 8
            assert clip.recipe["model"] == svd_id


def test_a_missing_model_fails_the_job_with_a_clear_error(tiny_project, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    from studio.services.generation import queue_keyframes, run_queue

    with open_project(tiny_project) as project:
        queue_keyframes(project, shots="1", backend="diffusers", model="no-such-model-1234")
        summary = run_queue(project, "inline")
        assert summary.failed == 1
        job = project.store.jobs.in_state(JobState.FAILED)[0]
        assert "no-such-model-1234" in job.error
