"""person-free work per month × production and per month × department, with the people (and cuts) counted at refresh;
person-free work per month × production × episode × role and per cut × role over all months; rollup_cut_month
indexed by cut and AI sessions, rollup_work_month by role and person (covering the AI share by department)

The dashboard's month × production and month × department charts counted distinct people over the person-level
``rollup_work_month`` on every request; these keep that grain, and existing databases get them filled from the
rollups already there (the same sums a refresh writes).

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = "seconds, night_seconds, holiday_seconds, ai_seconds, units, ai_units, sessions"
# A month of one production sums millions of work logs: more seconds than a 32-bit integer holds on PostgreSQL
# (SQLite's integers are 64-bit already). Revision 0031 widens the columns of databases created before this was so.
BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _work_columns() -> list[sa.Column]:
    return [
        sa.Column("seconds", BIG, nullable=False),
        sa.Column("night_seconds", BIG, nullable=False),
        sa.Column("holiday_seconds", BIG, nullable=False),
        sa.Column("ai_seconds", sa.Float(), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("ai_units", sa.Float(), nullable=False),
        sa.Column("sessions", BIG, nullable=False),
        sa.Column("people", sa.Integer(), nullable=False, comment="distinct people with work in the cell"),
    ]


def upgrade() -> None:
    op.create_table(
        "rollup_production_month",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        *_work_columns(),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_rollup_production_month_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_production_month")),
    )
    op.create_index("ix_rollup_production_month_month", "rollup_production_month", ["month_start", "production_id"])
    op.create_table(
        "rollup_department_month",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=30), nullable=False),
        *_work_columns(),
        sa.Column("cuts", sa.Integer(), nullable=False, comment="distinct cuts worked on (rollup_cut_month)"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_department_month")),
    )
    op.create_index("ix_rollup_department_month_month", "rollup_department_month", ["month_start", "department"])
    op.create_table(
        "rollup_work_cell",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        *_work_columns()[:-1],
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_rollup_work_cell_episode_id_episode"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_rollup_work_cell_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_rollup_work_cell_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_work_cell")),
    )
    op.create_index("ix_rollup_work_cell_episode", "rollup_work_cell", ["episode_id", "seconds"])
    op.create_index(
        "ix_rollup_work_month_role_person",
        "rollup_work_month",
        ["role_id", "person_id", "seconds", "ai_seconds", "units", "ai_units", "month_start", "production_id"],
    )
    op.create_table(
        "rollup_cut_total",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("cut_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("seconds", BIG, nullable=False),
        sa.Column("ai_seconds", sa.Float(), nullable=False),
        sa.Column("ai_sessions", BIG, nullable=False),
        sa.Column("sessions", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["cut_id"], ["cut.id"], name=op.f("fk_rollup_cut_total_cut_id_cut"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_rollup_cut_total_episode_id_episode"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_rollup_cut_total_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_rollup_cut_total_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_cut_total")),
    )
    op.create_index(
        "ix_rollup_cut_total_production_cut", "rollup_cut_total", ["production_id", "cut_id", "seconds", "ai_seconds"]
    )
    op.execute(
        "INSERT INTO rollup_cut_total (production_id, episode_id, cut_id, role_id, seconds, ai_seconds, ai_sessions, "
        "sessions) SELECT production_id, episode_id, cut_id, role_id, sum(seconds), sum(ai_seconds), sum(ai_sessions), "
        "sum(sessions) FROM rollup_cut_month GROUP BY production_id, episode_id, cut_id, role_id"
    )
    # The AI cut share asks of each cut whether any of its work was AI-assisted.
    op.create_index("ix_rollup_cut_month_cut_ai", "rollup_cut_month", ["cut_id", "ai_sessions"])
    # Filled from the rollups already there, as data.rollup.groups.refresh_group_months does.
    op.execute(
        f"INSERT INTO rollup_production_month (month_start, production_id, {SUMS}, people) "
        f"SELECT month_start, production_id, sum(seconds), sum(night_seconds), sum(holiday_seconds), "
        f"sum(ai_seconds), sum(units), sum(ai_units), sum(sessions), count(DISTINCT person_id) "
        f"FROM rollup_work_month GROUP BY month_start, production_id"
    )
    op.execute(
        f"INSERT INTO rollup_work_cell (month_start, production_id, episode_id, role_id, {SUMS}) "
        f"SELECT month_start, production_id, episode_id, role_id, sum(seconds), sum(night_seconds), "
        f"sum(holiday_seconds), sum(ai_seconds), sum(units), sum(ai_units), sum(sessions) "
        f"FROM rollup_work_month GROUP BY month_start, production_id, episode_id, role_id"
    )
    op.execute(
        f"INSERT INTO rollup_department_month (month_start, department, {SUMS}, people, cuts) "
        f"SELECT w.month_start, w.department, w.seconds, w.night_seconds, w.holiday_seconds, w.ai_seconds, w.units, "
        f"w.ai_units, w.sessions, w.people, coalesce(c.n, 0) "
        f"FROM (SELECT m.month_start, coalesce(r.department, 'unassigned') AS department, sum(m.seconds) AS seconds, "
        f"sum(m.night_seconds) AS night_seconds, sum(m.holiday_seconds) AS holiday_seconds, "
        f"sum(m.ai_seconds) AS ai_seconds, sum(m.units) AS units, sum(m.ai_units) AS ai_units, "
        f"sum(m.sessions) AS sessions, count(DISTINCT m.person_id) AS people "
        f"FROM rollup_work_month m LEFT JOIN role r ON r.id = m.role_id "
        f"GROUP BY m.month_start, coalesce(r.department, 'unassigned')) w "
        f"LEFT JOIN (SELECT m.month_start, coalesce(r.department, 'unassigned') AS department, "
        f"count(DISTINCT m.cut_id) AS n FROM rollup_cut_month m LEFT JOIN role r ON r.id = m.role_id "
        f"GROUP BY m.month_start, coalesce(r.department, 'unassigned')) c "
        f"ON c.month_start = w.month_start AND c.department = w.department"
    )


def downgrade() -> None:
    op.drop_index("ix_rollup_cut_total_production_cut", table_name="rollup_cut_total")
    op.drop_table("rollup_cut_total")
    op.drop_index("ix_rollup_work_month_role_person", table_name="rollup_work_month")
    op.drop_index("ix_rollup_work_cell_episode", table_name="rollup_work_cell")
    op.drop_table("rollup_work_cell")
    op.drop_index("ix_rollup_cut_month_cut_ai", table_name="rollup_cut_month")
    op.drop_index("ix_rollup_department_month_month", table_name="rollup_department_month")
    op.drop_table("rollup_department_month")
    op.drop_index("ix_rollup_production_month_month", table_name="rollup_production_month")
    op.drop_table("rollup_production_month")
