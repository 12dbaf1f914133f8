"""Data docs: one self-contained HTML page (no scripts, no remote assets) of every check of every table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from html import escape
from pathlib import Path

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3} code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;margin:0}
.ok{color:#176317;font-weight:600} .fail{color:#a40000;font-weight:600} .warn{color:#8a5a00;font-weight:600}
tr.blocking td{background:#fdecec}
"""


def _e(value) -> str:
    """Any value as escaped HTML text (containers as compact JSON)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return escape(value, quote=True)


def _status(r: dict) -> str:
    if r["success"]:
        return '<span class="ok">pass</span>'
    if r["blocking"]:
        return '<span class="fail">FAIL (blocking)</span>'
    return '<span class="warn">fail</span>'


def _summary(v) -> dict:
    return v.summary() if hasattr(v, "summary") else v


def build_data_docs(results: Iterable, out_dir: Path | str) -> Path:
    """Write out_dir/index.html summarising TableValidation objects (or their summary() dicts); returns its path."""
    tables = [_summary(v) for v in (results.values() if isinstance(results, dict) else results)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = sorted({t["run_id"] for t in tables})
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    html = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
            "<title>Entente validation</title>", f"<style>{_CSS}</style></head><body>",
            "<h1>Entente validation</h1>",
            f"<p>Run {_e(', '.join(runs))}; page written {_e(created)}. "
            "Table-level checks block publishing; row-level rules quarantine rows into <code>rejected_rows</code>.</p>",
            "<table><tr><th>table</th><th>status</th><th>suite</th><th>rows</th><th>rejected</th>"
            "<th>rejected share</th><th>checks</th><th>failed</th><th>blocking failed</th><th>warnings</th></tr>"]
    for t in tables:
        failed = [r for r in t["results"] if not r["success"]]
        blocking = [r for r in failed if r["blocking"]]
        status = '<span class="ok">pass</span>' if t["success"] else '<span class="fail">FAIL</span>'
        html.append(f'<tr><td><a href="#{_e("t-" + t["table"])}">{_e(t["table"])}</a></td><td>{status}</td>'
                    f'<td><code>{_e(t["suite"])}</code></td><td>{_e(t["row_count"])}</td><td>{_e(t["rejected"])}</td>'
                    f'<td>{t["rejected_share"]:.2%}</td><td>{len(t["results"])}</td><td>{len(failed)}</td>'
                    f'<td>{len(blocking)}</td><td>{_e("; ".join(t["warnings"]))}</td></tr>')
    html.append("</table>")
    for t in tables:
        html += [f'<h2 id="{_e("t-" + t["table"])}">{_e(t["table"])}</h2>',
                 "<table><tr><th>status</th><th>level</th><th>rule</th><th>expectation</th><th>column</th>"
                 "<th>arguments</th><th>unexpected</th><th>sample (≤5)</th><th>observed</th><th>how</th>"
                 "<th>SQL / notes</th></tr>"]
        for r in t["results"]:
            cls = ' class="blocking"' if r["blocking"] and not r["success"] else ""
            sql = f"<pre>{_e(r.get('sql'))}</pre>" if r.get("sql") else ""
            notes = _e(r.get("notes")) + (f"<br><b>{_e(r['exception'])}</b>" if r.get("exception") else "")
            html.append(f"<tr{cls}><td>{_status(r)}</td><td>{_e(r['level'])}</td><td><code>{_e(r['rule'])}</code></td>"
                        f"<td><code>{_e(r['expectation'])}</code></td><td>{_e(r.get('column'))}</td>"
                        f"<td><code>{_e(r.get('kwargs'))}</code></td><td>{_e(r.get('unexpected_count'))}</td>"
                        f"<td><code>{_e(r.get('unexpected_sample') or None)}</code></td>"
                        f"<td><code>{_e(r.get('observed_value'))}</code></td><td>{_e(r.get('method'))}</td>"
                        f"<td>{sql}{notes}</td></tr>")
        html.append("</table>")
    html.append("</body></html>")
    index = out_dir / "index.html"
    index.write_text("\n".join(html), encoding="utf-8")
    return index
