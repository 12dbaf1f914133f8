"""Human-facing release files: data dictionary, LICENSE, CITATION.cff and entente.sql (DuckDB views)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.dictionary import RELEASED_TABLES, markdown_dictionary
from pipeline.release.metadata import LICENCE, LICENCE_URL
from pipeline.release.write import LICENCE_ID, write_text
from pipeline.warehouse import EVENTS_VIEW_SQL

TITLE = "Entente: alliances and arms transfers read from news"
AUTHORS = "Entente contributors"
EXAMPLE_BASE_URL = "https://example.org/entente/releases"  # illustration only; no network is used


def licence_text(version: str) -> str:
    return f"""{TITLE}
Data release {version}
Copyright (c) {AUTHORS}

The data in this release (the Parquet files and the documentation beside them) is licensed
under the {LICENCE['title']} licence ({LICENCE_ID}):

    {LICENCE_URL}

You may share and adapt it for any purpose, provided you give appropriate credit
(see CITATION.cff), link to the licence, and indicate if changes were made.

The releases contain no article texts. Headlines, URLs and the evidence sentences quoted in the
event tables come from the news articles they cite and remain the work of their publishers.
"""


def citation_cff(version: str, released: date) -> str:
    return f"""cff-version: 1.2.0
message: "If you use this dataset, please cite it as below."
type: dataset
title: "{TITLE}"
version: "{version}"
date-released: "{released.isoformat()}"
license: {LICENCE_ID}
authors:
  - name: "{AUTHORS}"
"""


def views_sql(version: str, tables: list[str] = RELEASED_TABLES) -> str:
    """DuckDB statements creating one view per released table over its Parquet file, by relative path."""
    example = tables[0]
    lines = [
        f"-- {TITLE}, release {version}: one DuckDB view per released table.",
        "--",
        "-- From this release folder (paths are relative to DuckDB's working directory):",
        '--   duckdb -c ".read entente.sql" -c "SELECT count(*) FROM arms_transfers"',
        "-- or, in an interactive duckdb session started here:  .read entente.sql",
        "-- From elsewhere, tell DuckDB where the files are before reading this file:",
        "--   SET file_search_path = 'path/to/releases/latest';",
        "--",
        "-- Against a published copy (needs DuckDB's httpfs extension), replace each path with its URL:",
        f"--   CREATE OR REPLACE VIEW {example} AS",
        f"--     SELECT * FROM read_parquet('{EXAMPLE_BASE_URL}/{version}/{example}.parquet');",
        "",
    ]
    lines += [f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{name}.parquet');" for name in tables]
    if {"arms_transfers", "alliances"} <= set(tables):
        lines += ["", "-- Both event tables in one, with a family column (as in the warehouse).",
                  EVENTS_VIEW_SQL.strip() + ";"]
    return "\n".join(lines) + "\n"


def write_documents(release_dir: Path, version: str, released: date) -> None:
    write_text(release_dir / "DATA_DICTIONARY.md", markdown_dictionary(RELEASED_TABLES))
    write_text(release_dir / "LICENSE", licence_text(version))
    write_text(release_dir / "CITATION.cff", citation_cff(version, released))
    write_text(release_dir / "entente.sql", views_sql(version))
