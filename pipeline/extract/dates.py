"""Explicit date expressions in a sentence, resolved against the publication date (cheap regexes)."""

from __future__ import annotations

import re

from datetime import date, timedelta

_MONTHS = {m: i for i, names in enumerate((
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"))) for m in names}
_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_MONTH = r"(?P<{g}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_DATE = re.compile(
    r"\b(?:"
    + _MONTH.format(g="m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
    + r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format(g="m2") + r"(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
    + r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
    + r"|(?:in|since|during|by|until|from|early|late|mid-?)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH.format(g="m3") + r"(?:,?\s+(?P<y3>(?:19|20)\d\d))?"
    + r"|" + _MONTH.format(g="m4") + r"\s+(?P<y4>(?:19|20)\d\d)"
    + r"|(?:in|since|during|early|late|mid-?)\s+(?P<y5>(?:19|20)\d\d)\b"
    + r"|(?:on|last|this|next|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)?\s*(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    + r"|(?P<rel>yesterday|today|last month|this month|last year|this year)"
    + r")",
    re.IGNORECASE)


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _year_for(month: int, day: int | None, published: date) -> int:
    """A month (and day) without a year: the latest one not after the publication date."""
    y = published.year
    if (month, day or 1) > (published.month, published.day):
        y -= 1
    return y


def find_date(sentence: str, published: date | None) -> tuple[date | None, str | None]:
    """(event_date, precision) from the most specific date expression; (None, None) when none.

    A calendar date beats a weekday, which beats a month, which beats a year. Dates after the
    publication date are not events that happened: they are left out.
    """
    if not any(ch.isdigit() for ch in sentence) and not _CHEAP.search(sentence):
        return None, None
    best = None
    for m in _DATE.finditer(sentence):
        try:
            result = _resolve(m, published)
        except ValueError:
            continue
        if result is None or (published is not None and result[0] > published):
            continue
        rank = (0 if m.group("wd") is None and result[1] == "day" else 1, _PRECISION_RANK[result[1]])
        if best is None or rank < best[0]:
            best = (rank, result)
    return best[1] if best else (None, None)


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


_CHEAP = re.compile(r"day\b|month|year|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec", re.IGNORECASE)


def _resolve(m: re.Match, published: date | None):
    g = m.groupdict()
    if g["iso"]:
        return date.fromisoformat(g["iso"]), "day"
    for mk, dk, yk in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g[mk]:
            month, day = _month(g[mk]), int(g[dk])
            if g[yk]:
                return date(int(g[yk]), month, day), "day"
            if published is None:
                return None
            return date(_year_for(month, day, published), month, day), "day"
    for mk, yk in (("m3", "y3"), ("m4", "y4")):
        if g[mk]:
            if g[mk].lower() == "may" and mk == "m4" and not g[yk]:
                return None
            month = _month(g[mk])
            if g[yk]:
                return date(int(g[yk]), month, 1), "month"
            if published is None:
                return None
            return date(_year_for(month, None, published), month, 1), "month"
    if g["y5"]:
        return date(int(g["y5"]), 1, 1), "year"
    if published is None:
        return None
    if g["wd"]:
        back = (published.weekday() - _WEEKDAYS[g["wd"].lower()]) % 7
        return published - timedelta(days=back), "day"
    rel = (g["rel"] or "").lower()
    if rel == "today":
        return published, "day"
    if rel == "yesterday":
        return published - timedelta(days=1), "day"
    if rel == "this month":
        return published.replace(day=1), "month"
    if rel == "last month":
        prev = published.replace(day=1) - timedelta(days=1)
        return prev.replace(day=1), "month"
    if rel == "this year":
        return date(published.year, 1, 1), "year"
    if rel == "last year":
        return date(published.year - 1, 1, 1), "year"
    return None



