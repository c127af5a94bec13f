"""What an import reports: every row's outcome, counted, the rejected rows, the rows imported by a rule a person
should check (warnings), and the projects no production was found for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Rejection:
    """One rejected row: where it is (line, column), what it held (value, raw text) and why (code, reason)."""

    line: int
    code: str
    reason: str
    column: str | None = None
    value: str | None = None
    raw: str | None = None

    def as_row(self, batch_id: int) -> dict[str, Any]:
        """The rejected_row table row of this rejection in batch ``batch_id`` (long texts cut to the columns)."""
        return {
            "batch_id": batch_id,
            "line": self.line,
            "column": self.column,
            "value": None if self.value is None else self.value[:10000],
            "reason": self.reason[:500],
            "reason_code": self.code[:60],
            "raw": None if self.raw is None else self.raw[:10000],
        }


@dataclass
class ImportSummary:
    """The outcome of one import. ``imported + updated + unchanged + rejected == rows_total`` always holds."""

    format: str
    rows_total: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    review_queue: int = 0
    batch_id: int | None = None
    dry_run: bool = False
    filename: str = ""
    details: dict[str, int] = field(default_factory=dict)  # e.g. records, credit_lines, notes, people_created
    rejected_preview: list[Rejection] = field(default_factory=list)  # the first rejections, for dry runs
    warned: int = 0  # rows imported by a documented rule that a person should check (ImportWarning rows)
    warnings_by_reason: dict[str, int] = field(default_factory=dict)
    warnings_preview: list[Rejection] = field(default_factory=list)
    unknown_projects: dict[str, int] = field(default_factory=dict)  # project as written → rows it held back

    def reject(self, rejection: Rejection) -> None:
        """Count a rejected row by its reason; keep it for the preview while there is room."""
        self.rejected += 1
        self.rejected_by_reason[rejection.code] = self.rejected_by_reason.get(rejection.code, 0) + 1
        if len(self.rejected_preview) < PREVIEW_LIMIT:
            self.rejected_preview.append(rejection)

    def warn(self, warning: Rejection) -> None:
        """Count a warning by its reason; keep it for the preview while there is room."""
        self.warned += 1
        self.warnings_by_reason[warning.code] = self.warnings_by_reason.get(warning.code, 0) + 1
        if len(self.warnings_preview) < PREVIEW_LIMIT:
            self.warnings_preview.append(warning)

    def count(self, key: str, n: int = 1) -> None:
        """Add ``n`` to ``details[key]``."""
        self.details[key] = self.details.get(key, 0) + n

    @property
    def balanced(self) -> bool:
        """True when every row read ended imported, updated, unchanged or rejected."""
        return self.imported + self.updated + self.unchanged + self.rejected == self.rows_total

    def as_text(self) -> str:
        """The summary as the command line prints it."""
        head = "DRY RUN (nothing written) — " if self.dry_run else ""
        lines = [
            f"{head}{self.filename}: format {self.format}",
            f"  rows       {self.rows_total}",
            f"  imported   {self.imported}",
            f"  updated    {self.updated}",
            f"  unchanged  {self.unchanged}",
            f"  rejected   {self.rejected}",
        ]
        for code, n in sorted(self.rejected_by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {code:<28} {n}")
        if self.warned:
            lines.append(f"  warnings   {self.warned} (imported by a rule; check them)")
            for code, n in sorted(self.warnings_by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {code:<28} {n}")
        if self.unknown_projects:
            lines.append(f"  projects without a production  {len(self.unknown_projects)}")
            for name, n in sorted(self.unknown_projects.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {name!r:<28} {n} rows")
        if self.review_queue:
            lines.append(f"  people to review  {self.review_queue}")
        for key, n in sorted(self.details.items()):
            lines.append(f"  {key:<16} {n}")
        if self.batch_id is not None:
            lines.append(f"  batch id   {self.batch_id}")
        return "\n".join(lines)


PREVIEW_LIMIT = 200
