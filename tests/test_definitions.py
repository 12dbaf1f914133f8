"""The Dagster code location loads and lists every asset, check, job, sensor and schedule."""

import dagster as dg

from pipeline.defs.checks import CHECKED_TABLES
from pipeline.definitions import build_definitions
from pipeline.settings import Settings

EXPECTED_ASSETS = {
    "articles", "article_texts", "ingest_errors", "actors", "sentences", "mentions",
    "arms_transfers", "alliances", "arms_dyads", "alliance_dyads", "release",
}


def test_definitions_list_the_whole_graph(tmp_path):
    defs = build_definitions(Settings(tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "rel"))
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert checks == {(t, f"{t}_expectations") for t in CHECKED_TABLES}
    assert defs.resolve_job_def("entente_job") is not None
    assert defs.resolve_sensor_def("raw_files_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("daily_entente").cron_schedule == "0 6 * * *"
    # the release sits downstream of every released table, hence of their blocking checks
    release_parents = {k.to_user_string() for k in graph.get(dg.AssetKey("release")).parent_keys}
    assert release_parents == {"articles", "actors", "arms_transfers", "alliances", "arms_dyads", "alliance_dyads"}
    # the extraction chain of the contract
    assert {k.to_user_string() for k in graph.get(dg.AssetKey("mentions")).parent_keys} == {"sentences", "actors"}


def test_module_level_defs_load():
    from pipeline import definitions

    assert isinstance(definitions.defs, dg.Definitions)
