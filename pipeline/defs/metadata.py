"""Materialization metadata for a warehouse table: row count, column schema, markdown preview."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipeline import warehouse
from pipeline.dictionary import TABLES

PREVIEW_ROWS = 5
_CELL_CHARS = 60


def column_schema(name: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(f.name, f.type, description=f.description,
                       constraints=dg.TableColumnConstraints(nullable=not f.required))
        for f in TABLES[name].fields
    ])


def preview_markdown(con: duckdb.DuckDBPyConnection, name: str) -> str:
    cols = TABLES[name].columns
    rows = con.execute(f"SELECT {', '.join(cols)} FROM {name} LIMIT {PREVIEW_ROWS}").fetchall()
    if not rows:
        return "_(empty)_"

    def cell(v) -> str:
        s = "" if v is None else str(v)
        s = s.replace("|", "\\|").replace("\n", " ")
        return s if len(s) <= _CELL_CHARS else s[:_CELL_CHARS - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def table_metadata(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    return {
        "dagster/row_count": warehouse.row_count(con, name),
        "dagster/column_schema": column_schema(name),
        "preview": dg.MetadataValue.md(preview_markdown(con, name)),
    }
