"""Load a raw folder into articles, article_texts and ingest_errors, in bounded batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline import warehouse
from pipeline.dictionary import TABLES
from pipeline.ingest.articles import build_article
from pipeline.ingest.readers import RawError, read_raw

BATCH = 2000


@dataclass(frozen=True)
class IngestSummary:
    files_seen: int
    articles: int
    duplicates: int
    errors: int


def _stage_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables for one ingest: articles with their text (one row per raw record) and errors."""
    con.execute("DROP TABLE IF EXISTS stage_articles")
    con.execute("DROP TABLE IF EXISTS stage_ingest_errors")
    con.execute(f"CREATE TEMP TABLE stage_articles AS SELECT * FROM ({_STAGE_SELECT}) WHERE false")
    con.execute("CREATE TEMP TABLE stage_ingest_errors AS SELECT * FROM ingest_errors WHERE false")


_STAGE_SELECT = "SELECT a.*, t.text, t.extra FROM articles a JOIN article_texts t USING (article_id)"


def ingest(con: duckdb.DuckDBPyConnection, raw_dir: Path, now: datetime | None = None) -> IngestSummary:
    """Replace the article tables with what raw_dir holds now; errors are rows, never exceptions."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    now = now or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    _stage_tables(con)
    articles, texts, errors = [], [], []
    files = set()

    def flush():
        if articles:
            staged = warehouse.to_arrow("articles", articles)
            text_rows = warehouse.to_arrow("article_texts", texts)
            for col in ("text", "extra"):
                staged = staged.append_column(col, text_rows.column(col))
            warehouse.insert_arrow(con, "stage_articles", staged)
        if errors:
            warehouse.insert_arrow(con, "stage_ingest_errors", warehouse.to_arrow("ingest_errors", errors))
        articles.clear(), texts.clear(), errors.clear()

    for item in read_raw(raw_dir):
        files.add(item.raw_path)
        if isinstance(item, RawError):
            errors.append({"raw_path": item.raw_path, "line": item.line, "reason": item.reason, "seen_at": now})
            continue
        where = item.raw_path if item.line is None else f"{item.raw_path}:{item.line}"
        try:
            article, text_row, warnings = build_article(item.fields, where, now)
        except ValueError as exc:
            errors.append({"raw_path": item.raw_path, "line": item.line, "reason": str(exc), "seen_at": now})
            continue
        errors.extend({"raw_path": item.raw_path, "line": item.line, "reason": w, "seen_at": now} for w in warnings)
        articles.append(article)
        texts.append(text_row)
        if len(articles) >= BATCH:
            flush()
    flush()
    _publish_stage(con)
    counts = warehouse.one(con, "SELECT count(*), count(duplicate_of) FROM articles")
    return IngestSummary(len(files), counts[0], counts[1], warehouse.row_count(con, "ingest_errors"))


def _publish_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve repeated ids and exact duplicates in SQL, then swap the stage in atomically."""
    article_cols = TABLES["articles"].columns
    con.execute("""
        CREATE OR REPLACE TEMP TABLE kept AS
        SELECT * EXCLUDE (version_rank) FROM (
            SELECT *, row_number() OVER (PARTITION BY article_id
                                         ORDER BY published_at DESC NULLS LAST, raw_path DESC) AS version_rank
            FROM stage_articles)
        WHERE version_rank = 1""")
    # the same URL (hence article_id) twice: the newest version wins, the other is recorded
    con.execute("""
        INSERT INTO stage_ingest_errors
        SELECT regexp_extract(s.raw_path, '^(.*?)(:\\d+)?$', 1),
               TRY_CAST(nullif(regexp_extract(s.raw_path, ':(\\d+)$', 1), '') AS BIGINT),
               'same article (url) as ' || k.raw_path || '; the newer version was kept', s.ingested_at
        FROM stage_articles s JOIN kept k ON k.article_id = s.article_id AND k.raw_path <> s.raw_path""")
    select_cols = ", ".join(
        "coalesce(old.ingested_at, n.ingested_at)" if c == "ingested_at"
        else "canon.article_id" if c == "duplicate_of"
        else f"n.{c}" for c in article_cols)
    con.execute("CREATE OR REPLACE TEMP TABLE old_articles AS SELECT article_id, content_sha256, ingested_at FROM articles")
    con.execute("CREATE OR REPLACE TEMP TABLE old_errors AS SELECT * FROM ingest_errors")
    with warehouse.transaction(con):
        con.execute("DELETE FROM articles")
        con.execute(f"""
            INSERT INTO articles ({', '.join(article_cols)})
            WITH first_copy AS (SELECT content_sha256, arg_min(article_id, raw_path) AS article_id
                                FROM kept GROUP BY content_sha256)
            SELECT {select_cols}
            FROM kept n
            LEFT JOIN first_copy canon ON canon.content_sha256 = n.content_sha256 AND canon.article_id <> n.article_id
            LEFT JOIN old_articles old ON old.article_id = n.article_id AND old.content_sha256 = n.content_sha256
            ORDER BY n.article_id""")
        con.execute("DELETE FROM article_texts")
        con.execute("INSERT INTO article_texts SELECT article_id, text, extra FROM kept ORDER BY article_id")
        con.execute("DELETE FROM ingest_errors")
        con.execute("""
            INSERT INTO ingest_errors
            SELECT e.raw_path, e.line, e.reason, coalesce(min(old.seen_at), e.seen_at)
            FROM stage_ingest_errors e
            LEFT JOIN old_errors old ON old.raw_path = e.raw_path AND old.line IS NOT DISTINCT FROM e.line
                                     AND old.reason = e.reason
            GROUP BY e.raw_path, e.line, e.reason, e.seen_at
            ORDER BY e.raw_path, e.line NULLS FIRST, e.reason""")
    for t in ("stage_articles", "stage_ingest_errors", "kept", "old_articles", "old_errors"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
