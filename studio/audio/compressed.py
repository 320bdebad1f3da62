"""Compressed sound files (MP3, AAC/M4A, Opus, …) read in slices with flat memory.

Soundfile cannot seek in what most musicians hand over, and decoding an MP3 bed whole costs its
full float32 size (a 10-minute stereo bed at 48 kHz: about 230 MB). `CompressedAudioFile` decodes
the file once, frame by frame, into a float32 WAV sidecar in a cache folder, and then reads
`[a:b]` slices of the sidecar through soundfile, like `mix.AudioFile` does for WAV and FLAC.

Why a sidecar and not seeking in the compressed stream: MP3, AAC and Opus decoders carry state
from frame to frame (overlap-add, the MP3 bit reservoir, Opus's predicted band energies), so
samples decoded after a seek differ from those of a decode from the start. The sidecar holds the
very samples of the whole decode (`mix.load_audio_file`): float32 WAV stores them bit for bit.

The sidecar is named by the sha256 of the file's bytes and the FFmpeg build that decoded it, and
is written to a temporary name and renamed into place, so a crash never leaves a partial one. It
lives in the project's `cache/audio/` when the file is in a project's media store (the cache is
deletable: it is rebuilt on the next use), else in the user's cache folder. It costs as much disk
as the decoded sound (RF64, so beds over 4 GB decoded work too).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.audio.mix import AudioFile
from studio.errors import InvalidInput, NotFound, StudioError

SIDECAR_VERSION = 1
_HASH_CHUNK = 1 << 18
_WRITE_FRAMES = 1 << 14  # decoded frames gathered before each write to the sidecar
_PROJECT_DB = "project.db"
# a decode this much shorter than the length the file declares means a truncated file
_TRUNCATION_SECONDS = 0.25
_TRUNCATION_FRACTION = 0.01


class CompressedAudioFile(AudioFile):
    """A compressed sound file read on demand: `len()`, `.shape`, `.rate`, `[a:b]` float32 slices.

    Same interface as `mix.AudioFile`, for anything PyAV decodes (MP3, M4A/AAC, Opus in WebM or
    Ogg, …). Opening it decodes the file once into a sidecar in `cache_dir` (see
    `default_cache_dir`), unless that sidecar is already there; every slice then reads only its
    own samples. Slices equal those of `mix.load_audio_file(path)` sample for sample.

    Raises `NotFound` when there is no file at `path`, `InvalidInput` when it cannot be decoded,
    holds no sound, or is shorter than the length it declares (a truncated download or copy).
    """

    def __init__(self, path: str | Path, cache_dir: str | Path | None = None) -> None:
        path = Path(path)
        if not path.is_file():
            raise NotFound(f"no audio file at {path}")
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir(path)
        self.sidecar = ensure_sidecar(path, folder)
        super().__init__(path, samples_from=self.sidecar)

    def __repr__(self) -> str:
        return (
            f"CompressedAudioFile({str(self.path)!r}, frames={self.frames}, rate={self.rate}, "
            f"channels={self.channels})"
        )


# ---------------------------------------------------------------------------- the cache


def open_sound(path: str | Path, cache_dir: str | Path | None = None):
    """A long sound file opened for reading in slices (`AudioFile` or `CompressedAudioFile`):
    through soundfile where it seeks (WAV, FLAC, AIFF, Ogg), else (MP3, M4A, Opus…) through a
    decoded sidecar in `cache_dir` (see `default_cache_dir`). Both have `.rate` and `len()`."""
    from studio.audio.mix import SOUNDFILE_EXTENSIONS

    if Path(path).suffix.lower() in SOUNDFILE_EXTENSIONS:
        return AudioFile(path)
    return CompressedAudioFile(path, cache_dir)


def default_cache_dir(path: str | Path) -> Path:
    """Where the sidecar of `path` goes: `<project>/cache/audio` for a file in a writable
    project's media store (`<project>/media/ab/abcdef….mp3` next to `<project>/project.db`),
    else the user's cache folder (`$STUDIO_CACHE/audio` when that variable is set)."""
    path = Path(path).resolve()
    media = path.parent.parent
    project = media.parent
    if media.name == "media" and (project / _PROJECT_DB).is_file() and os.access(project, os.W_OK):
        return project / "cache" / "audio"
    if os.environ.get("STUDIO_CACHE"):
        return Path(os.environ["STUDIO_CACHE"]) / "audio"
    import platformdirs

    return Path(platformdirs.user_cache_dir("microfilm-studio")) / "audio"


def sidecar_name(path: str | Path) -> str:
    """The sidecar's file name: the sha256 of the file's bytes and a tag of the decoder build."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as source:
        for chunk in iter(lambda: source.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return f"{digest.hexdigest()}-{_decoder_tag()}.wav"


def _decoder_tag() -> str:
    """Short hash of what decides the decoded samples: this format and the FFmpeg libraries."""
    import av

    libraries = sorted(av.library_versions.items())
    text = f"{SIDECAR_VERSION}:{av.__version__}:{libraries}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def ensure_sidecar(path: str | Path, cache_dir: str | Path) -> Path:
    """The float32 WAV sidecar holding the whole decode of `path`, decoded now if not cached.

    A cached sidecar that soundfile cannot read (a damaged cache) is decoded again. Raises
    `StudioError` when the cache folder cannot be written (full disk, no permission).
    """
    path, cache_dir = Path(path), Path(cache_dir)
    if not path.is_file():
        raise NotFound(f"no audio file at {path}")
    target = cache_dir / sidecar_name(path)
    if target.is_file():
        if _readable(target):
            return target
        target.unlink(missing_ok=True)
    import soundfile

    part: Path | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, part_name = tempfile.mkstemp(dir=cache_dir, prefix=".", suffix=".part")
        os.close(fd)
        part = Path(part_name)
        decode_to_wav(path, part)
        os.replace(part, target)
    except (OSError, soundfile.SoundFileError) as err:
        raise StudioError(
            f"cannot write the decoded copy of {path} into {cache_dir}: {err}",
            "free some disk space or make the folder writable",
        ) from err
    finally:
        if part is not None:
            part.unlink(missing_ok=True)
    return target


def _readable(sidecar: Path) -> bool:
    try:
        return len(AudioFile(sidecar)) > 0
    except (InvalidInput, NotFound):
        return False


# ---------------------------------------------------------------------------- decoding


def decode_to_wav(path: str | Path, target: str | Path) -> tuple[int, int]:
    """Decode the first audio stream of `path` into a float32 RF64/WAV file at `target`,
    streaming (memory holds one write block); returns (frames, rate).

    The samples are those of `mix.load_audio_file(path)`: every decoded frame converted to
    planar float32, nothing else. Raises `InvalidInput` naming `path` when FFmpeg cannot decode
    it, when it holds no sound, or when the decode is shorter than the length it declares.
    """
    import av

    path = Path(path)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InvalidInput(f"the file {path} has no audio stream")
            stream = container.streams.audio[0]
            frames, rate = _decode_stream(container, stream, Path(target))
            declared = _declared_seconds(container, stream, path)
    except av.FFmpegError as err:
        raise InvalidInput(
            f"cannot decode the audio file {path}: {err}", "the file may be damaged"
        ) from err
    if frames == 0:
        raise InvalidInput(f"the audio file {path} holds no sound", "the file may be damaged")
    _check_complete(path, frames / rate, declared)
    return frames, rate


def _decode_stream(container, stream, target: Path) -> tuple[int, int]:
    """Write every decoded frame of `stream` to `target`; (frames, rate), (0, 0) if none."""
    import av
    import soundfile

    resampler = av.AudioResampler(format="fltp")
    writer: soundfile.SoundFile | None = None
    pending: list[np.ndarray] = []
    pending_frames = frames = rate = 0
    try:
        for packet_frame in container.decode(stream):
            for out in resampler.resample(packet_frame):
                planes = out.to_ndarray()  # (channels, n) float32
                if writer is None:
                    rate = int(out.sample_rate)
                    writer = _open_writer(target, rate, planes.shape[0])
                pending.append(planes)
                pending_frames += planes.shape[1]
                frames += planes.shape[1]
                if pending_frames >= _WRITE_FRAMES:
                    _write(writer, pending)
                    pending_frames = 0
        if writer is not None:
            _write(writer, pending)
    finally:
        if writer is not None:
            writer.close()
    return frames, rate


def _open_writer(target: Path, rate: int, channels: int):
    import soundfile

    return soundfile.SoundFile(
        str(target), "w", samplerate=rate, channels=channels, format="RF64", subtype="FLOAT"
    )


def _write(writer, pending: list[np.ndarray]) -> None:
    """Write the gathered planar blocks as interleaved frames and empty the list."""
    if pending:
        try:
            writer.write(np.concatenate(pending, axis=1).T)
        except AssertionError as err:  # soundfile asserts that every frame was written
            raise OSError(f"a short write to {writer.name} (is the disk full?)") from err
        pending.clear()


# ---------------------------------------------------------------------------- truncation


def _declared_seconds(container, stream, path: Path) -> float | None:
    """The length the file states itself, where it is written by the encoder and not guessed.

    MP3 with a Xing/Info/VBRI header (frame count), MP4/M4A/MOV (the movie header) and Matroska
    or WebM with a DURATION tag. Anything else (an MP3 without a header, whose length FFmpeg
    guesses from the bit rate; Ogg, whose length is read from its last page) declares nothing.
    """
    name = container.format.name
    if name.startswith("matroska"):
        return _parse_clock(stream.metadata.get("DURATION", ""))
    trusted = name.startswith("mov,mp4") or (name == "mp3" and _has_vbr_header(path))
    if not trusted or stream.duration is None or stream.time_base is None:
        return None
    return float(stream.duration * Fraction(stream.time_base))


def _has_vbr_header(path: Path) -> bool:
    """Does the first MP3 frame carry a Xing, Info or VBRI header (the exact frame count)?"""
    with path.open("rb") as source:
        head = source.read(10)
        if head[:3] == b"ID3" and len(head) == 10:  # skip the ID3v2 tag (a syncsafe size)
            source.seek(10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]))
        else:
            source.seek(0)
        data = source.read(1 << 14)
    sync = next((i for i in range(len(data) - 1) if _is_sync(data, i)), None)
    if sync is None:
        return False
    frame = data[sync : sync + 200]
    return any(tag in frame for tag in (b"Xing", b"Info", b"VBRI"))


def _is_sync(data: bytes, at: int) -> bool:
    return data[at] == 0xFF and (data[at + 1] & 0xE0) == 0xE0


_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _parse_clock(text: str) -> float | None:
    """Seconds of a Matroska DURATION tag such as '00:01:00.008000000'."""
    match = _CLOCK.match(text.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _check_complete(path: Path, decoded: float, declared: float | None) -> None:
    if declared is None:
        return
    if declared - decoded > max(_TRUNCATION_SECONDS, _TRUNCATION_FRACTION * declared):
        raise InvalidInput(
            f"the audio file {path} is cut short: it declares {declared:.2f} s but only "
            f"{decoded:.2f} s decode",
            "the file may be truncated or damaged; copy or export it again",
        )
