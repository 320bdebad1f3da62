"""The streaming renderer, end to end on real media: decode the film back and look at it."""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track, Transition
from studio.errors import Cancelled, InvalidInput
from studio.media.decode import encode_png, iter_frames
from studio.media.encode import VideoEncoder
from studio.progress import JobContext
from studio.render.frames import RenderSettings, film_frames, iter_timeline_frames
from studio.render.pipeline import render_timeline
from studio.timeline.assemble import title_card

W, H = 64, 48


def t(frames: int) -> RationalTime:
    return RationalTime(frames, 24)


class Media:
    """A MediaLookup over files written by the test."""

    def __init__(self) -> None:
        self.files: dict[int, tuple[Path, str]] = {}

    def add(self, asset_id: int, path: Path, kind: str) -> int:
        self.files[asset_id] = (path, kind)
        return asset_id

    def path(self, asset_id: int) -> Path:
        return self.files[asset_id][0]

    def kind(self, asset_id: int) -> str:
        return self.files[asset_id][1]


@dataclass
class Cue:
    start: float
    end: float
    text: str


def write_video(path: Path, colours: list[tuple[int, int, int]], size=(W, H)) -> Path:
    with VideoEncoder(path, size[0], size[1], 24, crf=0, preset="ultrafast") as encoder:
        for colour in colours:
            encoder.write_frame(np.full((size[1], size[0], 3), colour, np.uint8))
    return path


def write_image(path: Path, colour, size=(W, H)) -> Path:
    path.write_bytes(encode_png(np.full((size[1], size[0], 3), colour, np.uint8)))
    return path


def clip(name: str, asset: int | None, length: int, start: int = 0, media: int | None = None, **kw):
    duration = t(media) if media is not None else None
    return Clip(name, TimeRange(t(start), t(length)), asset_id=asset, media_duration=duration, **kw)


def timeline(*items) -> Timeline:
    return Timeline("cut", 24, (Track("V1", "video", tuple(items)),))


def frames(tl: Timeline, media: Media, **kw) -> list[np.ndarray]:
    return list(iter_timeline_frames(tl, media, RenderSettings(width=W, height=H, **kw)))


def decode(path: Path) -> tuple[list[np.ndarray], av.container.InputContainer]:
    with av.open(str(path)) as container:
        pictures = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return pictures, path


@pytest.fixture
def media(tmp_path: Path) -> Media:
    lookup = Media()
    ramp = [(10 * k, 120, 200 - 8 * k) for k in range(20)]
    lookup.add(1, write_video(tmp_path / "ramp.mp4", ramp), "video")
    lookup.add(2, write_image(tmp_path / "blue.png", (40, 40, 200)), "image")
    lookup.add(3, write_image(tmp_path / "white.png", (230, 230, 230), size=(48, 48)), "image")
    return lookup


def source_frame(media: Media, asset: int, index: int) -> np.ndarray:
    return next(iter_frames(media.path(asset), index, 1))


def test_the_film_has_the_timeline_s_frames_size_rate_and_codecs(
    media: Media, tmp_path: Path
) -> None:
    tl = timeline(clip("a", 1, 10, media=20), Gap(t(5)), clip("b", 2, 8))
    audio = np.zeros((48000, 2), np.float32)
    audio[:, 0] = 0.2 * np.sin(np.arange(48000) / 48000 * 2 * np.pi * 440)
    report = render_timeline(
        tl, media, RenderSettings(width=W, height=H), tmp_path / "f.mp4", audio
    )
    assert report.frames == 23 and report.path.exists() and report.fps_achieved > 0
    with av.open(str(report.path)) as container:
        video, sound = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", W, H)
        assert video.average_rate == 24
        assert sound.codec_context.name == "aac" and sound.sample_rate == 48000
        pictures = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(pictures) == 23
    assert all(p.max() < 12 for p in pictures[10:15])  # the gap is black
    assert abs(int(pictures[20][20, 30, 2]) - 200) < 8  # the blue still


def test_a_video_clip_plays_its_source_range(media: Media) -> None:
    out = frames(timeline(clip("a", 1, 4, start=6, media=20)), media)
    assert len(out) == 4
    for k, picture in enumerate(out):
        assert np.array_equal(picture, source_frame(media, 1, 6 + k))


def test_a_dissolve_s_middle_frame_is_the_average_of_its_sources(media: Media, tmp_path) -> None:
    tl = timeline(clip("a", 1, 10, media=20), Transition("dissolve", t(2), t(1)), clip("b", 2, 6))
    out = frames(tl, media)
    assert len(out) == 16
    blue = np.full((H, W, 3), (40, 40, 200), np.int64)
    middle = (source_frame(media, 1, 9).astype(int) + blue) / 2
    assert np.abs(out[9] - middle).max() <= 1
    # the frame after the cut mixes in the outgoing clip's handle (media frame 10)
    handle = source_frame(media, 1, 10).astype(int)
    assert np.abs(out[10] - (handle * 1 + blue * 3) / 4).max() <= 1
    assert np.array_equal(out[7], source_frame(media, 1, 7))
    assert np.array_equal(out[11], blue)
    report = render_timeline(tl, media, RenderSettings(width=W, height=H), tmp_path / "d.mp4")
    decoded, _ = decode(report.path)
    assert len(decoded) == 16 and np.abs(decoded[9].astype(int) - middle).mean() < 4


def test_fades_reach_black(media: Media, tmp_path: Path) -> None:
    tl = timeline(
        Transition("fade_from_black", t(0), t(3)),
        clip("a", 3, 6),
        Transition("dip_to_black", t(2), t(2)),
        clip("b", 2, 6),
        Transition("fade_to_black", t(4), t(0)),
    )
    out = frames(tl, media)
    assert len(out) == 12
    black = [k for k, p in enumerate(out) if p.max() == 0]
    assert black == [0, 5, 6, 11]
    assert 0 < out[1].max() < out[2].max() < out[3].max()
    decoded, _ = decode(
        render_timeline(tl, media, RenderSettings(width=W, height=H), tmp_path / "x.mp4").path
    )
    assert decoded[0].max() < 12 and decoded[11].max() < 12 and decoded[3].max() > 200


def test_clip_fades_and_gaps(media: Media) -> None:
    out = frames(timeline(clip("a", 3, 6, fade_in=2, fade_out=2), Gap(t(2))), media)
    assert out[0].max() == 0 and out[5].max() == 0 and out[3].max() == 230
    assert out[6].max() == 0 and out[7].max() == 0


def test_black_and_white_look_has_equal_channels(media: Media, tmp_path: Path) -> None:
    tl = timeline(clip("a", 1, 6, media=20))
    out = frames(tl, media, look="bw")
    assert all((p[..., 0] == p[..., 1]).all() and (p[..., 1] == p[..., 2]).all() for p in out)
    decoded, _ = decode(
        render_timeline(tl, media, RenderSettings(W, H, look="bw"), tmp_path / "b.mp4").path
    )
    spread = max(int(np.abs(p.astype(int)[..., 0] - p[..., 2]).max()) for p in decoded)
    assert spread <= 3


def test_scope_letterbox_rows_are_black(media: Media, tmp_path: Path) -> None:
    settings = RenderSettings(width=128, height=72, letterbox=2.39)
    tl = timeline(clip("w", 3, 4))
    decoded, _ = decode(render_timeline(tl, media, settings, tmp_path / "s.mp4").path)
    for picture in decoded:
        assert picture[:7].max() < 20 and picture[-7:].max() < 20
        assert picture[20:52].min() > 200


def test_fit_pillarboxes_a_square_image_and_fill_covers(media: Media) -> None:
    fitted = frames(timeline(clip("w", 3, 1)), media, fit="fit")[0]
    assert fitted[:, :6].max() == 0 and fitted[:, 20:44].min() == 230
    filled = frames(timeline(clip("w", 3, 1)), media, fit="fill")[0]
    assert filled.min() == 230


def titled(*items) -> Timeline:
    """A cut opening with the assembler's title card, fading up and dipping to black."""
    card = title_card({"title": "Dusk", "author": "Ana"}, 24)
    up = Transition("fade_from_black", t(0), t(12))
    return timeline(up, card, Transition("dip_to_black", t(12), t(0)), *items)


def test_title_card_comes_first_and_fades(media: Media) -> None:
    tl = titled(clip("b", 2, 5))
    settings = RenderSettings(width=W, height=H)
    assert film_frames(tl, settings) == 72 + 5  # the card is in the cut: nothing is added
    out = list(iter_timeline_frames(tl, media, settings))
    assert len(out) == 77
    assert out[0].max() == 0 and out[71].max() == 0 and out[36].max() > 200
    assert np.array_equal(out[72], np.full((H, W, 3), (40, 40, 200), np.uint8))


def test_title_clip_renders_its_lines(media: Media) -> None:
    card = Clip("title", TimeRange(t(0), t(3)), metadata={"title_card": {"lines": ["ACT ONE"]}})
    out = frames(timeline(card), media)
    assert len(out) == 3 and out[0].max() > 200 and out[0].mean() < 100


def test_subtitles_are_burned_in_during_their_cue(media: Media) -> None:
    tl = timeline(clip("b", 2, 24))
    out = frames(tl, media, subtitles_burn=[Cue(0.5, 0.75, "Hello")])
    plain = np.full((H, W, 3), (40, 40, 200), np.uint8)
    touched = [k for k, p in enumerate(out) if not np.array_equal(p, plain)]
    assert touched == list(range(12, 18))


def test_output_rate_differs_from_timeline_rate(media: Media) -> None:
    out = frames(timeline(clip("a", 1, 24, media=20)), media, fps=30)
    assert len(out) == 30


def test_cancel_stops_and_removes_the_partial_file(media: Media, tmp_path: Path) -> None:
    reports: list[float] = []
    ctx = JobContext(on_progress=lambda p: (reports.append(p.fraction), ctx.cancel()))
    tl = timeline(*[clip(f"c{k}", 2, 24) for k in range(10)])
    target = tmp_path / "cancelled.mp4"
    with pytest.raises(Cancelled):
        render_timeline(tl, media, RenderSettings(width=W, height=H), target, ctx=ctx)
    assert not target.exists()
    assert len(reports) == 1 and reports[0] < 0.2


def test_progress_reaches_one(media: Media, tmp_path: Path) -> None:
    reports: list[float] = []
    ctx = JobContext(on_progress=lambda p: reports.append(p.fraction))
    render_timeline(
        timeline(clip("b", 2, 50)), media, RenderSettings(W, H), tmp_path / "p.mp4", ctx=ctx
    )
    assert reports == sorted(reports) and reports[-1] == 1.0 and len(reports) >= 3


def test_corrupt_media_raises_naming_the_clip(media: Media, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 4)
    media.add(9, broken, "video")
    tl = timeline(clip("a", 1, 3, media=20), clip("shot 12A", 9, 5))
    target = tmp_path / "bad.mp4"
    with pytest.raises(InvalidInput, match=r"clip 'shot 12A' \(asset 9\) at 00:00.12"):
        render_timeline(tl, media, RenderSettings(width=W, height=H), target)
    assert not target.exists()
    (tmp_path / "bad.png").write_bytes(b"not a png")
    media.add(10, tmp_path / "bad.png", "image")
    with pytest.raises(InvalidInput, match=r"clip 'still' \(asset 10\).*corrupt"):
        frames(timeline(clip("still", 10, 2)), media)
    media.add(11, tmp_path / "nowhere.png", "image")
    with pytest.raises(InvalidInput, match="missing"):
        frames(timeline(clip("gone", 11, 2)), media)


def test_memory_stays_flat_in_film_length(tmp_path: Path) -> None:
    media = Media()
    colours = [(k * 8 % 256, 100, 50) for k in range(30)]
    media.add(1, write_video(tmp_path / "v.mp4", colours, size=(320, 240)), "video")
    settings = RenderSettings(width=320, height=240)

    def peak(clips: int) -> int:
        items = []
        for k in range(clips):
            items += [clip(f"c{k}", 1, 20, media=30), Transition("dissolve", t(3), t(3))]
        tracemalloc.start()
        count = sum(1 for _ in iter_timeline_frames(timeline(*items[:-1]), media, settings))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == clips * 20
        return top

    short, long = peak(2), peak(12)
    frame_bytes = 320 * 240 * 3
    assert long < short + 4 * frame_bytes and long < 40 * frame_bytes


def test_a_still_with_a_camera_move_plays_the_move_s_frames(tmp_path: Path) -> None:
    from studio.domain.camera import CameraMove
    from studio.media.camera import move_frames

    media = Media()
    yy, xx = np.mgrid[0:96, 0:128]
    picture = np.stack([xx * 2, yy * 2, (xx + yy) % 256], axis=2).astype(np.uint8)
    media.add(5, tmp_path / "kf.png", "image")
    (tmp_path / "kf.png").write_bytes(encode_png(picture))
    move = CameraMove("push_in", 1.0, 4, 3)
    moved = Clip("m", TimeRange(t(3), t(10)), 5, media_duration=t(16), move=move)
    out = frames(timeline(moved), media)
    expected = list(move_frames(picture, "push_in", 16, W, H, 1.0, 4, 3))[3:13]
    assert len(out) == 10
    assert all(np.array_equal(a, b) for a, b in zip(out, expected, strict=True))
    assert not np.array_equal(out[0], out[-1])  # it moves


def test_burned_cues_are_in_film_time_with_the_title_card(media: Media) -> None:
    settings = RenderSettings(width=W, height=H, subtitles_burn=[Cue(3.5, 3.75, "Hi")])
    out = list(iter_timeline_frames(titled(clip("b", 2, 24)), media, settings))
    plain = np.full((H, W, 3), (40, 40, 200), np.uint8)
    touched = [k - 72 for k, p in enumerate(out[72:], start=72) if not np.array_equal(p, plain)]
    assert touched == list(range(12, 18))
