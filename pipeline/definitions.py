"""The one Dagster code location: what `dagster dev` loads and what `entente run` executes."""

from __future__ import annotations

import dagster as dg

from pipeline.defs.assets import WAREHOUSE_ASSETS
from pipeline.defs.automation import daily_schedule, entente_job, raw_files_sensor
from pipeline.defs.checks import TABLE_CHECKS
from pipeline.defs.release import release
from pipeline.defs.resources import build_resources
from pipeline.settings import Settings


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=[*WAREHOUSE_ASSETS, release],
        asset_checks=TABLE_CHECKS,
        jobs=[entente_job],
        sensors=[raw_files_sensor],
        schedules=[daily_schedule],
        resources=build_resources(settings),
    )


defs = build_definitions()
