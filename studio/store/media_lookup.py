"""The project's media as the renderer and the cut writers see it: asset rows by id, and where
their files lie (a `MediaLookup`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from studio.domain.entities import Asset
from studio.errors import NotFound

from .project_store import ProjectStore


class StoreMedia:
    """The renderer's and the OTIO writer's view of the project's media (a MediaLookup)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._assets: dict[int, Asset] = {}

    def asset(self, asset_id: int) -> Asset:
        if asset_id not in self._assets:
            self._assets[asset_id] = self.store.assets.get(asset_id)
        return self._assets[asset_id]

    def preload(self, asset_ids: Iterable[int]) -> StoreMedia:
        """Read these assets in a few queries up front (a render, mix or OTIO cut of 1,200
        shots otherwise asks the database once per asset); unknown ids are left for `asset`
        to report."""
        wanted = {i for i in asset_ids if i is not None} - set(self._assets)
        for asset in self.store.assets.with_ids(wanted):
            self._assets[asset.id] = asset
        return self

    def find(self, asset_id: int) -> Asset | None:
        """The asset, or None when the project has no such asset."""
        try:
            return self.asset(asset_id)
        except NotFound:
            return None

    def path(self, asset_id: int) -> Path:
        return self.store.media.absolute(self.asset(asset_id).path)

    def kind(self, asset_id: int) -> str:
        return self.asset(asset_id).kind
