"""Measured mixes kept between runs: a `MixPlan` stored under the fingerprint of its mix.

Measuring a film's mix passes over all of its sound (about a minute for an 80-minute film on a
laptop). The plan it finds depends only on what is mixed, so it is kept in the project's cache
(`cache/mix/<fingerprint>.npz`, derived and deletable): an export or a player that mixes the
same cut again adopts it instead of measuring. The newest few are kept; `latest_gain` gives a
player the gain of the last measured cut to sound right while an edited cut is measured.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from studio.atomic import written
from studio.audio.mix import MixReport
from studio.audio.mix_stream import MixPlan, MixStream

KEEP = 16


def load_plan(folder: Path, key: str) -> MixPlan | None:
    """The plan stored under `key`, or None (none stored, or unreadable: then measure)."""
    path = Path(folder) / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            report = json.loads(str(data["report"]))
            arrays = {
                name: (data[name] if bool(data[f"has_{name}"]) else None)
                for name in ("reduction", "active")
            }
            gain, limited = float(data["gain_db"]), bool(data["limited"])
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    silent = {"integrated_lufs", "true_peak_dbtp"}  # silence's -inf was stored as None
    fields = {k: (-math.inf if v is None and k in silent else v) for k, v in report.items()}
    try:
        return MixPlan(MixReport(**fields), gain, limited, arrays["reduction"], arrays["active"])
    except TypeError:
        return None


def save_plan(folder: Path, key: str, plan: MixPlan) -> Path:
    """Store `plan` under `key` (written whole, then renamed); keep the newest `KEEP`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    empty = np.zeros(0)
    path = folder / f"{key}.npz"
    with written(path) as partial, open(partial, "wb") as handle:
        np.savez(
            handle,
            report=np.array(json.dumps(plan.report.to_json())),
            gain_db=np.array(plan.gain_db),
            limited=np.array(plan.limited),
            reduction=plan.reduction if plan.reduction is not None else empty,
            has_reduction=np.array(plan.reduction is not None),
            active=plan.active if plan.active is not None else empty,
            has_active=np.array(plan.active is not None),
        )
    for old in _stored(folder)[:-KEEP]:
        old.unlink(missing_ok=True)
    return path


def _stored(folder: Path) -> list[Path]:
    """The stored plans, oldest first (a partial file being written is not one)."""
    found = []
    for path in folder.glob("*.npz") if folder.is_dir() else ():
        try:
            if not path.name.startswith("."):
                found.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    return [path for _, path in sorted(found)]


def latest_gain(folder: Path) -> float | None:
    """The gain of the most recently measured mix in `folder` (None when there is none)."""
    for path in reversed(_stored(Path(folder))):
        plan = load_plan(path.parent, path.stem)
        if plan is not None:
            return plan.gain_db
    return None


def adopt(stream: MixStream, folder: Path) -> bool:
    """Give `stream` its stored plan when there is one; whether it had one."""
    plan = load_plan(folder, stream.fingerprint())
    if plan is not None:
        stream.use(plan)
    return plan is not None


def remember(stream: MixStream, folder: Path) -> None:
    """Store the plan of a measured `stream` (a read-only or full disk only loses the cache)."""
    if stream.measured:
        try:
            save_plan(folder, stream.fingerprint(), stream.plan())
        except OSError:
            pass


def measured(stream: MixStream, folder: Path, ctx=None) -> MixPlan:
    """`stream`'s plan: adopted from `folder` when stored, else measured and stored."""
    if not adopt(stream, folder):
        stream.measure(ctx)
        remember(stream, folder)
    return stream.plan()


__all__ = ["KEEP", "adopt", "latest_gain", "load_plan", "measured", "remember", "save_plan"]
