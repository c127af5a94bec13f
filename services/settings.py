"""Saving the settings that are editable on the Admin page (``db_editable`` in :mod:`data.settings`). Managers only.

The ``setting`` table feeds no rollup or finding; pages drop their cached results after every write, so a changed
k-anonymity or sign-in limit is in force on the next page run. k-anonymity has a floor
(:data:`analytics.anonymized.K_FLOOR`, with its reason) that no one can save below; every change is audited, and the
advocates' page lists them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from analytics.anonymized import K_FLOOR, K_FLOOR_REASON
from data import audit, settings
from data.i18n import N_
from data.identity import Identity
from data.schema import SettingValue
from services.access import require
from services.errors import ValidationError

_KINDS = {int: "a whole number", float: "a number", bool: "yes or no", str: "text"}


def save_setting(session: Session, actor: Identity | None, *, key: str, raw: str) -> None:
    """Store ``raw`` for ``key`` after checking it parses; an environment variable still wins over it."""
    actor = require(actor, "manager", to=N_("change settings"))
    try:
        spec = settings.setting(key)
    except KeyError:
        raise ValidationError(N_("no setting is named {key!r}"), key=key) from None
    if not spec.db_editable:
        raise ValidationError(
            N_("{key} is set by the environment variable {env}, not on the Admin page"),
            fix=N_("set {env} where Endroll runs"),
            key=key,
            env=spec.env,
        )
    try:
        value = spec.parse(str(raw))
    except ValueError:
        kind = _KINDS.get(spec.kind, spec.kind.__name__)
        raise ValidationError(
            N_("{key} needs {kind}, got {raw!r}"),
            fix={"page": N_("enter {kind} in 'New value'")},
            key=key,
            kind=kind,
            raw=raw,
        ) from None
    if spec.kind is int and value < 1:
        raise ValidationError(N_("{key} must be at least 1, got {value}"), key=key, value=value)
    if key == "k_anonymity" and value < K_FLOOR:
        raise ValidationError(N_("k_anonymity cannot be under {floor}, got {value}. {reason}"),
                              fix={"page": N_("enter {floor} or more in 'New value'")}, key=key, value=value,
                              floor=K_FLOOR, reason=K_FLOOR_REASON)  # fmt: skip
    row = session.get(SettingValue, key)
    old = row.value if row is not None else None
    if row is None:
        row = SettingValue(key=key, value=str(value), updated_by=actor.username)
        session.add(row)
    else:
        row.value, row.updated_by = str(value), actor.username
    audit.record(
        session,
        actor=actor.username,
        action="setting.save",
        entity_type="setting",
        entity_id=key,
        old={"value": old},
        new={"value": str(value)},
    )
