"""Settings saved on the Admin page: managers only, parsed before they are stored, audited; on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import settings
from data.identity import Identity
from data.schema import AuditEvent, SettingValue
from services.errors import PermissionDenied, ValidationError
from services.settings import save_setting

BOSS = Identity(username="boss", role="manager")


def test_saved_value_is_in_force_and_audited(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENDROLL_K_ANONYMITY", raising=False)
    save_setting(session, BOSS, key="k_anonymity", raw="7")
    save_setting(session, BOSS, key="k_anonymity", raw=" 9 ")
    session.commit()
    assert settings.get("k_anonymity", session) == 9
    assert session.get(SettingValue, "k_anonymity").updated_by == "boss"
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.actor, e.entity_id, e.old_values, e.new_values) for e in events] == [
        ("boss", "k_anonymity", {"value": None}, {"value": "7"}),
        ("boss", "k_anonymity", {"value": "7"}, {"value": "9"}),
    ]


@pytest.mark.parametrize(
    "actor", [None, Identity(username="rep", role="advocate"), Identity(username="a", role="artist", person_id=1)]
)
def test_only_a_manager_changes_settings(session: Session, actor: Identity | None) -> None:
    with pytest.raises(PermissionDenied, match="only a manager can change settings"):
        save_setting(session, actor, key="k_anonymity", raw="2")
    assert session.get(SettingValue, "k_anonymity") is None
    assert session.scalars(select(AuditEvent)).all() == []


def test_refused_values_say_what_to_change(session: Session) -> None:
    with pytest.raises(ValidationError, match="k_anonymity needs a whole number, got 'five'") as words:
        save_setting(session, BOSS, key="k_anonymity", raw="five")
    assert words.value.message("page").endswith("enter a whole number in 'New value'")
    with pytest.raises(ValidationError, match="at least 1"):
        save_setting(session, BOSS, key="login_max_failures", raw="0")
    with pytest.raises(ValidationError, match="set by the environment variable DATABASE_URL"):
        save_setting(session, BOSS, key="database_url", raw="sqlite://")
    with pytest.raises(ValidationError, match="no setting is named 'colour'"):
        save_setting(session, BOSS, key="colour", raw="red")


def test_k_anonymity_has_a_floor_with_its_reason(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from analytics.anonymized import K_FLOOR, k_threshold
    from analytics.queries.advocate import setting_changes

    monkeypatch.delenv("ENDROLL_K_ANONYMITY", raising=False)
    for raw in ("1", "4"):
        with pytest.raises(ValidationError, match=f"k_anonymity cannot be under {K_FLOOR}, got {raw}") as refused:
            save_setting(session, BOSS, key="k_anonymity", raw=raw)
        assert "median and quartiles" in refused.value.message("page")
        assert refused.value.message("page").endswith(f"enter {K_FLOOR} or more in 'New value'")
    assert session.get(SettingValue, "k_anonymity") is None
    assert session.scalars(select(AuditEvent)).all() == []
    save_setting(session, BOSS, key="k_anonymity", raw=str(K_FLOOR))
    save_setting(session, BOSS, key="k_anonymity", raw="8")
    session.commit()
    assert k_threshold(session) == 8
    changes = setting_changes(session, key="k_anonymity")
    assert changes[["actor", "old", "new"]].values.tolist() == [["boss", None, "5"], ["boss", "5", "8"]]
    assert str(changes["at"].dtype).startswith("datetime64")
