"""rollup_person_month: each person-month's main role, department and production

Filled here from rollup_work_month for existing rows (the same rule as ``data.rollup.main_group_columns``), so
the advocate aggregates are right straight after the upgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A snapshot of the rule in SQL both backends accept: most minutes, ties to the first name, then the lowest id.
_BACKFILL = """
UPDATE rollup_person_month SET
  main_role_id = (
    SELECT w.role_id FROM rollup_work_month w LEFT OUTER JOIN role r ON r.id = w.role_id
    WHERE w.person_id = rollup_person_month.person_id AND w.month_start = rollup_person_month.month_start
    GROUP BY w.role_id, r.en ORDER BY sum(w.minutes) DESC, coalesce(r.en, 'unassigned'), w.role_id LIMIT 1),
  main_department = (
    SELECT coalesce(r.department, 'unassigned') FROM rollup_work_month w LEFT OUTER JOIN role r ON r.id = w.role_id
    WHERE w.person_id = rollup_person_month.person_id AND w.month_start = rollup_person_month.month_start
    GROUP BY coalesce(r.department, 'unassigned') ORDER BY sum(w.minutes) DESC, 1 LIMIT 1),
  main_production_id = (
    SELECT w.production_id FROM rollup_work_month w LEFT OUTER JOIN production p ON p.id = w.production_id
    WHERE w.person_id = rollup_person_month.person_id AND w.month_start = rollup_person_month.month_start
    GROUP BY w.production_id, p.title
    ORDER BY sum(w.minutes) DESC, coalesce(p.title, '(no production)'), w.production_id LIMIT 1)
WHERE minutes > 0
"""


def upgrade() -> None:
    with op.batch_alter_table("rollup_person_month", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "main_role_id", sa.Integer(), nullable=True, comment="role with most minutes; NULL: no role given"
            )
        )
        batch_op.add_column(
            sa.Column("main_department", sa.String(length=30), nullable=True, comment="department with most minutes")
        )
        batch_op.add_column(
            sa.Column("main_production_id", sa.Integer(), nullable=True, comment="production with most minutes")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_rollup_person_month_main_role_id_role"),
            "role",
            ["main_role_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_rollup_person_month_main_production_id_production"),
            "production",
            ["main_production_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(_BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("rollup_person_month", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rollup_person_month_main_production_id_production"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_rollup_person_month_main_role_id_role"), type_="foreignkey")
        batch_op.drop_column("main_production_id")
        batch_op.drop_column("main_department")
        batch_op.drop_column("main_role_id")
