"""report.html: one self-contained page of charts and tables over a release's own Parquet files.

Everything is aggregated in DuckDB over `read_parquet` (spilling to a temp folder, so memory stays
bounded however big the files); only top-N rows and small series come back to Python. Charts are
inline SVG drawn here, styled by one inline stylesheet; one small inline script adds hover
highlighting and table filters and, last, marks the page rendered (`<body data-rendered="ok">`).
Nothing is fetched: a Content-Security-Policy allows no network at all and only this page's own
style and script (by hash). Every string from an article or the actors table is HTML-escaped, and a
URL becomes a link only when it starts with http:// or https://.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipeline.dictionary import (
    ARMS_STATUSES, EVENT_FAMILIES, RELATIONS, RELEASED_TABLES, WEAPON_CATEGORIES, arrow_schema,
)
from pipeline.release.fingerprint import quote, sql_string
from pipeline.release.layout import MANIFEST, read_manifest
from pipeline.release.write import write_text
from pipeline.warehouse import EVENTS_VIEW_SQL

REPORT = "report.html"
TOP_FLOWS = 15  # supplier -> recipient pairs in the flows chart
TOP_ACTORS = 24  # nodes of the alliance network
TOP_DYADS = 12  # rows of each dyad table
EVIDENCE_PER_DYAD = 3  # evidence sentences quoted per dyad
MAX_MONTHS = 240  # beyond this span the timeline counts years, not months
MEMORY_LIMIT = "1GB"

STATUS_COLOURS = dict(zip(ARMS_STATUSES, ("#9ecae1", "#4292c6", "#08519c", "#e6550d", "#a3a3a3")))
RELATION_COLOURS = dict(zip(RELATIONS, ("#6a3d9a", "#1b7837", "#c51b7d", "#8c8c8c", "#e08214", "#2166ac", "#d7191c")))
FAMILY_COLOURS = dict(zip(EVENT_FAMILIES, ("#d95f02", "#1b9e77")))
FAMILY_LABELS = {"arms_transfer": "arms transfers", "alliance": "alliance events"}
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def esc(value) -> str:
    """Text for HTML (element content and quoted attributes alike)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_href(url) -> str | None:
    """The URL, escaped for an href attribute, when it is http(s); else None (shown as text, never linked)."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return esc(url)
    return None


@dataclass
class ReportData:
    counts: dict
    period: tuple
    names: dict  # actor_code -> name, for the codes the page shows
    kinds: dict  # actor_code -> actor_type
    flows: list
    n_flows: int
    nodes: list
    edges: list
    timeline: list
    timeline_unit: str
    undated: int
    weapons: list
    relations: list
    arms_dyads: list
    alliance_dyads: list


def write_report(release_dir: Path) -> Path:
    """Write `release_dir/report.html` from the release's Parquet files; returns its path."""
    release_dir = Path(release_dir)
    meta = _release_meta(release_dir)
    with tempfile.TemporaryDirectory() as spill, duckdb.connect(
            config={"temp_directory": spill, "memory_limit": MEMORY_LIMIT}) as db:
        _create_views(db, release_dir)
        data = collect(db)
    path = release_dir / REPORT
    write_text(path, render(meta, data))
    return path


def _release_meta(release_dir: Path) -> dict:
    manifest = read_manifest(release_dir) if (release_dir / MANIFEST).is_file() else {}
    validation = manifest.get("validation") or {}
    return {"version": manifest.get("version", release_dir.name), "created_at": manifest.get("created_at", "unknown"),
            "code_version": manifest.get("code_version", "unknown"),
            "contract_version": manifest.get("contract_version", "unknown"),
            "licence": manifest.get("licence", "CC-BY-4.0"),
            "validated": validation.get("success", validation.get("blocking_checks"))}


def _create_views(db: duckdb.DuckDBPyConnection, release_dir: Path) -> None:
    """One view per released table over its file; a missing file reads as an empty table."""
    for name in RELEASED_TABLES:
        path = release_dir / f"{name}.parquet"
        if path.is_file():
            db.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM read_parquet({sql_string(path)})")
        else:
            db.register(f"_empty_{name}", arrow_schema(name).empty_table())
            db.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM {quote('_empty_' + name)}")
    db.execute(EVENTS_VIEW_SQL)
    # every event with the date it is placed at: its own date, else its article's publication day
    db.execute("""
        CREATE VIEW dated_events AS
        SELECT e.*, CAST(coalesce(e.event_date, CAST(a.published_at AS DATE)) AS DATE) AS on_date
        FROM events e LEFT JOIN articles a USING (article_id)""")


def _rows(db: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = db.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def collect(db: duckdb.DuckDBPyConnection) -> ReportData:
    """Everything the page shows, aggregated in SQL."""
    counts = _rows(db, """
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM articles WHERE duplicate_of IS NULL) AS unique_articles,
               (SELECT count(*) FROM arms_transfers) AS arms_transfers,
               (SELECT count(*) FROM alliances) AS alliances,
               (SELECT count(*) FROM actors) AS actors,
               (SELECT count(*) FROM (SELECT actor_a FROM events UNION SELECT actor_b FROM events)) AS active_actors,
               (SELECT count(*) FROM arms_dyads) AS arms_dyads,
               (SELECT count(*) FROM alliance_dyads) AS alliance_dyads""")[0]
    period = db.execute("SELECT min(on_date), max(on_date) FROM dated_events").fetchone()

    flows = _rows(db, f"""
        SELECT supplier, recipient, count(*) AS n, count(DISTINCT article_id) AS n_articles,
               {', '.join(f"count(*) FILTER (WHERE status = {sql_string(s)}) AS {quote(s)}" for s in ARMS_STATUSES)}
        FROM arms_transfers GROUP BY supplier, recipient
        ORDER BY n DESC, supplier, recipient LIMIT {TOP_FLOWS}""")
    n_flows = db.execute("SELECT count(*) FROM (SELECT DISTINCT supplier, recipient FROM arms_transfers)").fetchone()[0]

    nodes = _rows(db, f"""
        WITH ends AS (SELECT actor_a AS actor FROM alliances UNION ALL SELECT actor_b FROM alliances)
        SELECT actor, count(*) AS degree FROM ends GROUP BY actor
        ORDER BY degree DESC, actor LIMIT {TOP_ACTORS}""")
    top = [n["actor"] for n in nodes]
    edges = _rows(db, """
        SELECT least(actor_a, actor_b) AS a, greatest(actor_a, actor_b) AS b, count(*) AS n,
               arg_max(relation, k) AS main_relation, list(relation || ' ' || k ORDER BY k DESC, relation) AS relations
        FROM (SELECT actor_a, actor_b, relation, count(*) OVER (PARTITION BY least(actor_a, actor_b),
                     greatest(actor_a, actor_b), relation) AS k
              FROM alliances WHERE list_contains($1, actor_a) AND list_contains($1, actor_b))
        GROUP BY ALL ORDER BY n DESC, a, b""", [top])
    for e in edges:  # "meeting 4" repeated per event -> distinct, in order
        e["relations"] = list(dict.fromkeys(e["relations"]))

    timeline, unit = _timeline(db, period)
    undated = db.execute("SELECT count(*) FROM dated_events WHERE on_date IS NULL").fetchone()[0]
    weapons = _rows(db, f"""
        SELECT weapon_category AS kind, count(*) AS n,
               {', '.join(f"count(*) FILTER (WHERE status = {sql_string(s)}) AS {quote(s)}" for s in ARMS_STATUSES)}
        FROM arms_transfers GROUP BY weapon_category ORDER BY n DESC, kind""")
    relations = _rows(db, "SELECT relation AS kind, count(*) AS n FROM alliances "
                          "GROUP BY relation ORDER BY n DESC, kind")

    arms_dyads = _dyads(db, "arms_transfers", "supplier", "recipient", "weapon_category")
    alliance_dyads = _dyads(db, "alliances", "actor_a", "actor_b", "relation")

    codes = {f[k] for f in flows for k in ("supplier", "recipient")} | set(top)
    codes |= {d[k] for d in arms_dyads + alliance_dyads for k in ("a", "b")}
    named = _rows(db, "SELECT actor_code, name, actor_type FROM actors WHERE list_contains($1, actor_code)",
                  [sorted(c for c in codes if c is not None)])
    return ReportData(
        counts=counts, period=period, names={r["actor_code"]: r["name"] for r in named},
        kinds={r["actor_code"]: r["actor_type"] for r in named}, flows=flows, n_flows=n_flows,
        nodes=nodes, edges=edges, timeline=timeline, timeline_unit=unit, undated=undated,
        weapons=weapons, relations=relations, arms_dyads=arms_dyads, alliance_dyads=alliance_dyads)


def _timeline(db: duckdb.DuckDBPyConnection, period: tuple) -> tuple[list[dict], str]:
    """Events per month (per year when the span is long) and family, with empty buckets filled."""
    lo, hi = period
    if lo is None:
        return [], "month"
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    unit = "month" if months <= MAX_MONTHS else "year"
    counts = {(b, f): n for b, f, n in db.execute(f"""
        SELECT CAST(date_trunc('{unit}', on_date) AS DATE) AS bucket, family, count(*)
        FROM dated_events WHERE on_date IS NOT NULL GROUP BY ALL""").fetchall()}
    out, y, m = [], lo.year, (lo.month if unit == "month" else 1)
    while (y, m) <= (hi.year, hi.month if unit == "month" else 1):
        b = date(y, m, 1)
        out.append({"bucket": b, **{f: counts.get((b, f), 0) for f in EVENT_FAMILIES}})
        y, m = (y + m // 12, m % 12 + 1) if unit == "month" else (y + 1, 1)
    return out, unit


def _dyads(db: duckdb.DuckDBPyConnection, table: str, a: str, b: str, kind: str) -> list[dict]:
    """The most reported pairs of a family with their best evidence sentences and sources."""
    dyads = _rows(db, f"""
        SELECT {a} AS a, {b} AS b, count(*) AS n, count(DISTINCT article_id) AS n_articles,
               list_sort(list_distinct(list({kind}))) AS kinds,
               min(year(on_date)) AS first_year, max(year(on_date)) AS last_year
        FROM (SELECT t.*, coalesce(t.event_date, CAST(ar.published_at AS DATE)) AS on_date
              FROM {table} t LEFT JOIN articles ar USING (article_id))
        GROUP BY ALL ORDER BY n DESC, n_articles DESC, a, b LIMIT {TOP_DYADS}""")
    if not dyads:
        return []
    evidence = _rows(db, f"""
        WITH top AS (SELECT unnest($1) AS a, unnest($2) AS b)
        SELECT t.{a} AS a, t.{b} AS b, t.{kind} AS kind, {'t.status' if table == 'arms_transfers' else 'NULL'} AS status,
               t.event_date, t.evidence, ar.url, ar.title, ar.source, CAST(ar.published_at AS DATE) AS published
        FROM {table} t JOIN top ON t.{a} = top.a AND t.{b} = top.b
        LEFT JOIN articles ar USING (article_id)
        QUALIFY row_number() OVER (PARTITION BY t.{a}, t.{b}
                                   ORDER BY t.confidence DESC, ar.published_at DESC NULLS LAST, t.event_id)
                <= {EVIDENCE_PER_DYAD}
        ORDER BY t.{a}, t.{b}, t.confidence DESC, ar.published_at DESC NULLS LAST, t.event_id""",
                     [[d["a"] for d in dyads], [d["b"] for d in dyads]])
    by_pair: dict[tuple, list] = {}
    for e in evidence:
        by_pair.setdefault((e["a"], e["b"]), []).append(e)
    for d in dyads:
        d["evidence"] = by_pair.get((d["a"], d["b"]), [])
    return dyads


# ---------------------------------------------------------------- drawing

def _fmt(n) -> str:
    return f"{n:,}"


def _compact(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(n)


def _name(data: ReportData, code: str) -> str:
    return data.names.get(code) or code


def _short(data: ReportData, code: str, limit: int = 16) -> str:
    name = data.names.get(code)
    return name if name and len(name) <= limit else code


def _empty(message: str) -> str:
    return f'<p class="empty">{esc(message)}</p>'


def _legend(colours: dict, labels: dict | None = None) -> str:
    items = "".join(f'<li><span class="swatch sw-{esc(k)}"></span>{esc((labels or {}).get(k, k.replace("_", " ")))}</li>'
                    for k in colours)
    return f'<ul class="legend">{items}</ul>'


def _axis(value: int) -> tuple[int, int]:
    """(axis maximum, tick step) for counts up to `value`: at most 5 whole-number steps of 1, 2 or 5 x 10^k."""
    step, k = 1, 0
    while value > 5 * step:
        k += 1
        step = (1, 2, 5)[k % 3] * 10 ** (k // 3)
    return max(step, math.ceil(value / step) * step), step


def _stacked_bars(rows: list[dict], label, parts: list[str], *, width: int = 1120, label_width: int = 260,
                  chart_id: str, title: str, tip) -> str:
    """Horizontal bars, one per row, stacked by `parts` (row[part] counts), with the total at the end."""
    bar_h, gap, top, bottom = 20, 8, 24, 8
    height = top + len(rows) * (bar_h + gap) + bottom
    vmax, tick = _axis(max((r["n"] for r in rows), default=1))
    plot = width - label_width - 60
    scale = plot / vmax
    out = [f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">']
    for v in range(0, vmax + 1, tick):  # grid
        x = label_width + v * scale
        out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - bottom}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{top - 10}" text-anchor="middle">{_fmt(v)}</text>')
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text class="label" x="{label_width - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end">'
                   f'{esc(label(r))}</text>')
        x = label_width
        for p in parts:
            n = r.get(p) or 0
            if not n:
                continue
            w = n * scale
            out.append(f'<rect class="bar fill-{esc(p)}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}">'
                       f'<title>{esc(tip(r, p, n))}</title></rect>')
            x += w
        out.append(f'<text class="value" x="{x + 6:.1f}" y="{y + bar_h * 0.72:.1f}">{_fmt(r["n"])}</text>')
    out.append("</svg>")
    return "".join(out)


def flows_chart(data: ReportData) -> str:
    if not data.flows:
        return _empty("No arms transfers in this release.")
    chart = _stacked_bars(
        data.flows, lambda r: f"{_short(data, r['supplier'], 22)} \u2192 {_short(data, r['recipient'], 22)}",
        list(ARMS_STATUSES), chart_id="flows", title="Top arms flows, supplier to recipient, by status",
        tip=lambda r, s, n: f"{_name(data, r['supplier'])} \u2192 {_name(data, r['recipient'])}: {n} {s} "
                            f"({r['n']} events in {r['n_articles']} articles)")
    note = f"Top {len(data.flows)} of {_fmt(data.n_flows)} supplier \u2192 recipient pairs, by number of events."
    return f'<p class="note">{esc(note)}</p>{_legend(STATUS_COLOURS)}{chart}'


def _circular_order(nodes: list[str], weight: dict) -> list[str]:
    """Greedy order round the circle: each next node is the one most tied to the last few placed."""
    if not nodes:
        return []
    left, order = list(nodes[1:]), [nodes[0]]
    while left:
        recent = order[-3:]
        best = max(left, key=lambda c: (sum(weight.get(frozenset((c, r)), 0) * (1 + k) for k, r in enumerate(recent)),
                                        -nodes.index(c)))
        order.append(best)
        left.remove(best)
    return order


def network_chart(data: ReportData) -> str:
    if not data.nodes:
        return _empty("No alliance events in this release.")
    size, r_ring = 720, 262
    c = size / 2
    weight = {frozenset((e["a"], e["b"])): e["n"] for e in data.edges}
    degree = {n["actor"]: n["degree"] for n in data.nodes}
    order = _circular_order([n["actor"] for n in data.nodes], weight)
    pos = {}
    for i, code in enumerate(order):
        angle = 2 * math.pi * i / len(order) - math.pi / 2
        pos[code] = (c + r_ring * math.cos(angle), c + r_ring * math.sin(angle), angle)
    dmax = max(degree.values())
    nmax = max((e["n"] for e in data.edges), default=1)
    out = [f'<svg class="chart" id="network" viewBox="0 0 {size} {size}" role="img" '
           f'aria-label="Alliance network of the {len(order)} most active actors">']
    for e in sorted(data.edges, key=lambda e: e["n"]):
        (x1, y1, _), (x2, y2, _) = pos[e["a"]][:3], pos[e["b"]][:3]
        qx, qy = c + (x1 + x2 - 2 * c) * 0.18, c + (y1 + y2 - 2 * c) * 0.18  # bend towards the centre
        tip = f"{_name(data, e['a'])} \u2013 {_name(data, e['b'])}: " + ", ".join(e["relations"])
        out.append(f'<path class="edge rel-{esc(e["main_relation"])}" data-a="{esc(e["a"])}" data-b="{esc(e["b"])}" '
                   f'd="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" '
                   f'stroke-width="{1.2 + 6 * math.sqrt(e["n"] / nmax):.1f}"><title>{esc(tip)}</title></path>')
    for code in order:
        x, y, angle = pos[code]
        rad = 5 + 9 * math.sqrt(degree[code] / dmax)
        kind = "org" if data.kinds.get(code) == "organization" else "state"
        lx, ly = x + (rad + 6) * math.cos(angle), y + (rad + 6) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        ly += 4 if anchor != "middle" else (12 if math.sin(angle) > 0 else -4)
        out.append(f'<g class="node {kind}" data-actor="{esc(code)}"><title>{esc(_name(data, code))} ({esc(code)}): '
                   f'{degree[code]} alliance events</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}"/>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{esc(_short(data, code))}</text></g>')
    out.append("</svg>")
    shown = f"The {len(order)} actors with most alliance events; lines join actors with events between them, " \
            "coloured by their most frequent relation, thicker for more events. Hover a node to isolate its ties."
    legend = _legend(RELATION_COLOURS) + '<ul class="legend"><li><span class="dot state"></span>state</li>' \
                                         '<li><span class="dot org"></span>organisation</li></ul>'
    return f'<p class="note">{esc(shown)}</p>{legend}<div class="network-wrap">{"".join(out)}</div>'


def timeline_chart(data: ReportData) -> str:
    if not data.timeline:
        return _empty("No dated events in this release.")
    width, height, left, top, bottom = 1120, 260, 44, 14, 28
    plot_w, plot_h = width - left - 10, height - top - bottom
    vmax, tick = _axis(max(sum(b[f] for f in EVENT_FAMILIES) for b in data.timeline))
    step = plot_w / len(data.timeline)
    out = [f'<svg class="chart" id="timeline" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Events per {data.timeline_unit} by family">']
    for v in range(0, vmax + 1, tick):
        y = top + plot_h - v / vmax * plot_h
        out.append(f'<line class="grid" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_compact(v)}</text>')
    for i, b in enumerate(data.timeline):
        x, base = left + i * step, top + plot_h
        label = b["bucket"].strftime("%B %Y" if data.timeline_unit == "month" else "%Y")
        for f in EVENT_FAMILIES:
            if b[f]:
                h = b[f] / vmax * plot_h
                base -= h
                out.append(f'<rect class="bar fill-{f}" x="{x + step * 0.1:.2f}" y="{base:.1f}" '
                           f'width="{max(step * 0.8, 1):.2f}" height="{h:.1f}"><title>{esc(label)}: {b[f]} '
                           f'{FAMILY_LABELS[f]}</title></rect>')
        if data.timeline_unit == "year" or b["bucket"].month == 1 or i == 0:
            if data.timeline_unit == "month" or len(data.timeline) <= 40 or b["bucket"].year % 5 == 0:
                out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 5}"/>'
                           f'<text class="tick" x="{x + 2:.1f}" y="{height - 8}">{b["bucket"].year}</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{top + plot_h}" y2="{top + plot_h}"/></svg>')
    note = f"Events per {data.timeline_unit}, placed at their event date, else at their article's publication date."
    if data.undated:
        note += f" Not shown: {_fmt(data.undated)} events with neither date."
    return f'<p class="note">{esc(note)}</p>{_legend(FAMILY_COLOURS, FAMILY_LABELS)}{"".join(out)}'


def weapons_chart(data: ReportData) -> str:
    if not data.weapons:
        return _empty("No arms transfers in this release.")
    order = {k: i for i, k in enumerate(WEAPON_CATEGORIES)}
    rows = sorted(data.weapons, key=lambda r: (-r["n"], order.get(r["kind"], 99)))
    chart = _stacked_bars(rows, lambda r: r["kind"].replace("_", " "), list(ARMS_STATUSES), width=560,
                          label_width=130, chart_id="weapons", title="Arms transfer events by weapon category",
                          tip=lambda r, s, n: f"{r['kind'].replace('_', ' ')}: {n} {s}")
    return f'{_legend(STATUS_COLOURS)}{chart}'


def relations_chart(data: ReportData) -> str:
    if not data.relations:
        return _empty("No alliance events in this release.")
    rows = [{**r, r["kind"]: r["n"]} for r in data.relations]
    return _stacked_bars(rows, lambda r: r["kind"].replace("_", " "), list(RELATIONS), width=560,
                         label_width=130, chart_id="relations", title="Alliance events by relation",
                         tip=lambda r, s, n: f"{s.replace('_', ' ')}: {n} events")


def _source(e: dict) -> str:
    title = e.get("title") or e.get("url") or "untitled article"
    href = safe_href(e.get("url"))
    link = (f'<a href="{href}" rel="noopener noreferrer nofollow" target="_blank">{esc(title)}</a>' if href
            else f'<span class="nolink">{esc(title)}</span>')
    bits = [b for b in (e.get("source"), e.get("published") and e["published"].isoformat()) if b]
    return link + (f' <span class="meta">({esc(", ".join(bits))})</span>' if bits else "")


def _what(e: dict) -> str:
    return " ".join(x for x in (e["kind"], e["status"]) if x).replace("_", " ")


def dyad_table(data: ReportData, dyads: list[dict], *, table_id: str, arrow: str, kind_label: str, empty: str) -> str:
    if not dyads:
        return _empty(empty)
    rows = []
    for d in dyads:
        years = "" if d["first_year"] is None else (
            str(d["first_year"]) if d["first_year"] == d["last_year"] else f"{d['first_year']}\u2013{d['last_year']}")
        kinds = "".join(f'<span class="chip">{esc(k.replace("_", " "))}</span>' for k in d["kinds"])
        quotes = "".join(f'<li><q>{esc(e["evidence"])}</q> <span class="tag">{esc(_what(e))}</span><br>{_source(e)}</li>'
                         for e in d["evidence"])
        rows.append(
            f'<tr><td class="dyad"><b>{esc(_name(data, d["a"]))}</b> {arrow} <b>{esc(_name(data, d["b"]))}</b>'
            f'<div class="codes">{esc(d["a"])} {arrow} {esc(d["b"])}</div></td>'
            f'<td class="num">{_fmt(d["n"])}</td><td class="num">{_fmt(d["n_articles"])}</td>'
            f'<td>{esc(years)}</td><td>{kinds}</td><td><ul class="evidence">{quotes}</ul></td></tr>')
    return (f'<input class="filter" type="search" placeholder="Filter rows\u2026" data-filter="{table_id}" '
            f'aria-label="Filter the table">'
            f'<table id="{table_id}"><thead><tr><th>Dyad</th><th>Events</th><th>Articles</th><th>Years</th>'
            f'<th>{esc(kind_label)}</th><th>Evidence (best {EVIDENCE_PER_DYAD}) and source</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


CSS = """
:root{--ink:#1f2328;--muted:#5b636d;--line:#d8dee4;--bg:#f6f8fa;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#16324f;color:#fff;padding:22px 0 18px}
header h1{margin:0 0 4px;font-size:24px;font-weight:650}
header p{margin:0;color:#c9d6e3}
.wrap{max-width:1200px;margin:0 auto;padding:0 24px}
.facts{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 0;padding:0;list-style:none}
.facts li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}
.facts b{display:block;font-size:20px}
.facts span{color:var(--muted);font-size:12px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:16px 0}
section.card h2{margin:0 0 6px;font-size:17px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid2 section.card{margin:0}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
.note{color:var(--muted);margin:0 0 6px;font-size:13px}
.empty{color:var(--muted);font-style:italic;padding:18px 0}
svg.chart{width:100%;height:auto;display:block}
svg.chart text{font-size:12px;fill:var(--ink)}
svg.chart .tick{fill:var(--muted);font-size:11px}
svg.chart .value{fill:var(--muted);font-size:11px}
svg.chart .grid{stroke:#eef1f4}
svg.chart .axis{stroke:#9aa3ad}
.network-wrap{max-width:720px;margin:0 auto}
#network .edge{fill:none;stroke-opacity:.55;stroke-linecap:round}
#network .node circle{stroke:#fff;stroke-width:1.5}
#network .node.state circle{fill:#34495e}
#network .node.org circle{fill:#b8860b}
#network .node text{font-size:12px}
#network.focus .edge{stroke-opacity:.07}
#network.focus .edge.on{stroke-opacity:.95}
#network.focus .node{opacity:.35}
#network.focus .node.on{opacity:1}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0 0 6px;padding:0;font-size:12px;color:var(--muted)}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.dot{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:-1px}
.dot.state{background:#34495e}.dot.org{background:#b8860b}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:8px 8px;border-top:1px solid var(--line)}
th{font-size:12px;color:var(--muted);font-weight:600;border-top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.dyad{min-width:170px}
.codes{color:var(--muted);font-size:11px}
.chip{display:inline-block;background:#eef2f6;border-radius:10px;padding:0 7px;margin:0 3px 3px 0;font-size:12px;white-space:nowrap}
.tag{color:var(--muted);font-size:11px}
ul.evidence{margin:0;padding-left:16px}
ul.evidence li{margin-bottom:6px}
q{quotes:"\\201C" "\\201D"}
.meta{color:var(--muted);font-size:12px}
a{color:#0b5cad}
input.filter{margin:2px 0 8px;padding:5px 9px;border:1px solid var(--line);border-radius:6px;font:inherit;width:260px}
footer{color:var(--muted);font-size:12px;padding:8px 0 28px}
"""


def _colour_css() -> str:
    rules = [f".fill-{k}{{fill:{v}}}.sw-{k}{{background:{v}}}" for k, v in {**STATUS_COLOURS, **FAMILY_COLOURS}.items()]
    rules += [f".fill-{k}{{fill:{v}}}.sw-{k}{{background:{v}}}#network .rel-{k}{{stroke:{v}}}"
              for k, v in RELATION_COLOURS.items()]
    return "\n".join(rules)


SCRIPT = """
(function () {
  "use strict";
  var net = document.getElementById("network");
  if (net) {
    var nodes = net.querySelectorAll(".node"), edges = net.querySelectorAll(".edge");
    nodes.forEach(function (node) {
      var code = node.getAttribute("data-actor");
      node.addEventListener("mouseenter", function () {
        net.classList.add("focus");
        node.classList.add("on");
        edges.forEach(function (e) {
          var a = e.getAttribute("data-a"), b = e.getAttribute("data-b");
          if (a === code || b === code) {
            e.classList.add("on");
            net.querySelector('.node[data-actor="' + (a === code ? b : a) + '"]').classList.add("on");
          }
        });
      });
      node.addEventListener("mouseleave", function () {
        net.classList.remove("focus");
        net.querySelectorAll(".on").forEach(function (el) { el.classList.remove("on"); });
      });
    });
  }
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      table.tBodies[0].querySelectorAll("tr").forEach(function (tr) {
        tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  document.body.dataset.charts = String(document.querySelectorAll("svg.chart").length);
  document.body.dataset.rendered = "ok";
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render(meta: dict, data: ReportData) -> str:
    """The whole page."""
    css = CSS + _colour_css()
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(SCRIPT)}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    c = data.counts
    lo, hi = data.period
    facts = [(c["articles"], "articles", f"{_fmt(c['unique_articles'])} unique"),
             (c["arms_transfers"], "arms transfer events", f"{_fmt(c['arms_dyads'])} dyad-years"),
             (c["alliances"], "alliance events", f"{_fmt(c['alliance_dyads'])} dyad-years"),
             (c["active_actors"], "actors in events", f"of {_fmt(c['actors'])} in actors")]
    facts_html = "".join(f'<li><b>{_fmt(n)}</b>{esc(label)}<br><span>{esc(sub)}</span></li>' for n, label, sub in facts)
    if lo is not None:
        facts_html += (f'<li><b>{lo.year}\u2013{hi.year}</b>period<br>'
                       f'<span>{lo.isoformat()} to {hi.isoformat()}</span></li>')
    validated = {True: "blocking checks passed", False: "blocking checks FAILED"}.get(meta["validated"], "")
    subtitle = " \u00b7 ".join(x for x in (
        f"release {meta['version']}", f"created {meta['created_at']}", f"contract v{meta['contract_version']}",
        f"code {meta['code_version']}", validated, meta["licence"]) if x)
    arms_table = dyad_table(data, data.arms_dyads, table_id="arms-dyads", arrow="\u2192",
                            kind_label="Weapon categories", empty="No arms transfers in this release.")
    alliance_table = dyad_table(data, data.alliance_dyads, table_id="alliance-dyads", arrow="\u2013",
                                kind_label="Relations", empty="No alliance events in this release.")
    body = f"""
<header><div class="wrap">
<h1>Entente: arms transfers and alliances read from news</h1>
<p id="release" data-version="{esc(meta['version'])}">{esc(subtitle)}</p>
</div></header>
<main class="wrap">
<ul class="facts">{facts_html}</ul>
<section class="card"><h2>Arms flows: supplier \u2192 recipient</h2>{flows_chart(data)}</section>
<section class="card"><h2>Alliance network</h2>{network_chart(data)}</section>
<section class="card"><h2>Events over time, by family</h2>{timeline_chart(data)}</section>
<div class="grid2">
<section class="card"><h2>Weapon categories</h2>{weapons_chart(data)}</section>
<section class="card"><h2>Alliance relations</h2>{relations_chart(data)}</section>
</div>
<section class="card"><h2>Top arms dyads, with evidence</h2>
{arms_table}</section>
<section class="card"><h2>Top alliance dyads, with evidence</h2>
{alliance_table}</section>
</main>
<footer class="wrap">Built from this release's Parquet files only; evidence sentences, headlines and URLs are quoted
from the articles they cite and remain their publishers' work. Data licence {esc(meta['licence'])}.
Machine-readable details: manifest.json, datapackage.json, DATA_DICTIONARY.md, CHANGES.md.</footer>
"""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Entente release {esc(meta["version"])}</title><style>{css}</style></head>'
            f'<body>{body}<script>{SCRIPT}</script></body></html>\n')

