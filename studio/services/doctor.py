"""`studio doctor`: is every file a project names there and whole, can every stored cut be
used, is the database what the studio makes?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studio.errors import ProjectDamaged
from studio.services.project import open_readonly
from studio.services.timeline import load_timeline
from studio.store import project_store
from studio.store.blobs import hash_file
from studio.store.project_store import ProjectStore


@dataclass
class DoctorReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    dangling: list[str] = field(default_factory=list)  # references to rows that do not exist
    schema: list[str] = field(default_factory=list)  # the database's traps and damage

    @property
    def damaged(self) -> bool:
        return bool(self.missing or self.corrupt or self.dangling or self.schema)

    def to_json(self) -> dict:
        return {**self.__dict__, "damaged": self.damaged}


def doctor_project(folder: Path, verify_hashes: bool = True) -> DoctorReport:
    """`doctor` of the project at `folder`, after SQLite's integrity_check and the schema check
    (`store.schema`): a database holding what the studio does not make is reported, not read."""
    found = project_store.inspect(Path(folder), full=True)
    if found.newer:
        found.refuse(str(folder))
    if found.problems:
        return DoctorReport(schema=[f"project.db has {problem}" for problem in found.problems])
    with open_readonly(folder) as store:
        return doctor(store, verify_hashes)


def doctor(store: ProjectStore, verify_hashes: bool = True) -> DoctorReport:
    """Check that every referenced media file exists and matches its hash, that every stored
    cut can be used, and list orphans. A value the database cannot give back is damage."""
    report = DoctorReport()
    try:
        _check_media(store, report, verify_hashes)
    except ProjectDamaged as err:
        report.schema.append(err.message)
    for name in store.timelines.names():
        try:
            load_timeline(store, name)
        except ProjectDamaged as err:
            report.schema.append(err.message)
    return report


def _check_media(store: ProjectStore, report: DoctorReport, verify_hashes: bool) -> None:
    referenced: set[str] = set()
    for asset in store.assets.all():
        referenced.add(asset.path)
        report.checked += 1
        path = store.media.absolute(asset.path)
        if not path.is_file():
            report.missing.append(f"asset {asset.id}: {asset.path}")
        elif verify_hashes and hash_file(path) != asset.sha256:
            report.corrupt.append(f"asset {asset.id}: {asset.path} does not match its sha256")
    asset_ids = {a.id for a in store.assets.all()}
    take_ids = set()
    for take in store.takes.all():
        take_ids.add(take.id)
        if take.asset_id not in asset_ids:
            report.dangling.append(f"take {take.id} names asset {take.asset_id}, which is gone")
    for shot in store.shots.all():
        for name in ("active_keyframe_take_id", "active_clip_take_id"):
            take_id = getattr(shot, name)
            if take_id is not None and take_id not in take_ids:
                report.dangling.append(f"shot {shot.number}: {name} {take_id} does not exist")
    for line in store.lines.all():
        if line.active_voice_take_id is not None and line.active_voice_take_id not in take_ids:
            report.dangling.append(f"line {line.id}: voice take {line.active_voice_take_id} gone")
    for character in store.characters.all():
        for asset_id in character.reference_assets:
            if asset_id not in asset_ids:
                report.dangling.append(f"character {character.name}: asset {asset_id} gone")
    report.orphans = [f for f in store.media.files() if f not in referenced]
