"""Arms-transfer rules: who supplies whom with what, at which stage, from one sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.clauses import Actor, clause_start, groups, hedged, is_target, negated, speculative
from pipeline.extract.weapons import WeaponTerm, find_quantity, find_weapons, main_category

# Verb families: the role their grammatical subject plays.
_SUPPLY = (r"suppl(?:y|ies|ied|ying)|s(?:ell|ells|old|elling)|sen(?:d|ds|t|ding)|deliver(?:s|ed|ing|y|ies)?|"
           r"pass(?:es|ed|ing)? on|"
           r"transferr?(?:s|ed|ing)?|donat(?:e|es|ed|ing)|provid(?:e|es|ed|ing)|g(?:ive|ives|ave|iven|iving)|"
           r"ship(?:s|ped|ping|ment|ments)?|export(?:s|ed|ing)?|hand(?:s|ed|ing)? over|gift(?:s|ed|ing)?|"
           r"equip(?:s|ped|ping)?|arm(?:s|ed|ing)?(?= [\w’'.-]+(?: [\w’'.-]+)? with\b)|dispatch(?:es|ed|ing)?|"
           r"lend(?:s|ing)?|lent|loan(?:s|ed|ing)?|pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|"
           r"offer(?:s|ed|ing)?|sales?|approv(?:e|es|ed|ing|al) (?:of )?(?:a |the )?(?:possible |potential )?sale")
_RECEIVE = (r"b(?:uy|uys|ought|uying)|purchas(?:e|es|ed|ing)|acquir(?:e|es|ed|ing)|acquisitions?|order(?:s|ed|ing)?|"
            r"(?:contracts?|deals?|orders?) for|"
            r"receiv(?:e|es|ed|ing)|import(?:s|ed|ing)?|obtain(?:s|ed|ing)?|procur(?:e|es|ed|ing|ement)|"
            r"induct(?:s|ed|ing)?|took delivery|tak(?:e|es|ing) delivery|seek(?:s|ing)?|sought|request(?:s|ed|ing)?|"
            r"ask(?:s|ed|ing)? for|welcom(?:e|es|ed|ing)|get(?:s|ting)?|got|field(?:s|ed|ing)?")
_USE = (r"us(?:e|es|ed|ing)|deploy(?:s|ed|ing)?|fir(?:e|es|ed|ing)|launch(?:es|ed|ing)?|employ(?:s|ed|ing)?|unleash(?:es|ed|ing)?|"
        # "attacked the capital with Iranian-made drones": an attack names its weapon with "with"/"using"
        r"(?:attack(?:s|ed|ing)?|str(?:ike|ikes|uck|iking)|pound(?:s|ed|ing)?|bombard(?:s|ed|ing)?|hit(?:s|ting)?)"
        r"(?=[^.;]{0,60}\b(?:with|using)\b)")
_POSSESS = r"belong(?:s|ing|ed)? to|owned by|operated by|in service with|in the (?:hands|arsenal) of"
_ARRIVE = r"arriv(?:e|es|ed|ing)|reach(?:es|ed|ing)?|(?:were|was|been) flown|land(?:s|ed|ing)? in"
# "signed a contract with Hanwha for K9 howitzers": the direction comes from who makes the weapon
_DEAL = r"(?:contracts?|deals?|agreements?|accords?)(?=\s+(?:(?:worth|valued at)\s+[^,]{1,30}\s+)?with\b)"
_TRIGGER = re.compile(rf"\b(?:(?P<supply>{_SUPPLY})|(?P<receive>{_RECEIVE})|(?P<use>{_USE})|(?P<possess>{_POSSESS})|"
                      rf"(?P<arrive>{_ARRIVE})|(?P<deal>{_DEAL}))\b", re.IGNORECASE)

_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|denials?|(?:rejected|dismissed) (?:the |a |an |these |those |such )?"
                     r"(?:\w+ )?(?:claims?|reports?|allegations?|accusations?)|refuted)\b", re.IGNORECASE)
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
        if pattern.search(sentence[max(start, grp[0].start - 30):grp[0].start]) and not is_target(sentence, grp[0]):
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
    if hedged(pre):
        return None
    if kind == "use":
        return "used"
    if kind in ("possess", "arrive"):
        return "delivered" if not _PLANNED.search(pre) else "planned"
    if word.startswith(("approv", "order")) or _AGREED.search(pre):
        return "agreed"
    if word.startswith(("pledg", "promis", "offer", "seek", "sought", "request", "ask")) or _PLANNED.search(pre):
        return "planned"
    if re.search(r"\bcontinu\w*\s+to\s+$", pre, re.IGNORECASE):
        return "delivered"  # "continued to supply": an ongoing transfer
    if re.search(r"\bto\s+$", pre):
        return "planned"
    if word.startswith(("sale", "deal", "contract", "agreement", "accord")):
        return "agreed" if not _PLANNED.search(pre) else "planned"
    return "delivered"


def _weapons_near(weapons: list[WeaponTerm], start: int, end: int) -> list[WeaponTerm]:
    return [w for w in weapons if start <= w.start < end]


_CLAUSE_END = re.compile(r";|\s[-–—]\s?|,\s*(?:which|who|while|but|whereas|and (?:the|it|he|she|they)|according)\b|"
                         r"\b(?:while|but|in (?:reply|response) to|amid|after|during|as part of)\b")


def _clause_end(sentence: str, pos: int, next_trigger: int) -> int:
    m = _CLAUSE_END.search(sentence, pos)
    return min(m.start() if m else len(sentence), next_trigger)


def _origin_code(weapons: list[WeaponTerm], named_origin: dict[str, str]) -> str | None:
    """The maker's state of the first named system whose origin is known ('F-35As' -> USA)."""
    for w in weapons:
        if not w.named:
            continue
        key = w.text.upper()
        for candidate in (key, key[:-1] if key.endswith("S") else key, re.sub(r"^([A-Z]+-\d+).*$", r"\1", key),
                          key.split()[0]):
            if candidate in named_origin:
                return named_origin[candidate]
    return None


# "12 used Rafale jets": a second-hand adjective, not the verb
_ADJECTIVE_USED = re.compile(r"\b(?:\d+|a|an|the|some|of|its|their|two|three|four|six|twelve|dozen)\s+used$", re.IGNORECASE)
_REQUEST = re.compile(r"seek|sought|request|ask|want|welcom|get|got", re.IGNORECASE)
_USE_OBJECT = re.compile(r"\s+(?:(?:at least|at most|some|one|two|three|all|many|several|dozens|hundreds|more|of|the|its|"
                         r"their|a|an)\s+){0,6}(?:[\w-]+\s+){0,2}")
_SUPPLIED_BY = "(?:suppl|provid|made|buil|manufactur|deliver|sen|donat|gift|produc)\\w*\\s+by|from"
_ATTACK_AFTER = re.compile(r"\s+(?:strikes?|attacks?|barrages?|fire|raids?|salvos?|bombardments?|shelling)\b", re.IGNORECASE)


def _made_by(sentence: str, states: list[Actor], weapons: list[WeaponTerm]) -> list[Actor]:
    """States named as a weapon's maker: 'Iran-made drones', 'a Chinese multi-role frigate'."""
    out = []
    for a in states:
        if a.suffix in _ORIGIN_SUFFIXES:
            out.append(a)
        elif not a.suffix and a.via in ("demonym", "company") and not is_target(sentence, a):
            for w in weapons:
                if _ATTACK_AFTER.match(sentence, w.end):
                    continue  # "Indian missile strikes": an attack, not a possession
                gap = sentence[a.end:w.start]
                if 0 <= w.start - a.end <= 40 and re.fullmatch(r"(?:\s+[\w/-]+){0,3}\s+", gap) and \
                        not re.search(r"\b(?:of|to|for|from|by|in|with|and|that|which|troops|forces|army|navy|military)\b", gap):
                    out.append(a)
                    break
    return out


def find_arms(sentence: str, actors: list[Actor], named_origin: dict[str, str] | None = None,
              context: tuple[str, str] | None = None) -> list[ArmsFinding]:
    """Arms transfers asserted by one sentence; actors are its (merged) mentions.

    context: (supplier, recipient) of a transfer reported just before ('Germany pledged tanks to
    Ukraine. The first ones were delivered on Monday.'), used when a supply verb names only one side.
    """
    states = [a for a in actors if a.is_state]
    spans = [(a.start, a.end) for a in actors]
    # a trigger inside a compound ("US-supplied") is part of a name, not the verb of the clause
    triggers = [t for t in _TRIGGER.finditer(sentence) if not any(s <= t.start() < e for s, e in spans)
                and not (t.group(0).lower() == "used" and _ADJECTIVE_USED.search(sentence, max(0, t.start() - 15), t.end()))
                ] if states else []
    weapons = find_weapons(sentence) if triggers else []
    if not weapons:
        return []
    named_origin = named_origin or {}
    actor_groups = groups([a for a in states if not a.suffix or a.suffix in _ORIGIN_SUFFIXES], sentence)
    reported_by = _reported_by(sentence)
    findings: dict[tuple[str, str, str], ArmsFinding] = {}
    for n, trig in enumerate(triggers):
        kind = next(k for k in ("supply", "receive", "use", "possess", "arrive", "deal") if trig.group(k))
        cstart = clause_start(sentence, trig.start())
        cend = _clause_end(sentence, trig.end(), triggers[n + 1].start() if n + 1 < len(triggers) else len(sentence))
        participle = not trig.group(0).lower().endswith("ing")
        passive = participle and (bool(_PASSIVE_AUX.search(sentence[cstart:trig.start()]))
                                  or _follows_weapon(weapons, sentence, trig))
        obj_weapons = _weapons_near(weapons, trig.end(), cend)
        if passive or kind in ("possess", "arrive"):
            obj_weapons = _weapons_near(weapons, cstart, trig.start()) + obj_weapons
        if not obj_weapons and kind != "use":
            # a noun trigger ("the sale of ...") or a weapon named before a relative clause
            obj_weapons = [w for w in weapons if abs(w.start - trig.end()) < 60 or abs(trig.start() - w.end) < 60]
        if not obj_weapons:
            continue
        status = _stage(kind, sentence, cstart, trig)
        if status is None:
            continue
        subject = _subject(sentence, actor_groups, cstart, trig.start())
        makers = _made_by(sentence, [a for a in states if cstart <= a.start < cend], obj_weapons)
        if kind == "use":  # "fired at the British destroyer": a demonym after the verb is the target unless adjacent
            makers = [a for a in makers if a.suffix or a.start < trig.start() or _USE_OBJECT.fullmatch(sentence[trig.end():a.start])]
        suppliers: list[Actor] = []
        recipients: list[Actor] = []
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
            if passive:  # "helicopters acquired from Qatar": by-agent, else the clause's subject owns them
                recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "by") or subject
            else:
                recipients = subject
            suppliers = _after_prep(sentence, actor_groups, trig.end(), cend, "from") or \
                _after_prep(sentence, actor_groups, trig.end(), _clause_end(sentence, trig.end(), len(sentence)), _SUPPLIED_BY)
        elif kind == "possess":
            recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "to|by|with")
        elif kind == "arrive":  # "the first tanks supplied by Poland have reached Ukraine": the place receives
            recipients = next(([a for a in g if not a.suffix] for g in actor_groups if trig.end() <= g[0].start < cend), [])
            suppliers = _after_prep(sentence, actor_groups, cstart, trig.start(), "by|from")
            earlier = [f for f in findings.values() if f.recipient in {r.code for r in recipients}]
            if not suppliers and earlier:  # "Poland would transfer jets ... the first have reached Ukraine"
                suppliers = [Actor(earlier[-1].supplier, -1, -1, "context", "", "", False, True)]
        elif kind == "deal":
            partner = _after_prep(sentence, actor_groups, trig.end(), cend, "with")
            maker_codes = {a.code for a in makers} | {_origin_code(obj_weapons, named_origin)}
            sides = (subject, partner)
            for supplier_side, recipient_side in (sides, sides[::-1]):
                if supplier_side and recipient_side and (
                        all(a.via == "company" or a.code in maker_codes for a in supplier_side)
                        and not any(a.via == "company" or a.code in maker_codes for a in recipient_side)):
                    suppliers, recipients = supplier_side, recipient_side
        else:
            recipients = _after_prep(sentence, actor_groups, trig.end(), cend, "by") if passive else subject
            if not recipients:
                recipients = [a for a in states if a.possessive and cstart <= a.start < trig.start() and not a.suffix][-1:]
            # "fired ballistic missiles supplied by North Korea": the participle names the supplier
            suppliers = _after_prep(sentence, actor_groups, trig.end(), _clause_end(sentence, trig.end(), len(sentence)),
                                    _SUPPLIED_BY)
        confidence = 0.85
        if not suppliers and kind in ("receive", "use", "possess"):
            suppliers = [a for a in makers if not a.suffix or a.suffix in _ORIGIN_SUFFIXES]
            confidence = 0.75
        if kind == "supply" and context and bool(suppliers) != bool(recipients):
            if not suppliers and all(r.code != context[0] for r in recipients):
                suppliers = [Actor(context[0], -1, -1, "context", "", "", False, True)]
            elif not recipients and all(x.code != context[1] for x in suppliers):
                recipients = [Actor(context[1], -1, -1, "context", "", "", False, True)]
            confidence = 0.6
        if not suppliers and kind != "supply" and not _REQUEST.match(trig.group(0)):
            code = _origin_code(obj_weapons, named_origin)
            if code:
                suppliers = [Actor(code, -1, -1, "origin", "made", "", False, True)]
                confidence = 0.6
        if not suppliers or not recipients:
            continue
        origin = next((a.code for a in makers if a.suffix not in _SUPPLIED_SUFFIXES), None) or \
            _origin_code(obj_weapons, named_origin)
        used_in = None
        if status == "used":
            used_in = next((a.code for a in _after_prep(sentence, actor_groups, trig.end(), len(sentence), "in|against|over|on")), None)
        category = main_category(obj_weapons)
        qtext, qmin = find_quantity(sentence, obj_weapons[0])
        if speculative(sentence, cstart, trig.start()):
            confidence -= 0.25
        for s in suppliers:
            for r in recipients:
                if s.code == r.code:
                    continue
                key = (s.code, r.code, status)
                findings.setdefault(key, ArmsFinding(
                    s.code, r.code, origin, reported_by, category, _describe(sentence, obj_weapons), qtext, qmin,
                    status, used_in if used_in not in (s.code, r.code) else None, round(confidence, 2)))
    return list(findings.values())


_PREPOSITION_BEFORE = re.compile(r"\b(?:with|to|from|for|by|of|than|against|at|in|on|into|between)\s+(?:the\s+|its\s+)?$", re.IGNORECASE)
_NOMINAL_TRIGGER = re.compile(r"sales?|deliver(?:y|ies)|suppl(?:y|ies)|transfers?|shipments?|exports?|donations?", re.IGNORECASE)
_INFINITIVE_OF_NOUN = re.compile(r"\b(?:agreement|deal|contract|plans?|decision|pledge|offer|promise|commitment|order)\s+to\s+$",
                                 re.IGNORECASE)
_PRONOUN_CLAUSE = re.compile(r"^\s*(?:it|he|she|they|we)\b", re.IGNORECASE)


def _subject(sentence: str, actor_groups: list[list[Actor]], cstart: int, trig_start: int) -> list[Actor]:
    """The grammatical subject: the nearest actor group before the trigger that no preposition governs.

    Looked for inside the trigger's clause; a clause whose subject is a pronoun ('... that it will send')
    takes the nearest group of the sentence before it.
    """
    def free(g):
        return not _PREPOSITION_BEFORE.search(sentence[max(0, g[0].start - 25):g[0].start])

    adjacent = [g for g in actor_groups if g[-1].end <= trig_start and (
        (g[-1].possessive and re.fullmatch(r"['’]s?(?:\s+[\w-]+){0,2}\s+", sentence[g[-1].end:trig_start]))
        or (g[-1].via == "demonym" and re.fullmatch(r"(?:\s+[\w-]+){0,2}\s+", sentence[g[-1].end:trig_start])
            and _NOMINAL_TRIGGER.match(sentence, trig_start)))]
    if adjacent:  # "India's acquisition of Rafales", "Israeli weapons sales": the possessor is the subject
        return [a for a in adjacent[-1] if not a.suffix]
    before = [g for g in actor_groups if g[-1].end <= trig_start and free(g)]
    inside = [g for g in before if g[0].start >= cstart]
    if inside:
        return [a for a in inside[-1] if not a.suffix]
    if before and (_PRONOUN_CLAUSE.match(sentence[cstart:trig_start]) or _INFINITIVE_OF_NOUN.search(sentence, cstart, trig_start)):
        return [a for a in before[-1] if not a.suffix]  # "... that it will send", "..., an agreement to supply"
    return []


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
    """'helicopters acquired from Qatar', 'drones increasingly deployed': a participle after its noun."""
    return trig.group(0).lower().endswith(("ed", "nt", "ld", "ght", "ven")) and any(
        re.fullmatch(r"\s*(?:\w+ly\s+|,\s*)?", sentence[w.end:trig.start()]) for w in weapons if w.end <= trig.start())


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
