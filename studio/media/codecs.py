"""The film's codecs and containers, one entry each: `CODECS` and `CONTAINERS`.

An entry says everything the studio decides about a codec: the name the CLI's `--codec`, the
export dialog and `RenderSettings.codec` use, the label shown to people, the encoder, its pixel
format, its options, the container and file suffix, and the sound's codec. The encoder
(`render.encode`), the frame pipeline (whether frames may skip RGB), the export (the film's file
name), the CLI and the export dialog all read it: a new codec is one entry here. This module
imports no PyAV, so listing codecs stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studio.errors import InvalidInput


@dataclass(frozen=True)
class Container:
    name: str  # PyAV's (FFmpeg's) format name
    suffixes: tuple[str, ...]  # the first is the one a film is written with


@dataclass(frozen=True)
class Codec:
    """One video codec for the film, with what goes with it."""

    name: str  # as --codec and RenderSettings.codec name it
    label: str  # for people, in the export dialog
    encoder: str  # PyAV's encoder name
    pix_fmt: str  # the pixel format the encoder is fed
    container: str  # a name in CONTAINERS: the default when the target names none
    # encoder options; "{crf}" and "{preset}" stand for the export's quality and speed
    options: Mapping[str, str] = field(default_factory=dict)
    frame_threads: bool = False  # frame threads as the ffmpeg CLI uses (not slices)
    audio_codec: str = "aac"

    @property
    def suffix(self) -> str:
        """The suffix of a film written with this codec (".mp4")."""
        return CONTAINERS[self.container].suffixes[0]

    @property
    def takes_i420(self) -> bool:
        """Whether the encoder takes I420 (yuv420p) frames, which may then skip RGB."""
        return self.pix_fmt == "yuv420p"

    def encoder_options(self, crf: int, preset: str) -> dict[str, str]:
        return {key: value.format(crf=crf, preset=preset) for key, value in self.options.items()}


CONTAINERS: dict[str, Container] = {
    c.name: c for c in (Container("mp4", (".mp4", ".m4v")), Container("mov", (".mov",)))
}
_CODECS = (
    Codec(
        name="h264",
        label="H.264 in MP4 (to share)",
        encoder="libx264",
        pix_fmt="yuv420p",
        container="mp4",
        options={"crf": "{crf}", "preset": "{preset}"},
        # PyAV's default, slices, is x264's sliced-threads mode: less parallel and a little
        # larger at the same CRF
        frame_threads=True,
    ),
    Codec(
        name="prores",
        label="ProRes 422 HQ in MOV (to finish in an editing suite)",
        encoder="prores_ks",
        pix_fmt="yuv422p10le",
        container="mov",
        options={"profile": "3", "vendor": "apl0"},  # 422 HQ
    ),
)
CODECS: dict[str, Codec] = {c.name: c for c in _CODECS}
DEFAULT_CODEC = "h264"


def video_codec(name: str) -> Codec:
    """The registered codec `name`; InvalidInput naming the known ones for another."""
    if name not in CODECS:
        raise InvalidInput(f"unknown video codec {name!r}", f"use one of {', '.join(CODECS)}")
    return CODECS[name]


def container_for_suffix(path: str | Path) -> str | None:
    """The container a file's suffix names ("mp4" for .mp4 and .m4v), or None."""
    suffix = Path(path).suffix.lower()
    return next((c.name for c in CONTAINERS.values() if suffix in c.suffixes), None)


def choices_help() -> str:
    """The codecs as the CLI's help lists them: "h264 (MP4) or prores (MOV)"."""
    return " or ".join(f"{c.name} ({c.container.upper()})" for c in CODECS.values())


__all__ = [
    "CODECS",
    "CONTAINERS",
    "DEFAULT_CODEC",
    "Codec",
    "Container",
    "choices_help",
    "container_for_suffix",
    "video_codec",
]
