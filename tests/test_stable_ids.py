"""Stable ids, end to end: the same input gives the same rows and ids anywhere; new input adds, never reshuffles.

Which released columns depend on the run rather than the input? Only `articles.ingested_at` ("when this
version of the article was first ingested": the run's clock, kept across runs of one warehouse while the
text is unchanged). The other timestamps in the warehouse (`ingest_errors.seen_at`,
`rejected_rows.rejected_at`, `validation_runs.validated_at`) are never released; `published_at`,
`first_reported` and `last_reported` come from the articles themselves.

One chain of pipeline runs is shared by the tests (module-scoped fixtures): run A on a copy of raw/,
run B on raw/ itself with another warehouse and releases folder, then A again after adding one
article, then A again after an outlet edits one article.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, run_entente
from pipeline.dictionary import RELEASED_TABLES, TABLES
from pipeline.release.layout import next_version, release_version


RUN_CLOCK_COLUMNS = {"articles": ["ingested_at"]}  # released columns that hold a run's time, not input
EVENT_TABLES = ["arms_transfers", "alliances"]

NEW_URL = "https://sample.entente.example/2022/10/germany-iris-t-slm-ukraine"
NEW_ARTICLE = {
    "url": NEW_URL,
    "title": "Germany delivers IRIS-T air defence systems to Ukraine",
    "source": "Entente test desk",
    "published_at": "2022-10-12T16:00:00Z",
    "language": "en",
    "text": "BERLIN, Oct 12 - Germany delivered two IRIS-T SLM systems to Ukraine on 12 October 2022, "
            "the defence ministry said.",
}
EDITED_FILE = "json/leopard-abrams-pledge.json"  # planned DEU->UKR and USA->UKR tank transfers
CORRECTION = "\n\nThis article was updated to correct the spelling of a minister's name."


def _run(raw: Path, folder: Path) -> Path:
    return run_entente(raw, folder)


def _expected_version(releases: Path) -> str:
    return next_version(releases, datetime.now(UTC).date())


def _rows(release: Path, table: str, drop: list[str] | None = None) -> list[dict]:
    """A released table's rows sorted by primary key (optionally without some columns)."""
    data = pq.read_table(release / f"{table}.parquet")
    if drop:
        data = data.drop_columns(drop)
    key = list(TABLES[table].primary_key)
    return data.sort_by([(k, "ascending") for k in key]).to_pylist()


def _changes(release: Path) -> dict:
    return json.loads((release / "changes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("stable-ids")
    raw_a = tmp / "a-raw"
    shutil.copytree(ROOT / "raw", raw_a)
    return {"tmp": tmp, "raw_a": raw_a, "a": _run(raw_a, tmp / "a"), "b": _run(ROOT / "raw", tmp / "b")}


@pytest.fixture(scope="module")
def added(chain) -> dict:
    (chain["raw_a"] / "json" / "germany-iris-t-slm-ukraine.json").write_text(json.dumps(NEW_ARTICLE, indent=2) + "\n")
    expected = _expected_version(chain["tmp"] / "a" / "releases")
    return {"expected": expected, "release": _run(chain["raw_a"], chain["tmp"] / "a")}


@pytest.fixture(scope="module")
def edited(chain, added) -> dict:
    path = chain["raw_a"] / EDITED_FILE
    article = json.loads(path.read_text(encoding="utf-8"))
    article["text"] += CORRECTION
    path.write_text(json.dumps(article, indent=2) + "\n", encoding="utf-8")
    expected = _expected_version(chain["tmp"] / "a" / "releases")
    return {"url": article["url"], "expected": expected, "release": _run(chain["raw_a"], chain["tmp"] / "a")}


def test_same_input_in_two_places_gives_identical_rows_and_ids(chain):
    a, b = chain["a"], chain["b"]
    assert a != b
    for table in RELEASED_TABLES:
        assert pq.read_schema(a / f"{table}.parquet").equals(pq.read_schema(b / f"{table}.parquet")), table
        rows_a = _rows(a, table, RUN_CLOCK_COLUMNS.get(table))
        rows_b = _rows(b, table, RUN_CLOCK_COLUMNS.get(table))
        assert rows_a and rows_a == rows_b, f"{table} differs between two runs on the same input"
    for table in EVENT_TABLES:
        ids = [r["event_id"] for r in _rows(a, table)]
        assert ids == [r["event_id"] for r in _rows(b, table)] and len(set(ids)) == len(ids)
    articles_a, articles_b = _rows(a, "articles"), _rows(b, "articles")
    assert [r["article_id"] for r in articles_a] == [r["article_id"] for r in articles_b]
    assert len(articles_a) == 64  # raw/README.md: 63 usable articles and the bad-date one
    # the run clock is all that differs, and it is a real timestamp in both
    assert all(r["ingested_at"] is not None for r in articles_a + articles_b)


def test_a_new_article_adds_exactly_its_events(chain, added):
    first, new = chain["a"], added["release"]
    first_version = release_version(first)
    assert release_version(new) == added["expected"] and new != first
    if first_version.startswith(datetime.now(UTC).strftime("%Y.%m.%d")):  # no midnight between the runs
        assert release_version(new) == f"{first_version}.2"
    article = [r for r in _rows(new, "articles") if r["url"] == NEW_URL]
    assert len(article) == 1
    new_id = article[0]["article_id"]
    assert new_id not in {r["article_id"] for r in _rows(first, "articles")}
    changes = _changes(new)
    assert changes["previous_version"] == first_version and changes["version"] == release_version(new)
    tables = changes["tables"]
    assert tables["articles"]["added"]["keys"] == [new_id]
    new_events = {t: {r["event_id"] for r in _rows(new, t) if r["article_id"] == new_id} for t in EVENT_TABLES}
    assert new_events["arms_transfers"], "the IRIS-T delivery was not read"
    assert any(r["supplier"] == "DEU" and r["recipient"] == "UKR" and r["status"] == "delivered"
               for r in _rows(new, "arms_transfers") if r["article_id"] == new_id)
    for t in EVENT_TABLES:
        assert set(tables[t]["added"]["keys"]) == new_events[t], t
        assert tables[t]["added"]["count"] == len(new_events[t])
    for name, t in tables.items():
        assert t["removed"]["count"] == 0 and t["changed"]["count"] == 0, f"{name}: {t['status']}"
    # every earlier row is still there, unchanged, with its id
    for table in RELEASED_TABLES:
        before = _rows(first, table)
        key = TABLES[table].primary_key
        after = {tuple(r[k] for k in key): r for r in _rows(new, table)}
        assert all(after.get(tuple(r[k] for k in key)) == r for r in before), table


def test_an_edited_article_keeps_its_id(added, edited):
    before, after = added["release"], edited["release"]
    assert release_version(after) == edited["expected"]
    old = [r for r in _rows(before, "articles") if r["url"] == edited["url"]]
    new = [r for r in _rows(after, "articles") if r["url"] == edited["url"]]
    assert len(old) == len(new) == 1
    assert new[0]["article_id"] == old[0]["article_id"]
    assert new[0]["content_sha256"] != old[0]["content_sha256"]
    article_id = new[0]["article_id"]
    tables = _changes(after)["tables"]
    changed = tables["articles"]["changed"]
    assert [c["key"] for c in changed["keys"]] == [article_id] and "content_sha256" in changed["keys"][0]["columns"]
    for name, t in tables.items():
        assert t["added"]["count"] == 0 and t["removed"]["count"] == 0, name
    # the events read from the unchanged sentences keep their ids and rows
    for table in EVENT_TABLES:
        old_events = [r for r in _rows(before, table) if r["article_id"] == article_id]
        new_events = [r for r in _rows(after, table) if r["article_id"] == article_id]
        assert old_events == new_events, table
        assert tables[table]["status"] == "unchanged"
    assert [r for r in _rows(before, "arms_transfers") if r["article_id"] == article_id], "no events to compare"
