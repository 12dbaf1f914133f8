"""Read the reviewed reference CSVs; pycountry only supplies the English names of states left unnamed there."""
from __future__ import annotations

import csv
import datetime
import functools
from pathlib import Path

import pycountry

REFERENCE_DIR = Path(__file__).parent
ACTOR_COLUMNS = ("actor_code", "name", "actor_type", "iso3", "cow_code", "gw_code")


def read_csv(file_name: str) -> list[dict[str, str]]:
    """The rows of one reference CSV, as strings."""
    with open(REFERENCE_DIR / file_name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _optional_int(value: str) -> int | None:
    return int(value) if value else None


def _optional_date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def pycountry_name(code: str) -> str:
    """The common English name pycountry gives an ISO 3166-1 (or 3166-3) alpha-3 code."""
    country = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    if country is None:
        raise ValueError(f"{code} is not in pycountry: give its name in actors.csv")
    return getattr(country, "common_name", None) or country.name


@functools.cache
def _actor_rows() -> tuple[dict, ...]:
    rows = []
    for r in read_csv("actors.csv"):
        is_state = r["actor_type"] == "state"
        rows.append({
            "actor_code": r["actor_code"],
            "name": r["name"] or pycountry_name(r["actor_code"]),
            "actor_type": r["actor_type"],
            "iso3": r["actor_code"] if is_state else None,
            "cow_code": _optional_int(r["cow_code"]),
            "gw_code": _optional_int(r["gw_code"]),
        })
    return tuple(rows)


def actor_rows() -> list[dict]:
    """One dict per actor with exactly ACTOR_COLUMNS (the warehouse `actors` table)."""
    return [dict(r) for r in _actor_rows()]


def alias_rows() -> list[dict]:
    """surface, actor_code, via, ambiguous (bool)."""
    return [{**r, "ambiguous": r["ambiguous"] == "1"} for r in read_csv("aliases.csv")]


def leader_rows() -> list[dict]:
    """surface, actor_code, role, start (date), end (date or None while in office)."""
    return [{**r, "start": _optional_date(r["start"]), "end": _optional_date(r["end"])}
            for r in read_csv("leaders.csv")]
