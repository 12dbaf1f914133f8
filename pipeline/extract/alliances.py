"""Alliance rules: pacts, partnerships, membership, meetings, exercises, support and ruptures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from pipeline.dictionary import SYMMETRIC_RELATIONS
from pipeline.extract.clauses import Actor, clause_start, groups, negated

_TIES = r"(?:diplomatic |bilateral |military |defen[cs]e |security |formal |official )*(?:ties|relations|relationship)"
_RELATION_TRIGGERS: tuple[tuple[str, str], ...] = (
    ("rupture",
     rf"(?:br(?:oke|eak|eaks|eaking|oken)|sever(?:s|ed|ing)?|cut(?:s|ting)?|downgrad\w+|end(?:s|ed|ing)?|"
     rf"suspend(?:s|ed|ing)?|suspension of|fr(?:oze|ozen|eeze|eezes|eezing))\s+(?:off\s+)?(?:\w+\s+){{0,3}}?"
     rf"(?:{_TIES}|membership|participation|(?:military |security |defen[cs]e )?cooperation|treaty|agreement|pact)"
     r"|(?:recall(?:s|ed|ing)?|expel(?:s|led|ling)?|withdr(?:aw|ew|awn|awing|aws))\s+(?:\w+\s+){0,3}?"
     r"(?:ambassadors?|envoys?|diplomats?|diplomatic staff|embassy staff|troops|forces)"
     r"|(?:withdr(?:aw|ew|awn|awing|aws)|pull(?:s|ed|ing)? out|pullout|exit(?:s|ed|ing)?|quit(?:s|ting)?|"
     r"left|leave|leaving)\s+(?:from\s+)?(?:the\s+)?(?:\w+\s+){0,3}?(?:treaty|agreement|pact|bloc|alliance|organi[sz]ation|union)"
     r"|(?:froze|frozen|freez\w+|suspend\w*) (?:its |their )?(?:participation|membership)"
     r"|(?:switch(?:ed|es|ing)? (?:diplomatic )?(?:recognition|allegiance))"),
    ("defence_pact",
     r"mutual[- ](?:defen[cs]e|assistance|security|aid)|defen[cs]e (?:pact|treaty|agreement|accord|deal)|"
     r"security (?:pact|treaty|agreement|accord|guarantees?)|military alliance|alliance treaty|"
     r"(?:visiting forces|reciprocal access|status of forces) agreement|defen[cs]e cooperation (?:agreement|treaty)"),
    ("membership",
     r"\bjoin(?:s|ed|ing)?\b|accession|accede\w*|admit(?:s|ted|ting)?|admission|bid to (?:join|become)|"
     r"appl(?:y|ies|ied|ication) (?:for|to join|to become)|candidate (?:status|country|member)|"
     r"invit\w+ to (?:join|become|enter)|(?:full|full-time|permanent|new|newest|\d+(?:st|nd|rd|th)) member\b|"
     r"become (?:a |an )?(?:full |full-time )?member|membership (?:bid|application|talks)|enlargement"),
    ("exercise",
     r"(?:joint|combined|bilateral|trilateral|multinational)\s+(?:\w+\s+){0,2}?(?:exercises?|drills?|manoeuvres|maneuvers|"
     r"patrols?|war ?games|training)|(?:military|naval|air|army|war|live-fire|command-staff|strategic)\s+(?:exercises?|drills?)|"
     r"\bexercises?\b|\bdrills\b|war ?games"),
    ("partnership",
     r"strategic partnership|partnership (?:agreement|treaty|deal|pact|accord|declaration)|\w+-year partnership|"
     r"comprehensive (?:strategic )?partnership|cooperation (?:agreement|treaty|accord|deal|pact|memorandum|plan)|"
     r"memorandum of understanding|\bMoU\b|strategic cooperation|"
     r"(?:deepen|strengthen|boost|expand|enhance|step up|increase|bolster|upgrade)\w* (?:\w+ ){0,3}?(?:cooperation|ties|partnership|relations)|"
     r"\bcooperat(?:e|ion) in\b|will cooperate|agreed to cooperate|"
     r"(?:restor|re-?establish|establish|normali[sz])\w* (?:\w+ ){0,2}?(?:ties|relations)|normali[sz]ation|"
     r"peace (?:treaty|deal|agreement|accord|declaration)|declaration of peace|treaty of peace|"
     r"sign(?:s|ed|ing)? (?:an? |the )?(?:\w+[- ]){0,4}?(?:agreement|treaty|accord|pact|declaration)"),
    ("support",
     r"(?:express\w*|reaffirm\w*|declar\w*|voic\w*|pledg\w*|offer\w*|reiterat\w*) (?:\w+ ){0,3}?(?:support|solidarity|backing)|"
     r"(?:firmly|strongly|fully|unequivocally|resolutely) (?:support|back|stand)\w*|"
     r"stand(?:s|ing)? (?:firmly )?(?:with|by)|stood (?:with|by)|solidarity with|"
     r"(?:send|sent|sends|dispatch\w*|deploy\w*) (?:\w+ ){0,2}?(?:peacekeep\w*|troops|forces) to|"
     r"support for (?:the )?(?=[A-Z])"),
    ("meeting",
     r"\bm(?:et|eet|eets|eeting|eetings)\b|\bsummit\b|\btalks\b|\bvisit(?:s|ed|ing)?\b|"
     r"(?:phone|telephone) (?:call|conversation|talks)|(?:tele)?phoned|spoke (?:by phone |over the phone )?(?:with|to)|"
     r"\bcall(?:ed)? (?:with|on)\b|held (?:\w+ ){0,2}?talks|exchang\w* (?:\w+ ){0,2}?(?:messages|letters|views)|"
     r"dialogue between|hosted|joint session|\breceived\b(?= (?:\w+ ){0,4}?(?:President|Prime Minister|Minister|counterpart|delegation|leader))|"
     r"trip to|arrived in|bilateral meet\w*"),
)
_TRIGGERS = [(rel, re.compile(p, re.IGNORECASE)) for rel, p in _RELATION_TRIGGERS]
_COURTESY = re.compile(r"congratulat\w*|condolence\w*|birthday|new year greetings|sympathy", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|would|plans? to|planned|set to|expected to|to be held|is to|are to|next (?:week|month|year)|upcoming|later this)\b",
                     re.IGNORECASE)
_SPECULATIVE = re.compile(r"\b(?:could|might|may|if|whether|unless|possibly|perhaps|speculat\w*|rumou?r\w*)\b", re.IGNORECASE)
_HOSTILE = re.compile(r"\bsanction\w*|\bcritici[sz]\w*|\bcondemn\w*|\bconcern\w*|\bwarn\w*|\bthreat\w*|\battack\w*|\binvad\w*|\binvasion\b|\bwar\b",
                      re.IGNORECASE)
_BACKGROUND_MEMBER = re.compile(r"\b(?:member (?:states?|countries|nations)|a member of|members? include|includes|including)\b", re.IGNORECASE)
_BACKER_VERB = re.compile(r"\b(?:back\w*|support\w*|endors\w*|ratif\w*|approv\w*|invit\w*|welcom\w*|make|made|grant\w*|promis\w*|help\w*|admit\w*)\b",
                          re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AllianceFinding:
    actor_a: str
    actor_b: str
    relation: str
    confidence: float


def _ordered(a: str, b: str, relation: str) -> tuple[str, str]:
    return (min(a, b), max(a, b)) if relation in SYMMETRIC_RELATIONS else (a, b)


def find_alliances(sentence: str, actors: list[Actor]) -> list[AllianceFinding]:
    """Alliance events asserted by one sentence; actors are its merged mentions (states and organisations)."""
    plain = [a for a in actors if not a.suffix]
    if len({a.code for a in plain}) < 2:
        return []
    actor_groups = groups(plain, sentence)
    found: dict[tuple[str, str, str], AllianceFinding] = {}
    taken: list[tuple[int, int]] = []
    for relation, pattern in _TRIGGERS:
        for trig in pattern.finditer(sentence):
            if any(trig.start() < e and s < trig.end() for s, e in taken):
                continue
            pairs = _pairs(relation, sentence, actor_groups, plain, trig)
            if not pairs:
                continue
            cstart = clause_start(sentence, trig.start())
            if negated(sentence, cstart, trig.start()) and relation != "rupture":
                continue
            if _SPECULATIVE.search(sentence, cstart, trig.start()):
                continue
            if relation == "meeting" and (_COURTESY.search(sentence) or _FUTURE.search(sentence, cstart, trig.start())):
                continue
            if relation in ("partnership", "support", "meeting") and _HOSTILE.search(sentence[trig.start():trig.end() + 40]):
                continue
            taken.append(trig.span())
            confidence = 0.8 if relation != "support" else 0.7
            for a, b in pairs:
                a, b = _ordered(a, b, relation)
                found.setdefault((a, b, relation), AllianceFinding(a, b, relation, confidence))
    return list(found.values())


def _pairs(relation: str, sentence: str, actor_groups: list[list[Actor]], actors: list[Actor], trig: re.Match):
    states = [a for a in actors if a.is_state]
    orgs = [a for a in actors if not a.is_state]
    if relation == "membership":
        return _membership_pairs(sentence, states, orgs, trig)
    if relation == "rupture" and re.search(r"membership|participation", trig.group(0), re.IGNORECASE) and orgs:
        members = [a for a in states if a.possessive or a.start < trig.start()] or states
        return {(m.code, o.code) for m in members for o in orgs if m.code != o.code}
    codes = list(dict.fromkeys(a.code for a in actors))
    if len(codes) == 2:
        return {(codes[0], codes[1])}
    before = [g for g in actor_groups if g[-1].end <= trig.start()]
    after = [g for g in actor_groups if g[0].start >= trig.end()]
    subject = before[-1] if before else []
    if subject and after:
        objects = after[0]
        return {(s.code, o.code) for s in subject for o in objects if s.code != o.code}
    group = subject or (after[0] if after else [])
    if len({a.code for a in group}) >= 2 and len(group) <= 6:
        return {(x.code, y.code) for x, y in combinations(group, 2) if x.code != y.code}
    return set()


def _membership_pairs(sentence: str, states: list[Actor], orgs: list[Actor], trig: re.Match):
    if not orgs or not states:
        return set()
    if _BACKGROUND_MEMBER.search(sentence) and not re.search(r"join|accession|admit|bid|appl|invit|candidate", trig.group(0), re.IGNORECASE):
        return set()
    # the backer of someone else's bid is not joining: joiners follow the backing verb
    backer = _BACKER_VERB.search(sentence, 0, trig.start())
    joiners = [s for s in states if s.start > backer.end()] if backer else states
    joiners = joiners or states
    org = min(orgs, key=lambda o: abs(o.start - trig.start()))
    return {(s.code, org.code) for s in joiners if s.code != org.code}
