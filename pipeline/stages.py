"""Warehouse build steps: each reads its inputs from DuckDB in article batches and writes Arrow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from pipeline import warehouse
from pipeline.extract.events import event_rows, mention_rows, sentence_rows
from pipeline.extract.mentions import Gazetteer
from pipeline.extract.sentences import Sentence
from pipeline.reference.load import actor_rows

# Duplicates repeat another article's text: they are kept in `articles` but read once.
EXTRACTED = "duplicate_of IS NULL"
BATCH_SIZE = 1000


def build_actors(con: duckdb.DuckDBPyConnection) -> int:
    return warehouse.replace_table(con, "actors", [warehouse.to_arrow("actors", actor_rows())])


def _batches(con, query: str) -> Iterator[tuple[str, str, pa.Table]]:
    """(after, upto, rows of `query` for articles in that range); the query filters on $after/$upto."""
    for after, upto in warehouse.article_ranges(con, EXTRACTED, BATCH_SIZE):
        yield after, upto, con.sql(query, params={"after": after, "upto": upto}).to_arrow_table()


def build_sentences(con: duckdb.DuckDBPyConnection) -> int:
    query = """SELECT t.article_id, t.text FROM article_texts t JOIN articles a USING (article_id)
               WHERE a.duplicate_of IS NULL AND t.article_id > $after AND t.article_id <= $upto"""

    def batches():
        for _, _, page in _batches(con, query):
            rows = []
            for article_id, text in zip(page.column("article_id").to_pylist(), page.column("text").to_pylist()):
                rows.extend(sentence_rows(article_id, text))
            yield warehouse.to_arrow("sentences", rows)

    return warehouse.replace_table(con, "sentences", batches())


def _sentences_by_article(page: pa.Table) -> dict[str, list[Sentence]]:
    out: dict[str, list[Sentence]] = defaultdict(list)
    for r in page.to_pylist():
        out[r["article_id"]].append(Sentence(r["sentence_idx"], r["char_start"], r["char_end"], r["text"]))
    return out


_SENTENCES_Q = """SELECT s.article_id, s.sentence_idx, s.char_start, s.char_end, s.text,
                         CAST(a.published_at AS DATE) AS published
                  FROM sentences s JOIN articles a USING (article_id)
                  WHERE s.article_id > $after AND s.article_id <= $upto
                  ORDER BY s.article_id, s.sentence_idx"""


def _published(page: pa.Table) -> dict:
    return dict(zip(page.column("article_id").to_pylist(), page.column("published").to_pylist()))


def build_mentions(con: duckdb.DuckDBPyConnection) -> int:
    gazetteer = Gazetteer.default()

    def batches():
        for _, _, page in _batches(con, _SENTENCES_Q):
            published = _published(page)
            rows = []
            for article_id, sentences in _sentences_by_article(page).items():
                rows.extend(mention_rows(article_id, sentences, published[article_id], gazetteer))
            yield warehouse.to_arrow("mentions", rows)

    return warehouse.replace_table(con, "mentions", batches())


def build_events(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Arms transfers and alliances from sentences and mentions, both tables replaced atomically."""
    gazetteer = Gazetteer.default()
    mentions_q = """SELECT article_id, sentence_idx, char_start, char_end, surface, actor_code, via, suffix
                    FROM mentions WHERE article_id > $after AND article_id <= $upto
                    ORDER BY article_id, sentence_idx, char_start"""
    n_arms = n_alliances = 0
    with warehouse.transaction(con):
        con.execute("DELETE FROM arms_transfers")
        con.execute("DELETE FROM alliances")
        for after, upto, page in _batches(con, _SENTENCES_Q):
            published = _published(page)
            mentions: dict[str, list[dict]] = defaultdict(list)
            for m in con.sql(mentions_q, params={"after": after, "upto": upto}).to_arrow_table().to_pylist():
                mentions[m["article_id"]].append(m)
            arms, alliances = [], []
            for article_id, sentences in _sentences_by_article(page).items():
                a, b = event_rows(article_id, sentences, mentions.get(article_id, []), published[article_id], gazetteer)
                arms.extend(a)
                alliances.extend(b)
            warehouse.insert_arrow(con, "arms_transfers", warehouse.to_arrow("arms_transfers", arms))
            warehouse.insert_arrow(con, "alliances", warehouse.to_arrow("alliances", alliances))
            n_arms += len(arms)
            n_alliances += len(alliances)
    return n_arms, n_alliances
