"""Content fingerprints of the released tables, computed in DuckDB (order-free, bounded memory)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.dictionary import RELEASED_TABLES, TABLES, arrow_schema

# Bump when the way rows are hashed changes: every fingerprint then changes once.
FINGERPRINT_METHOD = "entente-rows-v1"


@dataclass(frozen=True)
class TableFingerprint:
    """Row count and content hash of one released table."""

    rows: int
    fingerprint: str


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def table_fingerprint(con: duckdb.DuckDBPyConnection, table: str, source: str) -> TableFingerprint:
    """Fingerprint of the declared columns of `source` (a table name or a read_parquet(...) call).

    Each row is hashed as JSON (md5, 128 bits) and the hashes are summed, so the result does not
    depend on row order or on how DuckDB parallelises the scan, and repeated rows still count.
    The declared schema is part of the hash, so a schema change is a content change.
    """
    columns = ", ".join(f"{quote(c)} := {quote(c)}" for c in TABLES[table].columns)
    rows, upper, lower = con.execute(
        f"SELECT count(*), coalesce(sum(md5_number_upper(r)), 0), coalesce(sum(md5_number_lower(r)), 0) "
        f"FROM (SELECT to_json(struct_pack({columns})) AS r FROM {source})"
    ).fetchall()[0]
    schema = ";".join(f"{f.name}:{f.type}:{f.nullable}" for f in arrow_schema(table))
    digest = hashlib.sha256(f"{FINGERPRINT_METHOD}|{table}|{schema}|{rows}|{upper}|{lower}".encode())
    return TableFingerprint(int(rows), digest.hexdigest())


def data_fingerprint(tables: dict[str, TableFingerprint]) -> str:
    """One fingerprint for a whole release, from its tables' fingerprints."""
    text = "|".join(f"{name}={tables[name].fingerprint}" for name in sorted(tables))
    return hashlib.sha256(f"{FINGERPRINT_METHOD}|{text}".encode()).hexdigest()


def warehouse_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, TableFingerprint]:
    """Fingerprints of the released tables as they stand in the warehouse."""
    return {name: table_fingerprint(con, name, f"main.{quote(name)}") for name in RELEASED_TABLES}


def release_fingerprints(release_dir: Path) -> dict[str, TableFingerprint]:
    """Fingerprints of the released tables as written in a release folder's Parquet files."""
    with duckdb.connect() as con:
        return {name: table_fingerprint(con, name, f"read_parquet({sql_string(release_dir / f'{name}.parquet')})")
                for name in RELEASED_TABLES}
