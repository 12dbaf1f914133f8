"""Where Entente reads and writes: flags beat the environment, which beats the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {"raw": "raw", "warehouse": "warehouse/entente.duckdb", "releases": "warehouse/releases"}
ENV = {"raw": "ENTENTE_RAW_DIR", "warehouse": "ENTENTE_WAREHOUSE", "releases": "ENTENTE_RELEASES_DIR"}


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    releases_dir: Path

    @classmethod
    def resolve(cls, raw: str | None = None, warehouse: str | None = None, releases: str | None = None) -> "Settings":
        given = {"raw": raw, "warehouse": warehouse, "releases": releases}
        value = {k: Path(given[k] or os.environ.get(ENV[k]) or DEFAULTS[k]) for k in DEFAULTS}
        return cls(value["raw"], value["warehouse"], value["releases"])

    def export(self) -> None:
        """Put these settings in the environment, where the Dagster definitions read them."""
        os.environ[ENV["raw"]] = str(self.raw_dir)
        os.environ[ENV["warehouse"]] = str(self.warehouse)
        os.environ[ENV["releases"]] = str(self.releases_dir)
