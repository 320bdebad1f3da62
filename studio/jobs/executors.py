"""Choosing an executor by name: "local" (worker processes, the default), "inline", "ray"."""

from __future__ import annotations

from typing import Any

from studio.errors import StudioError


def make_executor(name: str = "local", address: str | None = None, **kwargs: Any):
    if name == "local":
        from studio.jobs.local import LocalExecutor

        return LocalExecutor(**kwargs)
    if name == "inline":
        from studio.jobs.inline import InlineExecutor

        return InlineExecutor()
    if name == "ray":
        from studio.jobs.ray_executor import RayExecutor

        return RayExecutor(address=address, **kwargs)
    raise StudioError(f"unknown executor {name!r}", "use local, inline or ray")
