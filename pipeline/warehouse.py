"""The DuckDB warehouse: schema from the dictionary, bulk Arrow writes, views and dyad tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.dictionary import TABLES, arrow_schema, create_table_sql

EVENTS_VIEW_SQL = """
CREATE OR REPLACE VIEW events AS
SELECT event_id, 'arms_transfer' AS family, article_id, sentence_idx, char_start, char_end,
       supplier AS actor_a, recipient AS actor_b, weapon_category AS kind, status,
       event_date, date_precision, confidence, evidence, extractor
FROM arms_transfers
UNION ALL
SELECT event_id, 'alliance' AS family, article_id, sentence_idx, char_start, char_end,
       actor_a, actor_b, relation AS kind, NULL AS status,
       event_date, date_precision, confidence, evidence, extractor
FROM alliances
"""

_DYADS_SQL = """
SELECT e.{a} , e.{b},
       CAST(coalesce(year(e.event_date), year(ar.published_at)) AS BIGINT) AS year,
       list_sort(list_distinct(list(e.{kind}))) AS {kinds},
       count(*) AS n_events,
       count(DISTINCT e.article_id) AS n_articles,
       min(ar.published_at) AS first_reported,
       max(ar.published_at) AS last_reported
FROM {events} e JOIN articles ar USING (article_id)
WHERE coalesce(year(e.event_date), year(ar.published_at)) IS NOT NULL
GROUP BY ALL
ORDER BY 1, 2, 3
"""
DYAD_QUERIES = {
    "arms_dyads": _DYADS_SQL.format(a="supplier", b="recipient", kind="weapon_category",
                                    kinds="weapon_categories", events="arms_transfers"),
    "alliance_dyads": _DYADS_SQL.format(a="actor_a", b="actor_b", kind="relation",
                                        kinds="relations", events="alliances"),
}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse with every dictionary table and view present."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES.values():
        if not table.view:
            con.execute(create_table_sql(table))
    con.execute(EVENTS_VIEW_SQL)


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table with the declared schema of table `name`."""
    schema = arrow_schema(name)
    return pa.Table.from_pylist(rows, schema=schema)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_arrow(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    """Append an Arrow table to `name`: by the declared columns for dictionary tables, by name otherwise."""
    if data.num_rows == 0:
        return
    con.register("_arrow_in", data)
    try:
        cols = ", ".join(TABLES[name].columns if name in TABLES else data.column_names)
        con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _arrow_in")
    finally:
        con.unregister("_arrow_in")


def replace_table(con: duckdb.DuckDBPyConnection, name: str, batches: Iterable[pa.Table]) -> int:
    """Replace all rows of `name` with the given batches, atomically; returns the row count."""
    n = 0
    with transaction(con):
        con.execute(f"DELETE FROM {name}")
        for batch in batches:
            insert_arrow(con, name, batch)
            n += batch.num_rows
    return n


def rebuild_dyads(con: duckdb.DuckDBPyConnection, name: str) -> int:
    cols = ", ".join(TABLES[name].columns)
    with transaction(con):
        con.execute(f"DELETE FROM {name}")
        con.execute(f"INSERT INTO {name} ({cols}) {DYAD_QUERIES[name]}")
    return row_count(con, name)


def one(con: duckdb.DuckDBPyConnection, query: str, params=None) -> tuple:
    """The single row of a query, fully fetched (DuckDB 2 blocks a connection on unfinished results)."""
    rows = con.execute(query, params or {}).fetchall()
    return rows[0] if rows else ()


def row_count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    return one(con, f"SELECT count(*) FROM {name}")[0]


def article_ranges(con: duckdb.DuckDBPyConnection, where: str = "TRUE", batch_size: int = 2000) -> Iterator[tuple[str, str]]:
    """Batches of articles as (after, upto] article_id ranges, by keyset pagination over `articles`.

    A batch is what a worker processes at once and the natural unit for future partitions.
    """
    after = ""
    while True:
        row = one(
            con,
            f"SELECT max(article_id), count(*) FROM (SELECT article_id FROM articles WHERE ({where}) "
            f"AND article_id > $after ORDER BY article_id LIMIT {int(batch_size)})",
            {"after": after},
        )
        if not row[1]:
            return
        yield after, row[0]
        after = row[0]
