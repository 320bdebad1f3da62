"""A finished take updates what shows its shot and nothing else: no model reset, no rebuilt
browser tree or player still list, no timeline redraw, no reload of an unrelated take picker or
inspector (at 1,200 shots each of those cost the UI thread tens to hundreds of milliseconds)."""

from __future__ import annotations

from studio.services.generation import queue_keyframes
from studio.services.script import import_script
from ui.views.player import STORYBOARD

SCRIPT = """Title: THREE SHOTS

EXT. PIER - DAWN

Fog over the water.

A lamp blinks once.

A gull lands on the rail.
"""


def _project(window, qtbot, tmp_path):
    script = tmp_path / "three.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    window.new_project(tmp_path / "three", "Three Shots")
    window.player.which.setCurrentIndex(STORYBOARD)  # the stills; the cut is the default
    import_script(window.session.project, script)
    window.session.changed()
    window.docks["browser"].raise_()
    window.timeline.assemble()
    qtbot.waitUntil(lambda: window.player.source is not None)  # its debounced refresh ran
    return window.session.project


def _generate(window, qtbot, number: str) -> None:
    made = []
    window.session.take_made.connect(made.append)
    queue_keyframes(window.session.project, number, width=64, height=36, force=True)
    assert window.session.run_queue()
    qtbot.waitUntil(lambda: not window.session.jobs.running and bool(made), timeout=30000)


def _counters(window) -> dict[str, int]:
    return {
        "model resets": window.shot_model.resets,
        "browser rebuilds": window.browser.rebuilds,
        "player rebuilds": window.player.rebuilds,
        "timeline redraws": window.timeline.redraws,
        "take picker reloads": window.takes.reloads,
        "inspector loads": window.inspector.loads,
    }


def test_a_take_for_another_shot_repaints_its_card_only(window, qtbot, tmp_path):
    project = _project(window, qtbot, tmp_path)
    model, store = window.shot_model, project.store
    assert model.rowCount() == 4
    first, second = model.shot_at(0), model.shot_at(1)
    window.storyboard.setCurrentIndex(model.index(0))
    assert window.session.current_shot_id == first.id
    items = {shot_id: window.browser.shot_item(shot_id) for shot_id in model.shot_ids()}
    assert all(items.values())
    source = window.player.source
    before = _counters(window)
    changed_rows: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles=(): changed_rows.append((a.row(), b.row())))

    _generate(window, qtbot, second.number)

    take = store.takes.of_owner("keyframe", second.id)[0]
    assert model.shot_at(1).active_keyframe_take_id == take.id  # the card shows the new take
    assert set(changed_rows) == {(1, 1)}  # and only that card was repainted
    assert _counters(window) == before
    assert {i: window.browser.shot_item(i) for i in model.shot_ids()} == items
    assert window.player.source is source  # the still list was patched, not rebuilt
    asset = store.assets.get(take.asset_id)
    assert source.paths[1] == store.media.absolute(asset.path)
    assert source.paths[0] is None


def test_a_take_for_the_shown_shot_reloads_its_picker_and_inspector(window, qtbot, tmp_path):
    _project(window, qtbot, tmp_path)
    model = window.shot_model
    window.storyboard.setCurrentIndex(model.index(0))
    before = _counters(window)

    _generate(window, qtbot, model.shot_at(0).number)

    after = _counters(window)
    assert after["take picker reloads"] == before["take picker reloads"] + 1
    assert after["inspector loads"] == before["inspector loads"] + 1
    assert window.takes.model.rowCount() == 1
    assert window.takes.title.text() == "Shot 1 — 1 takes"
    for name in ("model resets", "browser rebuilds", "player rebuilds", "timeline redraws"):
        assert after[name] == before[name], name


def test_an_edit_rebuilds_the_browser_only_when_what_it_shows_changed(window, qtbot, tmp_path):
    from studio.services.shots import set_shot

    project = _project(window, qtbot, tmp_path)
    rebuilds = window.browser.rebuilds
    window.session.call(set_shot, project, "1", prompt="fog, backlit")  # not shown in the tree
    assert window.browser.rebuilds == rebuilds
    window.session.call(set_shot, project, "1", size="CU")  # the tree shows the size
    assert window.browser.rebuilds == rebuilds + 1
    assert window.browser.topLevelItem(0).child(0).child(0).text(0) == "Shot 1 · CU"
