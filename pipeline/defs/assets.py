"""The asset graph: raw files -> article tables -> sentences -> mentions -> events -> dyads -> release."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import stages, warehouse
from pipeline.defs.metadata import table_metadata
from pipeline.defs.resources import EntentePaths, open_warehouse
from pipeline.dictionary import TABLES
from pipeline.ingest.load import ingest


def _spec(name: str, group: str, deps=()) -> dg.AssetSpec:
    return dg.AssetSpec(name, description=TABLES[name].description, group_name=group, deps=list(deps),
                        kinds={"duckdb"})


def _read_metadata(read: dict[str, int]) -> dict:
    """How much a stage read this run: articles are read once, again only when they or the extractor change."""
    return {"articles_read": read.get("articles", 0), "articles_invalidated": read.get("invalidated", 0)}


@dg.multi_asset(
    specs=[_spec("articles", "ingest"), _spec("article_texts", "ingest"), _spec("ingest_errors", "ingest")],
    description="Read every raw file (json, jsonl, txt, html); broken files and lines go to ingest_errors.",
)
def raw_articles(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: EntentePaths):
    if not paths.raw.is_dir():
        raise dg.Failure(f"raw folder not found: {paths.raw}")
    with open_warehouse(duckdb) as con:
        summary = ingest(con, paths.raw)
        context.log.info(f"ingested {summary.articles} articles from {summary.files_seen} files "
                         f"({summary.duplicates} duplicates, {summary.errors} errors)")
        for name in ("articles", "article_texts", "ingest_errors"):
            extra = {"files_seen": summary.files_seen} if name == "articles" else {}
            yield dg.MaterializeResult(asset_key=name, metadata={**table_metadata(con, name), **extra})


@dg.asset(description=TABLES["actors"].description, group_name="reference", kinds={"duckdb"})
def actors(duckdb: DuckDBResource) -> dg.MaterializeResult:
    with open_warehouse(duckdb) as con:
        stages.build_actors(con)
        return dg.MaterializeResult(metadata=table_metadata(con, "actors"))


@dg.asset(description=TABLES["sentences"].description, group_name="extract", kinds={"duckdb"},
          deps=["articles", "article_texts"])
def sentences(duckdb: DuckDBResource) -> dg.MaterializeResult:
    with open_warehouse(duckdb) as con:
        read = stages.build_sentences(con)
        return dg.MaterializeResult(metadata={**table_metadata(con, "sentences"), **_read_metadata(read)})


@dg.asset(description=TABLES["mentions"].description, group_name="extract", kinds={"duckdb"},
          deps=["sentences", "actors"])
def mentions(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    from pipeline.validation import quarantine

    with open_warehouse(duckdb) as con:
        read = stages.build_mentions(con)
        rejected = quarantine(con, context.run.run_id, tables=("mentions",))
        return dg.MaterializeResult(metadata={**table_metadata(con, "mentions"), **_read_metadata(read),
                                              "rejected_rows": rejected["mentions"]})


@dg.multi_asset(
    specs=[_spec("arms_transfers", "events", ["sentences", "mentions"]),
           _spec("alliances", "events", ["sentences", "mentions"])],
    description="Read arms transfers and alliances from sentences and their actor mentions (the events view unites them).",
)
def events(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from pipeline.validation import quarantine

    with open_warehouse(duckdb) as con:
        read = stages.build_events(con)
        # row-level faults leave the tables and are recorded in rejected_rows
        rejected = quarantine(con, context.run.run_id, tables=("arms_transfers", "alliances"))
        for name in ("arms_transfers", "alliances"):
            yield dg.MaterializeResult(asset_key=name, metadata={**table_metadata(con, name), **_read_metadata(read),
                                                                 "rejected_rows": rejected.get(name, 0)})


def _dyads_asset(name: str, source: str):
    @dg.asset(name=name, description=TABLES[name].description, group_name="dyads", kinds={"duckdb"},
              deps=[source, "articles"])
    def _dyads(duckdb: DuckDBResource) -> dg.MaterializeResult:
        with open_warehouse(duckdb) as con:
            warehouse.rebuild_dyads(con, name)
            return dg.MaterializeResult(metadata=table_metadata(con, name))

    return _dyads


arms_dyads = _dyads_asset("arms_dyads", "arms_transfers")
alliance_dyads = _dyads_asset("alliance_dyads", "alliances")

WAREHOUSE_ASSETS = [raw_articles, actors, sentences, mentions, events, arms_dyads, alliance_dyads]
