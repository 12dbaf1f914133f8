"""Blocking asset checks: each warehouse table validated by its Great Expectations suite."""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.defs.resources import open_warehouse

from pipeline.validation.suites import validated_tables

# every validated table that an asset produces (the others are the checks' and stages' own bookkeeping)
CHECKED_TABLES = tuple(t for t in validated_tables() if t not in ("rejected_rows", "validation_runs", "extraction_state"))
_SAMPLE = 5


def _failures_markdown(results: list[dict]) -> str:
    failed = [r for r in results if not r["success"]]
    if not failed:
        return f"All {len(results)} expectations passed."
    lines = ["| expectation | blocking | unexpected | sample |", "|---|---|---|---|"]
    for r in failed:
        sample = ", ".join(str(v) for v in (r.get("unexpected_sample") or [])[:_SAMPLE]).replace("|", "\\|")
        lines.append(f"| {r['rule']} | {'yes' if r['blocking'] else 'no'} | {r.get('unexpected_count', '')} | {sample[:200]} |")
    return "\n".join(lines)


def docs_dir(database: str, run_id: str) -> Path:
    """Where this run's data docs go: beside the warehouse file."""
    return Path(database).parent / "validation" / run_id


def _table_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=table, name=f"{table}_expectations", blocking=True,
                    description=f"Great Expectations suite expectations/{table}.json (+ semantic/) passes; "
                                f"row-level faults were quarantined to rejected_rows before.")
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
        from pipeline.validation import build_data_docs, validate_table

        with open_warehouse(duckdb) as con:
            tv = validate_table(con, table, context.run.run_id)
        index = build_data_docs([tv], docs_dir(duckdb.database, context.run.run_id) / table)
        failed = [r for r in tv.results if not r["success"]]
        return dg.AssetCheckResult(
            passed=tv.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=tv.reason() or (tv.warnings[0] if tv.warnings else "all expectations passed"),
            metadata={
                "expectations": len(tv.results),
                "failed": len(failed),
                "rejected_rows": tv.rejected,
                "rejected_share": float(tv.rejected_share),
                "failures": dg.MetadataValue.md(_failures_markdown(tv.results)),
                "data_docs": dg.MetadataValue.path(str(index)),
            },
        )

    return _check


TABLE_CHECKS = [_table_check(t) for t in CHECKED_TABLES]
