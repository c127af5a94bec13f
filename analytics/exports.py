"""Table exports for downloads: CSV that Excel opens correctly, XLSX and JSON, with spreadsheet formulas defused.

Names must survive exactly (UTF-8 throughout; the CSV carries a byte-order mark because Excel otherwise reads it
as the local code page and mangles 山田). A cell that a spreadsheet would run as a formula is prefixed with ``'``
(OWASP "CSV injection"): text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — the rule of
:mod:`data.tabular`, which writes every CSV and TSV Endroll produces.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from decimal import Decimal
from typing import Any

import pandas as pd

from analytics.errors import ExportError
from data import tabular
from data.i18n import N_
from data.tabular import FORMULA_PREFIXES, neutralize

__all__ = ["FORMULA_PREFIXES", "SENSITIVE_COLUMNS", "UTF8_BOM", "neutralize", "neutralize_frame", "to_csv_bytes",
           "to_json_bytes", "to_xlsx_bytes"]  # fmt: skip
UTF8_BOM = b"\xef\xbb\xbf"
SENSITIVE_COLUMNS = frozenset({"password", "password_hash", "hash", "secret", "token"})


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name neutralized; numbers stay numbers. Refuses secret
    columns."""
    _refuse_secrets(frame)
    return tabular.neutralize_frame(_whole_ids(frame.copy()))


def _whole_ids(frame: pd.DataFrame) -> pd.DataFrame:
    # A key column with a gap is read as floats; another tool joining on it must read 1093, not 1093.0.
    for column in frame.columns:
        name = str(column)
        if (name == "id" or name.endswith("_id")) and pd.api.types.is_float_dtype(frame[column]):
            values = frame[column].dropna()
            if values.eq(values.round()).all():
                frame[column] = frame[column].astype("Int64")
    return frame


def _refuse_secrets(frame: pd.DataFrame) -> None:
    # A hash in a download is a leak that cannot be recalled; refuse loudly instead of trusting every caller.
    leaked = sorted(str(c) for c in frame.columns if str(c).lower() in SENSITIVE_COLUMNS)
    if leaked:
        raise ExportError(N_("refusing to export secret columns: {columns}"), fix=N_("leave them out of the table"),
                          columns=", ".join(leaked))  # fmt: skip


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, formulas neutralized, no index column."""
    _refuse_secrets(frame)
    return UTF8_BOM + tabular.frame_csv(_whole_ids(frame.copy())).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet_name: str = "data") -> bytes:
    """An XLSX workbook (openpyxl) with one sheet; text cells are stored as text, never as formulas."""
    from openpyxl import Workbook

    safe = neutralize_frame(frame)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_name))
    sheet.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    # Excel limits sheet names to 31 characters and forbids []:*?/\ in them.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip() or "data"
    return cleaned[:31]


def _xlsx_cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()  # numpy scalars
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def to_json_bytes(payload: pd.DataFrame | dict[str, Any] | list[Any]) -> bytes:
    """UTF-8 JSON (names kept in native script, not ``\\u`` escaped); a DataFrame becomes a list of records."""
    if isinstance(payload, pd.DataFrame):
        payload = _records(payload)
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default).encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    _refuse_secrets(frame)
    return [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return _records(value)
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot export {type(value).__name__} as JSON")
