"""What the data dictionary generates: DuckDB DDL, Arrow schemas, GX suites, docs, datapackage."""

from __future__ import annotations

import pyarrow as pa

from pipeline.dictionary.fields import CONTRACT_VERSION, Field
from pipeline.dictionary.tables import TABLES, Table

_DUCKDB_TYPES = {
    "string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN",
    "date": "DATE", "timestamp": "TIMESTAMP", "list<string>": "VARCHAR[]",
}
_ARROW_TYPES = {
    "string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
    "date": pa.date32(), "timestamp": pa.timestamp("us"), "list<string>": pa.list_(pa.string()),
}
_FRICTIONLESS_TYPES = {
    "string": "string", "int64": "integer", "float64": "number", "bool": "boolean",
    "date": "date", "timestamp": "datetime", "list<string>": "array",
}


def duckdb_type(f: Field) -> str:
    return _DUCKDB_TYPES[f.type]


def create_table_sql(table: Table) -> str:
    """CREATE TABLE IF NOT EXISTS for a table (views are created by the warehouse module)."""
    cols = [f"{f.name} {duckdb_type(f)}{' NOT NULL' if f.required else ''}" for f in table.fields]
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n  " + ",\n  ".join(cols) + "\n)"


def arrow_schema(table: Table | str) -> pa.Schema:
    """The declared Arrow schema, with descriptions as field metadata."""
    table = TABLES[table] if isinstance(table, str) else table
    return pa.schema(
        [pa.field(f.name, _ARROW_TYPES[f.type], nullable=not f.required,
                  metadata={"description": f.description}) for f in table.fields],
        metadata={"table": table.name, "description": table.description,
                  "contract_version": CONTRACT_VERSION},
    )


def structural_expectations(table: Table) -> list[dict]:
    """GX 1.x expectation configurations implied by the dictionary (columns, keys, values, ranges)."""
    exps: list[dict] = [{
        "type": "expect_table_columns_to_match_ordered_list",
        "kwargs": {"column_list": table.columns},
        "meta": {"source": "dictionary", "level": "table"},
    }]
    for f in table.fields:
        if f.required:
            exps.append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": f.name},
                         "meta": {"source": "dictionary", "level": "table"}})
        if f.values:
            exps.append({"type": "expect_column_values_to_be_in_set",
                         "kwargs": {"column": f.name, "value_set": list(f.values)},
                         "meta": {"source": "dictionary", "level": "row"}})
        if f.minimum is not None or f.maximum is not None:
            kw = {"column": f.name}
            if f.minimum is not None:
                kw["min_value"] = f.minimum
            if f.maximum is not None:
                kw["max_value"] = f.maximum
            exps.append({"type": "expect_column_values_to_be_between", "kwargs": kw,
                         "meta": {"source": "dictionary", "level": "row"}})
    if len(table.primary_key) == 1:
        exps.append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": table.primary_key[0]},
                     "meta": {"source": "dictionary", "level": "table"}})
    elif table.primary_key:
        exps.append({"type": "expect_compound_columns_to_be_unique",
                     "kwargs": {"column_list": list(table.primary_key)},
                     "meta": {"source": "dictionary", "level": "table"}})
    return exps


def markdown_dictionary(tables: list[str] | None = None) -> str:
    """The data dictionary as Markdown (for docs and releases)."""
    out = [f"# Entente data dictionary (contract v{CONTRACT_VERSION})", ""]
    for name in tables or list(TABLES):
        t = TABLES[name]
        kind = "view" if t.view else "table"
        out += [f"## `{t.name}` ({kind}{', released' if t.released else ''})", "", t.description, ""]
        if t.primary_key:
            out += [f"Primary key: `{', '.join(t.primary_key)}`", ""]
        out += ["| column | type | required | description | allowed values / references |",
                "|---|---|---|---|---|"]
        for f in t.fields:
            extra = ", ".join(f"`{v}`" for v in f.values) if f.values else (f"→ `{f.references}`" if f.references else "")
            out.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {f.description} | {extra} |")
        out.append("")
    return "\n".join(out)


def datapackage(resources: dict[str, str], version: str, licence: dict) -> dict:
    """A Frictionless data package for released Parquet files ({table: relative path})."""
    res = []
    for name, path in resources.items():
        t = TABLES[name]
        schema = {"fields": [], "primaryKey": list(t.primary_key)}
        fks = []
        for f in t.fields:
            fd = {"name": f.name, "type": _FRICTIONLESS_TYPES[f.type], "description": f.description}
            cons = {}
            if f.required:
                cons["required"] = True
            if f.values:
                cons["enum"] = list(f.values)
            if f.minimum is not None:
                cons["minimum"] = f.minimum
            if f.maximum is not None:
                cons["maximum"] = f.maximum
            if cons:
                fd["constraints"] = cons
            schema["fields"].append(fd)
            if f.references:
                ref_table, ref_col = f.references.split(".")
                if ref_table in resources:
                    fks.append({"fields": f.name,
                                "reference": {"resource": "" if ref_table == name else ref_table, "fields": ref_col}})
        if fks:
            schema["foreignKeys"] = fks
        res.append({"name": name, "path": path, "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                    "description": t.description, "schema": schema})
    return {
        "name": "entente", "title": "Entente: alliances and arms transfers read from news",
        "version": version, "licenses": [licence],
        "sources": [{"title": "News articles (URLs in articles.parquet)"}],
        "resources": res,
    }
