"""Changes between two releases (row counts, schema, rows by primary key), computed in DuckDB over Parquet."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.dictionary import RELEASED_TABLES, TABLES
from pipeline.release.fingerprint import quote, sql_string
from pipeline.release.layout import MANIFEST, read_manifest, release_version

CHANGE_KINDS = ("added", "removed", "changed")
EVENT_TABLES = [name for name in RELEASED_TABLES if TABLES[name].primary_key == ("event_id",)]
MAX_KEYS_LISTED = 100_000  # per table and kind in changes.json; counts are always complete
MARKDOWN_KEYS_LISTED = 50  # per table and kind in CHANGES.md
_PRESENT = "__entente_present"


def diff_releases(old_dir: Path | None, new_dir: Path) -> dict:
    """What changed from the release in `old_dir` (None: there is none) to the one in `new_dir`."""
    new_dir = Path(new_dir)
    old_dir = Path(old_dir) if old_dir is not None else None
    new_files = _parquet_files(new_dir)
    old_files = _parquet_files(old_dir) if old_dir else {}
    new_fps, old_fps = _manifest_fingerprints(new_dir), _manifest_fingerprints(old_dir)
    names = [n for n in RELEASED_TABLES if n in new_files or n in old_files]
    names += sorted((set(new_files) | set(old_files)) - set(names))
    diff = {"format": 1, "previous_version": release_version(old_dir) if old_dir else None,
            "version": release_version(new_dir), "tables": {}}
    with tempfile.TemporaryDirectory() as spill, duckdb.connect(config={"temp_directory": spill}) as db:
        for name in names:
            old, new = old_files.get(name), new_files.get(name)
            entry = {"unit": "event" if name in EVENT_TABLES else "row",
                     "primary_key": list(TABLES[name].primary_key) if name in TABLES else [],
                     "rows_before": _rows(old) if old else None, "rows_after": _rows(new) if new else None}
            if old_dir is None:
                entry["status"] = "first release"
            elif old is None or new is None:
                entry["status"] = "table added" if old is None else "table removed"
            else:
                entry["schema"] = schema_changes(old, new)
                same = name in new_fps and new_fps.get(name) == old_fps.get(name) and not any(entry["schema"].values())
                entry.update(_unchanged() if same else _row_changes(db, entry["primary_key"], old, new))
                if entry["status"] == "unchanged" and any(entry["schema"].values()):
                    entry["status"] = "schema changed"
            diff["tables"][name] = entry
    return diff


def schema_changes(old: Path, new: Path) -> dict:
    before = {f.name: f for f in pq.read_schema(old)}
    after = {f.name: f for f in pq.read_schema(new)}
    common = [n for n in after if n in before]
    return {
        "columns_added": [{"name": n, "type": str(after[n].type)} for n in after if n not in before],
        "columns_removed": [{"name": n, "type": str(before[n].type)} for n in before if n not in after],
        "type_changed": [{"name": n, "before": str(before[n].type), "after": str(after[n].type)}
                         for n in common if before[n].type != after[n].type],
        "nullable_changed": [{"name": n, "before": before[n].nullable, "after": after[n].nullable}
                             for n in common if before[n].nullable != after[n].nullable],
    }


def _row_changes(db: duckdb.DuckDBPyConnection, key: list[str], old: Path, new: Path) -> dict:
    """Rows added, removed and changed by primary key, with the columns that changed."""
    before, after = pq.read_schema(old), pq.read_schema(new)
    if not key or not all(k in before.names and k in after.names for k in key):
        return {"status": "not comparable (no common primary key)", "truncated": False}
    compared = [c for c in after.names if c in before.names and c not in key]

    def differs(c: str) -> str:
        if before.field(c).type == after.field(c).type:
            return f"o.{quote(c)} IS DISTINCT FROM n.{quote(c)}"
        return f"CAST(o.{quote(c)} AS VARCHAR) IS DISTINCT FROM CAST(n.{quote(c)} AS VARCHAR)"

    flags = [f"CASE WHEN {differs(c)} THEN {sql_string(c)} END" for c in compared]
    changed_cols = f"list_filter([{', '.join(flags)}], lambda x: x IS NOT NULL)" if flags else "[]::VARCHAR[]"
    any_differs = " OR ".join(differs(c) for c in compared) or "FALSE"
    keys = ", ".join(f"coalesce(n.{quote(k)}, o.{quote(k)}) AS {quote(k)}" for k in key)
    on = " AND ".join(f"o.{quote(k)} = n.{quote(k)}" for k in key)
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE delta AS
        SELECT {keys},
               CASE WHEN o.{_PRESENT} IS NULL THEN 'added' WHEN n.{_PRESENT} IS NULL THEN 'removed'
                    ELSE 'changed' END AS change,
               CASE WHEN o.{_PRESENT} AND n.{_PRESENT} THEN {changed_cols} END AS columns
        FROM (SELECT *, TRUE AS {_PRESENT} FROM read_parquet({sql_string(old)})) o
        FULL OUTER JOIN (SELECT *, TRUE AS {_PRESENT} FROM read_parquet({sql_string(new)})) n ON {on}
        WHERE o.{_PRESENT} IS NULL OR n.{_PRESENT} IS NULL OR {any_differs}
    """)
    counts = dict(db.execute("SELECT change, count(*) FROM delta GROUP BY change").fetchall())
    by_column = dict(db.execute(
        "SELECT c, count(*) FROM (SELECT unnest(columns) AS c FROM delta WHERE change = 'changed') "
        "GROUP BY c ORDER BY c"
    ).fetchall())
    order = ", ".join(quote(k) for k in key)
    listed = db.execute(f"""
        SELECT change, columns, {order} FROM delta
        QUALIFY row_number() OVER (PARTITION BY change ORDER BY {order}) <= {MAX_KEYS_LISTED}
        ORDER BY change, {order}
    """).fetchall()
    db.execute("DROP TABLE delta")
    out = {kind: {"count": counts.get(kind, 0), "keys": []} for kind in CHANGE_KINDS}
    out["changed"]["columns"] = by_column
    for change, columns, *values in listed:
        k = values[0] if len(key) == 1 else dict(zip(key, values))
        out[change]["keys"].append({"key": k, "columns": columns} if change == "changed" else k)
    return {"status": "changed" if any(counts.values()) else "unchanged", **out,
            "truncated": any(n > MAX_KEYS_LISTED for n in counts.values())}


def _unchanged() -> dict:
    out = {kind: {"count": 0, "keys": []} for kind in CHANGE_KINDS}
    out["changed"]["columns"] = {}
    return {"status": "unchanged", **out, "truncated": False}


def _parquet_files(release_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(release_dir.glob("*.parquet"))}


def _rows(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def _manifest_fingerprints(release_dir: Path | None) -> dict[str, str]:
    if release_dir is None or not (release_dir / MANIFEST).is_file():
        return {}
    tables = read_manifest(release_dir).get("tables", {})
    return {name: t["fingerprint"] for name, t in tables.items() if t.get("fingerprint")}


def format_diff(diff: dict) -> str:
    """The changelog (CHANGES.md) for a diff from diff_releases."""
    previous = diff["previous_version"]
    out = [f"# Changes in Entente {diff['version']}", ""]
    out += [f"Compared with release {previous}." if previous else
            "First release: there is no earlier release to compare with.", ""]
    out += ["| table | rows before | rows after | added | removed | changed | status |",
            "|---|--:|--:|--:|--:|--:|---|"]
    for name, t in diff["tables"].items():
        counts = [str(t[k]["count"]) if k in t else "" for k in CHANGE_KINDS]
        out.append(f"| `{name}` | {_blank(t['rows_before'])} | {_blank(t['rows_after'])} | "
                   + " | ".join(counts) + f" | {t['status']} |")
    out.append("")
    for name, t in diff["tables"].items():
        section = _table_section(t)
        if section:
            out += [f"## `{name}`", "", *section]
    return "\n".join(out)


def _table_section(t: dict) -> list[str]:
    noun = "Events" if t["unit"] == "event" else "Rows"
    out = []
    for kind in CHANGE_KINDS:
        change = t.get(kind)
        if not change or not change["count"]:
            continue
        heading = f"{noun} {kind} ({change['count']})"
        if kind == "changed" and change["columns"]:
            heading += ", by column: " + ", ".join(f"`{c}` {n}" for c, n in change["columns"].items())
        out += [heading + ":", ""]
        for item in change["keys"][:MARKDOWN_KEYS_LISTED]:
            if kind == "changed":
                out.append(f"- `{_key_text(item['key'])}`: {', '.join(item['columns'])}")
            else:
                out.append(f"- `{_key_text(item)}`")
        if change["count"] > MARKDOWN_KEYS_LISTED:
            out.append(f"- ... and {change['count'] - MARKDOWN_KEYS_LISTED} more (see changes.json)")
        out.append("")
    schema = t.get("schema") or {}
    notes = [f"column `{c['name']}` added ({c['type']})" for c in schema.get("columns_added", [])]
    notes += [f"column `{c['name']}` removed" for c in schema.get("columns_removed", [])]
    notes += [f"column `{c['name']}` type {c['before']} -> {c['after']}" for c in schema.get("type_changed", [])]
    notes += [f"column `{c['name']}` {'now' if c['after'] else 'no longer'} nullable"
              for c in schema.get("nullable_changed", [])]
    if notes:
        out += ["Schema: " + "; ".join(notes) + ".", ""]
    return out


def _key_text(key) -> str:
    return ", ".join(str(v) for v in key.values()) if isinstance(key, dict) else str(key)


def _blank(value) -> str:
    return "" if value is None else str(value)
