"""Every whole MADB file of the shared sample (../shared/data/madb beside the repository, or ENDROLL_MADB_DIR)
imported through the command line, on SQLite and PostgreSQL: exit status 0, the counts of each file, and no stored
person name that is a role bracket, a ``役職:`` prefix or a separator run. Skipped, saying why, only where the
folder is absent (the samples the other tests read are in tests/fixtures/madb)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.schema import CreditLine, CreditNote, Organization, PersonAlias, Production
from tests.data.importers.helpers import ROOT
from tests.data.importers.test_madb import not_a_name


def shared_madb() -> Path:
    """ENDROLL_MADB_DIR, else the first ``shared/data/madb`` in a folder above the checkout (a worktree sits deeper)."""
    if os.environ.get("ENDROLL_MADB_DIR"):
        return Path(os.environ["ENDROLL_MADB_DIR"])
    for parent in ROOT.parents:
        if (parent / "shared" / "data" / "madb").is_dir():
            return parent / "shared" / "data" / "madb"
    return ROOT.parent / "shared" / "data" / "madb"


MADB = shared_madb()
# file → (records with credits, credit lines, lines naming an organization, organizations, source defects, notes)
COUNTS = {
    "metadata_an-col_an208_00001.json": (36, 587, 20, 16, 1, 10),
    "metadata_an-col_an209_00001.json": (286, 8145, 388, 154, 22, 0),
    "metadata_an-col_an210_00001.json": (2465, 45329, 5831, 1676, 663, 2195),
    "metadata_an-item_an205_00001.json": (1697, 184, 1, 2, 0, 1786),
}


@pytest.mark.skipif(not MADB.is_dir(), reason=f"the shared MADB files are not at {MADB} (set ENDROLL_MADB_DIR)")
@pytest.mark.parametrize("name", sorted(COUNTS))
def test_each_shared_file_imports_whole_with_its_counts(name: str, engine: Engine) -> None:
    path = MADB / name
    url = engine.url.render_as_string(hide_password=False)
    run = subprocess.run(
        [sys.executable, "-m", "data.importers", str(path), "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert "rejected   0" in run.stdout
    with Session(engine) as s:

        def n(model: type, *where: object) -> int:
            return s.scalar(select(func.count()).select_from(model).where(*where))

        defects = CreditNote.kind.like("source_defect:%")
        assert (
            n(Production, Production.external_ref.is_not(None)),
            n(CreditLine),
            n(CreditLine, CreditLine.org_alias_id.is_not(None)),
            n(Organization),
            n(CreditNote, defects),
            n(CreditNote, ~defects),
        ) == COUNTS[name]
        people = s.execute(
            select(CreditLine.name_as_credited, PersonAlias.text).join(
                PersonAlias, PersonAlias.id == CreditLine.person_alias_id
            )
        ).all()
        bad = {text for pair in people for text in pair if not_a_name(text)}
        assert bad == set()
        assert all(name.strip() for name, _ in people)
    again = subprocess.run(
        [sys.executable, "-m", "data.importers", str(path), "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert again.returncode == 0 and "imported   0" in again.stdout, again.stdout[-1000:]
