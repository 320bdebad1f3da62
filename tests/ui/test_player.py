"""The player plays the cut: its picture and its mix in real time, offscreen (no sound device:
the clock is a timer and the sound is taken from the mix into a capture, measured here), locked
to the timeline's playhead both ways, with the play button and J/K/L."""

from __future__ import annotations

import threading

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from studio.domain.timeline import Timeline
from studio.services.dubbing import queue_dub
from studio.services.export import timeline_mix_stream
from studio.services.generation import queue_keyframes, run_queue
from studio.services.timeline import set_music_bed
from tests.ui.conftest import screenshot
from tests.ui.test_views import _short_project
from ui.models.playback import CutSource


def _cut(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path)
    queue_keyframes(project, width=320, height=180)
    queue_dub(project, "1")  # Kit's line, with the real piper voice
    run_queue(project, executor="inline")
    bed = tmp_path / "bed.wav"
    t = np.arange(48000 * 12) / 48000
    soundfile.write(bed, 0.2 * np.sin(2 * np.pi * 220 * t), 48000)
    set_music_bed(project, bed)
    window.timeline.assemble()
    player = window.player
    player.reload()
    qtbot.waitUntil(lambda: isinstance(player.source, CutSource), timeout=20000)
    return project, player


def _play_button(player) -> QPushButton:
    return next(b for b in player.findChildren(QPushButton) if b.text() == "▶")


def test_the_player_plays_the_cut_with_its_sound(window, qtbot, tmp_path):
    project, player = _cut(window, qtbot, tmp_path)
    window.resize(1400, 900)
    preview = player.source.preview
    timeline = Timeline.from_json(project.store.timelines.load())
    assert player.source.frames == timeline.duration.value
    qtbot.waitUntil(lambda: player.shown_frame == 0, timeout=10000)
    qtbot.waitUntil(lambda: preview.measured, timeout=30000)
    player.seek(12)  # frame-accurate seek, and the timeline's playhead follows
    qtbot.waitUntil(lambda: player.shown_frame == 12, timeout=5000)
    assert window.timeline.canvas.playhead == 12
    window.timeline.canvas.set_playhead(3)  # and the player follows the timeline
    qtbot.waitUntil(lambda: player.shown_frame == 3, timeout=5000)
    assert player.position == 3
    player.seek(0)
    qtbot.waitUntil(lambda: player.shown_frame == 0, timeout=5000)
    qtbot.wait(300)  # the sound drawn ahead

    qtbot.mouseClick(_play_button(player), Qt.MouseButton.LeftButton)
    playback = player.playback
    assert playback.playing and player.speed == 1
    qtbot.wait(1500)
    dock = window.docks["player"]
    dock.setFloating(True)  # big enough for the 640×360 preview
    dock.resize(700, 470)
    qtbot.wait(100)
    screenshot(window.player, "player-cut")
    qtbot.wait(500)
    qtbot.mouseClick(_play_button(player), Qt.MouseButton.LeftButton)  # pause
    assert not playback.playing and player.speed == 0

    # picture: about two seconds of frames shown in time, the playhead moved with them
    assert 30 <= player.position <= 60, player.position
    assert playback.shown >= 10 and playback.shown + playback.dropped >= player.position - 1
    assert window.timeline.canvas.playhead == player.position
    assert not player.screen.pixmap().isNull()
    # sound: what was played is the export's mix from the start, sample for sample
    heard = playback.capture.array()
    assert 1.5 * 48000 <= len(heard) <= 2.6 * 48000
    mix = timeline_mix_stream(project.store, timeline).to_array()[: len(heard)]
    late = preview.late_samples
    assert late == 0, f"{late} samples of sound were late"
    np.testing.assert_allclose(heard, mix, atol=1e-5)
    assert float(np.sqrt(np.mean(np.square(heard)))) > 0.01  # the bed (and the line) is heard

    player.setFocus()
    qtbot.keyClick(player, Qt.Key.Key_L)  # J/K/L: L plays in real time, K stops
    assert playback.playing
    qtbot.keyClick(player, Qt.Key.Key_K)
    assert not playback.playing


def test_closing_the_window_while_the_cut_plays_ends_its_threads(window, qtbot, tmp_path):
    _project, player = _cut(window, qtbot, tmp_path)
    player.toggle()
    qtbot.wait(200)
    assert [t for t in threading.enumerate() if t.name.startswith("studio-preview")]
    window.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("studio-preview")]
