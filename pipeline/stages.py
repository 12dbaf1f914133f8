"""Warehouse build steps: each reads only the articles it has not read yet, in batches, and writes Arrow.

Every stage keeps `extraction_state` rows (stage, article, input key, extractor version). A run first
drops the rows of articles that are gone, became duplicates, changed (text or date) or were read by
another extractor version, then reads the articles it has no state for, one batch (one transaction)
at a time: a batch is the unit a Dagster partition or a worker process can take later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from pipeline import warehouse
from pipeline.extract.events import EXTRACTOR, event_rows, mention_rows, sentence_rows
from pipeline.extract.mentions import Gazetteer
from pipeline.extract.sentences import Sentence
from pipeline.reference.load import actor_rows

BATCH_SIZE = 1000
# Duplicates repeat another article's text: they are kept in `articles` but read once.
_INPUT_KEY = "a.content_sha256 || '@' || coalesce(CAST(a.published_at AS VARCHAR), '')"
STAGE_TABLES = {"sentences": ("sentences",), "mentions": ("mentions",), "events": ("arms_transfers", "alliances")}


def build_actors(con: duckdb.DuckDBPyConnection) -> int:
    return warehouse.replace_table(con, "actors", [warehouse.to_arrow("actors", actor_rows())])


def _invalidate(con: duckdb.DuckDBPyConnection, stage: str) -> int:
    """Drop a stage's rows (and their rejects) for articles it must read again; returns how many."""
    tables = STAGE_TABLES[stage]
    params = {"stage": stage, "version": EXTRACTOR}
    with warehouse.transaction(con):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _stale AS
            SELECT s.article_id FROM extraction_state s LEFT JOIN articles a USING (article_id)
            WHERE s.stage = $stage AND (a.article_id IS NULL OR a.duplicate_of IS NOT NULL
                  OR s.input_key <> {_INPUT_KEY} OR s.version <> $version)""", params)
        n = warehouse.row_count(con, "_stale")
        con.execute("DELETE FROM extraction_state WHERE stage = $stage AND article_id IN (SELECT article_id FROM _stale)",
                    {"stage": stage})
        for table in tables:
            # rows without state are leftovers of an interrupted or older build: read those articles again
            con.execute(f"DELETE FROM {table} WHERE article_id NOT IN "
                        f"(SELECT article_id FROM extraction_state WHERE stage = $stage)", {"stage": stage})
            con.execute("DELETE FROM rejected_rows WHERE table_name = $t AND json_extract_string(row_json, '$.article_id') "
                        "NOT IN (SELECT article_id FROM extraction_state WHERE stage = $stage)", {"t": table, "stage": stage})
        con.execute("DROP TABLE _stale")
    return n


def _run_stage(con: duckdb.DuckDBPyConnection, stage: str, query: str,
               extract: Callable[[pa.Table], dict[str, list[dict]]]) -> dict[str, int]:
    """Read every pending article of `stage` in batches; returns rows written per table (and 'articles')."""
    invalidated = _invalidate(con, stage)
    pending = (f"duplicate_of IS NULL AND article_id NOT IN "
               f"(SELECT article_id FROM extraction_state WHERE stage = '{stage}')")
    written = defaultdict(int, {"articles": 0, "invalidated": invalidated})
    for after, upto in warehouse.article_ranges(con, pending, BATCH_SIZE):
        params = {"after": after, "upto": upto, "stage": stage}
        page = con.sql(query, params=params).to_arrow_table()
        rows = extract(page)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with warehouse.transaction(con):
            for table, table_rows in rows.items():
                warehouse.insert_arrow(con, table, warehouse.to_arrow(table, table_rows))
                written[table] += len(table_rows)
            n = warehouse.one(con, f"""
                INSERT INTO extraction_state (stage, article_id, input_key, version, processed_at)
                SELECT $stage, a.article_id, {_INPUT_KEY}, $version, $now FROM articles a
                WHERE a.article_id > $after AND a.article_id <= $upto AND ({pending})""",
                {**params, "version": EXTRACTOR, "now": now})[0]
        written["articles"] += n
    return dict(written)


# a batch's range also holds articles read before: the queries keep only the pending ones
_NOT_READ = "a.article_id NOT IN (SELECT article_id FROM extraction_state WHERE stage = $stage)"
_PENDING_TEXTS = f"""SELECT t.article_id, t.text FROM article_texts t JOIN articles a USING (article_id)
                     WHERE a.duplicate_of IS NULL AND t.article_id > $after AND t.article_id <= $upto AND {_NOT_READ}"""
_SENTENCES = f"""SELECT s.article_id, s.sentence_idx, s.char_start, s.char_end, s.text,
                        CAST(a.published_at AS DATE) AS published
                 FROM sentences s JOIN articles a USING (article_id)
                 WHERE s.article_id > $after AND s.article_id <= $upto AND {_NOT_READ}
                 ORDER BY s.article_id, s.sentence_idx"""


def build_sentences(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    def extract(page: pa.Table) -> dict[str, list[dict]]:
        rows = []
        for article_id, text in zip(page.column("article_id").to_pylist(), page.column("text").to_pylist()):
            rows.extend(sentence_rows(article_id, text))
        return {"sentences": rows}

    return _run_stage(con, "sentences", _PENDING_TEXTS, extract)


def _sentences_by_article(page: pa.Table) -> tuple[dict[str, list[Sentence]], dict]:
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    published = {}
    for r in page.to_pylist():
        sentences[r["article_id"]].append(Sentence(r["sentence_idx"], r["char_start"], r["char_end"], r["text"]))
        published[r["article_id"]] = r["published"]
    return sentences, published


def build_mentions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    gazetteer = Gazetteer.default()

    def extract(page: pa.Table) -> dict[str, list[dict]]:
        sentences, published = _sentences_by_article(page)
        rows = []
        for article_id, article_sentences in sentences.items():
            rows.extend(mention_rows(article_id, article_sentences, published[article_id], gazetteer))
        return {"mentions": rows}

    return _run_stage(con, "mentions", _SENTENCES, extract)


def build_events(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Arms transfers and alliances from each article's sentences and mentions."""
    gazetteer = Gazetteer.default()
    mentions_q = """SELECT article_id, sentence_idx, char_start, char_end, surface, actor_code, via, suffix
                    FROM mentions WHERE article_id IN (SELECT unnest($ids))
                    ORDER BY article_id, sentence_idx, char_start"""

    def extract(page: pa.Table) -> dict[str, list[dict]]:
        sentences, published = _sentences_by_article(page)
        mentions: dict[str, list[dict]] = defaultdict(list)
        ids = list(sentences)
        for m in con.sql(mentions_q, params={"ids": ids}).to_arrow_table().to_pylist() if ids else []:
            mentions[m["article_id"]].append(m)
        arms, alliances = [], []
        for article_id, article_sentences in sentences.items():
            a, b = event_rows(article_id, article_sentences, mentions.get(article_id, []), published[article_id], gazetteer)
            arms.extend(a)
            alliances.extend(b)
        return {"arms_transfers": arms, "alliances": alliances}

    return _run_stage(con, "events", _SENTENCES, extract)
