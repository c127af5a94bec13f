"""Encodings read on the whole stream (data.importers.encodings): UTF-8 with or without a BOM, UTF-16, CP932 however
its two-byte characters fall on the read boundaries, a name given for the import; and generated Japanese work-log
files saved as CP932 always import."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.importers import ImportFailed, import_file
from data.importers import encodings as enc
from data.importers.reading import csv_rows
from data.names import is_placeholder_name, person_key
from data.schema import ImportBatch, Production, WorkLog
from tests.data.importers.helpers import balanced

JAPANESE = "山田花子鈴木太郎作画監督原画動画背景仕上げ撮影ｱｲｳｴｵ①②ー～・"  # kanji, kana, half-width kana, CP932 extras


def test_each_encoding_is_detected_on_the_whole_file(tmp_path: Path) -> None:
    text = "person,work_date,minutes,note\n" + "山田 花子,2025-04-01,60,原画 ①\n" * 3
    cases = {
        "utf-8-sig": text.encode("utf-8-sig"),
        "utf-8": text.encode("utf-8"),
        "utf-16": text.encode("utf-16"),
        "utf-16-le": text.encode("utf-16-le"),
        "cp932": text.encode("cp932"),
    }
    want = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8-sig", "utf-16": "utf-16", "utf-16-le": "utf-16-le",
            "cp932": "cp932"}  # fmt: skip
    for name, data in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        assert enc.detect(path) == want[name], name
        header, rows = csv_rows(path)
        assert (
            header == ["person", "work_date", "minutes", "note"] and [r.cells["note"] for r in rows] == ["原画 ①"] * 3
        )


def test_cp932_after_a_long_ascii_start_and_on_every_read_boundary(tmp_path: Path, monkeypatch) -> None:
    """The first megabyte ASCII, then Japanese: decided on the whole file, not on a sample; and with reads of 7
    bytes, a two-byte character is cut by a boundary at every other offset and still decodes."""
    ascii_part = "person,work_date,minutes,note\n" + "a@example.jp,2025-04-01,60,x\n" * 40_000
    path = tmp_path / "late.csv"
    path.write_bytes((ascii_part + "山田 花子,2025-04-02,60,動画\n").encode("cp932"))
    assert path.stat().st_size > enc.READ
    assert enc.detect(path) == "cp932"
    monkeypatch.setattr(enc, "READ", 7)
    small = tmp_path / "small.csv"
    small.write_bytes(("note\n" + "原画動画ｱ①\n" * 20).encode("cp932"))
    assert enc.detect(small) == "cp932"


def test_text_that_is_none_of_them_is_refused_naming_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"person,minutes\n" + b"\x81\x20bad\n")  # a CP932 lead byte before a space: neither
    with pytest.raises(ImportFailed) as raised:
        enc.detect(path)
    assert "bad.csv: the text is not UTF-8 or CP932" in str(raised.value)
    assert "--encoding" in str(raised.value) and "--" not in raised.value.message("page")


def test_an_encoding_given_for_the_import_wins(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("person,work_date,minutes,note\nJürgen,2025-04-01,60,Tätigkeit\n".encode("cp1252"))
    with enc.using(path, "cp1252"):
        _, rows = csv_rows(path)
        assert [r.cells["note"] for r in rows] == ["Tätigkeit"]
    assert enc.normalize("Shift_JIS") == "cp932" and enc.normalize("UTF8") == "utf-8-sig"
    with pytest.raises(ImportFailed, match="not a text encoding"):
        enc.normalize("klingon")


_names = st.text(alphabet=JAPANESE + " ", min_size=1, max_size=8).filter(lambda t: t.strip())
_notes = st.text(alphabet=JAPANESE + 'abc ,"\n', max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(rows=[("・", 1, 60, ""), ("山田", 1, 60, "")], crlf=False, pad=0)  # a name that tells no one apart
@given(
    rows=st.lists(
        st.tuples(_names, st.integers(1, 28), st.integers(1, 600), _notes),
        min_size=1,
        max_size=30,
    ),
    crlf=st.booleans(),
    pad=st.integers(0, 3),
)
def test_generated_japanese_work_logs_saved_as_cp932_always_import(
    engine: Engine, tmp_path_factory: pytest.TempPathFactory, rows: list, crlf: bool, pad: int
) -> None:
    """Any such file, any lengths of its characters against the reads: it imports, every row accounted for, and
    what is stored reads back as written."""
    end = "\r\n" if crlf else "\n"
    lines = ["person,work_date,minutes,production,note"]
    for name, day, minutes, note in rows:
        quoted = '"' + note.replace('"', '""') + '"'
        lines.append(f"{'あ' * pad}{name},2025-04-{day:02d},{minutes},作品,{quoted}")
    data = (end.join(lines) + end).encode("cp932")
    assert codecs.decode(data, "cp932")  # the generator makes CP932 text
    path = tmp_path_factory.mktemp("cp932") / "logs.csv"
    path.write_bytes(data)
    with Session(engine) as s:
        if s.scalar(select(Production.id).where(Production.title == "作品")) is None:
            s.add(Production(title="作品", kind="tv"))
            s.commit()
        summary = import_file(s, path=path, create_people=True, dry_run=True)
    balanced(summary)
    assert summary.rows_total == len(rows)
    assert not {"bad_number", "bad_date", "missing_value"} & set(summary.rejected_by_reason)
    # A name of only punctuation (``・``) tells no one apart: its rows, and only they, are rejected as such.
    unreadable = sum(1 for name, *_ in rows if not person_key("あ" * pad + name))
    assert summary.rejected_by_reason.get("unreadable_name", 0) == unreadable
    # A readable name the one name check refuses (``～``: punctuation, not a person) creates no one (data.names).
    refused = sum(1 for name, *_ in rows if person_key("あ" * pad + name) and is_placeholder_name("あ" * pad + name))
    assert summary.rejected_by_reason.get("placeholder_name", 0) == refused
    assert summary.imported + summary.rejected_by_reason.get("day_over_24h", 0) + summary.rejected_by_reason.get(
        "duplicate_row", 0
    ) + unreadable + refused == len(rows)


def test_a_file_that_is_not_text_is_a_recorded_failure(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"person,work_date,minutes\n" + bytes(range(128, 256)) * 10)
    with pytest.raises(ImportFailed, match="binary.csv: the text is not"):
        import_file(session, path=path, format="canonical_work_logs")
    assert session.scalar(select(ImportBatch.status).order_by(ImportBatch.id.desc())) == "failed"
    assert session.scalar(select(WorkLog.id)) is None
