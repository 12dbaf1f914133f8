"""Publishing a release: fingerprint the warehouse, write a temp folder, rename it into place, switch `latest`."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.dictionary import RELEASED_TABLES
from pipeline.release import write
from pipeline.release.changes import diff_releases, format_diff
from pipeline.release.documents import write_documents
from pipeline.release.fingerprint import data_fingerprint, warehouse_fingerprints
from pipeline.release.layout import (
    TEMP_PREFIX, latest_release_dir, next_version, point_latest, read_manifest, release_version,
    remove_stale_temp_dirs,
)
from pipeline.release.metadata import table_files, write_datapackage, write_manifest
from pipeline.release.report import write_report


@dataclass(frozen=True)
class ReleaseResult:
    """What publish_release did."""

    created: bool  # False when the released data equals the latest release (idempotent re-run)
    version: str | None  # "YYYY.MM.DD" or "YYYY.MM.DD.N"
    path: Path | None  # the release folder (the existing latest one when created is False)
    row_counts: dict[str, int]
    reason: str  # one line


def publish_release(con: duckdb.DuckDBPyConnection, releases_dir: Path, *, validation: dict,
                    input_fingerprint: str, code_version: str, now: datetime | None = None,
                    attach: Callable[[Path], None] | None = None) -> ReleaseResult:
    """Publish the released tables of the warehouse as a new release, unless their content is unchanged.

    The release is written whole into a temp folder and renamed into place; any failure removes the
    temp folder and leaves earlier releases and `latest` as they were. `attach(folder)` may add files
    (e.g. the validation data docs) before report.html and the checksums are written.
    """
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_dirs(releases_dir)
    now = now or datetime.now(UTC)
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)  # naive means UTC
    created_at = now.isoformat(timespec="seconds").replace("+00:00", "Z")
    previous = latest_release_dir(releases_dir)
    write.require_declared_columns(con)

    with read_snapshot(con):
        fingerprints = warehouse_fingerprints(con)
        fingerprint = data_fingerprint(fingerprints)
        row_counts = {name: fp.rows for name, fp in fingerprints.items()}
        if previous is not None and read_manifest(previous).get("data_fingerprint") == fingerprint:
            version = release_version(previous)
            return ReleaseResult(False, version, previous, row_counts, f"released data unchanged since {version}")
        version = next_version(releases_dir, now.date())
        temp = releases_dir / f"{TEMP_PREFIX}{version}-{os.getpid()}"
        final = releases_dir / version
        try:
            temp.mkdir()
            for name in RELEASED_TABLES:
                write.write_table_parquet(con, name, temp / f"{name}.parquet", version)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise

    try:
        files = table_files(temp, RELEASED_TABLES)
        write_manifest(temp, version=version, created_at=created_at, code_version=code_version,
                       input_fingerprint=input_fingerprint, tables=files,
                       table_fingerprints={n: fp.fingerprint for n, fp in fingerprints.items()},
                       validation=validation, data_fingerprint=fingerprint)
        diff = diff_releases(previous, temp)
        write.write_text(temp / "changes.json", json.dumps(diff, indent=2, default=str) + "\n")
        write.write_text(temp / "CHANGES.md", format_diff(diff))
        write_datapackage(temp, version=version, created_at=created_at, tables=files)
        write_documents(temp, version, now.date())
        if attach is not None:
            attach(temp)
        write_report(temp)
        write.write_sha256sums(temp)
        os.rename(temp, final)  # fails if `final` appeared meanwhile (a concurrent publisher)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    try:
        point_latest(releases_dir, version)
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    since = f"since {release_version(previous)}" if previous else "first release"
    return ReleaseResult(True, version, final, {n: f["rows"] for n, f in files.items()},
                         f"published {version} ({since}): {_summary(diff)}")


@contextmanager
def read_snapshot(con: duckdb.DuckDBPyConnection):
    """Read every table from one snapshot (a transaction rolled back at the end; nothing is written)."""
    try:
        con.execute("BEGIN TRANSACTION")
        own = True
    except duckdb.TransactionException:  # the caller's open transaction already is one snapshot
        own = False
    try:
        yield con
    finally:
        if own:
            con.execute("ROLLBACK")


def _summary(diff: dict) -> str:
    if diff["previous_version"] is None:
        return ", ".join(f"{t['rows_after']} {name}" for name, t in diff["tables"].items())
    parts = []
    for name, t in diff["tables"].items():
        counts = [f"{t[k]['count']} {k}" for k in ("added", "removed", "changed") if t.get(k, {}).get("count")]
        if counts or t["status"] not in ("changed", "unchanged"):
            parts.append(f"{name} " + (", ".join(counts) or t["status"]))
    return "; ".join(parts) or "no row changes"
