"""Dagster definitions: thin assets, checks, jobs, sensors and schedules over the plain-Python pipeline."""
