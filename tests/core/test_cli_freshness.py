"""The CLI's side of "the film is a build": `shots list --json` `clip_current`,
`timeline status --json` `behind`, `assemble --update`."""

import json
from dataclasses import replace

from studio.domain.entities import TakeKind
from studio.services.generation import queue_clips, queue_keyframes, run_queue
from studio.services.project import new_project
from studio.services.script import import_script
from studio.services.timeline import assemble
from tests.core.test_cli import studio

SCRIPT = """EXT. PIER - DAWN

Fog over the water.
"""


def test_a_pick_shows_in_the_shot_list_and_the_cut_status(tmp_path):
    folder = tmp_path / "pier"
    with new_project(folder, name="Pier") as project:
        store = project.store
        settings = replace(store.settings(), width=64, height=36)
        store.project_repo.set_fields(store.project().id, settings=settings)
        (tmp_path / "pier.fountain").write_text(SCRIPT, encoding="utf-8")
        import_script(project, tmp_path / "pier.fountain")
        queue_keyframes(project, takes=2)
        run_queue(project, executor="inline")
        queue_clips(project)
        run_queue(project, executor="inline")
        assemble(project)
        shot = store.shots.in_order()[0]
        other = next(
            t.id
            for t in store.takes.of_owner(TakeKind.KEYFRAME, shot.id)
            if t.id != shot.active_keyframe_take_id
        )

    def shots():
        return json.loads(studio("shots", str(folder), "list", "--json").stdout)

    def status():
        return json.loads(studio("timeline", str(folder), "status", "--json").stdout)

    assert [s["clip_current"] for s in shots()] == [True, True]
    assert status()["behind"] == []
    studio("takes", str(folder), "pick", str(other))
    assert shots()[0]["clip_current"] is False
    assert status()["clips_out_of_date"] == [shot.number]
    studio("jobs", str(folder), "run", "--executor", "inline")
    assert shots()[0]["clip_current"] is True
    behind = status()
    assert behind["behind"] == [shot.number]
    assert behind["reasons"][shot.number][0].startswith("picture:")
    assert "updated 1 shots: 1" in studio("assemble", str(folder), "--update").stdout
    assert status()["behind"] == []
