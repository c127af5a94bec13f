"""Saving the settings that are editable on the Admin page (``db_editable`` in :mod:`data.settings`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from data import audit, settings
from data.identity import Identity
from data.schema import SettingValue


def save_setting(session: Session, identity: Identity, key: str, raw: str) -> None:
    """Store ``raw`` for ``key`` after checking it parses; an environment variable still wins over it."""
    if identity.role != "manager":
        raise PermissionError("only a manager can change settings")
    spec = settings.setting(key)
    if not spec.db_editable:
        raise ValueError(f"{key} is set by the environment variable {spec.env}, not on the Admin page")
    try:
        value = spec.parse(str(raw))
    except ValueError:
        raise ValueError(f"{key} needs a {spec.kind.__name__}, got {raw!r}") from None
    if spec.kind is int and value < 1:
        raise ValueError(f"{key} must be at least 1, got {value}")
    row = session.get(SettingValue, key)
    old = row.value if row is not None else None
    if row is None:
        row = SettingValue(key=key, value=str(value), updated_by=identity.username)
        session.add(row)
    else:
        row.value, row.updated_by = str(value), identity.username
    audit.record(
        session,
        actor=identity.username,
        action="setting.save",
        entity_type="setting",
        entity_id=key,
        old={"value": old},
        new={"value": str(value)},
    )
