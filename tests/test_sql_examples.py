"""The README's SQL examples, run against a release of the bundled raw/ sample and checked against its facts."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, run_entente


START, END = "<!-- sql-examples:start -->", "<!-- sql-examples:end -->"


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1 and text.index(START) < text.index(END)
    return text.split(START, 1)[1].split(END, 1)[0]


def readme_questions() -> dict[int, tuple[str, str]]:
    """{question number: (heading, sql)} for every `### N. heading` followed by one ```sql block."""
    section = readme_section()
    out = {}
    for chunk in re.split(r"^### ", section, flags=re.M)[1:]:
        heading = chunk.splitlines()[0].strip()
        blocks = re.findall(r"^```sql\n(.*?)^```", chunk, re.S | re.M)
        number = re.match(r"(\d+)\.\s", heading)
        assert number and len(blocks) == 1, f"README question {heading!r}: needs 'N. ' and exactly one sql block"
        out[int(number.group(1))] = (heading, blocks[0])
    return out


QUESTIONS = readme_questions()


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return run_entente(ROOT / "raw", tmp_path_factory.mktemp("sql-examples"))


def _run(sql_file_text: str, query: str, cwd: Path) -> tuple[list[str], list[dict]]:
    with contextlib.chdir(cwd), duckdb.connect() as db:
        db.execute(sql_file_text)
        cur = db.execute(query)
        columns = [d[0] for d in cur.description]
        return columns, [dict(zip(columns, row)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def answers(release) -> dict[int, list[dict]]:
    """Each README query run as the README says: `.read entente.sql` in the release folder, then the query."""
    views = (release / "entente.sql").read_text(encoding="utf-8")
    return {n: _run(views, sql, release)[1] for n, (_, sql) in QUESTIONS.items()}


def _table(release: Path, name: str):
    return pq.read_table(release / f"{name}.parquet")


def test_readme_has_at_least_five_questions_with_sql():
    assert sorted(QUESTIONS) == list(range(1, len(QUESTIONS) + 1)) and len(QUESTIONS) >= 5
    section = readme_section()
    assert section.count("```sql") == len(QUESTIONS)  # no sql block outside a question
    assert "cd warehouse/releases/latest" in section and '.read entente.sql' in section
    assert re.search(r"https://\S+/releases/", section), "the remote form with a base URL"


@pytest.mark.parametrize("number", sorted(QUESTIONS))
def test_every_readme_query_answers(answers, number):
    assert len(answers[number]) >= 1, QUESTIONS[number][0]


def test_1_suppliers_of_ukraine(answers, release):
    rows = answers[1]
    assert {r["supplier"] for r in rows} >= {"USA", "DEU", "GBR"}
    combos = {(r["supplier"], r["year"], r["weapon_category"]) for r in rows}
    assert ("USA", 2023, "armoured_vehicles") in combos  # Abrams arrive in Ukraine (2023)
    assert ("DEU", 2024, "air_defence") in combos  # Patriot from German stocks (2024)
    assert {r["supplier_name"] for r in rows if r["supplier"] == "DEU"} == {"Germany"}
    assert not any("denied" in r["statuses"] for r in rows)
    arms = _table(release, "arms_transfers")
    expected = pc.sum(pc.and_(pc.equal(arms["recipient"], "UKR"), pc.not_equal(arms["status"], "denied"))).as_py()
    assert sum(r["events"] for r in rows) == expected


def test_2_alliance_network_of_russia(answers, release):
    rows = answers[2]
    partners = {r["partner"] for r in rows}
    assert {"PRK", "CHN"} <= partners and "RUS" not in partners
    assert {r["partner_name"] for r in rows if r["partner"] == "PRK"} == {"North Korea"}
    assert ("CHN", "exercise") in {(r["partner"], r["relation"]) for r in rows}  # joint bomber patrol
    alliances = _table(release, "alliances")
    involving = pc.or_(pc.equal(alliances["actor_a"], "RUS"), pc.equal(alliances["actor_b"], "RUS"))
    assert sum(r["events"] for r in rows) == pc.sum(involving).as_py()


def test_3_arms_flows_to_bloc_members(answers, release):
    rows = answers[3]
    alliances = _table(release, "alliances").to_pylist()
    members = {a["actor_a"] for a in alliances if a["relation"] == "membership" and a["actor_b"] == "BRICS"}
    assert {"EGY", "IRN", "ARE", "ETH"} <= members  # BRICS enlargement of 1 January 2024
    assert rows and {r["recipient"] for r in rows} <= members
    assert ("FRA", "EGY") in {(r["supplier"], r["recipient"]) for r in rows}  # Egypt orders Rafales
    arms = _table(release, "arms_transfers").to_pylist()
    assert len(rows) == sum(1 for t in arms if t["recipient"] in members)


def test_4_events_with_evidence_and_source(answers, release):
    rows = answers[4]
    assert {r["family"] for r in rows} == {"arms_transfer", "alliance"}
    assert all("PRK" in (r["actor_a"], r["actor_b"]) for r in rows)
    assert all(r["url"].startswith("https://sample.entente.example/") and r["title"] for r in rows)
    assert all(r["evidence"].strip() for r in rows)
    events = [*_table(release, "arms_transfers").to_pylist(), *_table(release, "alliances").to_pylist()]
    involving = [e for e in events if "PRK" in (e.get("supplier"), e.get("recipient"), e.get("actor_a"), e.get("actor_b"))]
    assert {r["event_id"] for r in rows} == {e["event_id"] for e in involving}
    by_id = {e["event_id"]: e for e in involving}
    assert all(r["evidence"] == by_id[r["event_id"]]["evidence"] for r in rows)


def test_5_dyad_years_with_cow_codes(answers, release):
    rows = answers[5]
    assert all(isinstance(r["ccode1"], int) and isinstance(r["ccode2"], int) for r in rows)
    assert all(isinstance(r["year"], int) for r in rows)
    codes = {r["supplier"]: r["ccode1"] for r in rows} | {r["recipient"]: r["ccode2"] for r in rows}
    assert {k: codes[k] for k in ("USA", "RUS", "UKR", "PRK", "DEU")} == {
        "USA": 2, "RUS": 365, "UKR": 369, "PRK": 731, "DEU": 255}
    assert (2023, 2, 369) in {(r["year"], r["ccode1"], r["ccode2"]) for r in rows}  # USA -> UKR, 2023
    assert len({(r["supplier"], r["recipient"], r["year"]) for r in rows}) == len(rows)  # one row per dyad-year
    states = {a["actor_code"] for a in _table(release, "actors").to_pylist() if a["actor_type"] == "state"}
    dyads = _table(release, "arms_dyads").to_pylist()
    assert len(rows) == sum(1 for d in dyads if d["supplier"] in states and d["recipient"] in states)


def test_remote_form_rewrites_every_view(release, answers, tmp_path):
    """The README's sed rewrite of entente.sql, with a local folder as the base, gives the same answers."""
    sed = re.search(r"""sed "s#(.+?)#(.+?)#" entente\.sql""", readme_section())
    assert sed, "README shows how to point entente.sql at a base URL"
    pattern, replacement = sed.group(1), sed.group(2).replace("$BASE", release.as_posix())
    views = "\n".join(line.replace(pattern, replacement, 1)
                      for line in (release / "entente.sql").read_text(encoding="utf-8").splitlines())
    assert views.count(f"read_parquet('{release.as_posix()}/") >= 6
    for number, (_, sql) in QUESTIONS.items():
        assert _run(views, sql, tmp_path)[1] == answers[number]  # run from elsewhere: paths are absolute
