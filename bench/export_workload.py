"""The export benchmark's workload: textured 1080p stills, camera moves, a music bed, dialogue.

Everything is deterministic (seeded) and written into a folder given by the caller, with a
`workload.json` that every contestant reads, so the three exporters do the same job from the
same files: N shots of 2, 3 or 4 seconds (cycling), moves cycling through push_in, pull_out,
pan_left, pan_right, tilt_up and handheld, a stereo 48 kHz music bed as long as the film, and a
1-2 s "speech-like" mono 22.05 kHz burst (like a Piper take) in every other shot.

It also holds the ffmpeg contestant's recipe: the one command line with one filter graph that
does the same job (moves approximated with scale + zoompan/crop, ducking by sidechaincompress).
"""

from __future__ import annotations

import json
import math
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

FPS = 24
OUT_W, OUT_H = 1280, 720
STILL_W, STILL_H = 1920, 1080
MOVES = ("push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "handheld")
DURATIONS = (2, 3, 4)  # seconds, cycling
BURSTS = (1.0, 1.5, 2.0)  # dialogue burst lengths, cycling
DIALOGUE_AT = 0.5  # seconds into the shot
MUSIC_RATE = 48_000
VOICE_RATE = 22_050  # what the Piper voice produces
MUSIC_GAIN_DB = -6.0
HANDLES = 6  # frames a side, as the product's clips carry
ZOOM = 1.15  # push in / pull out: the product's PUSH_ZOOM
PAN, TILT, SHAKE_PX = 0.12, 0.10, 8  # the product's pan/tilt travel; handheld amplitude in px


@dataclass(frozen=True)
class Shot:
    """One shot of the workload: its still, move, length and (maybe) a dialogue burst."""

    index: int
    still: str
    movement: str
    seconds: int
    start: float  # seconds into the film
    dialogue: str | None = None
    dialogue_at: float | None = None  # seconds into the film
    dialogue_seconds: float | None = None

    @property
    def frames(self) -> int:
        return self.seconds * FPS


@dataclass(frozen=True)
class Workload:
    """The whole job: the shots, the music bed and the film's length."""

    folder: str
    shots: tuple[Shot, ...]
    music: str
    seconds: float

    @property
    def frames(self) -> int:
        return sum(shot.frames for shot in self.shots)

    def to_json(self) -> dict:
        return {**asdict(self), "shots": [asdict(s) for s in self.shots]}

    @classmethod
    def load(cls, folder: Path) -> Workload:
        """Read `workload.json` from `folder`."""
        data = json.loads((Path(folder) / "workload.json").read_text())
        shots = tuple(Shot(**s) for s in data["shots"])
        return cls(data["folder"], shots, data["music"], data["seconds"])


# ---------------------------------------------------------------------------------- pictures


def textured_still(seed: int, width: int = STILL_W, height: int = STILL_H) -> np.ndarray:
    """A keyframe-like RGB picture: a lit gradient sky and ground, soft shapes, fine texture."""
    import cv2

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    top, bottom = rng.uniform(40, 220, 3), rng.uniform(20, 160, 3)
    horizon = rng.uniform(0.35, 0.65) * height
    sky = (yy / horizon)[..., None]
    picture = np.where(
        (yy < horizon)[..., None],
        top * (1 - 0.5 * sky),
        bottom * (0.6 + 0.4 * (yy - horizon)[..., None] / (height - horizon)),
    )
    picture += (20 * np.sin(xx / width * math.pi * rng.uniform(1, 3)))[..., None]
    picture = picture.astype(np.float32)
    for _ in range(14):  # buildings, figures, props
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        x, y = int(rng.uniform(0, width)), int(rng.uniform(horizon * 0.5, height))
        if rng.random() < 0.5:
            size = (int(rng.uniform(40, 300)), int(rng.uniform(60, 500)))
            cv2.rectangle(picture, (x, y), (x + size[0], y - size[1]), colour, -1, cv2.LINE_AA)
        else:
            cv2.circle(picture, (x, y), int(rng.uniform(20, 160)), colour, -1, cv2.LINE_AA)
    for _ in range(30):  # lines: edges, wires, horizon detail
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        p1 = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        p2 = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        cv2.line(picture, p1, p2, colour, int(rng.integers(1, 4)), cv2.LINE_AA)
    picture = cv2.GaussianBlur(picture, (0, 0), 1.2)
    coarse = rng.normal(0, 10, (height // 8, width // 8, 3)).astype(np.float32)
    picture += cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)  # texture
    picture += rng.normal(0, 3, picture.shape).astype(np.float32)  # sensor-like grain
    return np.clip(picture, 0, 255).astype(np.uint8)


def write_png(path: Path, rgb: np.ndarray) -> None:
    """Write an RGB array as PNG (zlib level 1, as the product's media store does)."""
    from studio.media.decode import encode_png

    path.write_bytes(encode_png(rgb))


# ---------------------------------------------------------------------------------- sound


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write float samples (n,) or (n, ch) in -1..1 as 16-bit PCM WAV."""
    data = np.asarray(samples, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def music_bed(seconds: float, seed: int = 5, rate: int = MUSIC_RATE) -> np.ndarray:
    """A stereo pad: a chord progression of detuned partials, slow swells and a little air."""
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    t = np.arange(n, dtype=np.float64) / rate
    roots = (110.0, 98.0, 130.81, 87.31)  # A2, G2, C3, F2: four bars of four seconds, looped
    root = np.asarray(roots)[(t // 4).astype(int) % len(roots)]
    phase = 2 * np.pi * np.cumsum(root) / rate
    out = np.zeros((n, 2))
    for ratio, level in ((1, 0.5), (1.25, 0.3), (1.5, 0.3), (2, 0.2), (3, 0.08)):
        for ch, detune in enumerate((0.998, 1.002)):
            out[:, ch] += level * np.sin(phase * ratio * detune + rng.uniform(0, 6))
    out *= (0.6 + 0.4 * np.sin(2 * np.pi * 0.125 * t))[:, None]
    out += 0.02 * rng.normal(size=out.shape)
    return (0.25 * out / np.abs(out).max()).astype(np.float32)


def speech_burst(seconds: float, seed: int, rate: int = VOICE_RATE) -> np.ndarray:
    """A speech-like mono burst: a gliding 120-200 Hz buzz with formant-ish partials and hiss,
    chopped into 4-6 syllables a second with short pauses."""
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    pitch = rng.uniform(120, 200) * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(0.5, 2) * t))
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 12))
    voice += 0.3 * np.sin(2 * np.pi * 700 * t) * np.sin(phase)
    voice += 0.15 * rng.normal(size=n)
    syllables = np.clip(np.sin(2 * np.pi * rng.uniform(4, 6) * t), 0, None) ** 0.7
    edges = np.minimum(1.0, np.minimum(t, seconds - t) / 0.03)
    burst = voice * syllables * edges
    return (0.5 * burst / np.abs(burst).max()).astype(np.float32)


# ---------------------------------------------------------------------------------- the job


def plan(count: int, folder: Path) -> tuple[Shot, ...]:
    """The shot list for `count` shots whose media live in `folder`."""
    shots, start = [], 0.0
    for k in range(count):
        seconds = DURATIONS[k % len(DURATIONS)]
        talk = k % 2 == 1
        burst = min(BURSTS[(k // 2) % len(BURSTS)], seconds - DIALOGUE_AT - 0.3)
        shots.append(
            Shot(
                index=k,
                still=str(folder / f"still_{k:03d}.png"),
                movement=MOVES[k % len(MOVES)],
                seconds=seconds,
                start=start,
                dialogue=str(folder / f"line_{k:03d}.wav") if talk else None,
                dialogue_at=start + DIALOGUE_AT if talk else None,
                dialogue_seconds=burst if talk else None,
            )
        )
        start += seconds
    return tuple(shots)


def build(folder: Path, count: int) -> Workload:
    """Write the stills, the dialogue bursts, the music bed and workload.json into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shots = plan(count, folder)
    for shot in shots:
        if not Path(shot.still).is_file():
            write_png(Path(shot.still), textured_still(1000 + shot.index))
        if shot.dialogue:
            burst = speech_burst(shot.dialogue_seconds, 2000 + shot.index)
            write_wav(Path(shot.dialogue), burst, VOICE_RATE)
    seconds = float(sum(shot.seconds for shot in shots))
    music = folder / "music.wav"
    write_wav(music, music_bed(seconds), MUSIC_RATE)
    workload = Workload(str(folder), shots, str(music), seconds)
    (folder / "workload.json").write_text(json.dumps(workload.to_json(), indent=1))
    return workload


def duck_envelope(
    workload: Workload,
    depth_db: float = 12.0,
    attack: float = 0.05,
    release: float = 0.4,
    hold: float = 0.3,
):
    """The music gain as a function of time (seconds, array or scalar), computed from where the
    dialogue bursts are placed: down by `depth_db` from `attack` before a line to `hold` after
    it, with linear ramps (the envelope a MoviePy user has to build, having no sidechain)."""
    spans = [
        (s.dialogue_at, s.dialogue_at + s.dialogue_seconds + hold)
        for s in workload.shots
        if s.dialogue
    ]
    floor = 10 ** (-depth_db / 20)

    def gain(t):
        t = np.asarray(t, dtype=np.float64)
        down = np.zeros_like(t)
        for begin, end in spans:
            ramp_in = np.clip((t - (begin - attack)) / attack, 0, 1)
            ramp_out = np.clip(1 - (t - end) / release, 0, 1)
            down = np.maximum(down, np.minimum(ramp_in, ramp_out))
        return 1.0 - (1.0 - floor) * down

    return gain


# ---------------------------------------------------------------------------------- ffmpeg


def even(value: float) -> int:
    return int(round(value / 2)) * 2


def _ease(u: str) -> str:
    return f"(({u})*({u})*(3-2*({u})))"


def _shake(u: str) -> tuple[str, str]:
    """A smooth pseudo-random shake in -1..1 for x and y at point `u` (an expression) of a shot."""
    sx = f"(0.55*sin(2*PI*3.1*{u}+1)+0.3*sin(2*PI*5.3*{u}+2)+0.15*sin(2*PI*6.7*{u}))"
    sy = f"(0.55*sin(2*PI*2.3*{u}+4)+0.3*sin(2*PI*4.1*{u}+5)+0.15*sin(2*PI*6.1*{u}+3))"
    return sx, sy


def ffmpeg_move(shot: Shot) -> tuple[tuple[int, int], str]:
    """(pre-scale size, move filter) approximating the shot's camera move at 1280x720: scale the
    1080p still down to just what the move needs, then zoompan (zooms) or crop (pans, tilt,
    shake) with per-frame expressions; `n`/`on` count the shot's frames."""
    w, h, last = OUT_W, OUT_H, shot.frames - 1
    if shot.movement in ("push_in", "pull_out"):
        e = _ease(f"min(on/{last},1)")
        zoom = f"1+{ZOOM - 1}*{e}" if shot.movement == "push_in" else f"{ZOOM}-{ZOOM - 1}*{e}"
        move = f"zoompan=z='{zoom}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s={w}x{h}:fps={FPS}"
        return (even(w * ZOOM), even(h * ZOOM)), move
    e = _ease(f"min(n/{last},1)")
    if shot.movement in ("pan_left", "pan_right"):
        x = f"(iw-ow)*(1-{e})" if shot.movement == "pan_left" else f"(iw-ow)*{e}"
        size = (even(w * (1 + PAN)), even(w * (1 + PAN) * 9 / 16))
        return size, f"crop={w}:{h}:x='{x}':y='(ih-oh)/2'"
    if shot.movement == "tilt_up":
        size = (even(h * (1 + TILT) * 16 / 9), even(h * (1 + TILT)))
        return size, f"crop={w}:{h}:x='(iw-ow)/2':y='(ih-oh)*(1-{e})'"
    sx, sy = _shake(f"(n/{last})")  # handheld at constant speed, no rotation
    size = (even(w + 2 * SHAKE_PX + 16), even(h + 2 * SHAKE_PX + 10))
    return size, f"crop={w}:{h}:x='(iw-ow)/2+{SHAKE_PX}*{sx}':y='(ih-oh)/2+{SHAKE_PX}*{sy}'"


def ffmpeg_smooth_move(shot: Shot) -> tuple[tuple[int, int], str]:
    """(pre-scale size, move filter) for the same moves at sub-pixel precision, as the product
    makes them: a `perspective` warp (bilinear, corners evaluated per frame) of the pre-scaled
    still, cropped to 1280x720. Output pixel p samples the still at C + k(t) R(-a(t)) (p - c) +
    o(t) (C, c: the still's and the frame's centres); the handheld shake turns too."""
    (sw, sh), _ = ffmpeg_move(shot)
    w, h, last = OUT_W, OUT_H, shot.frames - 1
    e = _ease(f"min(in/{last},1)")
    k, ox, oy, turn = "1", "0", "0", "0"
    if shot.movement == "push_in":
        k = f"({ZOOM}/(1+{ZOOM - 1}*{e}))"
    elif shot.movement == "pull_out":
        k = f"({ZOOM}/({ZOOM}-{ZOOM - 1}*{e}))"
    elif shot.movement in ("pan_left", "pan_right"):
        sign = "" if shot.movement == "pan_left" else "-"
        ox = f"({sign}{sw - w}*(0.5-{e}))"
    elif shot.movement == "tilt_up":
        oy = f"({sh - h}*(0.5-{e}))"
    else:
        sx, sy = _shake(f"(in/{last})")
        ox, oy = f"({SHAKE_PX}*{sx})", f"({SHAKE_PX}*{sy})"
        turn = f"({math.radians(0.3)}*sin(2*PI*1.7*in/{last}+2))"
    corners = []
    for index, (cx, cy) in enumerate(((0, 0), (sw, 0), (0, sh), (sw, sh))):
        dx, dy = cx - w / 2, cy - h / 2
        x = f"{sw / 2}+{k}*(cos({turn})*{dx}+sin({turn})*{dy})+{ox}"
        y = f"{sh / 2}+{k}*(cos({turn})*{dy}-sin({turn})*{dx})+{oy}"
        corners += [f"x{index}='{x}'", f"y{index}='{y}'"]
    warp = f"perspective={':'.join(corners)}:interpolation=linear:eval=frame"
    return (sw, sh), f"{warp},crop={w}:{h}:0:0"


def ffmpeg_command(
    workload: Workload, target: Path, decode_once: bool, smooth: bool = False
) -> list[str]:
    """The one ffmpeg command that does the whole job with one filter graph."""
    import imageio_ffmpeg

    args = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    graph, labels = [], []
    for shot in workload.shots:
        if decode_once:
            args += ["-framerate", str(FPS), "-i", shot.still]
        else:
            looped = ["-loop", "1", "-framerate", str(FPS), "-t", str(shot.seconds)]
            args += [*looped, "-i", shot.still]
        (sw, sh), move = (ffmpeg_smooth_move if smooth else ffmpeg_move)(shot)
        chain = f"[{shot.index}:v]scale={sw}:{sh}:flags=bicubic,format=yuv420p"
        if decode_once:
            chain += f",loop=loop={shot.frames - 1}:size=1:start=0,setpts=N/{FPS}/TB"
        graph.append(f"{chain},{move},setsar=1,setpts=N/{FPS}/TB[v{shot.index}]")
        labels.append(f"[v{shot.index}]")
    graph.append(f"{''.join(labels)}concat=n={len(labels)}:v=1:a=0[v]")
    graph += ffmpeg_audio_graph(workload, args)
    args += ["-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]"]
    args += "-c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p".split()
    args += "-c:a aac -b:a 160k -ar 48000".split()
    args += ["-t", str(workload.seconds), str(target)]
    return args


def ffmpeg_audio_graph(workload: Workload, args: list[str]) -> list[str]:
    """Add the audio inputs to `args`; return the audio part of the graph, ending in [a]."""
    music = len(workload.shots)
    args += ["-i", workload.music]
    graph = [f"[{music}:a]volume={MUSIC_GAIN_DB}dB[mus]"]
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
