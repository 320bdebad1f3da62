"""Benchmark: exporting a film, our renderer against the ffmpeg command-line tool and MoviePy.

The job (bench/export_workload.py): N shots of 1920x1080 textured stills animated by camera moves
(push in, pull out, pan left/right, tilt up, handheld), 2-4 s each, exported at 1280x720 24 fps,
H.264 veryfast CRF 20, AAC 160 kb/s, with a music bed ducked under dialogue bursts.

Contestants, each timed in its own subprocess (wall and CPU seconds from the start of the
process, imports included, and peak RSS of the process and of its child processes):
  ours     studio.audio.mix.mix (ducking, loudness, true-peak limiter) + render_timeline.
  ffmpeg   one ffmpeg command, one filter graph: `-loop 1 -framerate 24 -t DUR -i still.png` per
           shot, scale first then zoompan/crop per move, concat; adelay, sidechaincompress, amix,
           loudnorm.
  ffmpeg1  the same graph, but each still is decoded and scaled once and repeated with the
           `loop` filter (what an ffmpeg user tuning for speed would write).
  moviepy  MoviePy 2.x: ImageClip + resized/with_position functions, concatenate_videoclips,
           a volume envelope computed from the dialogue placement, write_videofile.

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

CONTESTANTS = ("ours", "ffmpeg", "ffmpeg1", "moviepy")
ZOOM = 1.15  # push in / pull out: the product's PUSH_ZOOM
PAN, TILT, SHAKE_PX = 0.12, 0.10, 8  # the product's pan/tilt travel; handheld amplitude in px


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
    from studio.domain.time import RationalTime, TimeRange
    from studio.domain.timeline import Clip, Timeline, Track

    def t(n: int) -> RationalTime:
        return RationalTime(n, wl.FPS)

    clips = []
    for shot in workload.shots:
        move = {"movement": shot.movement, "motion": 1.0, "seed": shot.index, "handles": wl.HANDLES}
        clips.append(
            Clip(
                f"Shot {shot.index + 1}",
                TimeRange(t(wl.HANDLES), t(shot.frames)),
                asset_id=shot.index + 1,
                media_duration=t(shot.frames + 2 * wl.HANDLES),
                metadata={"move": move},
            )
        )
    return Timeline("bench", wl.FPS, (Track("V1", "video", tuple(clips)),))


def our_mix(workload: wl.Workload):
    """Load the music bed and the dialogue takes and mix them (ducking, loudness, limiter)."""
    from studio.audio.mix import AudioClip, MixSettings, load_audio_file, mix

    music, rate = load_audio_file(workload.music)
    dialogue = []
    for shot in workload.shots:
        if shot.dialogue:
            samples, voice_rate = load_audio_file(shot.dialogue)
            dialogue.append(AudioClip(samples, voice_rate, shot.dialogue_at))
    bed = AudioClip(music, rate, 0.0, gain_db=wl.MUSIC_GAIN_DB)
    return mix(dialogue, [bed], [], workload.seconds, MixSettings())


def our_settings():
    from studio.render.presets import preset_settings

    return preset_settings("720p", wl.FPS, crf=20, preset="veryfast", audio_bitrate=160_000)


def run_ours(workload: wl.Workload, target: Path) -> dict:
    from studio.render.frames import render_timeline

    audio, report = our_mix(workload)
    mixed = time.perf_counter()
    render_timeline(our_timeline(workload), Media(workload), our_settings(), target, audio)
    return {
        "mix_s": round(mixed - START, 2),
        "lufs": report.integrated_lufs,
        "ducking_db": report.ducking_db,
    }


# ---------------------------------------------------------------------------------- ffmpeg


def _even(value: float) -> int:
    return int(round(value / 2)) * 2


def _ease(u: str) -> str:
    return f"(({u})*({u})*(3-2*({u})))"


def ffmpeg_move(shot: wl.Shot) -> tuple[tuple[int, int], str]:
    """(pre-scale size, move filter) approximating the shot's camera move at 1280x720: scale the
    1080p still down to just what the move needs, then zoompan (zooms) or crop (pans, tilt,
    shake) with per-frame expressions; `n`/`on` count the shot's frames."""
    w, h, last = wl.OUT_W, wl.OUT_H, shot.frames - 1
    if shot.movement in ("push_in", "pull_out"):
        e = _ease(f"min(on/{last},1)")
        zoom = f"1+{ZOOM - 1}*{e}" if shot.movement == "push_in" else f"{ZOOM}-{ZOOM - 1}*{e}"
        move = (
            f"zoompan=z='{zoom}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s={w}x{h}:fps={wl.FPS}"
        )
        return (_even(w * ZOOM), _even(h * ZOOM)), move
    e = _ease(f"min(n/{last},1)")
    if shot.movement in ("pan_left", "pan_right"):
        x = f"(iw-ow)*(1-{e})" if shot.movement == "pan_left" else f"(iw-ow)*{e}"
        size = (_even(w * (1 + PAN)), _even(w * (1 + PAN) * 9 / 16))
        return size, f"crop={w}:{h}:x='{x}':y='(ih-oh)/2'"
    if shot.movement == "tilt_up":
        size = (_even(h * (1 + TILT) * 16 / 9), _even(h * (1 + TILT)))
        return size, f"crop={w}:{h}:x='(iw-ow)/2':y='(ih-oh)*(1-{e})'"
    u = f"(n/{last})"  # handheld: smooth pseudo-random shake at constant speed, no rotation
    sx = f"(0.55*sin(2*PI*3.1*{u}+1)+0.3*sin(2*PI*5.3*{u}+2)+0.15*sin(2*PI*6.7*{u}))"
    sy = f"(0.55*sin(2*PI*2.3*{u}+4)+0.3*sin(2*PI*4.1*{u}+5)+0.15*sin(2*PI*6.1*{u}+3))"
    size = (_even(w + 2 * SHAKE_PX + 16), _even(h + 2 * SHAKE_PX + 10))
    return size, f"crop={w}:{h}:x='(iw-ow)/2+{SHAKE_PX}*{sx}':y='(ih-oh)/2+{SHAKE_PX}*{sy}'"


def ffmpeg_command(workload: wl.Workload, target: Path, decode_once: bool) -> list[str]:
    """The one ffmpeg command that does the whole job with one filter graph."""
    import imageio_ffmpeg

    args = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    graph, labels = [], []
    for shot in workload.shots:
        if decode_once:
            args += ["-framerate", str(wl.FPS), "-i", shot.still]
        else:
            args += [
                "-loop",
                "1",
                "-framerate",
                str(wl.FPS),
                "-t",
                str(shot.seconds),
                "-i",
                shot.still,
            ]
        (sw, sh), move = ffmpeg_move(shot)
        chain = f"[{shot.index}:v]scale={sw}:{sh}:flags=bicubic,format=yuv420p"
        if decode_once:
            chain += f",loop=loop={shot.frames - 1}:size=1:start=0,setpts=N/{wl.FPS}/TB"
        graph.append(f"{chain},{move},setsar=1,setpts=N/{wl.FPS}/TB[v{shot.index}]")
        labels.append(f"[v{shot.index}]")
    graph.append(f"{''.join(labels)}concat=n={len(labels)}:v=1:a=0[v]")
    graph += ffmpeg_audio_graph(workload, args)
    args += [
        "-filter_complex",
        ";".join(graph),
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "20",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "160k",
        "-ar",
        "48000",
        "-t",
        str(workload.seconds),
        str(target),
    ]
    return args


def ffmpeg_audio_graph(workload: wl.Workload, args: list[str]) -> list[str]:
    """Add the audio inputs to `args`; return the audio part of the graph, ending in [a]."""
    music = len(workload.shots)
    args += ["-i", workload.music]
    graph = [f"[{music}:a]volume={wl.MUSIC_GAIN_DB}dB[mus]"]
    lines = []
    for shot in (s for s in workload.shots if s.dialogue):
        index = music + 1 + len(lines)
        args += ["-i", shot.dialogue]
        delay = round(shot.dialogue_at * 1000)
        graph.append(f"[{index}:a]aresample=48000,adelay={delay}:all=1[d{len(lines)}]")
        lines.append(f"[d{len(lines)}]")
    graph.append(
        f"{''.join(lines)}amix=inputs={len(lines)}:normalize=0:duration=longest,"
        f"aformat=channel_layouts=stereo,apad=whole_dur={workload.seconds},asplit=2[dsc][dmx]"
    )
    graph.append("[mus][dsc]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[duck]")
    graph.append(
        "[duck][dmx]amix=inputs=2:normalize=0:duration=first,"
        "loudnorm=I=-16:TP=-1:LRA=11,aresample=48000[a]"
    )
    return graph


def run_ffmpeg(workload: wl.Workload, target: Path, decode_once: bool = False) -> dict:
    command = ffmpeg_command(workload, target, decode_once)
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
        "moviepy": run_moviepy,
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
    return figures


def verify(target: Path, frames: int) -> dict:
    """Probe the output with PyAV: frames, size, codecs; raise when it is not the film."""
    from studio.render.decode import probe

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
    from studio.render.decode import decode_audio

    sound = decode_audio(target)
    return {
        "out_frames": info.frames,
        "out_size": f"{info.width}x{info.height}",
        "codecs": f"{info.codec}/{info.audio_codec}",
        "out_mb": round(target.stat().st_size / 2**20, 1),
        "lufs_out": round(integrated_loudness(sound, 48_000), 1),
        "dbtp_out": round(true_peak_dbtp(sound), 1),
    }


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def table(rows: list[dict]) -> str:
    head = (
        "| contestant | shots | frames | wall s | CPU s | fps | peak RSS MB: tree (python) "
        "| output | loudness |\n|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['contestant']} | {r['shots']} | {r['out_frames']} | {r['wall_s']:.1f} | "
            f"{r['cpu_s']:.0f} | {r['frames'] / r['wall_s']:.1f} | {r['tree_peak_mb']} "
            f"({r['python_hwm_mb']}) | {r['out_size']} {r['codecs']} {r['out_mb']} MB | "
            f"{r['lufs_out']} LUFS, {r['dbtp_out']} dBTP |"
        )
    return "\n".join(lines)


def ratios(rows: list[dict]) -> list[str]:
    first = {r["contestant"]: r for r in rows if r["shots"] == rows[0]["shots"]}
    ours = first.get("ours")
    out = []
    if ours is None:
        return out
    for name in ("ffmpeg", "ffmpeg1"):
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
    for r in big:
        out.append(
            f"ours memory: {ours['tree_peak_mb']} MB at {ours['shots']} shots, "
            f"{r['tree_peak_mb']} MB at {r['shots']} shots "
            f"({r['tree_peak_mb'] / ours['tree_peak_mb']:.2f}x)"
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
        rows = []
        for name in (c for c in CONTESTANTS if c not in args.skip):
            rows.append(contest(name, tmp / "media", tmp / f"{name}.mp4"))
            print(json.dumps(rows[-1]), flush=True)
        if args.memory_shots:
            big = wl.build(tmp / "media_big", args.memory_shots)
            print(f"memory workload: {args.memory_shots} shots, {big.frames} frames")
            rows.append(contest("ours", tmp / "media_big", tmp / "ours_big.mp4"))
            print(json.dumps(rows[-1]), flush=True)
    print(f"after: {load_note()}\n")
    print(table(rows))
    print("\n".join(["", *ratios(rows)]))


# ---------------------------------------------------------------------------------- stages


def stages(shots: int) -> None:
    """Ours on one thread, timed piece by piece: the mix, producing frames (PNG decode, source
    fitting, move warping), encoding; then a cProfile of frame production's top functions."""
    import cProfile
    import pstats

    from studio.render.encode import VideoEncoder
    from studio.render.frames import iter_timeline_frames

    with tempfile.TemporaryDirectory(prefix="bench_export_") as tmp:
        workload = wl.build(Path(tmp) / "media", shots)
        settings = our_settings()
        began = time.perf_counter()
        audio, _ = our_mix(workload)
        mix_s = time.perf_counter() - began
        produce = encode = 0.0
        profile = cProfile.Profile()
        frames = iter_timeline_frames(our_timeline(workload), Media(workload), settings)
        with VideoEncoder(
            Path(tmp) / "o.mp4",
            settings.width,
            settings.height,
            settings.fps,
            crf=settings.crf,
            preset=settings.preset,
            audio_rate=48_000,
        ) as enc:
            while True:
                t0 = time.perf_counter()
                profile.enable()
                frame = next(frames, None)
                profile.disable()
                t1 = time.perf_counter()
                if frame is None:
                    break
                enc.write_frame(frame)
                produce, encode = produce + t1 - t0, encode + time.perf_counter() - t1
            t2 = time.perf_counter()
            enc.write_audio(audio)
        encode += time.perf_counter() - t2
    print(
        f"{workload.frames} frames on one thread: mix {mix_s:.1f} s, frames {produce:.1f} s "
        f"({produce / workload.frames * 1000:.1f} ms/frame), encode (video + audio) "
        f"{encode:.1f} s ({encode / workload.frames * 1000:.1f} ms/frame)"
    )
    pstats.Stats(profile).sort_stats("tottime").print_stats(8)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=24)
    parser.add_argument("--memory-shots", type=int, default=96, help="0 to skip")
    parser.add_argument("--skip", nargs="*", default=[], choices=CONTESTANTS)
    parser.add_argument("--stages", action="store_true", help="profile ours instead")
    parser.add_argument("--child", choices=CONTESTANTS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.folder, options.target)
    elif options.stages:
        stages(options.shots)
    else:
        main(options)
