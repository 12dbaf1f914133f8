"""The job that builds everything, the raw-folder sensor and the daily schedule."""


import hashlib
import os

import dagster as dg

from pipeline.defs.resources import EntentePaths
from pipeline.ingest.readers import raw_files

entente_job = dg.define_asset_job(
    "entente_job",
    selection=dg.AssetSelection.all(),
    description="Ingest raw/, extract events, validate, and publish a release.",
    executor_def=dg.in_process_executor,  # one process: DuckDB has a single writer
)

daily_schedule = dg.ScheduleDefinition(
    name="daily_entente", job=entente_job, cron_schedule="0 6 * * *", execution_timezone="UTC",
    description="Rebuild and publish every morning (a release is only cut when the data changed).",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


def raw_fingerprint(paths: EntentePaths) -> str:
    """A hash of every raw file's path, size and modification time."""
    digest = hashlib.sha256()
    if paths.raw.is_dir():
        for path in raw_files(paths.raw):
            st = os.stat(path)
            digest.update(f"{path.relative_to(paths.raw)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


@dg.sensor(job=entente_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a run when files in the raw folder are added or changed.")
def raw_files_sensor(context: dg.SensorEvaluationContext, paths: EntentePaths):
    fingerprint = raw_fingerprint(paths)
    if fingerprint == context.cursor:
        return dg.SkipReason("raw folder unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=f"raw-{fingerprint}")
