"""Split article text into sentences with character offsets (abbreviation-aware, regex-only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that end with a period but do not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "gov",
    "sen", "rep", "pres", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "approx", "est", "fig", "ft", "mt", "rev",
}
# A candidate boundary: end punctuation (with closing quotes/brackets), whitespace, then a likely start.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z“"])""")
_LAST_TOKEN = re.compile(r"(\S+)$")
_OPENER = re.compile(r"\s+(?:The|It|He|She|They|We|This|That|These|In|On|But|A|An|Its|His|Her|Their|However|Meanwhile)\b")


@dataclass(frozen=True, slots=True)
class Sentence:
    idx: int
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _LAST_TOKEN.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    token = m.group(1).lstrip("(\"'“‘").lower()
    if token in _ABBREVIATIONS:
        return True
    if token in ("u.s", "u.k", "u.n", "e.u") or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        # a dotted acronym ends a sentence only when a typical sentence opener follows
        return not _OPENER.match(text, dot + 1)
    return len(token) == 1 and token.isalpha()  # an initial, as in "J. Smith"


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with [start, end) offsets into text; surrounding whitespace excluded."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Sentence(len(out), s, e, text[s:e]))
    return out
