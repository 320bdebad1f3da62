"""Benchmark: exporting a film, our renderer against the ffmpeg command-line tool and MoviePy.

The job (bench/export_workload.py): N shots of 1920x1080 textured stills animated by camera moves
(push in, pull out, pan left/right, tilt up, handheld), 2-4 s each, exported at 1280x720 24 fps,
H.264 veryfast CRF 20, AAC 160 kb/s, with a music bed ducked under dialogue bursts.

Contestants, each timed in its own subprocess (wall and CPU seconds from the start of the
process, imports included, and peak RSS of the process and of its child processes):
  ours     the product's MixStream (ducking, loudness, true-peak limiter) + render_timeline, the
           mix measured on the sound's thread while the first frames are encoded.
  ffmpeg   one ffmpeg command, one filter graph: `-loop 1 -framerate 24 -t DUR -i still.png` per
           shot, scale first then zoompan/crop per move, concat; adelay, sidechaincompress, amix,
           loudnorm.
  ffmpeg1  the same graph, but each still is decoded and scaled once and repeated with the
           `loop` filter (what an ffmpeg user tuning for speed would write). Its pans and tilt
           are whole-pixel crops (even pixels in yuv420p), zoompan rounds its origin: the picture
           holds still for a frame, then jumps 2 px.
  ffmpeg-smooth  ffmpeg1 with the moves made as ours are, at sub-pixel precision: a bilinear
           `perspective` warp per frame (ffmpeg has no cheaper sub-pixel translate), the
           handheld shake turning as ours does. The same job, frame for frame.
  moviepy  MoviePy 2.x: ImageClip + resized/with_position functions, concatenate_videoclips,
           a volume envelope computed from the dialogue placement, write_videofile.

Every film is checked with PyAV (frames, size, codecs, loudness, true peak), and the smoothness
of its pans and tilt is measured (`motion`: judder in pixels, frames held still mid-move).

Run: .venv/bin/python bench/bench_export.py [--shots 24] [--memory-shots 96] [--skip moviepy]
     .venv/bin/python bench/bench_export.py --stages   (where ours spends its time)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import export_workload as wl  # noqa: E402

CONTESTANTS = ("ours", "ffmpeg", "ffmpeg1", "ffmpeg-smooth", "moviepy")
PARTS = ("ours-mix", "ours-video")  # ours split in two, to see which part's memory grows
from export_workload import SHAKE_PX, ZOOM, ffmpeg_command, ffmpeg_move  # noqa: E402
from export_workload import even as _even  # noqa: E402

# ---------------------------------------------------------------------------------- ours


class Media:
    """The MediaLookup of the workload: asset k+1 is shot k's still."""

    def __init__(self, workload: wl.Workload) -> None:
        self._paths = {shot.index + 1: Path(shot.still) for shot in workload.shots}

    def path(self, asset_id: int) -> Path:
        return self._paths[asset_id]

    def kind(self, asset_id: int) -> str:
        return "image"


def our_timeline(workload: wl.Workload):
    """The picture track as the product assembles it: moved stills with handles, hard cuts."""
    from studio.domain.camera import CameraMove
    from studio.domain.time import RationalTime, TimeRange
    from studio.domain.timeline import Clip, Timeline, Track

    def t(n: int) -> RationalTime:
        return RationalTime(n, wl.FPS)

    clips = []
    for shot in workload.shots:
        move = CameraMove(shot.movement, 1.0, shot.index, wl.HANDLES)
        clips.append(
            Clip(
                f"Shot {shot.index + 1}",
                TimeRange(t(wl.HANDLES), t(shot.frames)),
                asset_id=shot.index + 1,
                media_duration=t(shot.frames + 2 * wl.HANDLES),
                move=move,
            )
        )
    return Timeline("bench", wl.FPS, (Track("V1", "video", tuple(clips)),))


def our_mix(workload: wl.Workload):
    """The product's streaming mix (ducking, loudness, limiter): the music bed is read from its
    file in slices and the mix is rendered block by block as the encoder asks for it."""
    from studio.audio.mix import AudioClip, AudioFile, MixSettings, load_audio_file
    from studio.audio.mix_stream import MixStream

    music = AudioFile(workload.music)
    dialogue = []
    for shot in workload.shots:
        if shot.dialogue:
            samples, voice_rate = load_audio_file(shot.dialogue)
            dialogue.append(AudioClip(samples, voice_rate, shot.dialogue_at))
    bed = AudioClip(music, music.rate, 0.0, gain_db=wl.MUSIC_GAIN_DB)
    return MixStream(dialogue, [bed], [], workload.seconds, MixSettings())


def our_settings():
    from studio.render.presets import preset_settings

    return preset_settings("720p", wl.FPS, crf=20, preset="veryfast", audio_bitrate=160_000)


def run_ours(workload: wl.Workload, target: Path) -> dict:
    from studio.render.pipeline import render_timeline

    audio = our_mix(workload)
    render_timeline(our_timeline(workload), Media(workload), our_settings(), target, audio)
    report = audio.report  # measured on the sound's thread while the picture started
    return {
        "lufs": report.integrated_lufs,
        "ducking_db": report.ducking_db,
    }


def run_ours_video(workload: wl.Workload, target: Path) -> dict:
    """The picture alone, with silence of the film's length as its sound."""
    import numpy as np

    from studio.render.pipeline import render_timeline

    silence = np.zeros((round(workload.seconds * 48_000), 2), np.float32)
    render_timeline(our_timeline(workload), Media(workload), our_settings(), target, silence)
    return {}


# ---------------------------------------------------------------------------------- ffmpeg


def run_ffmpeg(
    workload: wl.Workload, target: Path, decode_once: bool = False, smooth: bool = False
) -> dict:
    command = ffmpeg_command(workload, target, decode_once, smooth)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"ffmpeg failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"graph_chars": len(command[command.index("-filter_complex") + 1])}


# ---------------------------------------------------------------------------------- moviepy


def moviepy_shot(shot: wl.Shot):
    """One shot as MoviePy clips: the still pre-scaled once, then a resize function (zooms) or a
    position function (pans, tilt, shake) over a 1280x720 canvas."""
    import numpy as np
    from moviepy import CompositeVideoClip, ImageClip

    w, h, d = wl.OUT_W, wl.OUT_H, float(shot.seconds)

    def ease(t: float) -> float:
        u = min(max(t / d, 0.0), 1.0)
        return u * u * (3 - 2 * u)

    still = ImageClip(shot.still).with_duration(d)
    if shot.movement in ("push_in", "pull_out"):
        base = still.resized((_even(w * ZOOM), _even(h * ZOOM)))
        if shot.movement == "push_in":
            moved = base.resized(lambda t: (1 + (ZOOM - 1) * ease(t)) / ZOOM)
        else:
            moved = base.resized(lambda t: (ZOOM - (ZOOM - 1) * ease(t)) / ZOOM)
        moved = moved.with_position("center")
    elif shot.movement in ("pan_left", "pan_right", "tilt_up"):
        size, _ = ffmpeg_move(shot)
        base = still.resized(size)
        spare_x, spare_y = size[0] - w, size[1] - h
        if shot.movement == "pan_left":
            moved = base.with_position(lambda t: (-spare_x * (1 - ease(t)), -spare_y / 2))
        elif shot.movement == "pan_right":
            moved = base.with_position(lambda t: (-spare_x * ease(t), -spare_y / 2))
        else:
            moved = base.with_position(lambda t: (-spare_x / 2, -spare_y * (1 - ease(t))))
    else:
        size, _ = ffmpeg_move(shot)
        base = still.resized(size)
        spare_x, spare_y = size[0] - w, size[1] - h

        def shake(t: float) -> tuple[float, float]:
            u = t / d
            sx = 0.55 * np.sin(2 * np.pi * 3.1 * u + 1) + 0.3 * np.sin(2 * np.pi * 5.3 * u + 2)
            sy = 0.55 * np.sin(2 * np.pi * 2.3 * u + 4) + 0.3 * np.sin(2 * np.pi * 4.1 * u + 5)
            return (-spare_x / 2 + SHAKE_PX * sx, -spare_y / 2 + SHAKE_PX * sy)

        moved = base.with_position(shake)
    return CompositeVideoClip([moved], size=(w, h)).with_duration(d)


def run_moviepy(workload: wl.Workload, target: Path) -> dict:
    import numpy as np
    from moviepy import AudioFileClip, CompositeAudioClip, concatenate_videoclips

    video = concatenate_videoclips([moviepy_shot(s) for s in workload.shots], method="chain")
    envelope = wl.duck_envelope(workload)
    music_gain = 10 ** (wl.MUSIC_GAIN_DB / 20)
    music = AudioFileClip(workload.music).transform(
        lambda get_frame, t: get_frame(t) * (music_gain * np.asarray(envelope(t)))[..., None]
    )
    lines = [
        AudioFileClip(s.dialogue).with_start(s.dialogue_at) for s in workload.shots if s.dialogue
    ]
    audio = CompositeAudioClip([music, *lines]).with_duration(workload.seconds)
    video = video.with_audio(audio)
    video.write_videofile(
        str(target),
        fps=wl.FPS,
        codec="libx264",
        preset="veryfast",
        ffmpeg_params=["-crf", "20"],
        audio_codec="aac",
        audio_bitrate="160k",
        audio_fps=48_000,
        threads=2,
        temp_audiofile_path=str(target.parent),
        logger=None,
    )
    return {}


# ---------------------------------------------------------------------------------- runner


def child(contestant: str, folder: Path, target: Path) -> None:
    """Run one contestant in this process and print its figures as JSON."""
    workload = wl.Workload.load(folder)
    runners = {
        "ours": run_ours,
        "ffmpeg": run_ffmpeg,
        "ffmpeg1": lambda w, t: run_ffmpeg(w, t, decode_once=True),
        "ffmpeg-smooth": lambda w, t: run_ffmpeg(w, t, decode_once=True, smooth=True),
        "moviepy": run_moviepy,
        "ours-mix": lambda w, t: {"lufs": our_mix(w).report.integrated_lufs},
        "ours-video": run_ours_video,
    }
    extra = runners[contestant](workload, target)
    wall = time.perf_counter() - START
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "contestant": contestant,
                "shots": len(workload.shots),
                "frames": workload.frames,
                "wall_s": round(wall, 2),
                "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1),
                "python_hwm_mb": own_peak_mb(),
                **extra,
            }
        )
    )


def own_peak_mb() -> int:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited across fork/exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def tree_rss(process) -> int:
    """Resident bytes of `process` and all its descendants now."""
    import psutil

    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # it just ended
            pass
    return total


def contest(contestant: str, folder: Path, target: Path) -> dict:
    """Run `contestant` in a fresh subprocess and return its figures, with the peak RSS of its
    whole process tree (the Python process and the ffmpeg processes it starts) sampled every
    50 ms."""
    import psutil

    command = [
        sys.executable,
        __file__,
        "--child",
        contestant,
        "--folder",
        str(folder),
        "--target",
        str(target),
    ]
    out, err = target.with_suffix(".out"), target.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        process = psutil.Popen(command, stdout=stdout, stderr=stderr)
        peak = 0
        while True:
            peak = max(peak, tree_rss(process))
            try:
                process.wait(timeout=0.05)
                break
            except psutil.TimeoutExpired:
                continue
    if process.returncode:
        raise SystemExit(f"{contestant} failed:\n{err.read_text()[-3000:]}")
    figures = json.loads(out.read_text().strip().splitlines()[-1])
    figures["tree_peak_mb"] = round(peak / 2**20)
    figures.update(verify(target, figures["frames"]))
    if target.is_file() and contestant != "moviepy":
        figures.update(motion(target, wl.Workload.load(folder)))
    return figures


def verify(target: Path, frames: int) -> dict:
    """Probe the output with PyAV: frames, size, codecs; raise when it is not the film."""
    from studio.media.decode import probe

    if not target.is_file():  # a part that writes no film
        return {
            "out_frames": frames,
            "out_size": "-",
            "codecs": "-",
            "out_mb": 0,
            "lufs_out": "-",
            "dbtp_out": "-",
        }
    info = probe(target)
    ok = (
        abs(info.frames - frames) <= 2
        and (info.width, info.height) == (wl.OUT_W, wl.OUT_H)
        and info.codec == "h264"
        and info.audio_codec == "aac"
    )
    if not ok:
        raise SystemExit(f"{target.name} is not the film: {info}")
    from studio.audio.mix import integrated_loudness, true_peak_dbtp
    from studio.media.decode import decode_audio

    sound = decode_audio(target)
    return {
        "out_frames": info.frames,
        "out_size": f"{info.width}x{info.height}",
        "codecs": f"{info.codec}/{info.audio_codec}",
        "out_mb": round(target.stat().st_size / 2**20, 1),
        "lufs_out": round(integrated_loudness(sound, 48_000), 1),
        "dbtp_out": round(true_peak_dbtp(sound), 1),
    }


def motion(target: Path, workload: wl.Workload) -> dict:
    """How smoothly the pans and the tilt move in the film: the frame-to-frame shift along the
    move (phase correlation of the luma's centre, to a hundredth of a pixel), compared with its
    own 5-frame average. `judder_px`: the RMS of that difference; `held`: frames that stand
    still mid-move (the picture then jumps to catch up). The first and last 3 frames of each
    shot, where a move starts and settles, are left out."""
    import av
    import cv2
    import numpy as np

    spans, at = [], 0
    for shot in workload.shots:
        if shot.movement in ("pan_left", "pan_right", "tilt_up"):
            axis = 1 if shot.movement == "tilt_up" else 0
            spans.append((at + 3, at + shot.frames - 3, axis))
        at += shot.frames
    wanted = {i for first, last, _ in spans for i in range(first - 1, last)}
    top, left = (wl.OUT_H - 256) // 2, (wl.OUT_W - 512) // 2
    luma = {}
    with av.open(str(target)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                grey = frame.to_ndarray(format="gray")
                luma[index] = grey[top : top + 256, left : left + 512].astype(np.float32)
    window = cv2.createHanningWindow((512, 256), cv2.CV_32F)
    deviations, held = [], 0
    for first, last, axis in spans:
        shifts = np.array(
            [cv2.phaseCorrelate(luma[i - 1], luma[i], window)[0][axis] for i in range(first, last)]
        )
        deviations.extend(shifts[2:-2] - np.convolve(shifts, np.ones(5) / 5, mode="valid"))
        held += int((np.abs(shifts) < 0.1).sum())
    return {
        "judder_px": round(float(np.sqrt(np.mean(np.square(deviations)))), 2),
        "held": held,
        "moving": len(deviations) + 4 * len(spans),
    }


def best_of(repeat: int, names: list[str], tmp: Path) -> list[dict]:
    """Run the contestants in interleaved rounds (so that other load on the machine falls on
    all of them alike) and keep each one's fastest run, with every run's wall time."""
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            runs[name].append(contest(name, tmp / "media", tmp / f"{name}.mp4"))
            print(json.dumps(runs[name][-1]), flush=True)
    rows = []
    for name in names:
        best = min(runs[name], key=lambda r: r["wall_s"])
        rows.append({**best, "walls": [r["wall_s"] for r in runs[name]]})
    return rows


def parts(tmp: Path, *sizes: int) -> list[dict]:
    """Ours' mix alone and picture alone (with silence), at each workload size."""
    rows = []
    for shots in (n for n in sizes if n):
        folder = tmp / ("media" if shots == sizes[0] else "media_big")
        for part in PARTS:
            rows.append(contest(part, folder, tmp / f"{part}_{shots}.mp4"))
            print(json.dumps(rows[-1]), flush=True)
    return rows


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def table(rows: list[dict]) -> str:
    head = (
        "| contestant | shots | frames | wall s | CPU s | fps | peak RSS MB: tree (python) "
        "| output | loudness | pan judder px (held frames) | all walls s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['contestant']} | {r['shots']} | {r['out_frames']} | {r['wall_s']:.1f} | "
            f"{r['cpu_s']:.0f} | {r['frames'] / r['wall_s']:.1f} | {r['tree_peak_mb']} "
            f"({r['python_hwm_mb']}) | {r['out_size']} {r['codecs']} {r['out_mb']} MB | "
            f"{r['lufs_out']} LUFS, {r['dbtp_out']} dBTP | {_smoothness(r)} | "
            f"{', '.join(str(w) for w in r.get('walls', [r['wall_s']]))} |"
        )
    return "\n".join(lines)


def _smoothness(row: dict) -> str:
    if "judder_px" not in row:
        return "-"
    return f"{row['judder_px']} ({row['held']} of {row['moving']})"


def ratios(rows: list[dict]) -> list[str]:
    first = {r["contestant"]: r for r in rows if r["shots"] == rows[0]["shots"]}
    ours = first.get("ours")
    out = []
    if ours is None:
        return out
    for name in ("ffmpeg", "ffmpeg1", "ffmpeg-smooth"):
        if name in first:
            out.append(
                f"ours / {name} wall: {ours['wall_s'] / first[name]['wall_s']:.2f}x "
                f"(CPU {ours['cpu_s'] / first[name]['cpu_s']:.2f}x) - goal <= 1.15x"
            )
    if "moviepy" in first:
        mp = first["moviepy"]
        out.append(
            f"moviepy / ours wall: {mp['wall_s'] / ours['wall_s']:.2f}x "
            f"(CPU {mp['cpu_s'] / ours['cpu_s']:.2f}x) - goal >= 2x"
        )
    big = [r for r in rows if r["contestant"] == "ours" and r["shots"] != ours["shots"]]
    peak = max(ours["tree_peak_mb"], ours["python_hwm_mb"])
    for r in big:
        big_peak = max(r["tree_peak_mb"], r["python_hwm_mb"])
        out.append(
            f"ours peak RSS: {peak} MB at {ours['shots']} shots, {big_peak} MB at "
            f"{r['shots']} shots ({big_peak / peak:.2f}x) - goal: flat"
        )
    return out


def main(args: argparse.Namespace) -> None:
    print(f"machine: {os.cpu_count()} cores, no GPU; {load_note()}")
    with tempfile.TemporaryDirectory(prefix="bench_export_") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        workload = wl.build(tmp / "media", args.shots)
        print(
            f"workload: {args.shots} shots, {workload.frames} frames ({workload.seconds:.0f} s),"
            f" built in {time.perf_counter() - started:.1f} s"
        )
        rows = best_of(args.repeat, [c for c in CONTESTANTS if c not in args.skip], tmp)
        if args.memory_shots:
            big = wl.build(tmp / "media_big", args.memory_shots)
            print(f"memory workload: {args.memory_shots} shots, {big.frames} frames")
            rows.append(contest("ours", tmp / "media_big", tmp / "ours_big.mp4"))
            print(json.dumps(rows[-1]), flush=True)
        if args.parts:
            rows += parts(tmp, args.shots, args.memory_shots)
    print(f"after: {load_note()}\n")
    print(table(rows))
    print("\n".join(["", *ratios(rows)]))


# ---------------------------------------------------------------------------------- stages


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _picture_pass(workload: wl.Workload, target: Path | None, profile=None) -> float:
    """Make every frame of the film on this thread as the renderer does (I420 where no RGB
    work is needed), encoding them with x264 when `target` is given; process CPU seconds
    (cv2's and x264's worker threads included)."""
    from studio.media.encode import VideoEncoder
    from studio.render.frames import iter_timeline_frames

    settings = our_settings()
    frames = iter_timeline_frames(our_timeline(workload), Media(workload), settings, i420=True)
    encoder = None
    if target is not None:
        encoder = VideoEncoder(target, wl.OUT_W, wl.OUT_H, wl.FPS, crf=20, preset="veryfast")
    began = _cpu()
    if profile is not None:
        profile.enable()
    for frame in frames:
        if encoder is not None:
            encoder.write_i420(frame)
    if profile is not None:
        profile.disable()
    if encoder is not None:
        encoder.close()
    return _cpu() - began


def stages(shots: int) -> None:
    """Where ours spends its CPU: the mix (measuring passes, then rendering), making the frames
    (PNG decode, fitting, move warping in I420), x264 (a pass with encoding minus a pass
    without); the same split for the two decode-once ffmpeg graphs; then a cProfile of frame
    production's top functions."""
    import cProfile
    import pstats

    from studio.audio.feed import audio_chunks

    with tempfile.TemporaryDirectory(prefix="bench_export_") as tmp:
        workload = wl.build(Path(tmp) / "media", shots)
        began = _cpu()
        stream = our_mix(workload)
        stream.report  # noqa: B018 - runs the measuring passes
        measuring = _cpu() - began
        for _ in audio_chunks(stream):
            pass
        rendering = _cpu() - began - measuring
        profile = cProfile.Profile()
        bare = _picture_pass(workload, None, profile)
        full = _picture_pass(workload, Path(tmp) / "o.mp4")
        split = {
            smooth: _ffmpeg_split(workload, Path(tmp) / "f.mp4", smooth) for smooth in (False, True)
        }
    n = workload.frames

    def per(seconds: float) -> str:
        return f"{seconds:5.1f} s CPU ({seconds / n * 1000:4.1f} ms/frame)"

    print(f"{n} frames, {shots} shots, picture made on the calling thread:")
    print(f"  mix: measuring passes         {per(measuring)}")
    print(f"  mix: rendering the blocks     {per(rendering)}")
    print(f"  frames (decode, fit, warp)    {per(bare)}")
    print(f"  x264 veryfast crf 20          {per(full - bare)}")
    for smooth, (whole, graph) in split.items():
        name = "ffmpeg-smooth" if smooth else "ffmpeg1"
        print(
            f"{name}: graph alone (decode, scale, moves, audio filters; -f null) {per(graph)}, "
            f"encoders (x264 + AAC) {per(whole - graph)}"
        )
    pstats.Stats(profile).sort_stats("tottime").print_stats(5)


def _ffmpeg_split(workload: wl.Workload, target: Path, smooth: bool) -> tuple[float, float]:
    """CPU seconds of a decode-once ffmpeg command, and of its graph with no encoders."""
    command = ffmpeg_command(workload, target, True, smooth)
    graph_only = [*command[: command.index("-c:v")], "-f", "null", "-"]
    spent = []
    for args in (command, graph_only):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return spent[0], spent[1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=24)
    parser.add_argument("--memory-shots", type=int, default=96, help="0 to skip")
    parser.add_argument("--skip", nargs="*", default=[], choices=CONTESTANTS)
    parser.add_argument("--stages", action="store_true", help="profile ours instead")
    parser.add_argument("--repeat", type=int, default=2, help="rounds at --shots; best kept")
    parser.add_argument("--parts", action="store_true", help="also ours' mix and video alone")
    parser.add_argument("--child", choices=CONTESTANTS + PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.folder, options.target)
    elif options.stages:
        stages(options.shots)
    else:
        main(options)
