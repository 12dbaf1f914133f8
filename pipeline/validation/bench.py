"""Benchmark: 1M synthetic arms_transfers rows made in DuckDB, then quarantined and validated (rows, s, peak RSS)."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline import warehouse
from pipeline.dictionary import ARMS_STATUSES, WEAPON_CATEGORIES

CODES = ("RUS", "USA", "CHN", "FRA", "GBR", "DEU", "IRN", "PRK", "UKR", "ISR")
SENTENCE = "Russia delivered drones to Iran. "  # 33 characters; the text repeats it 20 times
ARTICLES = 10_000


def _list(values) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def fill(path: Path, rows: int) -> None:
    """A warehouse with actors, 10k articles with text and `rows` arms transfers (~0.3 % breaking a row rule)."""
    con = warehouse.connect(path)
    con.execute("INSERT INTO actors SELECT c, c, 'state', c, NULL, NULL FROM unnest($codes) u(c)", {"codes": list(CODES)})
    con.execute(f"""INSERT INTO articles SELECT 'a' || i, 'https://example.org/' || i, 'bench', 'title',
        TIMESTAMP '2020-01-01 12:00:00' + to_days(CAST(i % 1500 AS INTEGER)), 'en', 120, md5(i::VARCHAR), NULL,
        'bench/' || i || '.json', TIMESTAMP '2025-01-01' FROM range({ARTICLES}) r(i)""")
    con.execute(f"INSERT INTO article_texts SELECT 'a' || i, repeat('{SENTENCE}', 20), NULL FROM range({ARTICLES}) r(i)")
    codes, n = _list(CODES), len(CODES)
    con.execute(f"""INSERT INTO arms_transfers SELECT
        'e' || g, 'a' || (g % {ARTICLES}), g % 20, (g % 20) * 33, (g % 20) * 33 + 32,
        CASE WHEN g % 997 = 0 THEN 'XXX' ELSE {codes}[g % {n} + 1] END,
        CASE WHEN g % 500 = 0 THEN {codes}[g % {n} + 1] ELSE {codes}[(g % {n} + 1 + g % {n - 1}) % {n} + 1] END,
        NULL, NULL, {_list(WEAPON_CATEGORIES)}[g % {len(WEAPON_CATEGORIES)} + 1], 'drones', NULL, g % 50,
        {_list(ARMS_STATUSES)}[g % {len(ARMS_STATUSES)} + 1], NULL,
        CASE WHEN g % 3 = 0 THEN NULL ELSE DATE '2020-01-01' + CAST((g % {ARTICLES}) % 1500 - g % 30 AS INTEGER) END,
        CASE WHEN g % 3 = 0 THEN NULL ELSE 'day' END,
        (g % 100) / 100.0, '{SENTENCE.strip()}', 'bench'
        FROM range({rows}) r(g)""")
    con.close()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--whole", action="store_true", help="validate in one DataFrame (no SQL push-down, no chunks)")
    ap.add_argument("--duckdb-memory", help="DuckDB memory_limit for the validating connection, e.g. 300MB")
    ap.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fill:
        fill(args.fill, args.rows)
        return
    from pipeline.validation import gxrun, quarantine, run

    if args.whole:
        run.LARGE_TABLE_ROWS = 10**12
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.validation.bench", "--fill", str(path), "--rows", str(args.rows)],
                       check=True)
        print(f"fill (subprocess, DuckDB generate): {args.rows:,} rows in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        gxrun._datasource()
        print(f"GX import + ephemeral context: {time.perf_counter() - t:.1f} s; peak RSS so far {_rss_mb():.0f} MB")
        con = warehouse.connect(path)
        if args.duckdb_memory:
            con.execute("SET memory_limit = $m", {"m": args.duckdb_memory})
        t = time.perf_counter()
        moved = quarantine(con, "bench")
        print(f"quarantine: {moved} in {time.perf_counter() - t:.1f} s; peak RSS {_rss_mb():.0f} MB")
        t = time.perf_counter()
        warehouse.rebuild_dyads(con, "arms_dyads")
        print(f"rebuild arms_dyads: {time.perf_counter() - t:.1f} s")
        for table in ("arms_transfers", "arms_dyads"):
            t = time.perf_counter()
            tv = run.validate_table(con, table, "bench")
            methods = sorted({r["method"] for r in tv.results})
            print(f"validate {table}: {tv.row_count:,} rows, {len(tv.results)} checks ({', '.join(methods)}), "
                  f"success={tv.success}, rejected share {tv.rejected_share:.3%}, {time.perf_counter() - t:.1f} s; "
                  f"peak RSS {_rss_mb():.0f} MB")
            if not tv.success:
                print("  " + tv.reason())
        con.close()


if __name__ == "__main__":
    main()
