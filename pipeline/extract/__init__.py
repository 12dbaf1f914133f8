"""Pure-Python extraction: text in, rows out; nothing here knows Dagster."""
