"""Quarantine: move rows that break a row-level rule to rejected_rows, in one transaction, with SQL."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline import warehouse
from pipeline.validation import sqlcheck
from pipeline.validation.suites import EXPECTATIONS_DIR, load_suite, rule_name

QUARANTINED_TABLES = ("mentions", "arms_transfers", "alliances")


def row_rules(table: str, directory: Path | str = EXPECTATIONS_DIR) -> list[tuple[str, str]]:
    """(rule name, SQL predicate over `t` true for a breaking row) for every row-level expectation of the suite."""
    rules = []
    for e in load_suite(table, directory)["expectations"]:
        if e["meta"]["level"] != "row":
            continue
        predicate = sqlcheck.violation_sql(e)
        if predicate is None:
            raise ValueError(f"{table}: row-level expectation {rule_name(e)} ({e['type']}) has no SQL form; "
                             f"use one of {sqlcheck.PREDICATE_TYPES} or make it table-level")
        rules.append((rule_name(e), predicate))
    return rules


def quarantine(con: duckdb.DuckDBPyConnection, run_id: str, tables: tuple[str, ...] = QUARANTINED_TABLES,
               directory: Path | str = EXPECTATIONS_DIR) -> dict[str, int]:
    """Move every row breaking a row-level rule to rejected_rows; returns rows moved per table.

    One transaction for all tables; rejected rows of earlier runs stay (an article read again has its
    old rejects removed by the extraction stage). Call it outside any open transaction, after the
    tables are written and before dyads are rebuilt.
    """
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    plans = {t: row_rules(t, directory) for t in tables}
    moved: dict[str, int] = {}
    with warehouse.transaction(con):
        for table, rules in plans.items():
            if not rules:
                moved[table] = 0
                continue
            broken = "concat_ws(',', " + ", ".join(
                f"CASE WHEN {p} THEN {sqlcheck.literal(name)} END" for name, p in rules) + ")"
            con.execute("CREATE OR REPLACE TEMP TABLE _quarantine AS "
                        f"SELECT rid, rules FROM (SELECT t.rowid AS rid, {broken} AS rules FROM {table} t) WHERE rules <> ''")
            values = {"table_name": "$table", "row_key": sqlcheck.row_key_sql(table), "rule": "q.rules",
                      "row_json": "CAST(to_json(t) AS VARCHAR)", "run_id": "$run", "rejected_at": "$now"}
            inserted = warehouse.one(con, f"INSERT INTO rejected_rows ({', '.join(values)}) SELECT {', '.join(values.values())} "
                                          f"FROM {table} t JOIN _quarantine q ON t.rowid = q.rid",
                                     {"table": table, "run": run_id, "now": now})[0]
            deleted = warehouse.one(con, f"DELETE FROM {table} WHERE rowid IN (SELECT rid FROM _quarantine)")[0]
            if inserted != deleted:
                raise RuntimeError(f"quarantine of {table}: {inserted} rows rejected but {deleted} removed")
            moved[table] = int(deleted)
        con.execute("DROP TABLE IF EXISTS _quarantine")
    return moved
