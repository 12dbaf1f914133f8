"""Expectation suites: generated from the dictionary into expectations/, merged with reviewed semantic files."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pipeline.dictionary.fields as fields
from pipeline.dictionary import TABLES, Table, structural_expectations

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
LEVELS = ("table", "row")
# An unknown actor code is a fault of one extracted row (quarantined); a dangling article id is a
# fault of the pipeline (blocking).
ROW_LEVEL_REFERENCES = frozenset({"actors.actor_code"})
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def validated_tables() -> list[str]:
    """Every warehouse table that is not a view: each has a suite."""
    return [t.name for t in TABLES.values() if not t.view]


def reference_expectations(table: Table) -> list[dict]:
    """One helper-column expectation per column whose values must exist in another table."""
    exps = []
    for f in table.fields:
        if not f.references:
            continue
        ref_table, ref_col = f.references.split(".")
        exps.append({
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": f"_{f.name}_not_in_{ref_table}", "value_set": [False]},
            "meta": {"source": "dictionary", "level": "row" if f.references in ROW_LEVEL_REFERENCES else "table",
                     "rule": f"{f.name}_in_{ref_table}",
                     "sql": f"t.{f.name} IS NOT NULL AND NOT EXISTS "
                            f"(SELECT 1 FROM {ref_table} r WHERE r.{ref_col} = t.{f.name})"},
        })
    return exps


def generated_suite(table: Table | str) -> dict:
    """The part of a table's suite that the dictionary implies (what expectations/<table>.json holds)."""
    table = TABLES[table] if isinstance(table, str) else table
    return {
        "name": table.name,
        "expectations": structural_expectations(table) + reference_expectations(table),
        "meta": {"table": table.name, "contract_version": fields.CONTRACT_VERSION,
                 "generated_by": "pipeline.validation.suites.write_suites",
                 "note": "Generated from pipeline/dictionary: do not edit; semantic rules go in semantic/<table>.json."},
    }


def _dump(suite: dict) -> str:
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def write_suites(directory: Path | str = EXPECTATIONS_DIR) -> list[Path]:
    """Write <table>.json for every non-view table (and remove suites of tables no longer declared)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    names = validated_tables()
    for stale in directory.glob("*.json"):
        if stale.stem not in names:
            stale.unlink()
    paths = []
    for name in names:
        path = directory / f"{name}.json"
        path.write_text(_dump(generated_suite(name)), encoding="utf-8")
        paths.append(path)
    return paths


def _expand(sql: str) -> str:
    """Replace {NAME} by the dictionary's value tuple NAME as a SQL list, so value sets are not typed twice."""
    def literal(m: re.Match) -> str:
        values = getattr(fields, m.group(1), None)
        if not isinstance(values, tuple):
            raise ValueError(f"unknown dictionary constant {{{m.group(1)}}} in {sql!r}")
        return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"
    return _PLACEHOLDER.sub(literal, sql)


def _check(suite: dict, table: Table, origin: Path) -> None:
    if suite.get("name") != table.name:
        raise ValueError(f"{origin}: suite name {suite.get('name')!r} is not {table.name!r}")
    for e in suite["expectations"]:
        meta, column = e.get("meta", {}), e.get("kwargs", {}).get("column")
        if meta.get("level") not in LEVELS:
            raise ValueError(f"{origin}: {e['type']} on {column}: meta.level must be one of {LEVELS}")
        helper = column is not None and column.startswith("_")
        if helper != bool(meta.get("sql") or meta.get("query")):
            raise ValueError(f"{origin}: {e['type']} on {column}: helper columns start with '_' and need meta.sql or meta.query")
        if meta.get("query") and meta["level"] == "row":
            raise ValueError(f"{origin}: {column}: a meta.query check is about the whole table: level must be 'table'")


def load_suite(table: str, directory: Path | str = EXPECTATIONS_DIR) -> dict:
    """The table's suite as used: expectations/<table>.json plus expectations/semantic/<table>.json, placeholders expanded."""
    directory = Path(directory)
    t = TABLES[table]
    path = directory / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    _check(suite, t, path)
    semantic = directory / "semantic" / f"{table}.json"
    sources = [str(path.relative_to(directory))]
    if semantic.exists():
        extra = json.loads(semantic.read_text(encoding="utf-8"))
        _check(extra, t, semantic)
        suite["expectations"] = suite["expectations"] + extra["expectations"]
        sources.append(str(semantic.relative_to(directory)))
    for e in suite["expectations"]:
        for key in ("sql", "query"):
            if key in e.get("meta", {}):
                e["meta"][key] = _expand(e["meta"][key])
    digest = hashlib.sha256(_dump(suite).encode()).hexdigest()[:12]
    suite["meta"] = {**suite.get("meta", {}), "sources": sources, "digest": digest}
    return suite


def rule_name(e: dict) -> str:
    """A short stable name for an expectation: meta.rule, else type and column."""
    if e.get("meta", {}).get("rule"):
        return e["meta"]["rule"]
    kw = e.get("kwargs", {})
    table_wide = e["type"].startswith("expect_table_")
    target = "table" if table_wide else kw.get("column") or "+".join(kw.get("column_list", [])) or "table"
    return f"{e['type'].removeprefix('expect_')}:{target}"
