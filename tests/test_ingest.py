"""Ingestion of each raw format, and every kind of unusable input recorded in ingest_errors."""

import json
from datetime import datetime

import pytest

from pipeline import warehouse
from pipeline.ingest.articles import article_id_for, build_article, normalise_url, parse_published
from pipeline.ingest.html import parse_html
from pipeline.ingest.load import ingest
from pipeline.ingest.readers import parse_front_matter

PAGE = """<html lang="en"><head><title>Site | Headline</title>
<meta property="og:title" content="Poland receives K2 tanks">
<meta property="article:published_time" content="2022-12-06T09:30:00+01:00">
<link rel="canonical" href="https://example.org/news/k2"></head>
<body><nav><ul><li>Home</li><li>World</li></ul></nav><header>Example News</header>
<article><h1>Poland receives K2 tanks</h1><p>The first ten K2 tanks arrived in Poland on Tuesday.</p>
<aside>Related stories: something else</aside><p>Warsaw ordered 180 of them in July.</p>
<script>track();</script><style>p{color:red}</style></article><footer>(c) Example</footer></body></html>"""


@pytest.fixture
def raw(tmp_path):
    d = tmp_path / "raw"
    (d / "nested").mkdir(parents=True)
    (d / "one.json").write_text(json.dumps({
        "text": "Finland joined NATO on 4 April 2023.", "url": "https://example.org/fi", "title": "Finland joins",
        "source": "Desk", "published_at": "2023-04-04", "section": "world"}))
    (d / "nested" / "copy.json").write_text(json.dumps({
        "text": "Finland joined NATO on 4 April 2023.", "url": "https://example.org/fi-copy"}))
    (d / "many.jsonl").write_text(
        json.dumps({"text": "Sweden joined NATO in March 2024.", "url": "https://example.org/se"}) + "\n"
        + "{broken\n\n"
        + json.dumps({"text": "   "}) + "\n"
        + json.dumps({"text": "Armenia froze its CSTO participation.", "published_at": "2024-02-23T10:00:00Z"}) + "\n")
    (d / "front.txt").write_text("---\ntitle: Iran joins SCO\npublished_at: 2023-07-04\nurl: https://example.org/ir\n---\n"
                                 "Iran became a full member of the SCO.\n")
    (d / "plain.txt").write_text("A text without front matter about Egypt.")
    (d / "page.html").write_text(PAGE)
    (d / "empty.html").write_text("<html><body><nav>menu</nav></body></html>")
    (d / "bad.json").write_text("{not json")
    (d / "array.json").write_text("[1, 2]")
    (d / "binary.txt").write_bytes(b"\xff\xfe\x00\x81 bad bytes")
    (d / "notes.csv").write_text("a,b")
    (d / "baddate.json").write_text(json.dumps({"text": "Some text here.", "published_at": "not a date"}))
    return d


def test_ingest_reads_every_format_and_records_every_error(tmp_path, raw):
    con = warehouse.connect(tmp_path / "w.duckdb")
    summary = ingest(con, raw)
    paths = {r[0] for r in con.execute("SELECT raw_path FROM articles").fetchall()}
    assert paths == {"one.json", "nested/copy.json", "many.jsonl:1", "many.jsonl:5", "front.txt", "plain.txt",
                     "page.html", "baddate.json"}
    errors = {(p, line): reason for p, line, reason in con.execute("SELECT raw_path, line, reason FROM ingest_errors").fetchall()}
    assert "invalid JSON" in errors[("many.jsonl", 2)]
    assert "empty" in errors[("many.jsonl", 4)]
    assert "invalid JSON" in errors[("bad.json", None)]
    assert "expected a JSON object" in errors[("array.json", None)]
    assert "not UTF-8" in errors[("binary.txt", None)]
    assert "no article text" in errors[("empty.html", None)]
    assert "unsupported file type" in errors[("notes.csv", None)]
    assert "kept without a publication date" in errors[("baddate.json", None)]
    assert summary.articles == 8 and summary.duplicates == 1


def test_duplicates_point_at_the_first_copy_and_text_is_kept_apart(tmp_path, raw):
    con = warehouse.connect(tmp_path / "w.duckdb")
    ingest(con, raw)
    rows = dict(con.execute("SELECT raw_path, duplicate_of FROM articles").fetchall())
    ids = dict(con.execute("SELECT raw_path, article_id FROM articles").fetchall())
    # the copy whose raw path sorts first is the original
    assert rows["nested/copy.json"] is None
    assert rows["one.json"] == ids["nested/copy.json"]
    extra = warehouse.one(con, "SELECT extra FROM article_texts WHERE article_id = $a", {"a": ids["one.json"]})[0]
    assert json.loads(extra) == {"section": "world"}


def test_second_ingest_changes_nothing(tmp_path, raw):
    con = warehouse.connect(tmp_path / "w.duckdb")
    ingest(con, raw, now=datetime(2026, 1, 1))
    first = con.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    ingest(con, raw, now=datetime(2026, 2, 1))
    assert con.execute("SELECT * FROM articles ORDER BY article_id").fetchall() == first


def test_edited_article_keeps_its_id(tmp_path):
    a, _, _ = build_article({"text": "Version one.", "url": "https://Example.org/x/"}, "a.json", datetime(2026, 1, 1))
    b, _, _ = build_article({"text": "Version two, edited.", "url": "http://example.org/x"}, "b.json", datetime(2026, 1, 1))
    assert a["article_id"] == b["article_id"] and a["content_sha256"] != b["content_sha256"]
    assert article_id_for(None, None, "abc") != article_id_for(None, "abc", "abc")


def test_html_keeps_article_text_and_metadata_only():
    fields = parse_html(PAGE)
    assert fields["title"] == "Poland receives K2 tanks"
    assert fields["url"] == "https://example.org/news/k2"
    assert fields["published_at"] == "2022-12-06T09:30:00+01:00"
    assert "arrived in Poland" in fields["text"] and "ordered 180" in fields["text"]
    for junk in ("Home", "Related stories", "track()", "color:red", "(c) Example"):
        assert junk not in fields["text"]


def test_front_matter_and_dates():
    meta = parse_front_matter("---\ntitle: 'Quoted'\nlanguage: fr\n---\nBody.\n")
    assert meta == {"title": "Quoted", "language": "fr", "text": "Body."}
    assert parse_front_matter("No front matter.") == {"text": "No front matter."}
    with pytest.raises(ValueError):
        parse_front_matter("---\ntitle: never closed\nBody")
    assert parse_published("2024-06-19T08:00:00+02:00") == datetime(2024, 6, 19, 6, 0)
    assert parse_published("2024-06-19") == datetime(2024, 6, 19)
    assert normalise_url("HTTPS://Example.org:443/a/?q=1#frag") == "example.org/a?q=1"
