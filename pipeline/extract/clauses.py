"""Sentence structure shared by the event rules: actor groups, clauses, negation and modality."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that may stand between two mentions of one actor ("Russian President Vladimir Putin").
_TITLE_WORDS = {
    "president", "prime", "minister", "leader", "foreign", "defence", "defense", "secretary", "chancellor",
    "premier", "king", "queen", "emir", "crown", "prince", "sultan", "supreme", "counterpart", "state",
    "vice", "deputy", "chief", "general", "ambassador", "envoy", "head", "spokesman", "spokeswoman",
    "spokesperson", "chairman", "leader's", "first", "top", "diplomat", "army", "military", "navy",
    "air", "force", "the", "of", "for", "affairs", "national", "security", "adviser", "advisor", "official",
    "officials", "government", "ministry", "council", "cabinet", "parliament", "speaker", "lawmakers",
}
_COORD_GAP = re.compile(r"^(?:|-|\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s*&\s*|\s+as well as\s+|\s*/\s*|"
                        r"\s*,?\s+and\s+(?:to|with|from|for|by)\s+(?:the\s+)?|"
                        # "Saudi Arabia and nuclear-armed Pakistan", "Egypt and neighbouring Sudan"
                        r"\s*,?\s+and\s+(?:its\s+|their\s+)?(?:[a-z]+-[a-z]+|neighbou?ring|fellow|allied|ally|partner)\s+)$")
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s[-–—]\s|\b(?:that|which|who|whom|whose|while|whereas|although|though|because|after|before|when|"
    r"since|as|but|where|if|unless)\b|,\s*(?=[a-z])",
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|n't|neither|nor|without|refus\w*|declin\w* to|rul\w* out|halt\w*|suspend\w*|stopp?\w*|"
    r"cancel\w*|block\w*|ban\w*|den(?:y|ies|ied)|reject\w*|dismiss\w*)\b|n[’']t\b", re.IGNORECASE)
# case-sensitive on purpose: "May 22" is a date, "may" a modal
_SPECULATION = re.compile(
    r"\b(?:[Cc]ould|[Mm]ight|may|[Ww]ould|[Ss]hould|[Ii]f|[Ww]hether|[Uu]nless|[Pp]ossibly|[Pp]otentially|[Pp]erhaps|"
    r"[Rr]umou?r\w*|[Ss]peculat\w*|[Cc]onsider\w*|[Mm]ull\w*|[Ww]eigh\w*|[Hh]ypothetical\w*)\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "KYIV, Sept 23 - ", "Brussels [Belgium], June 24 : ", "LA PAZ (Reuters) - ", "May 22 (UPI) -- "
_DATELINE = re.compile(
    rf"^(?:(?P<place>[A-Z][A-Za-z.'’ -]{{1,40}}?)(?P<bracket>\s*[\[(][A-Za-z .]{{1,30}}[\])])?\s*,?\s*)?"
    rf"(?P<date>(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s*\d{{4}})?\s*)?"
    r"(?P<agency>\((?:AP|AFP|Reuters|UPI|ANI|IANS|PTI|Xinhua|TASS|dpa|Yonhap|Sputnik|EFE|Bernama|Anadolu|IRNA)\)\s*)?"
    r"(?:[-–—]{1,3}|:)\s")


def dateline_end(text: str) -> int:
    """Length of a leading news dateline ('KYIV, Sept 23 - '), 0 when the text opens with none."""
    m = _DATELINE.match(text)
    if not m:
        return 0
    place = (m.group("place") or "").strip()
    if m.group("bracket") or m.group("date") or m.group("agency") or (len(place) >= 4 and place.upper() == place):
        return m.end()
    return 0


# A target is not a partner: "the war in Ukraine", "Russia's invasion of Ukraine", "sanctions on Iran"
TARGET = re.compile(r"\b(?:war|invasion|attacks?(?! (?:aircraft|helicopters?|drones?|submarines?|jets?|boats?|craft|planes?))|aggression|strikes?(?! (?:fighters?|aircraft|drones?|jets?))|offensive|conflict|sanctions?|hostilities|threats?|"
                     r"pressure|tensions?|against|occupation|annexation|deaths?|incident|criticism|condemnation|"
                     r"protests?|objections?|opposition|backlash|anger|warnings?|rebuke)\s+(?:\w+\s+){0,2}?"
                     r"(?:in|on|of|against|with|by|from|over|between|involving)?\s*(?:the\s+)?$", re.IGNORECASE)
QUOTES = re.compile(r"[“”\"‘]|’(?!s\b)")


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor mention inside one sentence (offsets relative to the sentence)."""

    code: str
    start: int
    end: int
    via: str
    suffix: str
    surface: str
    possessive: bool  # "Russia's", "Moscow’s"
    is_state: bool


def merge_same_actor(actors: list[Actor], sentence: str) -> list[Actor]:
    """One actor for 'Russian President Vladimir Putin'-style runs of mentions of the same code."""
    out: list[Actor] = []
    for a in actors:
        if out and out[-1].code == a.code and not out[-1].suffix and not a.suffix:
            gap = sentence[out[-1].end:a.start]
            words = gap.replace(",", " ").split()
            if len(words) <= 5 and all(w.lower() in _TITLE_WORDS or w[:1].isupper() for w in words) and "," not in gap:
                prev = out[-1]
                out[-1] = Actor(prev.code, prev.start, a.end, prev.via, "", sentence[prev.start:a.end],
                                a.possessive, prev.is_state)
                continue
        out.append(a)
    return out


def groups(actors: list[Actor], sentence: str) -> list[list[Actor]]:
    """Coordinated runs of actors ('the US, Britain and France') as groups, in text order.

    A run joined by commas alone ('Ukraine, Polish Prime Minister ...') is an apposition or a new
    clause, not a list: a list needs 'and' (or '&', 'as well as') before its last member.
    """
    out: list[list[Actor]] = []
    gaps: list[list[str]] = []
    for a in actors:
        if out:
            gap = sentence[out[-1][-1].end:a.start]
            if _COORD_GAP.match(gap) or (len(gap) < 60 and _COORD_GAP.match(_strip_titles(gap) or "x")):
                out[-1].append(a)
                gaps[-1].append(gap)
                continue
        out.append([a])
        gaps.append([])
    result = []
    for group, between in zip(out, gaps):
        if between and between[-1].strip().startswith(",") and not re.search(r"\band\b|&|as well as", between[-1]):
            result.extend([a] for a in group)
        else:
            result.append(group)
    return result


def _strip_titles(gap: str) -> str:
    """'and Iranian President', ', the' style gaps between coordinated actors, reduced to the coordinator."""
    words = re.findall(r"[\w'’-]+", gap)
    rest = [w for w in words if w.lower() not in _TITLE_WORDS and not w[:1].isupper()]
    comma = "," in gap
    if not rest:
        return ", " if comma else ""
    if rest == ["and"]:
        return ", and " if comma else " and "
    return ""


def clause_start(sentence: str, pos: int) -> int:
    """Start of the clause that contains position pos (after the last clause break before it)."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, pos):
        start = m.end()
    return start


def negated(sentence: str, start: int, end: int) -> bool:
    return bool(_NEGATION.search(sentence, start, end))


# A hedge makes a clause assert nothing; case-sensitive so that "May 22" stays a date.
_HEDGE = re.compile(r"\b(?:[Cc]ould|[Mm]ight|may|[Ii]f|[Ww]hether|[Uu]nless|[Pp]ossibly|[Pp]otentially|[Pp]erhaps|"
                    r"[Ss]peculat\w*|[Rr]umou?r\w*|[Cc]onsider\w*)\b")


def hedged(sentence: str, start: int = 0, end: int | None = None) -> bool:
    """Whether [start, end) holds a hedge ('could', 'if', 'whether', 'rumoured'...)."""
    return bool(_HEDGE.search(sentence, start, len(sentence) if end is None else end))


def speculative(sentence: str, start: int, end: int) -> bool:
    return bool(_SPECULATION.search(sentence, start, end))


def is_target(sentence: str, actor: Actor) -> bool:
    """Whether the actor is named as the target of hostilities ('the war in Ukraine', 'attacks from Russia')."""
    return bool(TARGET.search(sentence[max(0, actor.start - 60):actor.start]))
