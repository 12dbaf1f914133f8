"""Expectations as DuckDB SQL over `FROM <table> t`: helper columns, per-row violations, keys, uniqueness."""

from __future__ import annotations

from pipeline.dictionary import TABLES

UNIQUE_TYPES = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")
# Expectation types whose failing rows a SQL predicate finds (same semantics as GX: NULLs are not
# unexpected except for not_null).
PREDICATE_TYPES = (
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between", "expect_column_values_to_not_be_null",
)


def literal(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def is_helper(column: str | None) -> bool:
    return bool(column) and column.startswith("_")


def column_sql(e: dict, column: str | None = None) -> str:
    """The SQL expression of the expectation's column: t.<column>, or the helper's meta.sql."""
    column = column or e["kwargs"]["column"]
    if is_helper(column):
        return f"({e['meta']['sql']})"
    return f't."{column}"'


def violation_sql(e: dict) -> str | None:
    """A predicate true exactly for the rows the expectation counts as unexpected; None if it has none."""
    kw, typ = e["kwargs"], e["type"]
    if typ not in PREDICATE_TYPES or e.get("meta", {}).get("query"):
        return None
    x = column_sql(e)
    if typ == "expect_column_values_to_not_be_null":
        return f"{x} IS NULL"
    if typ in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        values = ", ".join(literal(v) for v in kw["value_set"]) or "NULL"
        op = "NOT IN" if typ == "expect_column_values_to_be_in_set" else "IN"
        return f"coalesce({x} {op} ({values}), false)"
    parts = []
    if kw.get("min_value") is not None:
        parts.append(f"{x} {'<=' if kw.get('strict_min') else '<'} {literal(kw['min_value'])}")
    if kw.get("max_value") is not None:
        parts.append(f"{x} {'>=' if kw.get('strict_max') else '>'} {literal(kw['max_value'])}")
    return f"coalesce({' OR '.join(parts)}, false)" if parts else None


def row_key_sql(table: str) -> str:
    """A row's key: its primary key values joined by '|', else the MD5 of its JSON."""
    pk = TABLES[table].primary_key
    if pk:
        return "concat_ws('|', " + ", ".join(f'CAST(t."{c}" AS VARCHAR)' for c in pk) + ")"
    return "md5(CAST(to_json(t) AS VARCHAR))"


def row_label_sql(table: str) -> str:
    """What a sample shows of a failing row: its primary key, else its JSON (cut at 300 characters)."""
    if TABLES[table].primary_key:
        return row_key_sql(table)
    return "left(CAST(to_json(t) AS VARCHAR), 300)"


def unique_sql(table: str, e: dict) -> tuple[str, str]:
    """(count of rows whose key is repeated, sample of repeated keys) queries, GX semantics (NULLs skipped)."""
    cols = e["kwargs"].get("column_list") or [e["kwargs"]["column"]]
    quoted = ", ".join(f'"{c}"' for c in cols)
    not_all_null = " OR ".join(f'"{c}" IS NOT NULL' for c in cols)
    if e["type"] == "expect_column_values_to_be_unique":
        not_all_null = f'"{cols[0]}" IS NOT NULL'
    groups = f"SELECT {quoted}, count(*) AS n FROM {table} WHERE {not_all_null} GROUP BY ALL HAVING count(*) > 1"
    label = f'"{cols[0]}"' if len(cols) == 1 else "concat_ws('|', " + ", ".join(f'CAST("{c}" AS VARCHAR)' for c in cols) + ")"
    return (f"SELECT coalesce(sum(n), 0) FROM ({groups})",
            f"SELECT {label} FROM ({groups}) ORDER BY n DESC LIMIT 5")
