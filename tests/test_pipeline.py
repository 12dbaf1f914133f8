"""End to end through Dagster on the bundled raw/ sample: every table and every Parquet file read back."""

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main as cli_main
from pipeline.definitions import build_definitions
from pipeline.dictionary import RELEASED_TABLES, TABLES, arrow_schema
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    settings = Settings(ROOT / "raw", tmp / "warehouse" / "entente.duckdb", tmp / "releases")
    defs = build_definitions(settings)
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("entente_job").execute_in_process(instance=instance, raise_on_error=False)
    return settings, result


def test_job_succeeds_and_every_check_passes(run):
    settings, result = run
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) >= 10 and all(e.passed for e in evaluations)
    release = result.asset_materializations_for_node("release")[0].metadata
    assert release["created"].value is True


def test_every_table_is_filled_and_typed(run):
    settings, _ = run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
    for table in ("articles", "article_texts", "ingest_errors", "sentences", "actors", "mentions",
                  "arms_transfers", "alliances", "events", "arms_dyads", "alliance_dyads"):
        assert counts[table] > 0, table
    assert counts["events"] == counts["arms_transfers"] + counts["alliances"]
    # every broken file of the sample is recorded with a reason
    broken = {r[0] for r in con.execute("SELECT raw_path FROM ingest_errors").fetchall()}
    assert {p.relative_to(ROOT / "raw").as_posix() for p in (ROOT / "raw" / "broken").iterdir()
            if p.name != "README.md"} <= broken | {"broken/bad-date.json"}
    # every status and relation of the contract occurs in the sample
    statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM arms_transfers").fetchall()}
    relations = {r[0] for r in con.execute("SELECT DISTINCT relation FROM alliances").fetchall()}
    assert statuses == {"planned", "agreed", "delivered", "used", "denied"}
    assert relations == {"defence_pact", "partnership", "membership", "meeting", "exercise", "support", "rupture"}
    # evidence is exactly the article text at the offsets
    bad = con.execute("""SELECT count(*) FROM events e JOIN article_texts t USING (article_id)
                         WHERE substr(t.text, e.char_start + 1, e.char_end - e.char_start) <> e.evidence""").fetchall()[0][0]
    assert bad == 0
    con.close()


def test_release_files_read_back_with_the_declared_schema(run):
    settings, _ = run
    latest = settings.releases_dir / "latest"
    manifest = json.loads((latest / "manifest.json").read_text())
    for table in RELEASED_TABLES:
        data = pq.read_table(latest / f"{table}.parquet")
        assert data.schema.equals(arrow_schema(table), check_metadata=False), table
        assert data.num_rows == manifest["tables"][table]["rows"]
        assert "text" not in data.column_names
    for name in ("datapackage.json", "SHA256SUMS", "CHANGES.md", "DATA_DICTIONARY.md", "LICENSE", "CITATION.cff", "entente.sql"):
        assert (latest / name).is_file(), name


def test_second_run_changes_nothing_and_cuts_no_release(run, capsys):
    settings, _ = run
    before = sorted(p.name for p in settings.releases_dir.iterdir())
    code = cli_main(["run", "--raw", str(settings.raw_dir), "--warehouse", str(settings.warehouse),
                     "--releases", str(settings.releases_dir)])
    assert code == 0
    assert "unchanged" in capsys.readouterr().out
    assert sorted(p.name for p in settings.releases_dir.iterdir()) == before


def test_unusable_raw_folder_fails_with_one_line(tmp_path, capsys):
    code = cli_main(["run", "--raw", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb"),
                     "--releases", str(tmp_path / "rel")])
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("entente:") and "raw folder not found" in err and "\n" not in err


def test_a_blocking_failure_stops_the_release(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "json", raw)
    settings = ["--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb"), "--releases", str(tmp_path / "rel")]
    assert cli_main(["run", *settings]) == 0
    first = sorted(p.name for p in (tmp_path / "rel").iterdir())
    # a corrupt reference table: duplicate actor codes break a table-level expectation
    from pipeline import stages

    original = stages.actor_rows
    monkeypatch.setattr(stages, "actor_rows", lambda: original() + original()[:1])
    code = cli_main(["run", *settings])
    assert code == 1
    err = capsys.readouterr().err
    assert "blocking check failed" in err and "actors" in err
    assert sorted(p.name for p in (tmp_path / "rel").iterdir()) == first
