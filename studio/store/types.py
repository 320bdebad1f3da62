"""Column types that turn domain values into SQLite values and back."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from studio.domain.entities import VoiceProfile
from studio.domain.project import ProjectSettings
from studio.domain.time import RationalTime
from studio.errors import DAMAGED_HINT, ProjectDamaged


def loads(value: str) -> Any:
    """A JSON value stored in the project database. One nested past what Python can follow
    (a hostile bundle's, thousands of levels) or not JSON at all is damage, said in one line."""
    try:
        return json.loads(value)
    except RecursionError:
        raise ProjectDamaged(
            f"the project database holds a value nested thousands of levels deep "
            f"({len(value)} characters)",
            DAMAGED_HINT,
        ) from None
    except ValueError as exc:
        raise ProjectDamaged(
            f"the project database holds a value that is not JSON ({exc})", DAMAGED_HINT
        ) from None


class JSONText(TypeDecorator):
    """JSON stored as compact text (lists, dicts)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else loads(value)


class StrEnumType(TypeDecorator):
    """A StrEnum stored as its value."""

    impl = sa.String(24)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> StrEnum | None:
        return None if value is None else self.enum(value)


class RationalTimeType(TypeDecorator):
    """A RationalTime stored as JSON: {"value": 48, "rate": [24, 1]}."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: RationalTime | None, dialect: Any) -> str | None:
        return None if value is None else json.dumps(value.to_json(), separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Any) -> RationalTime | None:
        return None if value is None else RationalTime.from_json(loads(value))


class _DataclassJSON(TypeDecorator):
    impl = sa.Text
    cache_ok = True
    cls: Any = None

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        data = value if isinstance(value, dict) else value.to_json()
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else self.cls.from_json(loads(value))


class VoiceProfileType(_DataclassJSON):
    cache_ok = True
    cls = VoiceProfile


class SettingsType(_DataclassJSON):
    cache_ok = True
    cls = ProjectSettings
