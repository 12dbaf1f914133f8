"""Throughput and memory of ingest + extraction on N articles made by repeating the bundled sample.

    python benchmarks/extraction_speed.py [N]     (default 5000)
"""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from pipeline import stages, warehouse
from pipeline.ingest.load import ingest
from pipeline.ingest.readers import RawRecord, read_raw

ROOT = Path(__file__).resolve().parents[1]


def main(n: int) -> None:
    texts = [r.fields for r in read_raw(ROOT / "raw") if isinstance(r, RawRecord) and str(r.fields.get("text") or "").strip()]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        with open(raw / "bench.jsonl", "w", encoding="utf-8") as f:
            for i in range(n):
                base = dict(texts[i % len(texts)])
                base["url"] = f"https://bench.example/{i}"
                base["text"] = f"{base['text']}\n\nBench copy {i}."
                f.write(json.dumps(base, default=str) + "\n")
        words = sum(len(t["text"].split()) for t in texts) / len(texts)
        con = warehouse.connect(Path(tmp) / "w.duckdb")
        timings = {}
        for name, step in (("ingest", lambda: ingest(con, raw)), ("actors", lambda: stages.build_actors(con)),
                           ("sentences", lambda: stages.build_sentences(con)),
                           ("mentions", lambda: stages.build_mentions(con)), ("events", lambda: stages.build_events(con))):
            t0 = time.perf_counter()
            step()
            timings[name] = time.perf_counter() - t0
        counts = {t: warehouse.row_count(con, t) for t in ("articles", "sentences", "mentions", "arms_transfers", "alliances")}
    total = sum(timings.values())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles={n} (~{words:.0f} words each) total={total:.1f}s -> {n / total:.0f} articles/s; peak RSS {rss:.0f} MB")
    print("  " + "  ".join(f"{k}={v:.2f}s ({n / v:.0f}/s)" for k, v in timings.items()))
    print("  rows: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
