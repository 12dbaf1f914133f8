"""The reviewed reference CSVs: coverage, codes, and internal consistency."""
import datetime

import pycountry
import pytest

from pipeline.reference.load import ACTOR_COLUMNS, actor_rows, alias_rows, leader_rows, read_csv

VIAS = {"name", "demonym", "capital", "metonym", "organization", "company"}
ROLES = {"head_of_state", "head_of_government", "defence_minister", "foreign_minister", "supreme_leader", "leader"}
HEAD_ROLES = {"head_of_state", "head_of_government", "supreme_leader", "leader"}
# States whose leaders the brief asks for, 2010-2026.
LEADER_STATES = """ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA IRN PRK ISR UKR BLR SYR
ARE QAT EGY PAK TWN POL HUN SRB VEN CUB NIC PHL VNM AZE ARM GEO KAZ""".split()


@pytest.fixture(scope="module")
def actors() -> dict[str, dict]:
    return {r["actor_code"]: r for r in read_csv("actors.csv")}


def test_csv_files_have_their_headers_and_are_sorted_without_duplicates():
    expected = {
        "actors.csv": (["actor_code", "actor_type", "name", "un_status", "cow_code", "gw_code", "note"],
                       lambda r: r["actor_code"]),
        "aliases.csv": (["surface", "actor_code", "via", "ambiguous"], lambda r: (r["surface"], r["actor_code"])),
        "leaders.csv": (["surface", "actor_code", "role", "start", "end"],
                        lambda r: (r["surface"], r["start"], r["actor_code"], r["role"])),
    }
    for file_name, (header, sort_key) in expected.items():
        rows = read_csv(file_name)
        assert list(rows[0]) == header, file_name
        assert rows == sorted(rows, key=sort_key), f"{file_name} is not sorted"
        assert len({tuple(r.values()) for r in rows}) == len(rows), f"{file_name} repeats a line"


def test_every_un_member_and_observer_is_a_state(actors):
    states = {c: r for c, r in actors.items() if r["actor_type"] == "state"}
    assert sum(r["un_status"] == "member" for r in states.values()) == 193
    assert {c for c, r in states.items() if r["un_status"] == "observer"} == {"PSE", "VAT"}
    assert {"TWN", "XKX", "SUN", "YUG", "DDR", "CSK"} <= set(states)
    assert len(actors) == len(read_csv("actors.csv")), "actor codes must be unique"


def test_state_codes_are_iso_alpha3(actors):
    for code, r in actors.items():
        if r["actor_type"] == "state" and code != "XKX":  # XKX: the user-assigned code the EU uses for Kosovo
            assert pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code), code


def test_at_least_45_organisations_including_the_contract_codes(actors):
    orgs = {c for c, r in actors.items() if r["actor_type"] == "organization"}
    assert len(orgs) >= 45
    assert {"NATO", "SCO", "CSTO", "EU", "BRICS", "ASEAN", "AUKUS", "QUAD", "AU", "GCC", "UN", "OPEC"} <= orgs
    assert all(not actors[c]["cow_code"] and not actors[c]["gw_code"] and actors[c]["name"] for c in orgs)
    assert not [c for c in orgs if pycountry.countries.get(alpha_3=c) or pycountry.historic_countries.get(alpha_3=c)]


@pytest.mark.parametrize("code, cow, gw", [
    ("USA", 2, 2), ("GBR", 200, 200), ("RUS", 365, 365), ("SUN", 365, 365), ("UKR", 369, 369),
    ("IRN", 630, 630), ("ISR", 666, 666), ("CHN", 710, 710), ("TWN", 713, 713), ("PRK", 731, 731),
    ("KOR", 732, 732), ("IND", 750, 750), ("DEU", 255, 260), ("DDR", 265, 265), ("YEM", 679, 678),
    ("SRB", 345, 340), ("YUG", 345, 345), ("XKX", 347, 347), ("SSD", 626, 626), ("TON", 955, 972),
])
def test_cow_and_gleditsch_ward_codes(code, cow, gw):
    row = next(r for r in actor_rows() if r["actor_code"] == code)
    assert (row["cow_code"], row["gw_code"]) == (cow, gw)


def test_cow_codes_are_unique_except_for_continuations():
    by_cow: dict[int, set[str]] = {}
    for r in actor_rows():
        if r["cow_code"] is not None:
            by_cow.setdefault(r["cow_code"], set()).add(r["actor_code"])
    shared = {cow: codes for cow, codes in by_cow.items() if len(codes) > 1}
    assert shared == {365: {"RUS", "SUN"}, 345: {"SRB", "YUG"}}


def test_actor_rows_match_the_warehouse_columns():
    rows = actor_rows()
    assert all(tuple(r) == ACTOR_COLUMNS for r in rows)
    states = [r for r in rows if r["actor_type"] == "state"]
    assert all(r["name"] and r["iso3"] == r["actor_code"] for r in states)
    names = {r["actor_code"]: r["name"] for r in rows}
    assert (names["RUS"], names["IRN"], names["PRK"], names["SUN"]) == ("Russia", "Iran", "North Korea", "Soviet Union")


def test_aliases_are_well_formed(actors):
    rows = read_csv("aliases.csv")
    assert all(r["actor_code"] in actors for r in rows)
    assert all(r["via"] in VIAS and r["ambiguous"] in {"0", "1"} for r in rows)
    assert len({r["surface"] for r in rows}) == len(rows), "a surface may name one actor only"
    assert all((r["via"] == "organization") == (actors[r["actor_code"]]["actor_type"] == "organization")
               for r in rows if r["via"] in {"organization", "demonym", "capital"})


def test_every_actor_has_a_name_alias(actors):
    named = {r["actor_code"] for r in alias_rows() if r["via"] in {"name", "organization"}}
    assert named == set(actors)


@pytest.mark.parametrize("surface, code, ambiguous", [
    ("Jordan", "JOR", True), ("Chad", "TCD", True), ("Georgia", "GEO", True), ("Congo", "COD", True),
    ("Brussels", "EU", True), ("Washington", "USA", True), ("Delhi", "IND", False), ("DPRK", "PRK", False),
    ("Türkiye", "TUR", False), ("Burma", "MMR", False), ("Chinese Taipei", "TWN", False), ("OPEC+", "OPEC", False),
])
def test_key_aliases(surface, code, ambiguous):
    row = next(r for r in alias_rows() if r["surface"] == surface)
    assert (row["actor_code"], row["ambiguous"]) == (code, ambiguous)


def test_korea_alone_is_not_an_alias():
    assert not {"Korea", "Korean", "Koreans"} & {r["surface"] for r in alias_rows()}


def test_leaders_are_well_formed(actors):
    rows = leader_rows()
    alias_surfaces = {r["surface"] for r in alias_rows()}
    for r in rows:
        assert r["actor_code"] in actors and r["role"] in ROLES, r
        assert r["end"] is None or r["start"] <= r["end"], r
        assert r["surface"] not in alias_surfaces, r
    assert len({(r["surface"], r["start"], r["role"]) for r in rows}) == len(rows)


def test_terms_of_one_surface_for_different_actors_never_overlap():
    far_future = datetime.date(9999, 1, 1)
    by_surface: dict[str, list[dict]] = {}
    for r in leader_rows():
        by_surface.setdefault(r["surface"], []).append(r)
    for surface, terms in by_surface.items():
        for a in terms:
            for b in terms:
                if a["actor_code"] != b["actor_code"]:
                    assert (a["end"] or far_future) < b["start"] or (b["end"] or far_future) < a["start"], surface


@pytest.mark.parametrize("day", ["2011-06-01", "2015-06-01", "2020-06-01", "2025-09-01"])
def test_each_required_state_has_a_head_in_office(day):
    on = datetime.date.fromisoformat(day)
    in_office = {r["actor_code"] for r in leader_rows()
                 if r["role"] in HEAD_ROLES and r["start"] <= on and (r["end"] is None or on <= r["end"])}
    assert set(LEADER_STATES) - in_office == set()


@pytest.mark.parametrize("surface, code, start, end", [
    ("Raisi", "IRN", "2021-08-03", "2024-05-19"),
    ("Putin", "RUS", "2012-05-07", None),
    ("Zelensky", "UKR", "2019-05-20", None),
    ("Biden", "USA", "2021-01-20", "2025-01-20"),
])
def test_key_leader_terms(surface, code, start, end):
    terms = [r for r in leader_rows() if r["surface"] == surface and r["role"] in HEAD_ROLES]
    latest = max(terms, key=lambda r: r["start"])
    assert (latest["actor_code"], latest["start"].isoformat(), latest["end"] and latest["end"].isoformat()) == (
        code, start, end)


def test_trump_has_two_terms():
    terms = sorted((r["start"].isoformat(), r["end"] and r["end"].isoformat())
                   for r in leader_rows() if r["surface"] == "Trump")
    assert terms == [("2017-01-20", "2021-01-20"), ("2025-01-20", None)]
