"""Import: upload a timesheet, pay, AI-usage, people, credit, employment, labor-agreement or annual-leave file;
progress, summary, rejected rows and warnings; the file's projects mapped onto productions (issue 14: the strings
this page added are in the message catalogs)."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from analytics.dashboard import import_history
from analytics.queries.productions import filter_options
from analytics.scope import Scope
from app_pages import _labels, _safe, _tables, _ui
from data.engine import session_scope
from data.importers import FORMATS, ImportFailed, import_file, rejected_rows_csv, warnings_csv

ident = _ui.require("manager")
_ = _ui.translator()
ENCODINGS = {"(detect)": None, "UTF-8": "utf-8", "Shift_JIS (CP932)": "cp932", "UTF-16": "utf-16"}
st.title(_("Import"))
st.caption(_("Timesheets (Kitsu, ShotGrid, ftrack, Kimai, Clockify, Toggl), Endroll's canonical CSV/XLSX for people, "
             "work logs, pay, AI usage, employment contracts, Article 36 labor agreements and the annual paid leave "
             "ledger, and credits (MADB JSON-LD, credit-roll text). See docs/import-formats.md."))  # fmt: skip

upload = st.file_uploader(_("File"), type=["csv", "tsv", "txt", "xlsx", "json", "jsonld"], key="import_file")
c = st.columns(2)
fmt = c[0].selectbox(_("Format"), ["(detect)", *sorted(FORMATS)], key="import_format",
                     format_func=lambda f: _("Detect from the file") if f == "(detect)" else
                     _labels.value_label("format", f, _))  # fmt: skip
production = c[1].text_input(_("Production (credit-roll text needs it)"), key="import_production")
c = st.columns(2)
dry_run = c[0].checkbox(_("Dry run (check only, write nothing)"), key="import_dry_run")
create_people = c[1].checkbox(_("Create people who are not known yet"), key="import_create_people")

c = st.columns(2)
encoding = c[0].selectbox(_("Encoding"), list(ENCODINGS), key="import_encoding",
                          format_func=lambda e: _("Detect from the file") if e == "(detect)" else e,
                          help=_("Detected from the whole file: UTF-8, UTF-16 or Shift_JIS (CP932)."))  # fmt: skip
create_productions = c[1].checkbox(_("Create a production for every project not known yet"),
                                   key="import_create_productions")  # fmt: skip
# The projects mapped onto productions after an import listed them (see below); kept for the next import.
project_map: dict[str, str | int | None] = st.session_state.get("import_project_map", {})
again = st.session_state.pop("import_again", False)

if upload is not None and (st.button(_("Import"), type="primary", key="import_go") or again):
    bar = st.progress(0.0, text=_("Reading…"))

    def progress(done: int, expected: int | None) -> None:
        share = min(done / expected, 1.0) if expected else 0.0
        text = _("{done:,} rows of about {expected:,}", done=done, expected=expected) if expected else _(
            "{done:,} rows", done=done)  # fmt: skip
        bar.progress(share, text=text)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            with Session(_ui.engine()) as session:
                summary = import_file(session, path=path, format=None if fmt == "(detect)" else fmt,
                                      production=production or None, dry_run=dry_run, create_people=create_people,
                                      actor=ident.username, progress=progress, encoding=ENCODINGS[encoding],
                                      project_map=project_map, create_productions=create_productions)  # fmt: skip
        except ImportFailed as exc:  # UnknownFormat included
            bar.empty()
            st.error(_("{error} — check the file and the format, then import again.",
                       error=_safe.error(exc, translate=_)))  # fmt: skip
            st.stop()
    bar.progress(1.0, text=_("Done"))
    if not dry_run:
        _ui.clear_cache()
    st.session_state["last_import"] = summary

summary = st.session_state.get("last_import")
if summary is not None:
    what = _labels.value_label("format", summary.format, _)
    st.subheader(_("Dry run of {file} ({format})", file=_safe.md(summary.filename), format=what) if summary.dry_run else
                 f"{_safe.md(summary.filename)} ({what})")  # fmt: skip
    c = st.columns(5)
    for col, (label, value) in zip(c, [(_("Rows"), summary.rows_total), (_("Imported"), summary.imported),
                                       (_("Updated"), summary.updated), (_("Unchanged"), summary.unchanged),
                                       (_("Rejected"), summary.rejected)], strict=True):  # fmt: skip
        col.metric(label, f"{value:,}")
    if summary.review_queue:
        st.warning(_("{n} names could not be matched to exactly one person; they wait for review.",
                     n=summary.review_queue))  # fmt: skip
    if summary.rejected_by_reason:
        reasons = pd.DataFrame(sorted(summary.rejected_by_reason.items()), columns=["reason", "rows"])
        _tables.table(reasons, "rejected_by_reason", empty="", codes={"reason": "rejection"})
    if summary.rejected and summary.batch_id and not summary.dry_run:

        def _rejected() -> bytes:
            with session_scope(_ui.engine()) as session:
                return rejected_rows_csv(session, batch_id=summary.batch_id)

        st.download_button(_("Download rejected rows (CSV)"), data=_rejected, mime="text/csv",
                           file_name=f"rejected_rows_batch_{summary.batch_id}.csv", key="import_rejected")  # fmt: skip
    elif summary.rejected_preview:
        _tables.table(pd.DataFrame([asdict(r) for r in summary.rejected_preview]), "rejected_preview", empty="",
                      codes={"code": "rejection", "reason": None})  # fmt: skip
    if summary.warned:
        st.warning(_.ngettext("{n} row was imported by a rule you should check (listed below).",
                              "{n} rows were imported by a rule you should check (listed below).", summary.warned,
                              n=f"{summary.warned:,}"))  # fmt: skip
        warned = pd.DataFrame(sorted(summary.warnings_by_reason.items()), columns=[_("Reason"), _("Rows")])
        st.dataframe(warned, hide_index=True)
        if summary.batch_id and not summary.dry_run:

            def _warnings() -> bytes:
                with session_scope(_ui.engine()) as session:
                    return warnings_csv(session, batch_id=summary.batch_id)

            st.download_button(_("Download warnings (CSV)"), data=_warnings, mime="text/csv",
                               file_name=f"warnings_batch_{summary.batch_id}.csv", key="import_warnings")  # fmt: skip
        else:
            _tables.table(pd.DataFrame([asdict(w) for w in summary.warnings_preview]), "warnings_preview", empty="",
                          codes={"code": "rejection", "reason": None})  # fmt: skip
    if summary.unknown_projects:
        st.subheader(_("Projects without a production"))
        st.caption(_("Their rows were not imported. Choose a production for each project, or create it, and import "
                     "the same file again: a project mapped once is remembered."))  # fmt: skip
        options = _ui.query(filter_options)
        productions = options[options["kind"] == "production"]
        leave, create = _("— leave it out —"), _("Create it as a new production")
        choices: dict[str, str | int | None] = {leave: None, create: ""}
        choices |= {label: int(value) for value, label in zip(productions["value"], productions["label"], strict=True)}
        chosen: dict[str, str | int | None] = {}
        for i, (name, rows) in enumerate(sorted(summary.unknown_projects.items(), key=lambda kv: (-kv[1], kv[0]))):
            pick = st.selectbox(_("{project} ({n} rows)", project=_safe.md(name), n=f"{rows:,}"), list(choices),
                                key=f"import_project_{i}")  # fmt: skip
            target = choices[pick]
            chosen[name] = name if target == "" else target
        if st.button(_("Import again with these productions"), key="import_map_go", disabled=upload is None):
            st.session_state["import_project_map"] = project_map | chosen
            st.session_state["import_again"] = True
            st.rerun()

st.subheader(_("Recent imports"))
_tables.table(_ui.query(import_history, scope=Scope(viewer=ident).for_role()), "import_history",
              empty=_("Nothing imported yet. Upload a file above; templates are in data/importers/templates/."))  # fmt: skip
