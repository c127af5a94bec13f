"""What bench/bench_analytics.py compares the analytics functions with: the naive way (raw rows into pandas, grouped
there) and the near-limit reference (the same result in SQL on an in-memory DuckDB copy of the raw tables).
tests/bench/test_references.py checks that the references compute what ours computes on the demo studio."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402

from data.law.params import CaOvertime  # noqa: E402
from data.law.wages import ALLOWANCE_KINDS, PREMIUM_BASES, WageBases  # noqa: E402
from data.law.wages import MINIMUM_WAGE_BASES as MW_BASES  # noqa: E402
from data.reference import seed_values  # noqa: E402
from data.schema import EMPLOYEE_TYPES, PIECE_BASES  # noqa: E402

# --- naive: raw rows into pandas, group there ---------------------------------------------------------------------


def naive_work(engine, columns: str) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(text(f"SELECT {columns} FROM work_log"), conn)
    if "work_date" in df:
        df["month"] = pd.to_datetime(df["work_date"]).dt.to_period("M").dt.to_timestamp()
    return df


def naive_pay(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(
            text(
                "SELECT person_id, production_id, episode_id, cut_id, role_id, basis, currency, amount, "
                "period_end FROM pay_item"
            ),
            conn,
        )
    df["month"] = pd.to_datetime(df["period_end"]).dt.to_period("M").dt.to_timestamp()
    df["amount"] = df["amount"].astype(float)
    return df


def naive_workload_production(engine) -> pd.DataFrame:
    df = naive_work(engine, "work_date, production_id, person_id, seconds, night_seconds, units")
    return df.groupby(["month", "production_id"]).agg(
        seconds=("seconds", "sum"), night=("night_seconds", "sum"), people=("person_id", "nunique")
    )


def naive_workload_department(engine) -> pd.DataFrame:
    df = naive_work(engine, "work_date, role_id, person_id, seconds")
    with engine.connect() as conn:
        roles = pd.read_sql(text("SELECT id AS role_id, department FROM role"), conn)
    return (
        df.merge(roles, on="role_id", how="left")
        .groupby(["month", "department"])
        .agg(seconds=("seconds", "sum"), people=("person_id", "nunique"))
    )


def naive_effective_pay(engine) -> pd.DataFrame:
    work = naive_work(engine, "person_id, work_date, seconds").groupby(["person_id", "month"])["seconds"].sum()
    paid = naive_pay(engine).groupby(["person_id", "month"])["amount"].sum()
    out = pd.concat([work, paid], axis=1)
    out["per_hour"] = out["amount"] / (out["seconds"] / 3600)
    return out


def naive_overtime(engine) -> pd.DataFrame:
    df = naive_work(engine, "person_id, work_date, seconds, is_statutory_holiday")
    df["holiday"] = df["seconds"].where(df["is_statutory_holiday"].astype(bool), 0)
    day = df.groupby(["person_id", "work_date"], as_index=False)[["seconds", "holiday"]].sum()
    day["work_date"] = pd.to_datetime(day["work_date"])
    regular = day["seconds"] - day["holiday"]
    day["daily_ot"] = (regular - 28800).clip(lower=0)
    day["straight"] = regular - day["daily_ot"]
    day["week"] = day["work_date"] - pd.to_timedelta((day["work_date"].dt.day_of_week + 1) % 7, unit="D")
    day = day.sort_values(["person_id", "work_date"])
    run = day.groupby(["person_id", "week"])["straight"].cumsum()
    day["weekly_ot"] = (run - 144000).clip(lower=0) - (run - day["straight"] - 144000).clip(lower=0)
    day["month"] = day["work_date"].dt.to_period("M").dt.to_timestamp()
    return day.groupby(["person_id", "month"])[["seconds", "daily_ot", "weekly_ot", "holiday"]].sum()


def naive_ai_share(engine) -> pd.DataFrame:
    df = naive_work(engine, "work_date, production_id, seconds, ai_assisted_fraction, units")
    df["ai_seconds"] = df["seconds"] * df["ai_assisted_fraction"]
    out = df.groupby(["production_id", "month"])[["seconds", "ai_seconds"]].sum()
    paid = naive_pay(engine).groupby(["production_id", "month"])["amount"].sum()
    return out.join(paid, how="outer")


def naive_cost_episode(engine) -> pd.DataFrame:
    df = naive_work(engine, "episode_id, seconds")
    paid = naive_pay(engine).groupby("episode_id")["amount"].sum()
    return df.groupby("episode_id")["seconds"].sum().to_frame().join(paid, how="outer")


def naive_hours_distribution(engine) -> pd.DataFrame:
    df = naive_work(engine, "person_id, work_date, role_id, seconds")
    with engine.connect() as conn:
        roles = pd.read_sql(text("SELECT id AS role_id, department FROM role"), conn)
    df = df.merge(roles, on="role_id", how="left")
    per = df.groupby(["department", "person_id", "month"])["seconds"].sum().reset_index()
    out = per.groupby("department").agg(people=("person_id", "nunique"), median=("seconds", "median"))
    return out[out["people"] >= 5]


def naive_weekly_hours(engine) -> pd.DataFrame:
    df = naive_work(engine, "person_id, work_date, seconds, night_seconds, is_statutory_holiday")
    day = pd.to_datetime(df["work_date"])
    df["week_start"] = day - pd.to_timedelta((day.dt.day_of_week + 1) % 7, unit="D")
    df["holiday"] = df["seconds"].where(df["is_statutory_holiday"].astype(bool), 0)
    return df.groupby(["person_id", "week_start"]).agg(
        seconds=("seconds", "sum"), night=("night_seconds", "sum"), holiday=("holiday", "sum"),
        days=("work_date", "nunique"),
    )  # fmt: skip


def naive_cost_per_cut(engine, production_id: int) -> pd.DataFrame:
    df = naive_work(engine, "production_id, cut_id, seconds, ai_assisted_fraction")
    df = df[(df["production_id"] == production_id) & df["cut_id"].notna()]
    df["ai_seconds"] = df["seconds"] * df["ai_assisted_fraction"]
    paid = naive_pay(engine)
    with engine.connect() as conn:
        cuts = pd.read_sql(text("SELECT id AS cut_id FROM cut"), conn)
    return cuts.merge(df.groupby("cut_id")[["seconds", "ai_seconds"]].sum(), on="cut_id", how="left").merge(
        paid[paid["production_id"] == production_id].groupby("cut_id")["amount"].sum(), on="cut_id", how="left"
    )


def naive_ai_share_department(engine) -> pd.DataFrame:
    df = naive_work(engine, "work_date, person_id, production_id, episode_id, role_id, seconds, ai_assisted_fraction")
    df["ai_seconds"] = df["seconds"] * df["ai_assisted_fraction"]
    keys = ["month", "person_id", "production_id", "episode_id", "role_id"]
    paid = naive_pay(engine)
    paid = paid[paid["currency"] == "JPY"]
    for frame_ in (df, paid):
        for c in ("production_id", "episode_id", "role_id"):
            frame_[c] = frame_[c].fillna(-1)
    cells = df.groupby(keys, as_index=False)[["seconds", "ai_seconds"]].sum()
    paid = paid.merge(cells, on=keys, how="left")
    paid["ai_amount"] = (paid["amount"] * paid["ai_seconds"] / paid["seconds"]).fillna(0)
    with engine.connect() as conn:
        roles = pd.read_sql(text("SELECT id AS role_id, department FROM role"), conn)
    work = (
        df.merge(roles, on="role_id", how="left")
        .groupby("department")
        .agg(seconds=("seconds", "sum"), ai=("ai_seconds", "sum"), people=("person_id", "nunique"))
    )
    return work.join(paid.merge(roles, on="role_id", how="left").groupby("department")[["amount", "ai_amount"]].sum())


def naive_cut_share(engine) -> pd.DataFrame:
    df = naive_work(engine, "cut_id, ai_assisted_fraction")
    with engine.connect() as conn:
        cuts = pd.read_sql(text("SELECT id AS cut_id, episode_id FROM cut"), conn)
        usage = pd.read_sql(text("SELECT cut_id FROM ai_usage WHERE cut_id IS NOT NULL"), conn)
    ai = set(df.loc[df["ai_assisted_fraction"] > 0, "cut_id"].dropna()) | set(usage["cut_id"])
    cuts["ai"] = cuts["cut_id"].isin(ai)
    return cuts.groupby("episode_id").agg(cuts=("cut_id", "size"), ai_cuts=("ai", "sum"))


def naive_adoption(engine) -> pd.DataFrame:
    df = naive_work(engine, "work_date, person_id, role_id, cut_id, seconds, ai_assisted_fraction")
    with engine.connect() as conn:
        roles = pd.read_sql(text("SELECT id AS role_id, department FROM role"), conn)
    df = df.merge(roles, on="role_id", how="left")
    adopted = df[df["ai_assisted_fraction"] > 0].groupby("department")["month"].min()
    months = df.groupby(["department", "month"]).agg(
        cuts=("cut_id", "nunique"), seconds=("seconds", "sum"), people=("person_id", "nunique")
    )
    paid = naive_pay(engine).merge(roles, on="role_id", how="left")
    months = months.join(paid[paid["currency"] == "JPY"].groupby(["department", "month"])["amount"].sum())
    months = months.reset_index()
    months["after"] = months["month"] >= months["department"].map(adopted)
    return months.groupby(["department", "after"])[["cuts", "seconds", "amount"]].sum()


def naive_pay_distribution(engine) -> pd.DataFrame:
    df = naive_work(engine, "person_id, work_date, role_id, seconds")
    per_role = df.groupby(["person_id", "month", "role_id"], as_index=False)["seconds"].sum()
    main = per_role.sort_values("seconds", ascending=False).drop_duplicates(["person_id", "month"])
    work = per_role.groupby(["person_id", "month"])["seconds"].sum()
    paid = naive_pay(engine).groupby(["person_id", "month"])["amount"].sum()
    out = pd.concat([work, paid], axis=1).reset_index()
    out["per_hour"] = out["amount"] / (out["seconds"] / 3600)
    out = out.merge(main[["person_id", "month", "role_id"]], on=["person_id", "month"])
    return out.groupby("role_id")["per_hour"].describe()


# --- DuckDB: the same aggregations over an in-memory copy of the raw tables -----------------------------------------


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# The wage bases by pay basis (data.rollup.bases): the allowance kinds each base counts, the hours that stand in for
# a schedule not recorded (the statutory month and day in Japan; California's weekly and daily lines).
_JP, _CA = seed_values("JP"), seed_values("US-CA")
MW_KINDS = tuple(k for k in ALLOWANCE_KINDS if k not in _JP["minimum_wage_base.excluded_allowances"])
PREMIUM_KINDS = tuple(k for k in ALLOWANCE_KINDS if k not in _JP["premium_base.excluded_allowances"])
JP_MONTH_H = WageBases.from_values(_JP).statutory_month_h
CA_WEEK_H = CaOvertime.from_values(_CA).weekly_over_h
DAY_H = WageBases.from_values(_JP).daily_limit_h  # and California's daily line: both 8 h
# What analytics.pay.effective_pay returns, from the raw tables: each day's seconds under the employment in force
# (where contracts overlap, the newest governs), the minimum wage at its workplace that day (the highest of the
# timelines that apply: the prefecture in Japan, state and city in California), pay in the person's currency by
# kind, the shortfall against each day's wage, and the per-hour figures.
EFFECTIVE_PAY_SQL = f"""
    WITH days AS (SELECT person_id, work_date, sum(seconds) AS secs FROM work_log GROUP BY ALL),
         emp AS (SELECT d.person_id, d.work_date, any_value(d.secs) AS secs,
                        arg_max(e.id, date_diff('day', DATE '1900-01-01', e.start_date)::BIGINT * 1000000000 + e.id)
                            AS eid
                 FROM days d LEFT JOIN employment e ON e.person_id = d.person_id AND d.work_date >= e.start_date
                      AND (e.end_date IS NULL OR d.work_date <= e.end_date)
                 GROUP BY d.person_id, d.work_date),
         places AS (SELECT m.person_id, m.work_date, m.secs, e.employment_type, e.jurisdiction,
                           unnest(CASE WHEN e.jurisdiction = 'JP' THEN [coalesce(e.prefecture, '')]
                                       WHEN e.jurisdiction IS NULL THEN [NULL]
                                       ELSE ['state', coalesce(e.city, '')] END) AS region
                    FROM emp m LEFT JOIN employment e ON e.id = m.eid),
         rated AS (SELECT p.person_id, p.work_date, p.secs, p.employment_type, max(w.rate_per_hour) AS rate
                   FROM places p ASOF LEFT JOIN minimum_wage w
                        ON w.jurisdiction = p.jurisdiction AND w.region = p.region AND p.work_date >= w.effective_from
                   GROUP BY p.person_id, p.work_date, p.secs, p.employment_type),
         cur AS (SELECT person_id, CASE WHEN bool_or(jurisdiction = 'US-CA') THEN 'USD' ELSE 'JPY' END AS currency
                 FROM employment GROUP BY ALL),
         counted AS (SELECT person_id, CAST(date_trunc('month', work_date) AS DATE) AS m,
                            count(*) FILTER (WHERE secs > 0) AS days_worked FROM days GROUP BY ALL),
         last AS (SELECT person_id, CAST(date_trunc('month', work_date) AS DATE) AS m, arg_max(eid, work_date) AS eid
                  FROM emp WHERE eid IS NOT NULL AND secs > 0 GROUP BY ALL),
         sched AS (SELECT l.person_id, l.m, e.scheduled_monthly_hours AS smh, e.scheduled_daily_hours AS sdh,
                          e.jurisdiction AS j,
                          greatest(date_diff('day', greatest(e.start_date, l.m),
                                             least(coalesce(e.end_date, last_day(l.m)), last_day(l.m))) + 1, 0)
                              / day(last_day(l.m)) AS share
                   FROM last l JOIN employment e ON e.id = l.eid),
         work AS (SELECT person_id, date_trunc('month', work_date) AS m, sum(secs) AS secs,
                         sum(CASE WHEN employment_type IN ({_sql_list(EMPLOYEE_TYPES)}) THEN secs ELSE 0 END) AS emp,
                         min(rate) AS mw_min, max(rate) AS mw_max, coalesce(sum(secs * rate / 3600.0), 0) AS mw_due
                  FROM rated GROUP BY ALL),
         paid AS (SELECT p.person_id, date_trunc('month', p.period_end) AS m, sum(amount) AS pay,
                         sum(CASE WHEN basis IN ({_sql_list(MW_BASES)}) THEN amount ELSE 0 END) AS base,
                         sum(CASE WHEN basis IN ({_sql_list(PIECE_BASES)}) THEN amount ELSE 0 END) AS piece,
                         sum(CASE WHEN basis IN ({_sql_list(PREMIUM_BASES)}) THEN amount ELSE 0 END) AS premium,
                         sum(CASE WHEN basis = 'hourly' THEN amount ELSE 0 END) AS hourly,
                         sum(CASE WHEN basis = 'daily' THEN amount ELSE 0 END) AS daily,
                         CASE WHEN count(*) FILTER (WHERE basis = 'daily') = count(units) FILTER (WHERE basis = 'daily')
                              THEN sum(units) FILTER (WHERE basis = 'daily') END AS daily_units,
                         sum(CASE WHEN basis = 'monthly_salary' THEN amount ELSE 0 END) AS monthly,
                         sum(CASE WHEN basis = 'allowance' AND allowance_kind IN ({_sql_list(MW_KINDS)}) THEN amount
                                  ELSE 0 END) AS allow_mw,
                         sum(CASE WHEN basis = 'allowance' AND allowance_kind IN ({_sql_list(PREMIUM_KINDS)})
                                  THEN amount ELSE 0 END) AS allow_prem
                  FROM pay_item p LEFT JOIN cur c USING (person_id)
                  WHERE p.currency = coalesce(c.currency, 'JPY') GROUP BY ALL),
         parts AS (SELECT w.*, coalesce(c.currency, 'JPY') AS currency, coalesce(p.pay, 0) AS pay,
                          coalesce(p.base, 0) AS base, coalesce(p.piece, 0) AS piece,
                          coalesce(p.premium, 0) AS premium,
                          coalesce(s.j = 'US-CA', coalesce(c.currency, 'JPY') = 'USD') AS usd,
                          (coalesce(p.hourly, 0) + coalesce(p.piece, 0)) * 3600.0 / w.secs AS by_hour,
                          coalesce(p.daily, 0) AS daily, coalesce(p.daily_units, n.days_worked) AS days_paid,
                          coalesce(p.monthly, 0) AS monthly, s.smh, s.sdh, coalesce(s.share, 1) AS share,
                          coalesce(p.allow_mw, 0) AS allow_mw, coalesce(p.allow_prem, 0) AS allow_prem
                   FROM work w LEFT JOIN paid p USING (person_id, m) LEFT JOIN cur c USING (person_id)
                        LEFT JOIN sched s ON s.person_id = w.person_id AND s.m = CAST(w.m AS DATE)
                        LEFT JOIN counted n ON n.person_id = w.person_id AND n.m = CAST(w.m AS DATE)
                   WHERE w.secs > 0),
         shaped AS (SELECT *,
                           CASE WHEN usd THEN {CA_WEEK_H} * 52 / 12 ELSE coalesce(smh, {JP_MONTH_H}) END * share
                               AS month_h,
                           CASE WHEN daily <> 0 AND days_paid * coalesce(sdh, {DAY_H}) > 0
                                THEN daily / (days_paid * coalesce(sdh, {DAY_H})) ELSE 0 END AS by_day,
                           CASE WHEN usd THEN 0 ELSE allow_mw END AS a_mw,
                           CASE WHEN usd THEN 0 ELSE allow_prem END AS a_prem
                    FROM parts),
         month AS (SELECT *,
                          by_hour + by_day + CASE WHEN month_h > 0 THEN (monthly + a_mw) / month_h ELSE 0 END
                              AS base_rate,
                          by_hour + by_day + CASE WHEN month_h > 0 THEN (monthly + a_prem) / month_h ELSE 0 END
                              AS premium_rate,
                          by_day + CASE WHEN month_h > 0 THEN (monthly + a_prem) / month_h ELSE 0 END AS scheduled_rate,
                          ((monthly + a_mw + a_prem) <> 0 AND NOT usd AND smh IS NULL)
                              OR (daily <> 0 AND sdh IS NULL) AS assumed
                   FROM shaped),
         short AS (SELECT r.person_id, date_trunc('month', r.work_date) AS m,
                          sum(greatest(r.rate - mo.base_rate, 0) * r.secs / 3600.0) AS shortfall
                   FROM rated r JOIN month mo ON mo.person_id = r.person_id
                        AND mo.m = date_trunc('month', r.work_date)
                   WHERE r.rate IS NOT NULL GROUP BY ALL)
    SELECT mo.person_id, mo.m AS month, mo.currency, mo.secs / 3600.0 AS hours, mo.emp / 3600.0 AS employee_hours,
           mo.emp * 2 > mo.secs AS is_employee, mo.pay AS pay_amount, mo.base AS base_pay_amount,
           mo.piece AS piece_pay_amount, mo.premium AS premium_pay_amount, mo.pay * 3600.0 / mo.secs AS pay_per_hour,
           mo.base_rate AS base_pay_per_hour, mo.mw_min AS mw_min_per_hour, mo.mw_max AS mw_max_per_hour,
           mo.mw_due AS mw_due_amount,
           CASE WHEN mo.base_rate < mo.mw_max - 1e-9 THEN round(coalesce(s.shortfall, 0), 2) ELSE 0 END
               AS mw_shortfall_amount,
           coalesce(mo.base_rate < mo.mw_max - 1e-9, false) AS below_mw,
           mo.premium_rate AS premium_base_per_hour, mo.scheduled_rate AS scheduled_base_per_hour,
           mo.assumed AS base_assumed
    FROM month mo LEFT JOIN short s USING (person_id, m)"""


DUCK = {
    "workload by month × production": """
        SELECT date_trunc('month', work_date) m, production_id, sum(seconds), sum(night_seconds),
               count(DISTINCT person_id) FROM work_log GROUP BY ALL""",
    "workload by month × department": """
        SELECT date_trunc('month', w.work_date) m, r.department, sum(w.seconds), count(DISTINCT w.person_id)
        FROM work_log w LEFT JOIN role r ON r.id = w.role_id GROUP BY ALL""",
    "effective pay per person-month": EFFECTIVE_PAY_SQL + " ORDER BY person_id, month",
    "JP overtime per person-month": """
        WITH d AS (SELECT person_id, work_date, sum(seconds) AS secs,
                          sum(CASE WHEN is_statutory_holiday THEN seconds ELSE 0 END) holiday
                   FROM work_log GROUP BY ALL),
             s AS (SELECT *, greatest(secs - holiday - 28800, 0) daily_ot,
                          secs - holiday - greatest(secs - holiday - 28800, 0) straight,
                          work_date - CAST(dayofweek(work_date) AS INTEGER) AS wk FROM d),
             r AS (SELECT *, sum(straight) OVER (PARTITION BY person_id, wk ORDER BY work_date) AS run FROM s)
        SELECT person_id, date_trunc('month', work_date) m, sum(secs), sum(holiday),
               sum(daily_ot + greatest(run - 144000, 0) - greatest(run - straight - 144000, 0)) FROM r GROUP BY ALL""",
    # As ai_share computes it: people, and each person's pay × the AI share of their hours in the same cell.
    "AI share by production × month": """
        WITH c AS (SELECT date_trunc('month', work_date) m, person_id, production_id, episode_id, role_id,
                          sum(seconds) mi, sum(seconds * ai_assisted_fraction) ai, sum(units) u,
                          sum(units * ai_assisted_fraction) au FROM work_log GROUP BY ALL),
             w AS (SELECT production_id, m, sum(mi), sum(ai), sum(u), sum(au), count(DISTINCT person_id) people
                   FROM c GROUP BY ALL),
             p AS (SELECT date_trunc('month', period_end) m, person_id, production_id, episode_id, role_id,
                          sum(amount) amount FROM pay_item WHERE currency = 'JPY' GROUP BY ALL),
             pa AS (SELECT p.production_id, p.m, sum(p.amount) pay,
                           sum(p.amount * coalesce(c.ai / nullif(c.mi, 0), 0)) ai_pay
                    FROM p LEFT JOIN c ON c.m = p.m AND c.person_id = p.person_id
                         AND c.production_id IS NOT DISTINCT FROM p.production_id
                         AND c.episode_id IS NOT DISTINCT FROM p.episode_id
                         AND c.role_id IS NOT DISTINCT FROM p.role_id
                    GROUP BY ALL)
        SELECT * FROM w FULL JOIN pa USING (production_id, m)""",
    "cost per episode": """
        WITH w AS (SELECT episode_id, sum(seconds) mi FROM work_log GROUP BY ALL),
             p AS (SELECT episode_id, sum(amount) amount FROM pay_item GROUP BY ALL)
        SELECT * FROM w FULL JOIN p USING (episode_id)""",
    "advocate hours by department": """
        WITH per AS (SELECT coalesce(r.department, 'unassigned') department, w.person_id,
                            date_trunc('month', w.work_date) m, sum(w.seconds) / 3600.0 h
                     FROM work_log w LEFT JOIN role r ON r.id = w.role_id GROUP BY ALL)
        SELECT department, count(DISTINCT person_id) people, count(*), median(h), avg(h), quantile_cont(h, 0.9),
               avg((h > 205)::INTEGER)
        FROM per GROUP BY ALL HAVING people >= 5""",
    "AI share by department": """
        WITH c AS (SELECT date_trunc('month', work_date) m, person_id, production_id, episode_id, role_id,
                          sum(seconds) mi, sum(seconds * ai_assisted_fraction) ai FROM work_log GROUP BY ALL),
             w AS (SELECT coalesce(r.department, 'unassigned') d, sum(mi), sum(ai), count(DISTINCT person_id)
                   FROM c LEFT JOIN role r ON r.id = c.role_id GROUP BY ALL),
             p AS (SELECT date_trunc('month', period_end) m, person_id, production_id, episode_id, role_id,
                          sum(amount) amount FROM pay_item WHERE currency = 'JPY' GROUP BY ALL),
             pa AS (SELECT coalesce(r.department, 'unassigned') d, sum(p.amount) pay,
                           sum(p.amount * coalesce(c.ai / nullif(c.mi, 0), 0)) ai_pay
                    FROM p LEFT JOIN c ON c.m = p.m AND c.person_id = p.person_id
                         AND c.production_id IS NOT DISTINCT FROM p.production_id
                         AND c.episode_id IS NOT DISTINCT FROM p.episode_id
                         AND c.role_id IS NOT DISTINCT FROM p.role_id
                    LEFT JOIN role r ON r.id = p.role_id GROUP BY ALL)
        SELECT * FROM w FULL JOIN pa USING (d)""",
    "AI cut share per episode": """
        WITH ai AS (SELECT cut_id FROM work_log WHERE ai_assisted_fraction > 0 AND cut_id IS NOT NULL
                    UNION SELECT cut_id FROM ai_usage WHERE cut_id IS NOT NULL)
        SELECT c.episode_id, count(*) cuts, count(ai.cut_id) ai_cuts
        FROM cut c LEFT JOIN ai ON ai.cut_id = c.id GROUP BY ALL""",
    "AI adoption effect": """
        WITH w AS (SELECT coalesce(r.department, 'unassigned') d, date_trunc('month', w.work_date) m,
                          count(DISTINCT w.cut_id) cuts, sum(w.seconds) mi, count(DISTINCT w.person_id) people,
                          max(w.ai_assisted_fraction) ai
                   FROM work_log w LEFT JOIN role r ON r.id = w.role_id GROUP BY ALL),
             a AS (SELECT d, min(m) adopted FROM w WHERE ai > 0 GROUP BY ALL),
             p AS (SELECT coalesce(r.department, 'unassigned') d, date_trunc('month', p.period_end) m,
                          sum(p.amount) amount
                   FROM pay_item p LEFT JOIN role r ON r.id = p.role_id WHERE currency = 'JPY' GROUP BY ALL)
        SELECT w.d, coalesce(w.m >= a.adopted, false) after, sum(cuts), sum(mi), sum(p.amount), max(people)
        FROM w LEFT JOIN a USING (d) LEFT JOIN p USING (d, m) GROUP BY ALL""",
    "advocate pay by role": f"""
        WITH ep AS ({EFFECTIVE_PAY_SQL}),
             r AS (SELECT person_id, date_trunc('month', work_date) m, role_id, sum(seconds) mi FROM work_log
                   GROUP BY ALL),
             main AS (SELECT person_id, m, arg_max(role_id, mi) role_id FROM r GROUP BY ALL)
        SELECT coalesce(ro.en, 'unassigned') g, ep.currency, count(DISTINCT ep.person_id) people, count(*),
               median(ep.pay_per_hour), quantile_cont(ep.pay_per_hour, 0.25), quantile_cont(ep.pay_per_hour, 0.75),
               avg(ep.below_mw::INTEGER)
        FROM ep JOIN main ON main.person_id = ep.person_id AND main.m = ep.month
             LEFT JOIN role ro ON ro.id = main.role_id
        GROUP BY ALL HAVING people >= 5""",
    "weekly hours per person": """
        SELECT person_id, work_date - CAST(dayofweek(work_date) AS INTEGER) AS week_start, sum(seconds) / 3600.0,
               sum(night_seconds) / 3600.0, sum(CASE WHEN is_statutory_holiday THEN seconds ELSE 0 END) / 3600.0,
               count(DISTINCT work_date) FROM work_log GROUP BY ALL ORDER BY person_id, week_start""",
    "cost per cut (one production)": """
        WITH w AS (SELECT cut_id, sum(seconds) / 3600.0 h, sum(seconds * ai_assisted_fraction) / 3600.0 ai
                   FROM work_log WHERE production_id = $production AND cut_id IS NOT NULL GROUP BY ALL),
             p AS (SELECT cut_id, sum(amount) amount FROM pay_item
                   WHERE production_id = $production AND cut_id IS NOT NULL AND currency = 'JPY' GROUP BY ALL)
        SELECT * FROM w FULL JOIN p USING (cut_id)""",
}


def load_duckdb(source):  # a SQLite file's path, or a SQLAlchemy engine (PostgreSQL); returns a duckdb connection
    """An in-memory DuckDB copy of the raw tables the references read, from a SQLite file or any database's engine."""
    import sqlite3

    import duckdb

    duck = duckdb.connect()
    src = sqlite3.connect(source) if isinstance(source, str) else source.connect()
    specs = {
        "work_log": "SELECT person_id, production_id, episode_id, cut_id, role_id, work_date, seconds, night_seconds, "
        "is_statutory_holiday, units, ai_assisted_fraction FROM work_log",
        "pay_item": "SELECT person_id, production_id, episode_id, cut_id, role_id, basis, allowance_kind, currency, "
        "amount, units, period_end FROM pay_item",
        "role": "SELECT id, department, en FROM role",
        "cut": "SELECT id, episode_id FROM cut",
        "ai_usage": "SELECT cut_id FROM ai_usage",
        "employment": "SELECT id, person_id, employment_type, jurisdiction, prefecture, city, start_date, end_date, "
        "scheduled_monthly_hours, scheduled_daily_hours FROM employment",
        # DOUBLE PRECISION: PostgreSQL's REAL is 4 bytes (17.40 would become 17.3999996).
        "minimum_wage": "SELECT jurisdiction, region, effective_from, "
        "CAST(rate_per_hour AS DOUBLE PRECISION) AS rate_per_hour FROM minimum_wage",
    }
    for name, query in specs.items():
        first = True
        for chunk in pd.read_sql_query(query, src, chunksize=500_000):
            for column in ("work_date", "period_end", "start_date", "end_date", "effective_from"):
                if column in chunk:
                    chunk[column] = pd.to_datetime(chunk[column])
            if "is_statutory_holiday" in chunk:
                chunk["is_statutory_holiday"] = chunk["is_statutory_holiday"].astype(bool)
            if first:
                duck.execute(f"CREATE TABLE {name} AS SELECT * FROM chunk")
                first = False
            else:
                duck.execute(f"INSERT INTO {name} SELECT * FROM chunk")
    src.close()
    # pandas hands DuckDB timestamps; the SQLite columns are dates.
    duck.execute("ALTER TABLE work_log ALTER work_date SET DATA TYPE DATE")
    duck.execute("ALTER TABLE pay_item ALTER period_end SET DATA TYPE DATE")
    for column in ("start_date", "end_date"):
        duck.execute(f"ALTER TABLE employment ALTER {column} SET DATA TYPE DATE")
    duck.execute("ALTER TABLE minimum_wage ALTER effective_from SET DATA TYPE DATE")
    duck.execute("ALTER TABLE ai_usage ALTER cut_id SET DATA TYPE BIGINT")  # all NULL in pandas: no type of its own
    return duck
