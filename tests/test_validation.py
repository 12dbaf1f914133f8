"""Validation: suites on disk, quarantine, blocking table-level checks, rejected share, drift, data docs."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline import warehouse
from pipeline.validation import build_data_docs, quarantine, run, validate_all, validate_table
from pipeline.validation.quarantine import row_rules
from pipeline.validation.suites import EXPECTATIONS_DIR, generated_suite, load_suite, validated_tables

TEXTS = {
    "a1": ("2024-03-10 08:00:00", "Russia delivered drones to Iran. France and Germany signed a defence pact."),
    "a2": ("2024-05-02 12:30:00", "China and Russia held a joint exercise. The United States sold missiles to Taiwan."),
}
ACTORS = [("RUS", "Russia", "state"), ("IRN", "Iran", "state"), ("FRA", "France", "state"),
          ("DEU", "Germany", "state"), ("CHN", "China", "state"), ("USA", "United States", "state"),
          ("TWN", "Taiwan", "state"), ("NATO", "NATO", "organization")]
N = 100  # base rows per sentence kind: 200 per event table, so one bad row stays under 2 %


def _span(article: str, sentence: str) -> tuple[int, int]:
    start = TEXTS[article][1].index(sentence)
    return start, start + len(sentence)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _arms_values(event_id, article, sentence, supplier, recipient, category="'drones'", status="'delivered'",
                 event_date="DATE '2024-03-01'", precision="'day'", evidence=None, confidence="0.9") -> str:
    start, end = _span(article, sentence)
    return (f"({event_id}, '{article}', 0, {start}, {end}, {supplier}, {recipient}, NULL, NULL, {category}, NULL, NULL, "
            f"NULL, {status}, NULL, {event_date}, {precision}, {confidence}, {evidence or _q(sentence)}, 'test')")


def _alliance_values(event_id, article, sentence, a, b, relation, event_date="NULL", precision="NULL", evidence=None) -> str:
    start, end = _span(article, sentence)
    return (f"({event_id}, '{article}', 0, {start}, {end}, {a}, {b}, {relation}, {event_date}, {precision}, 0.8, "
            f"{evidence or _q(sentence)}, 'test')")


def make_warehouse(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    for aid, (published, text) in TEXTS.items():
        con.execute(f"INSERT INTO articles (article_id, url, source, title, published_at, language, word_count, "
                    f"content_sha256, duplicate_of, raw_path, ingested_at) VALUES ('{aid}', 'https://example.org/{aid}', "
                    f"'Example', 'Title', TIMESTAMP '{published}', 'en', {len(text.split())}, sha256({_q(text)}), NULL, "
                    f"'{aid}.json', TIMESTAMP '2024-06-01 00:00:00')")
        con.execute(f"INSERT INTO article_texts VALUES ('{aid}', {_q(text)}, NULL)")
    con.execute("INSERT INTO actors VALUES " + ", ".join(
        f"('{c}', '{n}', '{t}', {_q(c) if t == 'state' else 'NULL'}, NULL, NULL)" for c, n, t in ACTORS))
    s1, s2 = "Russia delivered drones to Iran.", "The United States sold missiles to Taiwan."
    con.execute(f"INSERT INTO arms_transfers SELECT v.* FROM range({N}) r(i), LATERAL (VALUES "
                + _arms_values("'ea' || i", "a1", s1, "'RUS'", "'IRN'") + ") v")
    con.execute(f"INSERT INTO arms_transfers SELECT v.* FROM range({N}) r(i), LATERAL (VALUES "
                + _arms_values("'eb' || i", "a2", s2, "'USA'", "'TWN'", "'missiles'", "'agreed'", "NULL", "NULL") + ") v")
    p1, p2 = "France and Germany signed a defence pact.", "China and Russia held a joint exercise."
    con.execute(f"INSERT INTO alliances SELECT v.* FROM range({N}) r(i), LATERAL (VALUES "
                + _alliance_values("'la' || i", "a1", p1, "'DEU'", "'FRA'", "'defence_pact'", "DATE '2024-03-01'", "'month'") + ") v")
    con.execute(f"INSERT INTO alliances SELECT v.* FROM range({N}) r(i), LATERAL (VALUES "
                + _alliance_values("'lb' || i", "a2", p2, "'CHN'", "'RUS'", "'exercise'") + ") v")
    for aid, (_, text) in TEXTS.items():
        for surface, code in (("Russia", "RUS"), ("Iran", "IRN"), ("China", "CHN"), ("Taiwan", "TWN")):
            if surface in text:
                start = text.index(surface)
                con.execute(f"INSERT INTO mentions VALUES ('{aid}', 0, {start}, {start + len(surface)}, "
                            f"'{surface}', '{code}', 'name', '')")
    rebuild_dyads(con)
    return con


def rebuild_dyads(con):
    warehouse.rebuild_dyads(con, "arms_dyads")
    warehouse.rebuild_dyads(con, "alliance_dyads")


def failing(tv) -> set[str]:
    return {r["rule"] for r in tv.results if not r["success"]}


# --- suites -----------------------------------------------------------------------------------

def test_suite_files_equal_what_the_dictionary_generates():
    on_disk = {p.stem for p in EXPECTATIONS_DIR.glob("*.json")}
    assert on_disk == set(validated_tables())
    for table in validated_tables():
        assert json.loads((EXPECTATIONS_DIR / f"{table}.json").read_text()) == generated_suite(table), (
            f"expectations/{table}.json is stale: run python -m pipeline.validation")


def test_every_merged_suite_is_a_valid_gx_suite_and_row_rules_have_sql():
    import great_expectations as gx

    for table in validated_tables():
        suite = load_suite(table)
        gx.ExpectationSuite(name=suite["name"], expectations=suite["expectations"], meta=suite["meta"])
        quarantine_rules = row_rules(table)
        assert len(quarantine_rules) == sum(e["meta"]["level"] == "row" for e in suite["expectations"])
    assert "supplier_is_not_recipient" in {e["meta"].get("rule") for e in load_suite("arms_transfers")["expectations"]}
    assert "'defence_pact'" in dict(row_rules("alliances"))["symmetric_relation_ordered"]


# --- a clean warehouse --------------------------------------------------------------------------

def test_clean_warehouse_validates(tmp_path):
    con = make_warehouse(tmp_path)
    assert quarantine(con, "r1") == {"mentions": 0, "arms_transfers": 0, "alliances": 0}
    results = validate_all(con, "r1")
    for table, tv in results.items():
        assert tv.success, tv.reason()
        assert failing(tv) == set(), (table, failing(tv))
    assert results["arms_transfers"].row_count == 2 * N
    rows = con.execute("SELECT table_name, success, evaluated, failed, blocking_failed, summary_json "
                       "FROM validation_runs WHERE run_id = 'r1'").fetchall()
    assert len(rows) == len(validated_tables())
    by_table = {r[0]: r for r in rows}
    assert by_table["arms_transfers"][1:5] == (True, len(results["arms_transfers"].results), 0, 0)
    assert json.loads(by_table["arms_transfers"][5])["row_count"] == 2 * N


# --- row-level faults: quarantined, removed, then the table validates ---------------------------

S1, P1 = "Russia delivered drones to Iran.", "France and Germany signed a defence pact."
ROW_FAULTS = {
    "self_dyad": ("arms_transfers", "supplier_is_not_recipient", _arms_values("'bad'", "a1", S1, "'RUS'", "'RUS'")),
    "unknown_code": ("arms_transfers", "supplier_in_actors", _arms_values("'bad'", "a1", S1, "'XXX'", "'IRN'")),
    "evidence": ("alliances", "evidence_matches_offsets",
                 _alliance_values("'bad'", "a1", P1, "'DEU'", "'FRA'", "'partnership'", evidence="'Germany and France agreed.'")),
    "future_date": ("arms_transfers", "event_date_not_after_published",
                    _arms_values("'bad'", "a1", S1, "'RUS'", "'IRN'", event_date="DATE '2030-01-01'")),
    "value_set": ("arms_transfers", "column_values_to_be_in_set:weapon_category",
                  _arms_values("'bad'", "a1", S1, "'RUS'", "'IRN'", category="'lasers'")),
    "unordered_symmetric": ("alliances", "symmetric_relation_ordered",
                            _alliance_values("'bad'", "a1", P1, "'FRA'", "'DEU'", "'defence_pact'")),
    "precision": ("arms_transfers", "date_precision_null_iff_event_date_null",
                  _arms_values("'bad'", "a1", S1, "'RUS'", "'IRN'", precision="NULL")),
    "confidence": ("arms_transfers", "column_values_to_be_between:confidence",
                   _arms_values("'bad'", "a1", S1, "'RUS'", "'IRN'", confidence="1.5")),
}
BAD_VALUE = {"value_set": "lasers", "confidence": 1.5}


@pytest.mark.parametrize("fault", list(ROW_FAULTS))
def test_row_fault_is_quarantined_and_table_then_validates(tmp_path, fault):
    table, rule, values = ROW_FAULTS[fault]
    con = make_warehouse(tmp_path)
    con.execute(f"INSERT INTO {table} VALUES {values}")
    rebuild_dyads(con)
    before = validate_table(con, table, "r0")
    assert rule in failing(before)
    result = next(r for r in before.results if r["rule"] == rule)
    assert result["unexpected_count"] == 1 and not result["blocking"]
    # helper-column rules sample the key of the failing row; plain columns sample the value
    assert result["unexpected_sample"] == (["bad"] if result["column"].startswith("_") else [BAD_VALUE[fault]])

    moved = quarantine(con, "r1")
    assert moved[table] == 1 and sum(moved.values()) == 1
    rejected = con.execute("SELECT table_name, row_key, rule, row_json, run_id FROM rejected_rows").fetchall()
    assert len(rejected) == 1
    assert rejected[0][:2] == (table, "bad") and rule in rejected[0][2].split(",") and rejected[0][4] == "r1"
    assert json.loads(rejected[0][3])["event_id"] == "bad"
    assert warehouse.one(con, f"SELECT count(*) FROM {table} WHERE event_id = 'bad'")[0] == 0

    rebuild_dyads(con)
    after = validate_table(con, table, "r1")
    assert after.success, after.reason()
    assert failing(after) == set()
    assert after.rejected == 1 and 0 < after.rejected_share <= run.MAX_REJECTED_SHARE


def test_mention_with_wrong_surface_is_quarantined(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute("INSERT INTO mentions VALUES ('a1', 0, 0, 6, 'Moscow', 'RUS', 'capital', '')")
    assert quarantine(con, "r1")["mentions"] == 1
    assert warehouse.one(con, "SELECT rule FROM rejected_rows")[0] == "surface_matches_offsets"
    assert warehouse.one(con, "SELECT count(*) FROM mentions WHERE surface = 'Moscow'")[0] == 0


def test_rejected_rows_of_an_earlier_run_are_kept(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute(f"INSERT INTO arms_transfers VALUES {ROW_FAULTS['self_dyad'][2]}")
    assert quarantine(con, "r1")["arms_transfers"] == 1
    assert quarantine(con, "r2")["arms_transfers"] == 0
    # the row is gone from its table but never lost: it stays in rejected_rows until its article is read again
    assert warehouse.one(con, "SELECT count(*), min(run_id) FROM rejected_rows") == (1, "r1")


def test_quarantine_is_one_transaction(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute(f"INSERT INTO arms_transfers VALUES {ROW_FAULTS['self_dyad'][2]}")
    broken = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, broken)
    path = broken / "semantic" / "alliances.json"
    suite = json.loads(path.read_text())
    suite["expectations"][0]["meta"]["sql"] = "t.no_such_column = 1"
    path.write_text(json.dumps(suite))
    with pytest.raises(Exception, match="no_such_column"):
        quarantine(con, "r1", directory=broken)
    assert warehouse.one(con, "SELECT count(*) FROM arms_transfers WHERE event_id = 'bad'")[0] == 1
    assert warehouse.one(con, "SELECT count(*) FROM rejected_rows")[0] == 0


# --- table-level faults block ------------------------------------------------------------------

TABLE_FAULTS = {
    "duplicate_event_id": ("arms_transfers", "column_values_to_be_unique:event_id",
                           "INSERT INTO arms_transfers SELECT * FROM arms_transfers WHERE event_id = 'ea1'"),
    "dangling_article": ("arms_transfers", "article_id_in_articles",
                         "INSERT INTO arms_transfers SELECT * REPLACE ('a9' AS article_id, 'ex' AS event_id) "
                         "FROM arms_transfers WHERE event_id = 'ea1'"),
    "dyads_do_not_add_up": ("arms_dyads", "dyad_n_events_add_up",
                            "UPDATE arms_dyads SET n_events = n_events + 1 WHERE supplier = 'RUS'"),
    "null_key": ("alliances", "column_values_to_not_be_null:event_id",
                 "UPDATE alliances SET event_id = NULL WHERE event_id = 'la1'"),
}


@pytest.mark.parametrize("fault", list(TABLE_FAULTS))
def test_table_level_fault_blocks_and_is_named(tmp_path, fault):
    table, rule, sql = TABLE_FAULTS[fault]
    con = make_warehouse(tmp_path)
    if fault == "null_key":  # the dictionary declares event_id NOT NULL: recreate the table without it
        con.execute("ALTER TABLE alliances ALTER COLUMN event_id DROP NOT NULL")
    con.execute(sql)
    quarantine(con, "r1")  # table-level faults are not quarantined away
    tv = validate_table(con, table, "r1")
    assert not tv.success
    assert rule in {r["rule"] for r in tv.blocking_failures}
    assert rule in tv.reason()
    assert warehouse.one(con, "SELECT success, blocking_failed > 0 FROM validation_runs WHERE table_name = $t",
                         {"t": table}) == (False, True)


def test_rejected_share_above_threshold_blocks(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute("INSERT INTO arms_transfers SELECT a.* REPLACE ('bad' || i AS event_id, 'RUS' AS recipient) "
                "FROM arms_transfers a, range(10) r(i) WHERE event_id = 'ea1'")
    assert quarantine(con, "r1")["arms_transfers"] == 10
    rebuild_dyads(con)
    tv = validate_table(con, "arms_transfers", "r1")
    assert not tv.success
    assert [r["rule"] for r in tv.blocking_failures] == ["rejected_share"]
    assert tv.rejected_share == pytest.approx(10 / (2 * N + 10))


def test_unquarantined_bad_rows_count_towards_the_share(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute("UPDATE arms_transfers SET recipient = 'RUS' WHERE event_id IN ('ea1', 'ea2', 'ea3', 'ea4', 'ea5')")
    tv = validate_table(con, "arms_transfers", "r1")
    assert not tv.success and tv.unquarantined == 5 and tv.rejected == 0
    assert {r["rule"] for r in tv.blocking_failures} == {"rejected_share"}


def test_row_count_drift_warns_without_blocking(tmp_path):
    con = make_warehouse(tmp_path)
    assert validate_table(con, "alliances", "r1").warnings == []
    con.execute("DELETE FROM alliances WHERE event_id LIKE 'lb%' OR event_id IN ('la1', 'la2')")
    tv = validate_table(con, "alliances", "r2")
    assert tv.success
    assert any("row_count_drift" in w for w in tv.warnings)
    drift = next(r for r in tv.results if r["rule"] == "row_count_drift")
    assert drift["level"] == "warning" and not drift["success"] and drift["observed_value"] == {"previous": 200, "now": 98}


def test_large_table_path_agrees_with_whole_frame_gx(tmp_path, monkeypatch):
    con = make_warehouse(tmp_path)
    con.execute("INSERT INTO arms_transfers SELECT * FROM arms_transfers WHERE event_id = 'ea1'")
    con.execute("UPDATE arms_transfers SET recipient = 'RUS', confidence = 1.5 WHERE event_id = 'ea2'")
    con.execute("UPDATE arms_transfers SET weapon_category = 'lasers', quantity_min = -1 WHERE event_id = 'eb7'")
    whole = validate_table(con, "arms_transfers", "r1", record=False)
    monkeypatch.setattr(run, "LARGE_TABLE_ROWS", 10)
    monkeypatch.setattr(run, "CHUNK_ROWS", 7)
    chunked = validate_table(con, "arms_transfers", "r1", record=False)

    def key(tv):
        return [(r["rule"], r["success"], r["unexpected_count"]) for r in tv.results]
    assert key(whole) == key(chunked)
    assert {"column_values_to_be_unique:event_id", "supplier_is_not_recipient", "column_values_to_be_in_set:weapon_category",
            "column_values_to_be_between:confidence", "column_values_to_be_between:quantity_min"} <= failing(whole)
    methods = {r["rule"]: r["method"] for r in chunked.results}
    assert methods["column_values_to_be_unique:event_id"] == "sql"
    assert methods["column_values_to_be_in_set:weapon_category"] == "sql"
    assert methods["column_values_to_be_between:confidence"] == "gx-chunks"
    assert {r["rule"]: r["method"] for r in whole.results}["column_values_to_be_between:confidence"] == "gx"


def test_wrong_columns_block_and_skip_the_rest(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute("ALTER TABLE actors DROP COLUMN gw_code")
    tv = validate_table(con, "actors", "r1")
    assert not tv.success
    assert [r["rule"] for r in tv.blocking_failures] == ["table_columns_to_match_ordered_list:table"]
    skipped = [r for r in tv.results if r["method"] == "skipped"]
    assert skipped and not any(r["success"] for r in skipped)


# --- data docs ---------------------------------------------------------------------------------

def test_data_docs_summarise_every_check_escaped(tmp_path):
    con = make_warehouse(tmp_path)
    con.execute("UPDATE arms_transfers SET weapon_category = '<script>alert(1)</script>' WHERE event_id = 'ea3'")
    results = validate_all(con, "r1")
    index = build_data_docs(results, tmp_path / "docs")
    html = index.read_text()
    assert index.name == "index.html"
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    for tv in results.values():
        for r in tv.results:
            assert r["rule"] in html
    assert html.count("<tr") >= sum(len(tv.results) for tv in results.values())


def test_data_docs_can_be_rebuilt_from_validation_runs(tmp_path):
    con = make_warehouse(tmp_path)
    validate_all(con, "r1", ["arms_transfers", "alliances"])
    summaries = [json.loads(r[0]) for r in con.execute(
        "SELECT summary_json FROM validation_runs WHERE run_id = 'r1' ORDER BY table_name").fetchall()]
    html = build_data_docs(summaries, tmp_path / "docs").read_text()
    assert html.index('id="t-alliances"') < html.index('id="t-arms_transfers"')
    assert "supplier_is_not_recipient" in html and "symmetric_relation_ordered" in html
