"""Tests of pipeline.release: files, checksums, datapackage, idempotency, changelog, atomicity, views."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.dictionary import CONTRACT_VERSION, RELEASED_TABLES, TABLES, arrow_schema
from pipeline.release import (
    ReleaseError, diff_releases, format_diff, list_releases, publish_release,
)
from pipeline.release import publish, write
from pipeline.release.fingerprint import data_fingerprint, release_fingerprints, warehouse_fingerprints
from pipeline.release.layout import next_version, version_key
from pipeline.release.metadata import datapackage_problems
from pipeline.release.write import file_sha256
from pipeline.warehouse import connect, rebuild_dyads

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
V1 = "2026.11.28"
NEW_EVENT = "evt-irn-rus-missiles"

ARTICLES = """
INSERT INTO articles BY NAME SELECT * FROM (VALUES
  ('art-1', 'https://news.example/pact', 'Example News', 'Russia and North Korea sign pact',
   TIMESTAMP '2024-06-19 08:00:00', 'en', 120, 'aa11', NULL, 'a/1.json', TIMESTAMP '2026-11-01 00:00:00'),
  ('art-2', 'https://news.example/drones', 'Example Wire', 'Iran ships drones to Russia',
   TIMESTAMP '2024-03-02 12:30:00', 'en', 95, 'bb22', NULL, 'a/2.json', TIMESTAMP '2026-11-01 00:00:00'),
  ('art-3', NULL, 'Example Wire', 'Iran ships drones to Russia (copy)',
   TIMESTAMP '2024-03-02 13:00:00', 'en', 95, 'bb22', 'art-2', 'a/3.txt', TIMESTAMP '2026-11-01 00:00:00')
) AS t(article_id, url, source, title, published_at, language, word_count, content_sha256,
       duplicate_of, raw_path, ingested_at)
"""
ARTICLE_TEXTS = "INSERT INTO article_texts BY NAME SELECT 'art-1' AS article_id, 'SECRET FULL TEXT' AS text"
ACTORS = """
INSERT INTO actors BY NAME SELECT * FROM (VALUES
  ('RUS', 'Russia', 'state', 'RUS', 365, 365),
  ('PRK', 'North Korea', 'state', 'PRK', 731, 731),
  ('IRN', 'Iran', 'state', 'IRN', 630, 630),
  ('SCO', 'Shanghai Cooperation Organisation', 'organization', NULL, NULL, NULL)
) AS t(actor_code, name, actor_type, iso3, cow_code, gw_code)
"""
ARMS = """
INSERT INTO arms_transfers BY NAME SELECT * FROM (VALUES
  ('evt-prk-rus-shells', 'art-1', 2, 100, 180, 'PRK', 'RUS', 'PRK', 'South Korean intelligence', 'ammunition',
   'artillery shells', 'millions of', 1000000, 'delivered', NULL, DATE '2024-06-01', 'month', 0.9,
   'North Korea has shipped millions of artillery shells to Russia.', 'rules-1'),
  ('evt-irn-rus-drones', 'art-2', 0, 0, 60, 'IRN', 'RUS', 'IRN', NULL, 'drones',
   'Shahed drones', NULL, NULL, 'delivered', 'UKR', NULL, NULL, 0.8,
   'Iran has delivered Shahed drones to Russia.', 'rules-1')
) AS t(event_id, article_id, sentence_idx, char_start, char_end, supplier, recipient, origin, reported_by,
       weapon_category, weapon_description, quantity_text, quantity_min, status, used_in, event_date,
       date_precision, confidence, evidence, extractor)
"""
ALLIANCES = """
INSERT INTO alliances BY NAME SELECT * FROM (VALUES
  ('evt-prk-rus-pact', 'art-1', 0, 0, 70, 'PRK', 'RUS', 'defence_pact', DATE '2024-06-19', 'day', 0.95,
   'Russia and North Korea signed a mutual defence pact on Wednesday.', 'rules-1'),
  ('evt-irn-sco-member', 'art-2', 3, 200, 260, 'IRN', 'SCO', 'membership', DATE '2023-07-04', 'day', 0.85,
   'Iran joined the Shanghai Cooperation Organisation.', 'rules-1')
) AS t(event_id, article_id, sentence_idx, char_start, char_end, actor_a, actor_b, relation, event_date,
       date_precision, confidence, evidence, extractor)
"""
NEW_ARMS_ROW = f"""
INSERT INTO arms_transfers BY NAME SELECT
  '{NEW_EVENT}' AS event_id, 'art-2' AS article_id, 1 AS sentence_idx, 61 AS char_start, 120 AS char_end,
  'IRN' AS supplier, 'RUS' AS recipient, 'missiles' AS weapon_category, 'agreed' AS status,
  0.7 AS confidence, 'Iran agreed to sell ballistic missiles to Russia.' AS evidence, 'rules-1' AS extractor
"""


def _rebuild_dyads(con) -> None:
    for name in ("arms_dyads", "alliance_dyads"):
        rebuild_dyads(con, name)


@pytest.fixture
def con(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    for sql in (ARTICLES, ARTICLE_TEXTS, ACTORS, ARMS, ALLIANCES):
        con.execute(sql)
    _rebuild_dyads(con)
    yield con
    con.close()


@pytest.fixture
def releases(tmp_path) -> Path:
    return tmp_path / "releases"


def _publish(con, releases, now=NOW, **kw):
    return publish_release(con, releases, validation={"blocking_checks": "passed", "n_checks": 12},
                           input_fingerprint="in-123", code_version="test-0.1", now=now, **kw)


def _versions(releases: Path) -> list[str]:
    return sorted(p.name for p in releases.iterdir() if version_key(p.name))


def _latest_target(releases: Path) -> str:
    return os.readlink(releases / "latest")


EXPECTED_FILES = {f"{t}.parquet" for t in RELEASED_TABLES} | {
    "manifest.json", "SHA256SUMS", "datapackage.json", "DATA_DICTIONARY.md", "LICENSE", "CITATION.cff",
    "CHANGES.md", "changes.json", "entente.sql", "report.html"}


def test_first_release_writes_every_file_with_the_declared_schema(con, releases):
    result = _publish(con, releases)
    assert result.created and result.version == V1 and result.path == releases / V1
    assert result.row_counts == {"articles": 3, "actors": 4, "arms_transfers": 2, "alliances": 2,
                                 "arms_dyads": 2, "alliance_dyads": 2}
    assert {p.name for p in result.path.iterdir()} == EXPECTED_FILES
    assert _latest_target(releases) == V1 and (releases / "latest" / "manifest.json").is_file()
    for name in RELEASED_TABLES:
        path = result.path / f"{name}.parquet"
        table = pq.read_table(path)
        assert table.schema.equals(arrow_schema(name), check_metadata=False), name
        assert table.num_rows == result.row_counts[name]
        keys = table.select(list(TABLES[name].primary_key)).to_pylist()
        assert keys == sorted(keys, key=lambda r: tuple(r.values())), f"{name} not sorted by key"
        meta = pq.read_metadata(path).metadata
        assert meta[b"licence"] == b"CC-BY-4.0" and meta[b"entente_version"] == V1.encode()
        assert meta[b"contract_version"] == CONTRACT_VERSION.encode()
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    articles = pq.read_table(result.path / "articles.parquet")
    assert "text" not in articles.column_names
    assert not any(b"SECRET FULL TEXT" in p.read_bytes() for p in result.path.iterdir())
    arms = pq.read_table(result.path / "arms_transfers.parquet").to_pylist()
    assert arms[1]["event_date"] == date(2024, 6, 1) and arms[1]["quantity_min"] == 1_000_000
    assert pq.read_table(result.path / "arms_dyads.parquet").column("weapon_categories").to_pylist() == [
        ["drones"], ["ammunition"]]


def test_manifest_and_sha256sums_match_the_files(con, releases):
    path = _publish(con, releases).path
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["version"] == V1 and manifest["created_at"] == "2026-11-28T10:00:00Z"
    assert manifest["code_version"] == "test-0.1" and manifest["input_fingerprint"] == "in-123"
    assert manifest["contract_version"] == CONTRACT_VERSION
    assert manifest["validation"] == {"blocking_checks": "passed", "n_checks": 12}
    assert list(manifest["tables"]) == RELEASED_TABLES
    for name, t in manifest["tables"].items():
        f = path / f"{name}.parquet"
        assert t["sha256"] == file_sha256(f) and t["bytes"] == f.stat().st_size
        assert [c["name"] for c in t["schema"]] == TABLES[name].columns
        assert [c["nullable"] for c in t["schema"]] == [not fd.required for fd in TABLES[name].fields]
    sums = dict(reversed(line.split("  ", 1)) for line in (path / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == EXPECTED_FILES - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert file_sha256(path / name) == digest, name


def test_data_fingerprint_is_content_of_the_files_and_ignores_row_order(con, releases, tmp_path):
    path = _publish(con, releases).path
    manifest = json.loads((path / "manifest.json").read_text())
    assert data_fingerprint(release_fingerprints(path)) == manifest["data_fingerprint"]
    other = connect(tmp_path / "other.duckdb")  # same rows, inserted in another order
    for sql in (ALLIANCES, ARMS, ACTORS, ARTICLES):
        other.execute(sql)
    other.execute("CREATE TABLE t AS SELECT * FROM actors ORDER BY actor_code DESC")
    other.execute("DELETE FROM actors")
    other.execute("INSERT INTO actors SELECT * FROM t")
    _rebuild_dyads(other)
    assert data_fingerprint(warehouse_fingerprints(other)) == manifest["data_fingerprint"]
    other.execute("UPDATE actors SET cow_code = 366 WHERE actor_code = 'RUS'")
    assert data_fingerprint(warehouse_fingerprints(other)) != manifest["data_fingerprint"]


def test_datapackage_validates_with_frictionless(con, releases):
    from frictionless import Package

    path = _publish(con, releases).path
    descriptor = json.loads((path / "datapackage.json").read_text())
    assert Package.validate_descriptor(descriptor).valid
    assert datapackage_problems(descriptor, path) == []
    assert [r["name"] for r in descriptor["resources"]] == RELEASED_TABLES
    assert descriptor["version"] == V1 and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for r in descriptor["resources"]:
        assert r["hash"] == "sha256:" + file_sha256(path / r["path"])
    package = Package(descriptor, basepath=str(path))
    assert package.get_resource("arms_transfers").schema.primary_key == ["event_id"]
    broken = json.loads(json.dumps(descriptor))
    broken["resources"][0]["schema"]["primaryKey"] = ["no_such_column"]
    assert datapackage_problems(broken, path)


def test_invalid_datapackage_publishes_nothing(con, releases, monkeypatch):
    from pipeline.release import metadata

    real = metadata.datapackage

    def broken_datapackage(*args, **kwargs):
        package = real(*args, **kwargs)
        package["resources"][1]["schema"]["primaryKey"] = ["no_such_column"]
        return package

    monkeypatch.setattr(metadata, "datapackage", broken_datapackage)
    with pytest.raises(ReleaseError, match="datapackage.json is not valid"):
        _publish(con, releases)
    assert list(releases.iterdir()) == []


def test_unchanged_data_creates_no_release(con, releases):
    first = _publish(con, releases)
    second = _publish(con, releases, now=datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    assert not second.created
    assert second.version == V1 and second.path == first.path
    assert second.reason == f"released data unchanged since {V1}"
    assert second.row_counts == first.row_counts
    assert _versions(releases) == [V1] and _latest_target(releases) == V1


def test_added_event_creates_same_day_release_listing_it(con, releases):
    _publish(con, releases)
    con.execute(NEW_ARMS_ROW)
    result = _publish(con, releases, now=datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    assert result.created and result.version == f"{V1}.2" and result.path == releases / f"{V1}.2"
    assert result.row_counts["arms_transfers"] == 3
    assert _versions(releases) == [V1, f"{V1}.2"] and _latest_target(releases) == f"{V1}.2"
    changes = json.loads((result.path / "changes.json").read_text())
    assert changes["previous_version"] == V1 and changes["version"] == f"{V1}.2"
    arms = changes["tables"]["arms_transfers"]
    assert arms["added"] == {"count": 1, "keys": [NEW_EVENT]}
    assert arms["removed"]["count"] == 0 and arms["changed"] == {"count": 0, "keys": [], "columns": {}}
    assert (arms["rows_before"], arms["rows_after"]) == (2, 3)
    assert changes["tables"]["alliances"]["status"] == "unchanged"
    assert NEW_EVENT in (result.path / "CHANGES.md").read_text()
    assert result.reason == f"published {V1}.2 (since {V1}): arms_transfers 1 added"
    assert _publish(con, releases).created is False


def test_diff_lists_removed_and_changed_events_and_schema(con, releases, tmp_path):
    first = _publish(con, releases).path
    con.execute("DELETE FROM alliances WHERE event_id = 'evt-irn-sco-member'")
    con.execute("UPDATE arms_transfers SET confidence = 0.5, status = 'agreed' WHERE event_id = 'evt-irn-rus-drones'")
    con.execute("UPDATE actors SET gw_code = 999 WHERE actor_code = 'RUS'")
    _rebuild_dyads(con)
    second = _publish(con, releases).path
    diff = diff_releases(first, second)
    assert diff == json.loads((second / "changes.json").read_text())
    arms = diff["tables"]["arms_transfers"]
    assert arms["changed"]["keys"] == [{"key": "evt-irn-rus-drones", "columns": ["status", "confidence"]}]
    assert arms["changed"]["columns"] == {"confidence": 1, "status": 1}
    assert diff["tables"]["alliances"]["removed"] == {"count": 1, "keys": ["evt-irn-sco-member"]}
    assert diff["tables"]["actors"]["changed"]["keys"] == [{"key": "RUS", "columns": ["gw_code"]}]
    dyads = diff["tables"]["alliance_dyads"]
    assert dyads["removed"]["keys"] == [{"actor_a": "IRN", "actor_b": "SCO", "year": 2023}]
    text = format_diff(diff)
    assert "Events removed (1)" in text and "`evt-irn-sco-member`" in text
    assert "`evt-irn-rus-drones`: status, confidence" in text
    # schema change: a copy of the newest release with one column dropped
    changed = tmp_path / "schema-changed"
    changed.mkdir()
    pq.write_table(pq.read_table(second / "actors.parquet").drop_columns(["gw_code"]), changed / "actors.parquet")
    schema_diff = diff_releases(second, changed)["tables"]["actors"]
    assert schema_diff["schema"]["columns_removed"] == [{"name": "gw_code", "type": "int64"}]
    assert schema_diff["status"] == "schema changed"


def test_failure_mid_write_leaves_previous_release_intact(con, releases, monkeypatch):
    _publish(con, releases)
    con.execute(NEW_ARMS_ROW)
    real = write.write_table_parquet
    calls = []

    def fail_after_first_file(*args, **kwargs):
        if calls:
            raise OSError("disk full (injected)")
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(write, "write_table_parquet", fail_after_first_file)
    with pytest.raises(OSError, match="injected"):
        _publish(con, releases)
    assert len(calls) == 1
    assert sorted(p.name for p in releases.iterdir()) == ["2026.11.28", "latest"]
    assert _latest_target(releases) == V1
    monkeypatch.setattr(write, "write_table_parquet", real)
    assert con.execute("SELECT count(*) FROM arms_transfers").fetchall() == [(3,)]  # connection still usable
    assert _publish(con, releases).version == f"{V1}.2"


def test_failure_switching_latest_removes_the_new_version(con, releases, monkeypatch):
    _publish(con, releases)
    con.execute(NEW_ARMS_ROW)

    def fail(*args, **kwargs):
        raise OSError("cannot switch latest (injected)")

    monkeypatch.setattr(publish, "point_latest", fail)
    with pytest.raises(OSError, match="injected"):
        _publish(con, releases)
    assert sorted(p.name for p in releases.iterdir()) == ["2026.11.28", "latest"]
    assert _latest_target(releases) == V1


def test_missing_declared_column_fails_loudly(con, releases):
    con.execute("ALTER TABLE actors DROP COLUMN gw_code")
    with pytest.raises(ReleaseError, match="actors lacks gw_code"):
        _publish(con, releases)
    assert not releases.exists() or list(releases.iterdir()) == []


def test_entente_sql_gives_the_release_row_counts(con, releases, monkeypatch):
    path = _publish(con, releases).path
    sql = (path / "entente.sql").read_text()
    assert "CREATE OR REPLACE VIEW arms_transfers AS SELECT * FROM read_parquet('arms_transfers.parquet');" in sql
    assert "duckdb -c \".read entente.sql\"" in sql and "https://" in sql
    monkeypatch.chdir(releases / "latest")
    with duckdb.connect() as db:
        db.execute(sql)
        counts = {name: db.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in RELEASED_TABLES}
        events = db.execute("SELECT count(*) FROM events").fetchall()[0][0]
    manifest = json.loads((path / "manifest.json").read_text())
    assert counts == {name: t["rows"] for name, t in manifest["tables"].items()}
    assert events == counts["arms_transfers"] + counts["alliances"]


def test_text_documents(con, releases):
    import yaml

    path = _publish(con, releases).path
    citation = yaml.safe_load((path / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["version"] == V1
    assert citation["date-released"] == "2026-11-28" and citation["license"] == "CC-BY-4.0"
    assert citation["authors"] == [{"name": "Entente contributors"}]
    assert "https://creativecommons.org/licenses/by/4.0/" in (path / "LICENSE").read_text()
    dictionary = (path / "DATA_DICTIONARY.md").read_text()
    assert all(f"## `{name}`" in dictionary for name in RELEASED_TABLES)
    assert "## `article_texts`" not in dictionary
    assert "First release" in (path / "CHANGES.md").read_text()


def test_list_releases_and_first_diff(con, releases):
    assert list_releases(releases) == []
    first = _publish(con, releases)
    con.execute(NEW_ARMS_ROW)
    _publish(con, releases, now=datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    listed = list_releases(releases)
    assert [r["version"] for r in listed] == [V1, "2026.12.01"]
    assert [r["latest"] for r in listed] == [False, True]
    assert listed[0]["created_at"] == "2026-11-28T10:00:00Z"
    assert listed[0]["row_counts"] == first.row_counts and listed[1]["row_counts"]["arms_transfers"] == 3
    initial = diff_releases(None, first.path)
    assert initial["previous_version"] is None
    assert initial["tables"]["arms_transfers"] == {
        "unit": "event", "primary_key": ["event_id"], "rows_before": None, "rows_after": 2,
        "status": "first release"}
    assert "First release" in format_diff(initial)


def test_version_names(tmp_path):
    assert next_version(tmp_path, date(2026, 11, 28)) == "2026.11.28"
    for name in ("2026.11.28", "2026.11.28.2", "2026.11.27.5", ".tmp-2026.11.28.9-1"):
        (tmp_path / name).mkdir()
    assert next_version(tmp_path, date(2026, 11, 28)) == "2026.11.28.3"
    assert next_version(tmp_path, date(2026, 11, 29)) == "2026.11.29"
    assert version_key("2026.11.28.10") > version_key("2026.11.28.9") > version_key("2026.11.28")
    assert version_key("2026.11.28.1") is None and version_key("latest") is None


def test_temp_folders_of_dead_publishers_are_removed(con, releases):
    releases.mkdir()
    dead = releases / ".tmp-2026.11.27-999999999"  # above any pid_max: no such process
    alive = releases / f".tmp-2026.11.27-{os.getppid()}"  # a running publisher's folder is left alone
    dead.mkdir()
    alive.mkdir()
    _publish(con, releases)
    assert not dead.exists() and alive.is_dir()
    assert _versions(releases) == [V1]
