"""The ledger lookups provenance makes (by manifest label, by watermark id), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.names import person_key
from data.schema import AiUsage, Person, Service


def test_rows_are_found_by_manifest_or_watermark_and_ids_stay_unique(engine: Engine) -> None:
    from generation.ledger import find_entry, new_watermark_id

    with Session(engine) as s:
        hanako = Person(display_name="山田 花子")
        ichiro = Person(display_name="佐藤 一郎", pen_name="いちろう", visibility="pen_name_only")
        tool = Service(name="tiny", match_key=person_key("tiny"), version="1")
        s.add_all([hanako, ichiro, tool])
        s.flush()
        generated = AiUsage(asset_path="a.png", service=tool, operator_id=hanako.id, manifest_ref="urn:c2pa:one",
                            watermark_id=4_000_000_000)  # fmt: skip
        s.add(generated)
        s.flush()
        edit = AiUsage(asset_path="b.png", service=tool, operator_id=hanako.id, stage="composite",
                       watermark_id=7, params={"editor": {"person_id": ichiro.id}, "parent_ai_usage_id": generated.id})  # fmt: skip
        s.add(edit)
        s.commit()

        by_manifest = find_entry(s, manifest_label="urn:c2pa:one")
        assert (by_manifest.id, by_manifest.found_by, by_manifest.operator) == (generated.id, "manifest", "山田 花子")
        by_mark = find_entry(s, manifest_label="urn:c2pa:unknown", watermark_id=7)
        assert (by_mark.id, by_mark.found_by, by_mark.stage) == (edit.id, "watermark", "composite")
        assert (by_mark.editor_id, by_mark.editor, by_mark.parent_id) == (ichiro.id, "いちろう", generated.id)
        assert find_entry(s, watermark_id=8) is None and find_entry(s) is None
        assert new_watermark_id(s) not in (7, 4_000_000_000) and 0 <= new_watermark_id(s) < 2**32

        s.add(AiUsage(asset_path="c.png", service=tool, operator_id=hanako.id, watermark_id=7))
        with pytest.raises(IntegrityError):
            s.commit()
