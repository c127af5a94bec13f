"""The Import page: a tracker export's unknown projects are listed, mapped or created, and the same file imported
again; warnings are counted and listed; the encoding can be named."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.app_fixtures import sign_in

TOGGL = (
    "\ufeffUser,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,"
    "Amount (USD)\r\n"
    "山田花子,,Studio,星の港,,LO 1,Yes,2025-03-10,09:00:00,2025-03-10,10:00:00,01:00:01,,0\r\n"
    "山田花子,,Studio,Sky Runner,,LO 2,Yes,2025-03-10,09:00:00,2025-03-10,09:30:00,00:30:00,,0\r\n"
    "山田花子,,Studio,社内研修,,研修,Yes,2025-03-11,13:00:00,2025-03-11,14:00:00,01:00:01,,0\r\n"
)


def test_unknown_projects_are_mapped_or_created_and_the_file_imported_again(
    studio: dict[str, int], engine: Engine
) -> None:
    from data.schema import Production, WorkLog

    at = sign_in("manager")
    at.session_state["language"] = "en"  # the labels below are the English ones (Japanese is the default)
    at.switch_page("app_pages/import_data.py").run()
    at.file_uploader(key="import_file").set_value(("toggl.csv", TOGGL.encode("utf-8"), "text/csv")).run()
    at.button(key="import_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Imported"], metrics["Rejected"]) == ("1", "2")
    assert any("Projects without a production" in h.value for h in at.subheader)
    assert any("rows were imported by a rule" in w.value or "row was imported by a rule" in w.value for w in at.warning)
    # Sky Runner goes to 星の港; 社内研修 becomes a production of its own.
    boxes = {box.label: box for box in at.selectbox if box.key and box.key.startswith("import_project_")}
    assert set(boxes) == {"Sky Runner (1 rows)", "社内研修 (1 rows)"}
    star = next(o for o in boxes["Sky Runner (1 rows)"].options if o.startswith("星の港"))
    boxes["Sky Runner (1 rows)"].set_value(star)
    boxes["社内研修 (1 rows)"].set_value("Create it as a new production")
    at.button(key="import_map_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Imported"], metrics["Unchanged"], metrics["Rejected"]) == ("2", "1", "0")
    with Session(engine) as s:
        assert s.scalar(select(Production.id).where(Production.title == "社内研修")) is not None
        assert s.scalar(select(func.count()).select_from(WorkLog).where(WorkLog.work_date >= dt.date(2025, 3, 10))) == 3
