"""Shared test helpers."""

from pathlib import Path

from pipeline.cli import run_pipeline
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def run_entente(raw: Path, folder: Path) -> Path:
    """One `entente run` of raw into folder (warehouse and releases); returns the folder `latest` points to."""
    ok, reason, _ = run_pipeline(Settings(raw, folder / "warehouse.duckdb", folder / "releases"))
    assert ok, reason
    return (folder / "releases" / "latest").resolve()
