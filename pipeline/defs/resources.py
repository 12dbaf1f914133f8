"""Dagster resources: the DuckDB warehouse and the raw and release folders."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import warehouse
from pipeline.settings import Settings


class EntentePaths(dg.ConfigurableResource):
    """The raw input folder and the releases folder."""

    raw_dir: str
    releases_dir: str

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def releases(self) -> Path:
        return Path(self.releases_dir)


@contextmanager
def open_warehouse(db: DuckDBResource):
    """A warehouse connection with every dictionary table present."""
    Path(db.database).parent.mkdir(parents=True, exist_ok=True)
    with db.get_connection() as con:
        warehouse.ensure_schema(con)
        yield con


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.resolve()
    return {
        "duckdb": DuckDBResource(database=str(settings.warehouse)),
        "paths": EntentePaths(raw_dir=str(settings.raw_dir), releases_dir=str(settings.releases_dir)),
    }
