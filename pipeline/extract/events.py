"""One article to rows: sentences, mentions, arms transfers and alliances (pure, no I/O)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.extract.alliances import exercise_participants, find_alliances
from pipeline.extract.arms import find_arms
from pipeline.extract.clauses import Actor, dateline_end, groups, merge_same_actor
from pipeline.extract.dates import find_date
from pipeline.extract.mentions import Gazetteer, Mention
from pipeline.extract.sentences import Sentence, split_sentences
from pipeline.extract.weapons import SYSTEM_ORIGIN


def _code_fingerprint() -> str:
    """A hash of the extraction code and reference data: any change makes every article be read again."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "extract").glob("*.py"), *(root / "reference").glob("*.csv"), *(root / "reference").glob("*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


EXTRACTOR = f"entente-rules/0.1+{_code_fingerprint()}"
# "the two leaders", "both sides": the pair named in the previous sentence
_PAIR_ANAPHOR = re.compile(
    r"\b(?:the two|both)\s+(?:\w+\s+)?(?:leaders|countries|sides|nations|presidents|governments|states|"
    r"ministers|heads of state|allies|neighbou?rs)\b|\bthe pair\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^['’]s?\b")


@dataclass
class ArticleRows:
    sentences: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    arms_transfers: list[dict] = field(default_factory=list)
    alliances: list[dict] = field(default_factory=list)


def event_id(article_id: str, sentence_idx: int, family: str, *key: str) -> str:
    raw = "|".join((article_id, str(sentence_idx), family, *key))
    return "e" + hashlib.sha256(raw.encode()).hexdigest()[:16]


def _sentence_row(article_id: str, s: Sentence) -> dict:
    return {"article_id": article_id, "sentence_idx": s.idx, "char_start": s.start, "char_end": s.end, "text": s.text}


def sentence_rows(article_id: str, text: str) -> list[dict]:
    return [_sentence_row(article_id, s) for s in split_sentences(text)]


def mention_rows(article_id: str, sentences: list[Sentence], published: date | None,
                 gazetteer: Gazetteer | None = None) -> list[dict]:
    """Actor mentions of an article; a leader named in full earlier is also found by surname later."""
    gazetteer = gazetteer or Gazetteer.default()
    rows = []
    surnames: dict[str, set[str]] = {}
    for s in sentences:
        found = gazetteer.find(s.text, published)
        taken = [(m.start, m.end) for m in found]
        for surname, codes in surnames.items():
            if len(codes) != 1:
                continue  # two leaders of different states share it: not resolvable
            for hit in re.finditer(rf"\b{re.escape(surname)}\b(?![ -][A-Z])", s.text):
                if not any(a <= hit.start() < b for a, b in taken):
                    found.append(Mention(hit.start(), hit.end(), surname, next(iter(codes)), "leader", "", None))
        for m in sorted(found, key=lambda m: m.start):
            rows.append({"article_id": article_id, "sentence_idx": s.idx, "char_start": s.start + m.start,
                         "char_end": s.start + m.end, "surface": m.surface, "actor_code": m.actor_code,
                         "via": m.via, "suffix": m.suffix or ""})
            if m.via == "leader" and " " in m.surface:  # "Kim Jong Un" makes a later "Kim" his
                surnames.setdefault(_surname(m.surface), set()).add(m.actor_code)
    return rows


def _surname(full_name: str) -> str:
    """The family name of a leader: first for East Asian three-part names ('Kim Jong Un'), else last."""
    parts = full_name.replace("-", " ").split()
    return parts[0] if len(parts) == 3 and parts[0] in _FAMILY_FIRST else full_name.split()[-1]


_FAMILY_FIRST = {"Kim", "Xi", "Li", "Wang", "Moon", "Yoon", "Lee", "Park", "Tsai", "Lai", "Ma", "Hu", "Wen", "Lim", "Hun",
                 "Nguyen", "To", "Choe", "Ri", "Pak", "Han", "Chun", "Roh"}


def _actors(sentence: Sentence, mentions: list[dict], gazetteer: Gazetteer) -> list[Actor]:
    out = []
    dateline = dateline_end(sentence.text)
    for m in mentions:
        start, end = m["char_start"] - sentence.start, m["char_end"] - sentence.start
        if start < dateline:
            continue  # "Brussels [Belgium], June 24 :" names where the story was filed, not a party
        possessive = bool(_POSSESSIVE.match(sentence.text[end:end + 2])) or m["surface"].endswith(("'s", "’s"))
        is_state = gazetteer.actor(m["actor_code"])["actor_type"] == "state"
        out.append(Actor(m["actor_code"], start, end, m["via"], m["suffix"], m["surface"], possessive, is_state))
    return merge_same_actor(out, sentence.text)


def _with_context(sentence: Sentence, actors: list[Actor], previous_pair: list[Actor]) -> list[Actor]:
    """Stand the previous sentence's two actors in for 'the two leaders'/'both sides'."""
    m = _PAIR_ANAPHOR.search(sentence.text)
    named = {a.code for a in actors if not a.suffix}
    if not m or len(named) >= 2 or len(previous_pair) != 2 or (named and not named <= {a.code for a in previous_pair}):
        return actors  # "Kim greeted Putin ... the two leaders": a pair that leaves out Putin is not meant
    # two stand-ins with adjacent spans over the phrase, so that they form one coordinated group
    a, b = previous_pair
    first = Actor(a.code, m.start(), m.start() + 1, a.via, "", m.group(0), False, a.is_state)
    second = Actor(b.code, m.start() + 1, m.end(), b.via, "", m.group(0), False, b.is_state)
    merged = [x for x in actors if x.end <= m.start() or x.start >= m.end()] + [first, second]
    return sorted(merged, key=lambda a: a.start)


def _pair_for_anaphora(sentence: str, actors: list[Actor], links) -> list[Actor]:
    """What a later 'the two leaders' refers to: this sentence's last alliance pair, else two coordinated states."""
    for f in reversed(links):
        pair = [a for a in actors if a.code in (f.actor_a, f.actor_b) and a.is_state]
        pair = list({a.code: a for a in pair}.values())
        if len(pair) == 2:
            return pair
    for group in groups([a for a in actors if a.is_state and not a.suffix], sentence):
        distinct = list({a.code: a for a in group}.values())
        if len(distinct) == 2:
            return distinct
    return []


def event_rows(article_id: str, sentences: list[Sentence], mentions: list[dict], published: date | None,
               gazetteer: Gazetteer | None = None) -> tuple[list[dict], list[dict]]:
    """Arms-transfer and alliance rows for one article from its sentences and mentions."""
    gazetteer = gazetteer or Gazetteer.default()
    by_sentence: dict[int, list[dict]] = {}
    for m in mentions:
        by_sentence.setdefault(m["sentence_idx"], []).append(m)
    arms, alliances = [], []
    previous_pair: list[Actor] = []
    exercise_hosts: tuple[list[str], int] = ([], -1)  # the first exercise's parties, and the latest sentence about it
    last_transfer: tuple[tuple[str, str] | None, int] = (None, -1)  # the latest (supplier, recipient), its sentence
    for s in sentences:
        actors = _actors(s, by_sentence.get(s.idx, []), gazetteer)
        actors = _with_context(s, actors, previous_pair)
        if not actors:
            continue
        location = {"article_id": article_id, "sentence_idx": s.idx, "char_start": s.start, "char_end": s.end}
        event_date = None
        transfer, seen_at = last_transfer
        findings = find_arms(s.text, actors, SYSTEM_ORIGIN, transfer if s.idx - seen_at == 1 else None)
        if findings:
            last_transfer = ((findings[-1].supplier, findings[-1].recipient), s.idx)
        links = find_alliances(s.text, actors)
        hosts, seen_at = exercise_hosts
        if not links and hosts and s.idx - seen_at <= 6:
            links = exercise_participants(s.text, actors, hosts)
        first_exercise = next((f for f in links if f.relation == "exercise"), None)
        if first_exercise and not hosts:  # the first exercise reported names its hosts
            exercise_hosts = ([first_exercise.actor_a, first_exercise.actor_b], s.idx)
        elif first_exercise:
            exercise_hosts = (hosts, s.idx)
        previous_pair = _pair_for_anaphora(s.text, actors, links) or previous_pair
        if findings or links:
            event_date, precision = find_date(s.text, published)
        for f in findings:
            arms.append({
                "event_id": event_id(article_id, s.idx, "arms_transfer", f.supplier, f.recipient, f.status),
                **location, "supplier": f.supplier, "recipient": f.recipient, "origin": f.origin,
                "reported_by": f.reported_by, "weapon_category": f.weapon_category,
                "weapon_description": f.weapon_description, "quantity_text": f.quantity_text,
                "quantity_min": f.quantity_min, "status": f.status, "used_in": f.used_in,
                "event_date": event_date, "date_precision": precision if event_date else None,
                "confidence": f.confidence, "evidence": s.text, "extractor": EXTRACTOR,
            })
        for f in links:
            alliances.append({
                "event_id": event_id(article_id, s.idx, "alliance", f.actor_a, f.actor_b, f.relation),
                **location, "actor_a": f.actor_a, "actor_b": f.actor_b, "relation": f.relation,
                "event_date": event_date, "date_precision": precision if event_date else None,
                "confidence": f.confidence, "evidence": s.text, "extractor": EXTRACTOR,
            })
    return arms, alliances


def extract_article(article_id: str, text: str, published: date | None = None,
                    gazetteer: Gazetteer | None = None) -> ArticleRows:
    """Everything Entente reads from one article, as rows of the warehouse tables."""
    gazetteer = gazetteer or Gazetteer.default()
    sentences = split_sentences(text)
    rows = ArticleRows()
    rows.sentences = [_sentence_row(article_id, s) for s in sentences]
    rows.mentions = mention_rows(article_id, sentences, published, gazetteer)
    rows.arms_transfers, rows.alliances = event_rows(article_id, sentences, rows.mentions, published, gazetteer)
    return rows


__all__ = ["ArticleRows", "EXTRACTOR", "Mention", "event_rows", "extract_article", "mention_rows", "sentence_rows"]
