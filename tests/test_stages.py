"""Extraction stages read each article once, again only when it changes, and drop rows of removed ones."""

import json

from pipeline import stages, warehouse
from pipeline.ingest.load import ingest

ARTICLE = {"url": "https://example.org/{n}", "published_at": "2023-04-04",
           "text": "Finland joined NATO on Tuesday. Germany delivered IRIS-T air defence systems to Ukraine on Monday."}


def _write(raw, n, **changes):
    article = {**ARTICLE, "url": ARTICLE["url"].format(n=n), "text": ARTICLE["text"] + f" Report {n}.", **changes}
    (raw / f"{n}.json").write_text(json.dumps(article))


def _build(con, raw):
    ingest(con, raw)
    stages.build_actors(con)
    return [stages.build_sentences(con), stages.build_mentions(con), stages.build_events(con)]


def test_articles_are_read_once_and_again_only_when_changed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        _write(raw, n)
    con = warehouse.connect(tmp_path / "w.duckdb")
    first = _build(con, raw)
    assert [r["articles"] for r in first] == [3, 3, 3]
    assert warehouse.row_count(con, "alliances") == 3 and warehouse.row_count(con, "arms_transfers") == 3

    assert [r["articles"] for r in _build(con, raw)] == [0, 0, 0]  # nothing new: nothing read

    _write(raw, 3)                                                  # one new article
    _write(raw, 0, text="Sweden joined NATO on Thursday.")         # one edited by its outlet
    (raw / "2.json").unlink()                                       # one removed
    again = _build(con, raw)
    assert [r["articles"] for r in again] == [2, 2, 2]
    assert again[0]["invalidated"] == 2                             # the edited and the removed one
    rows = con.execute("SELECT actor_a, actor_b FROM alliances ORDER BY ALL").fetchall()
    assert rows == [("FIN", "NATO"), ("FIN", "NATO"), ("SWE", "NATO")]
    assert warehouse.row_count(con, "arms_transfers") == 2
    assert warehouse.row_count(con, "extraction_state") == 9


def test_a_batch_with_read_and_new_articles_reads_only_the_new(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(20):
        _write(raw, n)
    con = warehouse.connect(tmp_path / "w.duckdb")
    _build(con, raw)
    sentences = warehouse.row_count(con, "sentences")
    for n in range(20, 25):  # new ids hash in between the old ones: every batch mixes both
        _write(raw, n)
    assert [r["articles"] for r in _build(con, raw)] == [5, 5, 5]
    assert warehouse.row_count(con, "sentences") == sentences * 25 // 20
    assert warehouse.one(con, "SELECT count(*) FROM (SELECT DISTINCT article_id, sentence_idx FROM sentences)")[0] == \
        warehouse.row_count(con, "sentences")


def test_a_new_extractor_version_reads_everything_again(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    _write(raw, 0)
    con = warehouse.connect(tmp_path / "w.duckdb")
    _build(con, raw)
    monkeypatch.setattr(stages, "EXTRACTOR", "entente-rules/test")
    assert [r["articles"] for r in _build(con, raw)] == [1, 1, 1]
    assert warehouse.row_count(con, "alliances") == 1
