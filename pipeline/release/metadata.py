"""Machine-readable release metadata: manifest.json and a validated Frictionless datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.dictionary import CONTRACT_VERSION, TABLES, datapackage
from pipeline.release.layout import MANIFEST
from pipeline.release.write import LICENCE_ID, ReleaseError, file_schema, file_sha256, write_text

DATAPACKAGE = "datapackage.json"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = {"name": LICENCE_ID, "path": LICENCE_URL, "title": "Creative Commons Attribution 4.0 International"}


def table_files(release_dir: Path, tables: list[str]) -> dict[str, dict]:
    """Rows, sha256, bytes and schema of each table's Parquet file."""
    out = {}
    for name in tables:
        path = release_dir / f"{name}.parquet"
        out[name] = {"path": path.name, "rows": pq.ParquetFile(path).metadata.num_rows,
                     "sha256": file_sha256(path), "bytes": path.stat().st_size, "schema": file_schema(path)}
    return out


def write_manifest(release_dir: Path, *, version: str, created_at: str, code_version: str,
                   input_fingerprint: str, tables: dict[str, dict], table_fingerprints: dict[str, str],
                   validation: dict, data_fingerprint: str) -> dict:
    manifest = {
        "version": version, "created_at": created_at, "code_version": code_version,
        "input_fingerprint": input_fingerprint, "contract_version": CONTRACT_VERSION,
        "licence": LICENCE_ID,
        "tables": {name: {**t, "fingerprint": table_fingerprints[name]} for name, t in tables.items()},
        "validation": validation, "data_fingerprint": data_fingerprint,
    }
    write_text(release_dir / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
    return manifest


def write_datapackage(release_dir: Path, *, version: str, created_at: str, tables: dict[str, dict]) -> dict:
    """Write datapackage.json (with each file's sha256), after validating it; raises ReleaseError if invalid."""
    package = datapackage({name: t["path"] for name, t in tables.items()}, version, LICENCE)
    package["created"] = created_at
    for resource in package["resources"]:
        resource["hash"] = f"sha256:{tables[resource['name']]['sha256']}"
    problems = datapackage_problems(package, release_dir)
    if problems:
        raise ReleaseError("datapackage.json is not valid: " + "; ".join(problems))
    write_text(release_dir / DATAPACKAGE, json.dumps(package, indent=2) + "\n")
    return package


def datapackage_problems(package: dict, release_dir: Path) -> list[str]:
    """Frictionless descriptor errors, plus resources whose file is missing or whose columns differ.

    Frictionless 5.21 reads Parquet data through pandas, which turns all-null integer columns into
    floats and list columns into numpy arrays and then reports false type errors; so the data itself
    is checked upstream (blocking checks) and here only the descriptor and the files' columns.
    """
    from frictionless import Package  # imported here: it is slow to import

    report = Package.validate_descriptor(package)
    problems = [f"{kind}: {note}" for kind, note in report.flatten(["type", "note"])]
    for resource in package["resources"]:
        path = release_dir / resource["path"]
        if not path.is_file():
            problems.append(f"{resource['name']}: file {resource['path']} is missing")
            continue
        declared = [f["name"] for f in resource["schema"]["fields"]]
        written = pq.read_schema(path).names
        if written != declared or declared != TABLES[resource["name"]].columns:
            problems.append(f"{resource['name']}: file columns {written} differ from the descriptor {declared}")
    return problems
