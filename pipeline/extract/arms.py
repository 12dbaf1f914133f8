"""Arms-transfer rules: who supplies whom with what, at which stage, from one sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.clauses import Actor, clause_start, groups, negated, speculative
from pipeline.extract.weapons import WeaponTerm, find_quantity, find_weapons, main_category

# Verb families: the role their grammatical subject plays.
_SUPPLY = (r"suppl(?:y|ies|ied|ying)|s(?:ell|ells|old|elling)|sen(?:d|ds|t|ding)|deliver(?:s|ed|ing|y|ies)?|"
           r"transferr?(?:s|ed|ing)?|donat(?:e|es|ed|ing)|provid(?:e|es|ed|ing)|g(?:ive|ives|ave|iven|iving)|"
           r"ship(?:s|ped|ping|ment|ments)?|export(?:s|ed|ing)?|hand(?:s|ed|ing)? over|gift(?:s|ed|ing)?|"
           r"equip(?:s|ped|ping)?|arm(?:s|ed|ing)?(?= [\w’'.-]+(?: [\w’'.-]+)? with\b)|dispatch(?:es|ed|ing)?|"
           r"lend(?:s|ing)?|lent|loan(?:s|ed|ing)?|pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|"
           r"offer(?:s|ed|ing)?|sales?|approv(?:e|es|ed|ing|al) (?:of )?(?:a |the )?(?:possible |potential )?sale")
_RECEIVE = (r"b(?:uy|uys|ought|uying)|purchas(?:e|es|ed|ing)|acquir(?:e|es|ed|ing)|acquisitions?|order(?:s|ed|ing)?|"
            r"receiv(?:e|es|ed|ing)|import(?:s|ed|ing)?|obtain(?:s|ed|ing)?|procur(?:e|es|ed|ing|ement)|"
            r"induct(?:s|ed|ing)?|took delivery|tak(?:e|es|ing) delivery|seek(?:s|ing)?|sought|request(?:s|ed|ing)?|"
            r"ask(?:s|ed|ing)? for|welcom(?:e|es|ed|ing)|get(?:s|ting)?|got|field(?:s|ed|ing)?")
_USE = r"us(?:e|es|ed|ing)|deploy(?:s|ed|ing)?|fir(?:e|es|ed|ing)|launch(?:es|ed|ing)?|employ(?:s|ed|ing)?|unleash(?:es|ed|ing)?"
_TRIGGER = re.compile(rf"\b(?:(?P<supply>{_SUPPLY})|(?P<receive>{_RECEIVE})|(?P<use>{_USE}))\b", re.IGNORECASE)

_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|denials?|rejected (?:the )?(?:claims?|reports?|allegations?)|"
                     r"dismissed (?:the )?(?:claims?|reports?|allegations?)|refuted)\b", re.IGNORECASE)
_AGREED = re.compile(r"\b(?:sign(?:s|ed|ing)?|agree(?:s|d)?|approv\w*|order(?:s|ed)?|contract\w*|clear(?:s|ed)|"
                     r"authori[sz]\w*|finali[sz]\w*|clinch\w*|inked|deal)\b", re.IGNORECASE)
_PLANNED = re.compile(r"\b(?:will|shall|'ll|plan\w*|intend\w*|seek\w*|sought|wants?|wanted|set to|expected to|going to|"
                      r"aim\w* to|ready to|promis\w*|pledg\w*|offer\w*|vow\w*|request\w*|ask\w*|talks?|negotiat\w*|"
                      r"propos\w*|prepar\w*|to be|would|hop\w* to|look\w* to|interest\w*|discuss\w*|commit\w*|announc\w* (?:it )?would)\b",
                      re.IGNORECASE)
_PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|been|being|be|get|got|gets)\s+(?:\w+ly\s+|also\s+|now\s+|already\s+)?$",
                          re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"according to (?P<acc>(?:the |a )?(?:[A-Z][\w.’'-]*|[a-z]+ (?:of|from) [A-Z][\w.-]*)(?:\s+(?:[A-Z][\w.’'-]*|intelligence|officials?|"
    r"sources?|ministry|agency|report|media|data|analysts?|defen[cs]e|military|government|state))*)"
    r"|(?P<intel>(?:[A-Z][\w.’'-]*\s+){1,3}(?:defen[cs]e |military |national |spy |)(?:intelligence|spy agency)"
    r"(?: agenc(?:y|ies)| services?| officials?| reports?)?)",
)

_STATUS_RANK = {"denied": 5, "used": 4, "delivered": 3, "agreed": 2, "planned": 1}
_ORIGIN_SUFFIXES = {"made", "built", "manufactured", "produced", "designed", "origin", "supplied", "provided",
                    "donated", "sourced", "developed"}
_SUPPLIED_SUFFIXES = {"supplied", "provided", "donated", "sourced", "gifted", "delivered", "sent"}


@dataclass(frozen=True, slots=True)
class ArmsFinding:
    """One directed transfer read from a sentence (offsets are the sentence's)."""

    supplier: str
    recipient: str
    origin: str | None
    reported_by: str | None
    weapon_category: str
    weapon_description: str | None
    quantity_text: str | None
    quantity_min: int | None
    status: str
    used_in: str | None
    confidence: float


def _after_prep(sentence: str, actor_groups: list[list[Actor]], start: int, end: int, preps: str) -> list[Actor]:
    """The first actor group in [start, end) introduced by one of the prepositions (e.g. 'to', 'from')."""
    pattern = re.compile(rf"\b(?:{preps})\s+(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE)
    for grp in actor_groups:
        if grp[0].start < start or grp[0].start >= end:
            continue
        if pattern.search(sentence[max(start, grp[0].start - 30):grp[0].start]):
            return [a for a in grp if not a.suffix]
    return []


def _stage(kind: str, sentence: str, cstart: int, trig: re.Match) -> str | None:
    """The stage the clause asserts, or None when it asserts no transfer (negated, speculative)."""
    pre = sentence[cstart:trig.start()]
    word = trig.group(0).lower()
    if _DENIAL.search(sentence, 0, trig.start()):
        return "denied"
    if negated(sentence, cstart, trig.start()) or negated(sentence, trig.end(), min(len(sentence), trig.end() + 12)):
        return None
    if re.search(r"\b(?:could|might|may|if|whether|unless|possibly|potentially|consider\w*)\b", pre, re.IGNORECASE):
        return None
    if kind == "use":
        return "used"
    if word.startswith(("approv", "order")) or _AGREED.search(pre):
        return "agreed"
    if word.startswith(("pledg", "promis", "offer", "seek", "sought", "request", "ask")) or _PLANNED.search(pre):
        return "planned"
    if re.search(r"\bto\s+$", pre):
        return "planned"
    if word.startswith(("sale", "deal")):
        return "agreed"
    return "delivered"


def _weapons_near(weapons: list[WeaponTerm], start: int, end: int) -> list[WeaponTerm]:
    return [w for w in weapons if start <= w.start < end]


def _clause_end(sentence: str, pos: int) -> int:
    m = re.compile(r";|\s[-–—]\s|,\s*(?:which|who|while|but|whereas|and (?:the|it|he|she|they))\b|\bwhile\b|\bbut\b").search(sentence, pos)
    return m.start() if m else len(sentence)


def find_arms(sentence: str, actors: list[Actor], named_origin: dict[str, str] | None = None) -> list[ArmsFinding]:
    """Arms transfers asserted by one sentence; actors are its (merged) state mentions."""
    weapons = find_weapons(sentence)
    if not weapons or len({a.code for a in actors}) < 1:
        return []
    states = [a for a in actors if a.is_state]
    if not states:
        return []
    actor_groups = groups([a for a in states if not a.suffix or a.suffix in _ORIGIN_SUFFIXES], sentence)
    reported_by = _reported_by(sentence)
    findings: dict[tuple[str, str, str], ArmsFinding] = {}
    for trig in _TRIGGER.finditer(sentence):
        kind = "supply" if trig.group("supply") else "receive" if trig.group("receive") else "use"
        cstart = clause_start(sentence, trig.start())
        cend = _clause_end(sentence, trig.end())
        passive = bool(_PASSIVE_AUX.search(sentence[cstart:trig.start()])) or _follows_weapon(weapons, sentence, trig)
        obj_weapons = _weapons_near(weapons, trig.end(), cend) if not passive else \
            _weapons_near(weapons, cstart, trig.start()) + _weapons_near(weapons, trig.end(), cend)
        if not obj_weapons and kind != "use":
            # a noun trigger ("the sale of ...") or a weapon named before a relative clause
            obj_weapons = [w for w in weapons if abs(w.start - trig.end()) < 60 or abs(trig.start() - w.end) < 60]
        if not obj_weapons:
            continue
        status = _stage(kind, sentence, cstart, trig)
        if status is None:
            continue
        subject = _subject(actor_groups, cstart, trig.start())
        suppliers: list[Actor] = []
        recipients: list[Actor] = []
        origin_actors = [a for a in states if a.suffix in _ORIGIN_SUFFIXES and cstart <= a.start < cend]
        if kind == "supply":
            if passive:
                suppliers = _after_prep(sentence, actor_groups, trig.end(), cend, "by|from")
                recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "to|for") or \
                    (subject if _after(sentence, trig.end(), r"\s+with\b") else [])
            else:
                suppliers = subject
                recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "to|for|into") or \
                    _direct_object(sentence, actor_groups, trig.end(), cend)
        elif kind == "receive":
            recipients = [] if passive else subject
            suppliers = _after_prep(sentence, actor_groups, trig.end(), cend, "from|by")
            if passive:
                recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "by")
                suppliers = _after_prep(sentence, actor_groups, trig.end(), cend, "from")
        else:
            recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "by") if passive else subject
            if not recipients:
                recipients = [a for a in states if a.possessive and cstart <= a.start < trig.start() and not a.suffix][-1:]
            suppliers = [a for a in origin_actors if a.suffix in _ORIGIN_SUFFIXES]
        confidence = 0.85
        if not suppliers:
            suppliers = [a for a in origin_actors if abs(a.start - obj_weapons[0].start) < 40]
            confidence = 0.75
        if not suppliers and named_origin:
            code = next((named_origin[w.text.upper()] for w in obj_weapons if w.named and w.text.upper() in named_origin), None)
            if code:
                suppliers = [Actor(code, -1, -1, "origin", "made", "", False, True)]
                confidence = 0.6
        if not suppliers or not recipients:
            continue
        origin = next((a.code for a in origin_actors if a.suffix not in _SUPPLIED_SUFFIXES), None)
        used_in = None
        if status == "used":
            used_in = next((a.code for a in _after_prep(sentence, actor_groups, trig.end(), len(sentence), "in|against|over|on")), None)
        main = [w for w in obj_weapons]
        category = main_category(main)
        first = main[0]
        qtext, qmin = find_quantity(sentence, first)
        if speculative(sentence, cstart, trig.start()):
            confidence -= 0.25
        for s in suppliers:
            for r in recipients:
                if s.code == r.code:
                    continue
                finding = ArmsFinding(s.code, r.code, origin if origin != s.code else None, reported_by, category,
                                      _describe(sentence, main), qtext, qmin, status, used_in if used_in not in (s.code, r.code) else None,
                                      round(confidence, 2))
                key = (s.code, r.code, status)
                if key not in findings:
                    findings[key] = finding
    return list(findings.values())


def _subject(actor_groups: list[list[Actor]], cstart: int, trig_start: int) -> list[Actor]:
    """The nearest actor group before the trigger inside its clause (the grammatical subject)."""
    before = [g for g in actor_groups if cstart <= g[0].start and g[-1].end <= trig_start]
    if not before:
        return []
    return [a for a in before[-1] if not a.suffix]


def _direct_object(sentence: str, actor_groups: list[list[Actor]], start: int, end: int) -> list[Actor]:
    """'supplied Russia with drones', 'send Hungary fighter jets': an actor right after the verb."""
    for grp in actor_groups:
        if start <= grp[0].start < end and re.fullmatch(r"\s*(?:the\s+)?", sentence[start:grp[0].start]):
            if not grp[-1].possessive:
                return [a for a in grp if not a.suffix]
    return []


def _after(sentence: str, pos: int, pattern: str) -> bool:
    return bool(re.match(pattern, sentence[pos:]))


def _follows_weapon(weapons: list[WeaponTerm], sentence: str, trig: re.Match) -> bool:
    """'helicopters acquired from Qatar', 'tanks supplied by Germany': a participle after its noun."""
    return any(0 <= trig.start() - w.end <= 2 for w in weapons) and trig.group(0).lower().endswith(("ed", "nt", "ld", "ght", "ven"))


def _describe(sentence: str, weapons: list[WeaponTerm]) -> str:
    named = [w.text for w in weapons if w.named]
    generic = [w.text for w in weapons if not w.named]
    parts = list(dict.fromkeys(named + generic))
    return ", ".join(parts[:4])


def _reported_by(sentence: str) -> str | None:
    m = _ATTRIBUTION.search(sentence)
    if not m:
        return None
    text = (m.group("acc") or m.group("intel")).strip()
    return re.sub(r"^(?:the|a)\s+", "", text)


def strongest(findings: list[ArmsFinding]) -> list[ArmsFinding]:
    return sorted(findings, key=lambda f: -_STATUS_RANK[f.status])
