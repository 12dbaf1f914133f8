"""The release asset: publishes validated tables as an immutable Parquet release."""


import json
from importlib.metadata import PackageNotFoundError, version

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import warehouse
from pipeline.defs.resources import EntentePaths, open_warehouse
from pipeline.dictionary import RELEASED_TABLES
from pipeline.extract.events import EXTRACTOR


def code_version() -> str:
    try:
        package = version("entente")
    except PackageNotFoundError:
        package = "0+unknown"
    return f"entente {package}; {EXTRACTOR}"


def input_fingerprint(con) -> str:
    """What the release was built from: every article's id and text hash."""
    return warehouse.one(con, "SELECT coalesce(sha256(string_agg(article_id || ':' || content_sha256, ',' "
                              "ORDER BY article_id)), '') FROM articles")[0]


def validation_summary(con, run_id: str) -> dict:
    rows = con.execute(
        "SELECT table_name, success, evaluated, failed, blocking_failed FROM validation_runs "
        "WHERE run_id = $run ORDER BY table_name", {"run": run_id}).fetchall()
    rejected = dict(con.execute(
        "SELECT table_name, count(*) FROM rejected_rows WHERE run_id = $run GROUP BY ALL", {"run": run_id}).fetchall())
    return {
        "run_id": run_id,
        "success": all(r[1] for r in rows),
        "tables": {r[0]: {"success": r[1], "expectations": r[2], "failed": r[3], "blocking_failed": r[4],
                          "rejected_rows": rejected.get(r[0], 0)} for r in rows},
        "rejected_rows": sum(rejected.values()),
    }


@dg.asset(
    deps=RELEASED_TABLES,
    group_name="release",
    kinds={"parquet"},
    description="Publish the released tables as Parquet with manifest, checksums, datapackage, changelog "
                "(only when the data changed; never half-written).",
)
def release(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: EntentePaths) -> dg.MaterializeResult:
    from pipeline.release import publish_release
    from pipeline.validation import build_data_docs

    run_id = context.run.run_id
    with open_warehouse(duckdb) as con:
        summaries = [json.loads(r[0]) for r in con.execute(
            "SELECT summary_json FROM validation_runs WHERE run_id = $run ORDER BY table_name", {"run": run_id}).fetchall()]
        result = publish_release(
            con, paths.releases, validation=validation_summary(con, run_id),
            input_fingerprint=input_fingerprint(con), code_version=code_version(),
            attach=lambda folder: build_data_docs(summaries, folder / "validation"))
    context.log.info(result.reason)
    changes = result.path / "CHANGES.md" if result.path else None
    return dg.MaterializeResult(metadata={
        "version": result.version or "",
        "changes": dg.MetadataValue.md(changes.read_text(encoding="utf-8")[:20000] if changes and changes.is_file() else ""),
        "data_docs": dg.MetadataValue.path(str(result.path / "validation" / "index.html") if result.path else ""),
        "report": dg.MetadataValue.path(str(result.path / "report.html") if result.path else ""),
        "created": result.created,
        "path": dg.MetadataValue.path(str(result.path) if result.path else ""),
        "reason": result.reason,
        "row_counts": dg.MetadataValue.json(result.row_counts),
    })
