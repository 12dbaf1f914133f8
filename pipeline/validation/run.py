"""Validate one warehouse table against its suite and record the outcome in validation_runs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline import warehouse
from pipeline.validation import gxrun, sqlcheck
from pipeline.validation.quarantine import row_rules
from pipeline.validation.suites import EXPECTATIONS_DIR, load_suite, rule_name, validated_tables

MAX_REJECTED_SHARE = 0.02      # above this share of a table's rows rejected, the table blocks
MAX_ROW_COUNT_DRIFT = 0.5      # beyond this change against the previous validation, a warning
LARGE_TABLE_ROWS = 200_000     # above this, SQL for keys, nulls and sets, and GX chunk by chunk
CHUNK_ROWS = 250_000
SQL_PUSHDOWN = (*sqlcheck.UNIQUE_TYPES, "expect_column_values_to_not_be_null",
                "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set")
_SCHEMA_TYPES = ("expect_table_columns_to_match_ordered_list", "expect_table_columns_to_match_set",
                 "expect_column_to_exist", "expect_table_column_count_to_equal")


@dataclass
class TableValidation:
    """The outcome of validating one table in one run."""

    table: str
    run_id: str
    suite: str
    success: bool
    row_count: int
    rejected: int
    unquarantined: int
    rejected_share: float
    results: list[dict]
    warnings: list[str] = field(default_factory=list)
    validated_at: str = ""

    @property
    def blocking_failures(self) -> list[dict]:
        return [r for r in self.results if r["blocking"] and not r["success"]]

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.results if not r["success"]]

    def reason(self) -> str:
        """One line naming the blocking failures (empty when the table passes)."""
        return "; ".join(f"{self.table}: {r['rule']} failed ({_observed(r)})" for r in self.blocking_failures)

    def summary(self) -> dict:
        return {**asdict(self), "reason": self.reason()}


def _observed(r: dict) -> str:
    if r.get("exception"):
        return r["exception"]
    if r["unexpected_count"] is not None:
        return f"{r['unexpected_count']} unexpected, e.g. {r['unexpected_sample']}"
    return f"observed {r['observed_value']}"


def _columns(e: dict) -> list[str]:
    kw = e["kwargs"]
    cols = [kw[k] for k in ("column", "column_A", "column_B") if k in kw]
    return cols + list(kw.get("column_list", [])) if e["type"] not in _SCHEMA_TYPES else cols


def _select(table: str, exps: list[tuple[int, dict]]) -> str:
    """SELECT of the columns and helper columns the expectations need, FROM <table> t."""
    items: dict[str, str] = {}
    for _, e in exps:
        for c in _columns(e):
            items[c] = f'{sqlcheck.column_sql(e, c)} AS "{c}"'
    return f"SELECT {', '.join(items.values()) or 't.rowid AS _rowid'} FROM {table} t"


def _frames(con, query: str, chunk_rows: int | None):
    """The query's rows as pandas DataFrames, streamed in chunks (one frame when chunk_rows is None)."""
    rel = con.sql(query)
    if chunk_rows is None:
        yield rel.to_arrow_table().to_pandas()
        return
    reader = rel.to_arrow_reader(chunk_rows)
    try:
        for batch in reader:
            yield batch.to_pandas()
    finally:
        reader.close()  # an unfinished result would block the connection


def _gx(con, table: str, exps: list[tuple[int, dict]], query: str, name: str, chunk_rows=None) -> dict[int, dict]:
    """GX over the query's frame(s); chunk results are summed (only for row-wise expectations)."""
    if not exps:
        return {}
    agg: dict[int, dict] = {}
    for df in _frames(con, query, chunk_rows):
        for (i, e), r in zip(exps, gxrun.validate_frame(df, [e for _, e in exps], name)):
            if i not in agg:
                agg[i] = {**r, "method": "gx" if chunk_rows is None else "gx-chunks"}
                continue
            a = agg[i]
            a["success"] = a["success"] and r["success"]
            for k in ("unexpected_count", "element_count", "missing_count"):
                if r[k] is not None:
                    a[k] = (a[k] or 0) + r[k]
            a["sample"] = (a["sample"] + r["sample"])[:gxrun.SAMPLE]
            a["exception"] = a["exception"] or r["exception"]
    for i, e in exps:
        a = agg.get(i)
        if a is None:  # no rows at all: validate the empty frame
            return _gx(con, table, exps, query + " LIMIT 0", name)
        mostly = e["kwargs"].get("mostly")
        if mostly is not None and a["unexpected_count"] is not None and a["exception"] is None:
            base = (a["element_count"] or 0) - (a["missing_count"] or 0)
            a["success"] = a["unexpected_count"] <= (1 - mostly) * base
    return agg


def _sql(con, table: str, exps: list[tuple[int, dict]]) -> dict[int, dict]:
    """Uniqueness, null and set expectations counted by DuckDB (one scan for all predicates)."""
    out = {}
    preds = [(i, e, sqlcheck.violation_sql(e)) for i, e in exps if e["type"] not in sqlcheck.UNIQUE_TYPES]
    if preds:
        terms = []
        for _, e, p in preds:
            base = "count(*)" if e["type"] == "expect_column_values_to_not_be_null" else f"count({sqlcheck.column_sql(e)})"
            terms += [f"count(*) FILTER (WHERE {p})", base]
        row = warehouse.one(con, f"SELECT {', '.join(terms)} FROM {table} t")
        for k, (i, e, p) in enumerate(preds):
            unexpected, base = row[2 * k], row[2 * k + 1]
            mostly = e["kwargs"].get("mostly", 1.0)
            sample = [] if unexpected == 0 or sqlcheck.is_helper(e["kwargs"]["column"]) else [
                r[0] for r in con.execute(f"SELECT {sqlcheck.column_sql(e)} FROM {table} t WHERE {p} LIMIT {gxrun.SAMPLE}").fetchall()]
            out[i] = {"success": unexpected <= (1 - mostly) * base, "unexpected_count": unexpected,
                      "sample": gxrun.plain(sample), "observed_value": None, "exception": None, "method": "sql"}
    for i, e in exps:
        if e["type"] in sqlcheck.UNIQUE_TYPES:
            count_q, sample_q = sqlcheck.unique_sql(table, e)
            unexpected = warehouse.one(con, count_q)[0]
            sample = [r[0] for r in con.execute(sample_q).fetchall()] if unexpected else []
            out[i] = {"success": unexpected == 0, "unexpected_count": int(unexpected), "sample": gxrun.plain(sample),
                      "observed_value": None, "exception": None, "method": "sql"}
    return out


def _evaluate(con, table: str, exps: list[dict], n_rows: int) -> list[dict]:
    actual = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    indexed = list(enumerate(exps))
    schema = [(i, e) for i, e in indexed if e["type"] in _SCHEMA_TYPES]
    queries = [(i, e) for i, e in indexed if e.get("meta", {}).get("query")]
    special = {i for i, _ in schema + queries}
    data = [(i, e) for i, e in indexed if i not in special]
    raw = _gx(con, table, schema, f"SELECT * FROM {table} LIMIT 0", f"{table}.schema")
    missing = {i: sorted({c for c in _columns(e) if not sqlcheck.is_helper(c)} - set(actual)) for i, e in data}
    broken_schema = not all(r["success"] for r in raw.values())
    for i, e in data:
        if missing[i] or broken_schema:
            raw[i] = {"success": False, "blocking": False, "unexpected_count": None, "sample": [], "observed_value": None,
                      "method": "skipped",
                      "exception": f"not evaluated: columns missing {missing[i]}" if missing[i]
                      else "not evaluated: the table's columns do not match its suite"}
    data = [(i, e) for i, e in data if i not in raw]
    for i, e in queries:
        raw.update(_gx(con, table, [(i, e)], e["meta"]["query"], f"{table}.{e['kwargs']['column']}"))
    if n_rows <= LARGE_TABLE_ROWS:
        raw.update(_gx(con, table, data, _select(table, data), table))
    else:
        pushed = [(i, e) for i, e in data if e["type"] in SQL_PUSHDOWN and
                  (e["type"] in sqlcheck.UNIQUE_TYPES or sqlcheck.violation_sql(e))]
        chunked = [(i, e) for i, e in data if i not in raw and (i, e) not in pushed and gxrun.is_row_wise(e["type"])]
        raw.update(_sql(con, table, pushed))
        raw.update(_gx(con, table, chunked, _select(table, chunked), table, CHUNK_ROWS))
        for i, e in data:
            if i not in raw:  # aggregates: their columns whole, never whole rows
                raw.update(_gx(con, table, [(i, e)], _select(table, [(i, e)]), f"{table}.{i}"))
    label = sqlcheck.row_label_sql(table)
    results = []
    for i, e in indexed:
        r, meta = raw[i], e.get("meta", {})
        pred = sqlcheck.violation_sql(e)
        if not r["success"] and r["unexpected_count"] and pred and sqlcheck.is_helper(e["kwargs"].get("column")):
            r["sample"] = gxrun.plain([x[0] for x in con.execute(
                f"SELECT {label} FROM {table} t WHERE {pred} LIMIT {gxrun.SAMPLE}").fetchall()])
        kw = {k: v for k, v in e["kwargs"].items() if k != "batch_id"}
        results.append({
            "expectation": e["type"],
            "column": None if e["type"] in _SCHEMA_TYPES else kw.get("column") or ", ".join(kw.get("column_list", [])) or None,
            "rule": rule_name(e), "level": meta["level"], "blocking": r.get("blocking", meta["level"] == "table"),
            "success": r["success"], "unexpected_count": r["unexpected_count"],
            "unexpected_sample": r["sample"][:gxrun.SAMPLE], "observed_value": r.get("observed_value"),
            "kwargs": kw, "sql": meta.get("sql") or meta.get("query"), "notes": meta.get("notes"),
            "method": r["method"], "exception": r.get("exception"),
        })
    return results


def _previous_row_count(con, table: str, run_id: str) -> int | None:
    row = warehouse.one(con, "SELECT CAST(json_extract(summary_json, '$.row_count') AS BIGINT) FROM validation_runs "
                             "WHERE table_name = $t AND run_id <> $r ORDER BY validated_at DESC LIMIT 1",
                        {"t": table, "r": run_id})
    return row[0] if row else None


def _share_and_drift(con, table: str, run_id: str, n_rows: int, directory: Path) -> tuple[int, int, float, list[dict]]:
    rejected = warehouse.one(con, "SELECT count(*) FROM rejected_rows WHERE table_name = $t AND run_id = $r",
                             {"t": table, "r": run_id})[0]
    rules = row_rules(table, directory)
    unquarantined = warehouse.one(con, f"SELECT count(*) FROM {table} t WHERE "
                                       + " OR ".join(f"({p})" for _, p in rules))[0] if rules else 0
    total = n_rows + rejected
    share = (rejected + unquarantined) / total if total else 0.0
    checks = [{
        "expectation": "rejected_share_at_most", "column": None, "rule": "rejected_share", "level": "table",
        "blocking": True, "success": share <= MAX_REJECTED_SHARE, "unexpected_count": rejected + unquarantined,
        "unexpected_sample": [], "observed_value": round(share, 6), "kwargs": {"max_share": MAX_REJECTED_SHARE},
        "sql": None, "notes": "Rows breaking a row-level rule (quarantined this run, or still in the table) over all rows.",
        "method": "sql", "exception": None,
    }]
    previous = _previous_row_count(con, table, run_id)
    if previous is not None:
        drift = abs(n_rows - previous) / previous if previous else (0.0 if n_rows == 0 else float("inf"))
        checks.append({
            "expectation": "row_count_drift_at_most", "column": None, "rule": "row_count_drift", "level": "warning",
            "blocking": False, "success": drift <= MAX_ROW_COUNT_DRIFT, "unexpected_count": None,
            "unexpected_sample": [], "observed_value": {"previous": previous, "now": n_rows},
            "kwargs": {"max_drift": MAX_ROW_COUNT_DRIFT}, "sql": None,
            "notes": "Row count against the previous validation of the table: informs, never blocks.",
            "method": "sql", "exception": None,
        })
    return rejected, unquarantined, share, checks


def validate_table(con: duckdb.DuckDBPyConnection, table: str, run_id: str,
                   directory: Path | str = EXPECTATIONS_DIR, record: bool = True) -> TableValidation:
    """Validate `table` with its suite (run quarantine first, with the same run_id); record it in validation_runs."""
    if table not in validated_tables():
        raise ValueError(f"{table!r} is not a validated warehouse table")
    directory = Path(directory)
    suite = load_suite(table, directory)
    n_rows = warehouse.row_count(con, table)
    results = _evaluate(con, table, suite["expectations"], n_rows)
    rejected, unquarantined, share, extra = _share_and_drift(con, table, run_id, n_rows, directory)
    results += extra
    warnings = [f"{table}: {r['rule']} failed ({_observed(r)})" for r in results if not r["success"] and not r["blocking"]]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    tv = TableValidation(
        table=table, run_id=run_id, suite=f"{suite['name']}@{suite['meta']['digest']}",
        success=not any(r["blocking"] and not r["success"] for r in results), row_count=n_rows, rejected=rejected,
        unquarantined=unquarantined, rejected_share=share, results=results, warnings=warnings,
        validated_at=now.isoformat(timespec="seconds"),
    )
    if record:
        _record(con, tv, now)
    return tv


def _record(con, tv: TableValidation, now: datetime) -> None:
    row = {"run_id": tv.run_id, "table_name": tv.table, "suite": tv.suite, "success": tv.success,
           "evaluated": len(tv.results), "failed": len(tv.failed), "blocking_failed": len(tv.blocking_failures),
           "summary_json": json.dumps(gxrun.plain(tv.summary()), ensure_ascii=False), "validated_at": now}
    with warehouse.transaction(con):
        con.execute("DELETE FROM validation_runs WHERE run_id = $run_id AND table_name = $table_name",
                    {"run_id": tv.run_id, "table_name": tv.table})
        con.execute(f"INSERT INTO validation_runs ({', '.join(row)}) VALUES ({', '.join('$' + k for k in row)})", row)


def validate_all(con: duckdb.DuckDBPyConnection, run_id: str, tables: list[str] | None = None,
                 directory: Path | str = EXPECTATIONS_DIR) -> dict[str, TableValidation]:
    """validate_table for each table (default: every non-view table)."""
    return {t: validate_table(con, t, run_id, directory) for t in tables or validated_tables()}
