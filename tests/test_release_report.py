"""report.html: built into every release from its Parquet files, escaped, self-contained, rendered by Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.release import publish_release
from pipeline.release.report import REPORT, safe_href
from pipeline.release.write import file_sha256
from pipeline.warehouse import connect, rebuild_dyads

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
XSS = "<script>alert(1)</script>"

ARTICLES = """
INSERT INTO articles BY NAME SELECT * FROM (VALUES
  ('art-a', 'https://news.example/tanks?id=1&page=2', 'Example Wire', 'Tanks & drones for Ukraine',
   TIMESTAMP '2023-01-25 21:10:00', 'en', 120, 'aa11', NULL, 'a.json', TIMESTAMP '2026-11-01 00:00:00'),
  ('art-b', 'javascript:alert(2)', 'Example News', 'Pact <b>signed</b> in Pyongyang',
   TIMESTAMP '2024-06-19 08:00:00', 'en', 95, 'bb22', NULL, 'b.json', TIMESTAMP '2026-11-01 00:00:00'),
  ('art-c', NULL, NULL, NULL, TIMESTAMP '2022-09-22 06:00:00', 'en', 80, 'cc33', NULL, 'c.txt',
   TIMESTAMP '2026-11-01 00:00:00')
) AS t(article_id, url, source, title, published_at, language, word_count, content_sha256,
       duplicate_of, raw_path, ingested_at)
"""
ACTORS = """
INSERT INTO actors BY NAME SELECT * FROM (VALUES
  ('UKR', 'Ukraine', 'state', 'UKR', 369, 369), ('DEU', 'Germany', 'state', 'DEU', 255, 260),
  ('USA', 'United States', 'state', 'USA', 2, 2), ('RUS', 'Russia', 'state', 'RUS', 365, 365),
  ('PRK', 'North Korea', 'state', 'PRK', 731, 731), ('NATO', 'North Atlantic Treaty Organization', 'organization', NULL, NULL, NULL)
) AS t(actor_code, name, actor_type, iso3, cow_code, gw_code)
"""
ARMS = f"""
INSERT INTO arms_transfers BY NAME SELECT * FROM (VALUES
  ('evt-deu-ukr', 'art-a', 0, 0, 60, 'DEU', 'UKR', NULL, NULL, 'armoured_vehicles', 'Leopard 2', '14', 14,
   'planned', NULL, DATE '2023-01-25', 'day', 0.9, 'Germany will send 14 Leopard 2 tanks to Ukraine.', 'rules-1'),
  ('evt-usa-ukr', 'art-a', 1, 61, 120, 'USA', 'UKR', NULL, NULL, 'drones', 'Switchblade', NULL, NULL,
   'delivered', NULL, NULL, NULL, 0.8, 'The United States has delivered Switchblade drones to Ukraine.', 'rules-1'),
  ('evt-prk-rus', 'art-c', 0, 0, 70, 'PRK', 'RUS', NULL, 'KCNA', 'ammunition', 'shells', NULL, NULL,
   'denied', NULL, DATE '2022-09-01', 'month', 0.7, 'North Korea denied {XSS} shipping shells to Russia.', 'rules-1')
) AS t(event_id, article_id, sentence_idx, char_start, char_end, supplier, recipient, origin, reported_by,
       weapon_category, weapon_description, quantity_text, quantity_min, status, used_in, event_date,
       date_precision, confidence, evidence, extractor)
"""
ALLIANCES = """
INSERT INTO alliances BY NAME SELECT * FROM (VALUES
  ('evt-prk-rus-pact', 'art-b', 0, 0, 70, 'PRK', 'RUS', 'defence_pact', DATE '2024-06-19', 'day', 0.95,
   'Russia and North Korea signed a "comprehensive" pact & more.', 'rules-1'),
  ('evt-ukr-nato', 'art-a', 2, 121, 170, 'UKR', 'NATO', 'membership', NULL, NULL, 0.8,
   'Ukraine applied to join NATO.', 'rules-1'),
  ('evt-deu-usa', 'art-a', 3, 171, 200, 'DEU', 'USA', 'meeting', DATE '2023-01-24', 'day', 0.8,
   'The German and US leaders spoke by phone.', 'rules-1')
) AS t(event_id, article_id, sentence_idx, char_start, char_end, actor_a, actor_b, relation, event_date,
       date_precision, confidence, evidence, extractor)
"""


def _publish(con, releases: Path):
    for name in ("arms_dyads", "alliance_dyads"):
        rebuild_dyads(con, name)
    return publish_release(con, releases, validation={"success": True}, input_fingerprint="in-1",
                           code_version="test-0.1", now=NOW)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    con = connect(tmp / "w.duckdb")
    for sql in (ARTICLES, ACTORS, ARMS, ALLIANCES):
        con.execute(sql)
    result = _publish(con, tmp / "releases")
    con.close()
    assert result.created
    return result.path


@pytest.fixture(scope="module")
def empty_release(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report-empty")
    con = connect(tmp / "w.duckdb")
    con.execute(ACTORS)
    result = _publish(con, tmp / "releases")
    con.close()
    return result.path


@pytest.fixture(scope="module")
def page(release) -> str:
    return (release / REPORT).read_text(encoding="utf-8")


def test_report_is_part_of_the_release_and_its_checksums(release, page):
    sums = dict(reversed(line.split("  ", 1)) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert sums[REPORT] == file_sha256(release / REPORT)
    assert "2026.11.28" in page and "2026-11-28T10:00:00Z" in page  # version and created_at


def test_article_text_is_escaped_and_only_http_urls_are_links(page):
    assert "<script>alert" not in page and "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the page's own script, nothing injected
    assert "Tanks &amp; drones for Ukraine" in page and "Tanks & drones" not in page
    assert "Pact &lt;b&gt;signed&lt;/b&gt;" in page and "<b>signed</b>" not in page
    assert "&quot;comprehensive&quot; pact &amp; more" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert "https://news.example/tanks?id=1&amp;page=2" in hrefs
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "javascript:alert(2)" not in hrefs and "javascript:" not in " ".join(hrefs)


def test_report_is_self_contained(page):
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"\bsrc\s*=", page, re.I)
    assert "@import" not in page and not re.search(r"url\(", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1)


def test_report_uses_actor_names_and_the_released_rows(page):
    for name in ("Germany", "Ukraine", "United States", "North Korea", "Russia"):
        assert name in page, name
    assert page.count('<svg class="chart"') == 5
    assert 'id="arms-dyads"' in page and 'id="alliance-dyads"' in page
    assert page.count('class="node ') == 6  # every actor of an alliance event is in the network
    assert 'data-rendered="ok"' not in page  # set by the page's script only


def test_safe_href():
    assert safe_href("https://a.example/x?a=1&b=2") == "https://a.example/x?a=1&amp;b=2"
    assert safe_href("HTTP://a.example/") == "HTTP://a.example/"
    assert safe_href('https://a.example/"onmouseover="x') == "https://a.example/&quot;onmouseover=&quot;x"
    for bad in ("javascript:alert(1)", " https://a.example/", "data:text/html,x", "//a.example/", "", None, 3):
        assert safe_href(bad) is None, bad


def test_empty_release_reports_gracefully(empty_release):
    text = (empty_release / REPORT).read_text(encoding="utf-8")
    assert "No arms transfers in this release." in text and "No alliance events in this release." in text
    assert "No dated events in this release." in text


# ---------------------------------------------------------------- headless Chromium

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    if path:
        return path
    message = "chromium is not installed (Debian: apt-get install -y chromium); needed to render report.html"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _run_chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


def _console(stderr: str) -> list[str]:
    """Messages the page logged (uncaught errors, CSP violations, console calls)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def rendered(release, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("chromium")
    dom = _run_chromium(release / REPORT, tmp, "--dump-dom")
    png = tmp / "report.png"
    shot = _run_chromium(release / REPORT, tmp, f"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars")
    return dom, shot, png


def test_report_renders_in_chromium_without_console_errors(rendered):
    dom, shot, _ = rendered
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == [] and _console(shot.stderr) == []
    body = re.search(r"<body[^>]*>", dom.stdout).group(0)
    assert 'data-rendered="ok"' in body, "the page's script did not run to its end"
    assert 'data-charts="5"' in body
    charts = {m.group(1): m.group(0) for m in re.finditer(r'<svg class="chart" id="([^"]+)".*?</svg>', dom.stdout, re.S)}
    assert list(charts) == ["flows", "network", "timeline", "weapons", "relations"]
    assert charts["flows"].count('<rect class="bar') == 3  # one status each: planned, delivered, denied
    assert charts["network"].count("<circle") == 6 and charts["network"].count('<path class="edge') == 3
    assert charts["timeline"].count('<rect class="bar') >= 4
    assert charts["weapons"].count('<rect class="bar') == 3 and charts["relations"].count('<rect class="bar') == 3
    assert dom.stdout.count("<tr>") == 1 + 3 + 1 + 3  # headers and one row per dyad


def test_report_screenshot(rendered):
    _, shot, png = rendered
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)


def test_empty_report_renders_in_chromium(empty_release, tmp_path):
    dom = _run_chromium(empty_release / REPORT, tmp_path, "--dump-dom")
    assert _console(dom.stderr) == []
    assert 'data-rendered="ok"' in re.search(r"<body[^>]*>", dom.stdout).group(0)
