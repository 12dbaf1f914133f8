"""Writing files into a release folder: Parquet with the declared schema, text files, checksums."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dictionary import CONTRACT_VERSION, RELEASED_TABLES, TABLES, arrow_schema
from pipeline.release.fingerprint import quote

LICENCE_ID = "CC-BY-4.0"
SHA256SUMS = "SHA256SUMS"
BATCH_ROWS = 100_000  # rows per Arrow batch and Parquet row group


class ReleaseError(RuntimeError):
    """A release cannot be written as declared; nothing is published."""


def require_declared_columns(con: duckdb.DuckDBPyConnection, tables: list[str] = RELEASED_TABLES) -> None:
    """Raise if a released table lacks a column the dictionary declares (extra columns are not released)."""
    present: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall():
        present.setdefault(table, set()).add(column)
    problems = []
    for name in tables:
        missing = [c for c in TABLES[name].columns if c not in present.get(name, set())]
        if name not in present:
            problems.append(f"table {name} is missing")
        elif missing:
            problems.append(f"{name} lacks {', '.join(missing)}")
    if problems:
        raise ReleaseError("warehouse does not match the data dictionary: " + "; ".join(problems))


def release_schema(table: str, version: str) -> pa.Schema:
    """The declared Arrow schema with the release's key-value metadata added."""
    schema = arrow_schema(table)
    return schema.with_metadata({**schema.metadata, b"entente_version": version.encode(),
                                 b"licence": LICENCE_ID.encode(),
                                 b"contract_version": CONTRACT_VERSION.encode()})


def write_table_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path, version: str) -> int:
    """Write a released table, sorted by primary key, as zstd Parquet with its declared schema; returns rows."""
    schema = release_schema(table, version)
    columns = ", ".join(quote(c) for c in schema.names)
    order = ", ".join(quote(c) for c in TABLES[table].primary_key) or columns
    reader = con.sql(f"SELECT {columns} FROM main.{quote(table)} ORDER BY {order}").to_arrow_reader(BATCH_ROWS)
    rows = 0
    try:
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            for batch in reader:
                try:
                    batch = batch.cast(schema)
                except (pa.ArrowInvalid, ValueError) as e:
                    raise ReleaseError(f"{table}: rows do not fit the declared schema: {e}") from e
                writer.write_batch(batch)
                rows += batch.num_rows
    finally:
        reader.close()  # an unfinished DuckDB result would block the connection
    fsync(path)
    return rows


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    fsync(path)


def fsync(path: Path) -> None:
    """Flush a written file to disk, so a renamed release survives a crash whole."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_schema(path: Path) -> list[dict]:
    """Columns of a Parquet file as written: name, Arrow type, nullable."""
    return [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in pq.read_schema(path)]


def write_sha256sums(release_dir: Path) -> None:
    """SHA256SUMS in `sha256sum -c` format for every file in the folder except itself."""
    files = sorted(p for p in release_dir.rglob("*") if p.is_file() and p.name != SHA256SUMS)
    lines = [f"{file_sha256(p)}  {p.relative_to(release_dir).as_posix()}\n" for p in files]
    write_text(release_dir / SHA256SUMS, "".join(lines))
